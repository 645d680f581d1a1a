// The organization's Webhooks section (issue 23), for its organization users: endpoints with their
// state, adding one (its signing secret shown once, with Copy), enabling, disabling, deleting, the
// last deliveries with Retry, and a test event. A chunk of its own, loaded only when the settings
// panel shows it to an organization user. The server enforces who may do any of it.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { PanelClient as Client } from '../../api/core-client.ts';
import type { ApiError } from '../../api/errors.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '../../api/types.ts';
import { webhookMethods } from '../../api/webhooks.ts';
import { errorText } from '../common/errors.ts';
import { format as fmt } from '../common/format.ts';
import { usePack } from '../common/hooks.ts';
import type { Locale } from '../common/locale.ts';
import { adopt } from '../common/mount.ts';
import { createPacks } from '../common/packs.ts';
import { Confirm } from '../users/confirm.tsx';
import { en, type WebhookStrings } from './webhooks-strings.ts';

const PACKS = createPacks(en, () => import('./webhooks-strings-cs.ts'));

const CSS = `.wh fieldset{width:100%;margin:0;padding:8px 0 0;border:0;display:flex;flex-wrap:wrap;gap:4px 16px}
.wh legend{font-size:13px;font-weight:600;padding:0}.wh fieldset label{flex-direction:row;align-items:center;gap:6px;font-weight:400}
.wh fieldset input{width:auto;min-height:0}.wh .form input[type=url]{width:320px}
.wh code{display:block;margin:8px 0;padding:8px;border-radius:6px;border:1px solid currentColor;overflow-wrap:anywhere;font:13px ui-monospace,monospace}
.wh .row{flex-direction:column;gap:8px}.wh .acts{flex-direction:row;flex-wrap:wrap;align-items:center}
.wh .log{width:100%}.wh .rsn{display:block}`;

type Api = ReturnType<typeof webhookMethods>;
type Say = (message: string) => void;
type Fail = (e: ApiError) => void;

interface Props {
  client: Client;
  organizationId: number;
  locale: Locale;
}

export function WebhooksSection({ client, organizationId, locale }: Props) {
  const s = usePack(PACKS, locale);
  const ref = useRef<HTMLElement>(null);
  const api = useRef(webhookMethods(client)).current;
  const [list, setList] = useState<WebhookEndpoint[] | null>(null);
  const [problem, setProblem] = useState<{ load: boolean; error: ApiError } | null>(null);
  const [status, setStatus] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const load = async () => {
    const r = await api.listWebhooks(organizationId);
    if (r.error) setProblem({ load: true, error: r.error });
    else setList(r.data);
  };
  useEffect(() => void load(), [organizationId]);
  // Once there is something on the page (the Czech strings may come a moment later).
  useEffect(() => {
    const root = ref.current?.getRootNode();
    return root instanceof ShadowRoot ? adopt(root, CSS) : undefined;
  }, [!s]);
  if (!s) return null;
  const say: Say = (m) => {
    setProblem(null);
    setStatus(m);
  };
  const fail: Fail = (error) => setProblem({ load: false, error });
  return (
    <section class="wh" ref={ref} aria-labelledby={id}>
      <h3 id={id} tabIndex={-1} ref={heading}>
        {s.title}
      </h3>
      <p class="mut">{s.intro}</p>
      {problem && (
        <div class="alert" role="alert">
          <p>{fmt(problem.load ? s.failedLoad : s.failed, { message: errorText(problem.error, s) })}</p>
        </div>
      )}
      <p class="ok" aria-live="polite">
        {status}
      </p>
      {secret && (
        <Secret
          s={s}
          secret={secret}
          onDone={() => {
            setSecret(null);
            // The box goes: focus stays in the section rather than falling to the page.
            heading.current?.focus();
          }}
        />
      )}
      {!list && !problem && <p class="mut">{s.loading}</p>}
      {list && !list.length && <p class="mut">{s.none}</p>}
      <ul>
        {list?.map((e) => (
          <Endpoint key={e.id} e={e} s={s} api={api} locale={locale} say={say} fail={fail} reload={load} />
        ))}
      </ul>
      {list && (
        <AddForm
          s={s}
          onAdd={async (body) => {
            const r = await api.createWebhook(organizationId, body);
            if (r.error) return errorText(r.error, s);
            setSecret(r.data.secret);
            say(s.added);
            await load();
            return null;
          }}
        />
      )}
    </section>
  );
}

/** The secret, once: selectable text and a Copy button; focus moves to it so it is not missed. */
function Secret({ s, secret, onDone }: { s: WebhookStrings; secret: string; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div class="row pend" ref={box} tabIndex={-1}>
      <div>
        <p class="name">{s.secret}</p>
        <code>{secret}</code>
        <p class="mut">{s.secretNote}</p>
        <p class="ok" aria-live="polite">
          {copied ? s.copied : ''}
        </p>
      </div>
      <div class="acts">
        <button
          type="button"
          class="btn pri"
          onClick={() => {
            // Without the clipboard (permission, an old browser) the secret is selected to copy by hand.
            const select = () => {
              const code = box.current?.querySelector('code');
              if (code) getSelection()?.selectAllChildren(code);
            };
            navigator.clipboard
              ? navigator.clipboard.writeText(secret).then(() => setCopied(true), select)
              : select();
          }}
        >
          {s.copy}
        </button>
        <button type="button" class="btn" onClick={onDone}>
          {s.done}
        </button>
      </div>
    </div>
  );
}

