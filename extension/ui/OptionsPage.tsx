// Options: the stacks the extension works on, each with its URL and Manage API token, verified with
// tokens/verify on save (and again on request); a stack can be added, verified again or removed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { KNOWN_STACKS, normalizeBackendUrl, originPattern, URL_HINT } from '../account.ts';
import { browser } from '../browser.ts';
import { reportError } from '../errors.ts';
import { callWorker, type SaveSettingsOutcome } from '../messages.ts';
import {
  getSettings,
  onSettingsChanged,
  readyStacks,
  type Settings,
  type StackSettings,
  stackLabel,
} from '../settings.ts';
import { ago } from './format.ts';
import { dropStaleSnapshots, pageStorage } from './snapshot.ts';

type Status =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; outcome: SaveSettingsOutcome }
  | { kind: 'error'; message: string };

/** `options.html#add=<url>`: "Get access" met a project URL of a stack that is not set up. */
function urlToAdd(): string {
  const m = /^#add=(.+)$/.exec(location.hash);
  if (!m?.[1]) return '';
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return '';
  }
}

function SavedText({ outcome }: { outcome: SaveSettingsOutcome }) {
  return (
    <>
      <p>
        Saved. Signed in as <strong>{outcome.userName}</strong> ({outcome.email}),{' '}
        {outcome.kind === 'support' ? 'a support account.' : 'taken as a maintainer account.'}
      </p>
      {outcome.warning && <p>{outcome.warning}</p>}
    </>
  );
}

/** Verify again or remove, per stack; removing asks first (it forgets what is tracked there). */
function useStackActions(reload: () => Promise<void>) {
  /** The outcome of "Verify again" or "Remove", per stack. */
  const [rowStatus, setRowStatus] = useState<Record<string, Status>>({});
  /** The stack whose "Remove" waits for a confirmation (it forgets what the extension tracks there). */
  const [confirming, setConfirming] = useState<string | null>(null);
  const keepRef = useRef<HTMLButtonElement | null>(null);
  const listRef = useRef<HTMLUListElement | null>(null);
  const asked = useRef<string | null>(null);
  // The safe answer takes the focus when the question appears; "Keep" gives it back to "Remove".
  useEffect(() => {
    if (confirming) keepRef.current?.focus();
    else if (asked.current) {
      const url = asked.current;
      const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button[data-remove]') ?? [];
      [...buttons].find((b) => b.dataset.remove === url)?.focus();
    }
    asked.current = confirming;
  }, [confirming]);

  async function verify(stack: string): Promise<void> {
    setRowStatus((r) => ({ ...r, [stack]: { kind: 'saving' } }));
    const res = await callWorker('verifyStack', { stack });
    setRowStatus((r) => ({
      ...r,
      [stack]: res.ok ? { kind: 'saved', outcome: res.value } : { kind: 'error', message: res.error.message },
    }));
  }

  async function remove(stack: string): Promise<void> {
    asked.current = null;
    setConfirming(null);
    const res = await callWorker('removeStack', { stack });
    if (!res.ok) setRowStatus((r) => ({ ...r, [stack]: { kind: 'error', message: res.error.message } }));
    await reload();
  }
  return { rowStatus, confirming, setConfirming, keepRef, listRef, verify, remove };
}
type StackActions = ReturnType<typeof useStackActions>;

function StackRow({ stack: s, actions }: { stack: StackSettings; actions: StackActions }) {
  const { confirming, setConfirming, keepRef } = actions;
  const label = stackLabel(s.url);
  const st = actions.rowStatus[s.url] ?? { kind: 'idle' };
  return (
    <li class="row" data-testid="stack-row" data-stack={s.url}>
      <div class="row-main">
        <span class="project-name">
          {label} <span class="muted">{s.url}</span>
        </span>
      </div>
      <div class="reason" data-testid="current-account">
        {s.user ? (
          <>
            {/* Not "Signed in as": the notice after saving says that, once. */}
            Token of <strong>{s.user.name}</strong> ({s.user.email})
            {s.verifiedAt ? `, verified ${ago(s.verifiedAt, Date.now())}` : ''}.
          </>
        ) : (
          'No verified token: add the stack again with a token.'
        )}
      </div>
      <div class="row-foot">
        <span aria-live="polite" data-testid="stack-status">
          {st.kind === 'saving' && 'Verifying…'}
          {st.kind === 'saved' && 'Verified: the token works.'}
          {st.kind === 'error' && (
            <span class="error-text" role="alert">
              {st.message}
            </span>
          )}
        </span>
        <span class="actions">
          <button
            type="button"
            aria-label={`Verify again the token for ${label}`}
            disabled={!s.token || st.kind === 'saving'}
            onClick={() => void actions.verify(s.url)}
          >
            Verify again
          </button>
          {confirming === s.url ? (
            <>
              <span class="muted">Forget its token and tracked access?</span>
              <button
                type="button"
                aria-label={`Remove ${label} now`}
                onClick={() => void actions.remove(s.url)}
              >
                Remove now
              </button>
              <button
                type="button"
                aria-label={`Keep ${label}`}
                ref={keepRef}
                onClick={() => setConfirming(null)}
              >
                Keep
              </button>
            </>
          ) : (
            <button
              type="button"
              aria-label={`Remove ${label}`}
              data-remove={s.url}
              onClick={() => setConfirming(s.url)}
            >
              Remove
            </button>
          )}
        </span>
      </div>
    </li>
  );
}

