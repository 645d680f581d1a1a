// Options: the backend URL and the Manage API token, verified with tokens/verify on save.
import { useEffect, useState } from 'preact/hooks';
import { KNOWN_STACKS, normalizeBackendUrl, originPattern, URL_HINT } from '../account.ts';
import { browser } from '../browser.ts';
import { reportError } from '../errors.ts';
import { callWorker, type SaveSettingsOutcome } from '../messages.ts';
import { getSettings, type Settings, setSettings } from '../settings.ts';
import { ago } from './format.ts';

type Status =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; outcome: SaveSettingsOutcome }
  | { kind: 'error'; message: string };

export function OptionsPage() {
  const [current, setCurrent] = useState<Settings | null>(null);
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  useEffect(() => {
    void getSettings().then((s) => {
      setCurrent(s);
      setUrl(s.backendUrl);
      setToken(s.token);
    });
  }, []);

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
    // Ask for this one origin only, straight from the click (the browser needs the user gesture).
    let granted = false;
    try {
      granted = await browser.permissions.request({ origins: [originPattern(backendUrl)] });
    } catch (error) {
      reportError(error, 'permissions');
    }
    if (!granted) {
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
    setUrl(backendUrl);
    setCurrent(await getSettings());
    setStatus({ kind: 'saved', outcome: res.value });
  }

  async function forget(): Promise<void> {
    await setSettings({ token: '', user: null, verifiedAt: 0 });
    setToken('');
    setCurrent(await getSettings());
    setStatus({ kind: 'idle' });
  }

  return (
    <main class="options stack">
      <header class="brand large">
        <img src="/extension/icons/icon-48.png" alt="" width={32} height={32} />
        <h1>Support Kit options</h1>
      </header>
      <p class="muted">
        Support Kit lets support and maintainer users get into customers' projects with a reason and for a
        limited time. The token stays in the extension's storage and is only sent to the stack below.
      </p>
      {/* Once saved, the result below says who is signed in: not twice. */}
      {current?.user && status.kind !== 'saved' && (
        <p class="notice info" data-testid="current-account">
          Signed in as <strong>{current.user.name}</strong> ({current.user.email}) on {current.backendUrl}
          {current.verifiedAt ? `, verified ${ago(current.verifiedAt, Date.now())}` : ''}.
        </p>
      )}
      <form class="stack" onSubmit={(e) => void save(e)} aria-label="Connection">
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
            {KNOWN_STACKS.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <div id="url-help" class="help">
            Your Keboola stack (e.g. https://connection.north-europe.azure.keboola.com) or the mock backend's
            URL. Remote stacks need https; plain http is accepted only for 127.0.0.1 and localhost. The
            browser asks once for permission to this origin only.
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
            authentication.
          </div>
        </div>
        <div class="inline">
          <button type="submit" class="primary" disabled={status.kind === 'saving'}>
            {status.kind === 'saving' ? 'Verifying…' : 'Save and verify'}
          </button>
          {current?.token && (
            <button type="button" onClick={() => void forget()}>
              Remove token
            </button>
          )}
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
            <p>
              Saved. Signed in as <strong>{status.outcome.userName}</strong> ({status.outcome.email}),{' '}
              {status.outcome.kind === 'support' ? 'a support account.' : 'taken as a maintainer account.'}
            </p>
            {status.outcome.warning && <p>{status.outcome.warning}</p>}
          </div>
        )}
      </div>
    </main>
  );
}