const when = (iso: string, locale: Locale) =>
  new Date(iso).toLocaleString(locale === 'cs' ? 'cs-CZ' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

interface EndpointProps {
  e: WebhookEndpoint;
  s: WebhookStrings;
  api: Api;
  locale: Locale;
  say: Say;
  fail: Fail;
  reload(): Promise<void>;
}

function Endpoint({ e, s, api, locale, say, fail, reload }: EndpointProps) {
  const [open, setOpen] = useState(false);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const del = useRef<HTMLButtonElement>(null);
  const org = e.organization.id;
  const act = async (run: () => Promise<{ error?: ApiError }>, done: string) => {
    setBusy(true);
    const r = await run();
    await reload();
    setBusy(false);
    if (r.error) fail(r.error);
    else say(done);
  };
  const off = e.disabled !== null;
  return (
    <li class="row" aria-busy={busy}>
      <div>
        <p class="name">{e.url}</p>
        <p class="mut">
          <span class="tag">{off ? s.disabled : s.active}</span>{' '}
          {e.failingSince && !off ? fmt(s.failing, { time: when(e.failingSince, locale) }) : ''}{' '}
          {e.format === 'slack' ? s.slack : s.standard}: {e.events.map((x) => s.event[x]).join(', ')}
        </p>
      </div>
      <div class="acts">
        <button type="button" class="btn" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? s.hide : s.deliveries}
        </button>
        {!off && (
          <button
            type="button"
            class="btn"
            disabled={busy}
            onClick={() => act(() => api.sendWebhookTest(org, e.id), s.testSent)}
          >
            {s.test}
          </button>
        )}
        <button
          type="button"
          class="btn"
          disabled={busy}
          onClick={() =>
            act(() => api.updateWebhook(org, e.id, { enabled: off }), off ? s.enabled : s.disabledNow)
          }
        >
          {off ? s.enable : s.disable}
        </button>
        <button ref={del} type="button" class="btn dgr" disabled={busy} onClick={() => setAsking(true)}>
          {s.remove}
        </button>
      </div>
      {open && <Deliveries e={e} s={s} api={api} locale={locale} say={say} fail={fail} />}
      {asking && (
        <Confirm
          title={s.removeTitle}
          body={fmt(s.removeBody, { url: e.url })}
          confirm={s.remove}
          cancel={s.cancel}
          opener={del.current}
          onClose={(yes) => {
            setAsking(false);
            if (yes) void act(() => api.deleteWebhook(org, e.id), s.removed);
          }}
        />
      )}
    </li>
  );
}

function Deliveries({ e, s, api, locale, say, fail }: Omit<EndpointProps, 'reload'>) {
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const load = async () => {
    const r = await api.listWebhookDeliveries(e.organization.id, e.id);
    if (r.error) fail(r.error);
    else setRows(r.data);
  };
  useEffect(() => void load(), [e]);
  if (!rows) return <p class="mut">{s.loading}</p>;
  if (!rows.length) return <p class="mut">{s.noDeliveries}</p>;
  return (
    <ul class="log" aria-label={fmt(s.deliveriesOf, { url: e.url })}>
      {rows.map((d) => (
        <li key={d.id}>
          <span class="tag">{s.status[d.status]}</span> {s.event[d.type]} · {when(d.created, locale)} ·{' '}
          {fmt(s.attempts, { n: d.attempts })}
          {d.responseStatus !== null && ` · ${fmt(s.answered, { status: d.responseStatus })}`}
          {d.status === 'pending' &&
            d.nextAttempt &&
            ` · ${fmt(s.next, { time: when(d.nextAttempt, locale) })}`}
          {d.error && <span class="mut rsn">{d.error}</span>}
          {d.status === 'failed' && e.disabled === null && (
            <button
              type="button"
              class="lnk"
              aria-label={`${s.retry}: ${s.event[d.type]}, ${when(d.created, locale)}`}
              onClick={async () => {
                const r = await api.retryWebhookDelivery(e.organization.id, e.id, d.id);
                if (r.error) fail(r.error);
                else say(s.retried);
                await load();
              }}
            >
              {s.retry}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

type NewBody = { url: string; format: 'standard' | 'slack'; events: WebhookEventType[] };

function AddForm({ s, onAdd }: { s: WebhookStrings; onAdd(body: NewBody): Promise<string | null> }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="form"
      aria-labelledby={id}
      onSubmit={async (ev) => {
        ev.preventDefault();
        const f = ev.currentTarget;
        const data = new FormData(f);
        const events = data.getAll('ev') as WebhookEventType[];
        if (!events.length) return setError(s.pickEvent);
        setBusy(true);
        const problem = await onAdd({
          url: String(data.get('url') ?? ''),
          format: data.get('format') === 'slack' ? 'slack' : 'standard',
          events,
        });
        setBusy(false);
        setError(problem);
        if (!problem) f.reset();
      }}
    >
      <h3 id={id}>{s.add}</h3>
      <label>
        {s.url}
        <input name="url" type="url" required aria-invalid={!!error} aria-describedby={`${id}e`} />
      </label>
      <label>
        {s.format}
        <select name="format">
          <option value="standard">{s.standard}</option>
          <option value="slack">{s.slack}</option>
        </select>
      </label>
      <fieldset>
        <legend>{s.events}</legend>
        {/* The strings list every event in the contract's order (their type says so); not the
            contract's own list, which would add it to the support chunk, where api/limits.ts sits. */}
        {(Object.keys(s.event) as (WebhookEventType | 'test')[])
          .filter((x) => x !== 'test')
          .map((x) => (
            <label key={x}>
              <input type="checkbox" name="ev" value={x} />
              {s.event[x]}
            </label>
          ))}
      </fieldset>
      <button type="submit" class="btn pri" disabled={busy}>
        {busy ? s.adding : s.add}
      </button>
      <p class="err" id={`${id}e`} aria-live="polite">
        {error ?? ''}
      </p>
    </form>
  );
}