/** The browser asks for one origin only, straight from the click (it needs the user gesture). */
async function permitted(backendUrl: string): Promise<boolean> {
  try {
    return await browser.permissions.request({ origins: [originPattern(backendUrl)] });
  } catch (error) {
    reportError(error, 'permissions');
    return false;
  }
}

/** Adding a stack (or replacing its token): verified with tokens/verify on save. */
function AddStack({ stacks, reload }: { stacks: StackSettings[]; reload: () => Promise<void> }) {
  const [url, setUrl] = useState(urlToAdd);
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const tokenProps = {
    id: 'token',
    name: 'token',
    required: true,
    autocomplete: 'off',
    spellcheck: false,
    value: token,
    'aria-describedby': 'token-help',
    onInput: (e: Event) => setToken((e.currentTarget as HTMLInputElement).value),
  };

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    const backendUrl = normalizeBackendUrl(url);
    if (!backendUrl) {
      setStatus({ kind: 'error', message: URL_HINT });
      return;
    }
    if (!(await permitted(backendUrl))) {
      setStatus({
        kind: 'error',
        message: `Support Kit needs permission to talk to ${backendUrl}. Save again and allow it.`,
      });
      return;
    }
    setStatus({ kind: 'saving' });
    const res = await callWorker('saveSettings', { backendUrl, token });
    if (!res.ok) {
      setStatus({ kind: 'error', message: res.error.message });
      return;
    }
    // Ready for the next stack; the saved one is in the list above.
    setUrl('');
    setToken('');
    await reload();
    setStatus({ kind: 'saved', outcome: res.value });
  }

  return (
    <>
      <form class="stack" onSubmit={(e) => void save(e)} aria-labelledby="add-h">
        <h2 id="add-h">{stacks.length ? 'Add a stack or replace its token' : 'Add a stack'}</h2>
        <div class="field">
          <label for="backend-url">Backend URL</label>
          <input
            id="backend-url"
            name="backendUrl"
            type="url"
            required
            placeholder="https://connection.keboola.com"
            autocomplete="url"
            value={url}
            list="known-stacks"
            aria-describedby="url-help"
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <datalist id="known-stacks">
            {KNOWN_STACKS.filter((k) => !stacks.some((s) => s.url === k)).map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <div id="url-help" class="help">
            Your Keboola stack (e.g. https://connection.north-europe.azure.keboola.com) or the mock backend's
            URL. Remote stacks need https; plain http is accepted only for 127.0.0.1 and localhost. The
            browser asks once for permission to this origin only. Saving a stack already listed replaces its
            token.
          </div>
        </div>
        <div class="field">
          <label for="token">Manage API token</label>
          <div class="inline">
            {showToken ? <input type="text" {...tokenProps} /> : <input type="password" {...tokenProps} />}
            <button type="button" aria-pressed={showToken} onClick={() => setShowToken(!showToken)}>
              {showToken ? 'Hide' : 'Show'}
            </button>
          </div>
          <div id="token-help" class="help">
            A personal Manage API token of a support account (or a maintainer user) with multi-factor
            authentication, made on this stack.
          </div>
        </div>
        <div class="inline">
          <button type="submit" class="primary" disabled={status.kind === 'saving'}>
            {status.kind === 'saving' ? 'Verifying…' : 'Save and verify'}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {status.kind === 'error' && (
          <p class="notice error" role="alert" data-testid="options-error">
            {status.message}
          </p>
        )}
        {status.kind === 'saved' && (
          <div class={`notice ${status.outcome.warning ? 'warn' : 'success'}`} data-testid="options-saved">
            <SavedText outcome={status.outcome} />
          </div>
        )}
      </div>
    </>
  );
}

export function OptionsPage() {
  const [current, setCurrent] = useState<Settings | null>(null);
  const reload = async () => setCurrent(await getSettings());
  const actions = useStackActions(reload);

  useEffect(() => {
    void getSettings().then(setCurrent);
    return onSettingsChanged(setCurrent);
  }, []);
  // Signed out, another token or account: the popup's stored first view is not theirs any more.
  useEffect(() => {
    if (current) void dropStaleSnapshots(pageStorage(), readyStacks(current));
  }, [current]);

  const stacks = current?.stacks ?? [];

  return (
    <main class="options stack">
      <header class="brand large">
        <img src="/extension/icons/icon-48.png" alt="" width={32} height={32} />
        <h1>Support Kit options</h1>
      </header>
      <p class="muted">
        Support Kit lets support and maintainer users get into customers' projects with a reason and for a
        limited time. Add every Keboola stack you work on, each with your token for it. A token stays in the
        extension's storage and is only sent to its own stack.
      </p>

      <section class="stack" aria-labelledby="stacks-h">
        <h2 id="stacks-h">Stacks</h2>
        {stacks.length === 0 && <p class="muted">No stack yet: add one below.</p>}
        {stacks.length > 0 && (
          <ul class="rows" ref={actions.listRef}>
            {stacks.map((s) => (
              <StackRow key={s.url} stack={s} actions={actions} />
            ))}
          </ul>
        )}
      </section>
      <AddStack stacks={stacks} reload={reload} />
    </main>
  );
}
