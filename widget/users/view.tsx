// The "Users & access" view: ARIA tabs over the user list (members, pending requests, invitations)
// and the access history. It reads the model and calls its actions; it never fetches. Every name,
// e-mail and reason is rendered as a text node.
import type { JSX } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../../api/errors.ts';
import { parseTimestamp } from '../../api/time.ts';
import type { AccessLogEntry, AnyProjectRole, ProjectRole, Timestamp } from '../../api/types.ts';
import { errorText } from '../common/errors.ts';
import { format as fmt } from '../common/format.ts';
import { useSignals } from '../common/hooks.ts';
import type { Locale } from '../common/locale.ts';
import { Octopus } from '../common/octopus.tsx';
import { Confirm } from './confirm.tsx';
import { type DecideBlock, NO_USER, type Row, type UsersModel } from './model.ts';
import type { UsersStrings } from './strings.ts';
import { exact, relative, serverNow } from './util.ts';

const expiresOf = (row: Row): Timestamp | null =>
  row.type === 'request'
    ? row.request.expires
    : row.type === 'invitation'
      ? row.invitation.expires
      : row.user.expires;

interface Ctx {
  s: UsersStrings;
  locale: Locale;
}

interface Ask {
  title: string;
  body: string;
  confirm: string;
  /** The button that asked: focus goes back to it. */
  opener: HTMLElement;
  run(): void;
}

const ROLES: ProjectRole[] = ['admin', 'share', 'guest', 'readOnly'];
const roleKey = {
  admin: 'roleAdmin',
  share: 'roleShare',
  guest: 'roleGuest',
  readOnly: 'roleReadOnly',
} as const;

/** Our four roles in the user's language; any other (Keboola's `developer`, …) by its name. */
function roleName(role: AnyProjectRole, s: UsersStrings): string {
  return Object.hasOwn(roleKey, role) ? s[roleKey[role as ProjectRole]] : role;
}

function When({ t, tpl, s, locale }: Ctx & { t: Timestamp | null; tpl: string }) {
  if (!t) return <p class="mut">{s.noExpiry}</p>;
  const at = exact(t, locale);
  return (
    <p class="mut" title={at}>
      {fmt(tpl, { when: relative(t, locale) })}
      <span class="vh"> {fmt(s.expiresAt, { time: at })}</span>
    </p>
  );
}

/** Past this many characters or lines a reason is clamped to a few lines, with "Show more". */
const CLAMP_CHARS = 240;
const CLAMP_LINES = 4;

function Reason({ reason, s }: { reason: string | null; s: UsersStrings }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const text = reason ?? s.noReason;
  const long = text.length > CLAMP_CHARS || text.split('\n').length > CLAMP_LINES;
  return (
    <>
      <p class={long && !open ? 'rsn clamp' : 'rsn'} id={id}>
        <span class="mut">{s.reason}</span> {text}
      </p>
      {long && (
        <button
          type="button"
          class="lnk"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(!open)}
        >
          {open ? s.showLess : s.showMore}
        </button>
      )}
    </>
  );
}

function blockText(block: DecideBlock, s: UsersStrings): string {
  if (block === null) return '';
  if (block === 'support') return s.cannotDecideSupport;
  return block === 'outsider'
    ? s.cannotDecideOutsider
    : fmt(s.cannotDecideRole, { role: roleName(block.role, s) });
}

function RowItem({ row, model, ask, s, locale }: Ctx & { row: Row; model: UsersModel; ask(a: Ask): void }) {
  const noteId = useId();
  const ctx = { s, locale };
  if (row.type === 'request') {
    const r = row.request;
    const block = model.decideBlock;
    const describedBy = block ? noteId : undefined;
    return (
      <li class="row pend">
        <div>
          <p class="name">
            {r.user.name}
            <span class="tag">{s.pending}</span>
          </p>
          <p class="mut">{r.user.email}</p>
          <p>{s.requestsAccess}</p>
          <Reason reason={r.reason} s={s} />
          <When t={r.expires} tpl={s.requestedExpiry} {...ctx} />
          {block && (
            <p class="note" id={noteId}>
              {blockText(block, s)}
            </p>
          )}
        </div>
        <div class="acts">
          <button
            type="button"
            class="btn pri"
            disabled={!!block}
            aria-describedby={describedBy}
            aria-label={fmt(s.approveLabel, { name: r.user.name })}
            onClick={() => model.approve(r)}
          >
            {s.approve}
          </button>
          <button
            type="button"
            class="btn"
            disabled={!!block}
            aria-describedby={describedBy}
            aria-label={fmt(s.rejectLabel, { name: r.user.name })}
            onClick={(e) =>
              ask({
                opener: e.currentTarget,
                title: s.confirmRejectTitle,
                body: fmt(s.confirmRejectBody, { name: r.user.name }),
                confirm: s.reject,
                run: () => model.reject(r),
              })
            }
          >
            {s.reject}
          </button>
        </div>
      </li>
    );
  }
  if (row.type === 'invitation') {
    const i = row.invitation;
    return (
      <li class="row">
        <div>
          <p class="name">
            {i.user.name || i.user.email}
            <span class="tag">{s.invited}</span>
          </p>
          <p class="mut">
            {i.user.email} · {roleName(i.role, s)}
          </p>
          <p class="mut">{fmt(s.invitedBy, { name: i.creator.name })}</p>
        </div>
      </li>
    );
  }
  const u = row.user;
  const isMe = u.id === model.me?.id;
  const busy = model.isBusy(row.key);
  const how = u.invitor
    ? fmt(s.invitedBy, { name: u.invitor.name })
    : u.approver
      ? u.approver.id === u.id
        ? s.joined
        : fmt(s.approvedBy, { name: u.approver.name })
      : '';
  return (
    <li class="row" aria-busy={busy}>
      <div>
        <p class="name">
          {u.name}
          {isMe && ` ${s.you}`}
          {u.kind === 'support' && (
            <span class="tag oct" role="img" aria-label={s.supportBadge} title={s.supportBadge}>
              <Octopus /> {s.supportTag}
            </span>
          )}
        </p>
        <p class="mut">
          {u.email} · {roleName(u.role, s)}
        </p>
        {how && <p>{how}</p>}
        {u.reason !== null && <Reason reason={u.reason} s={s} />}
        <When t={u.expires} tpl={s.expires} {...ctx} />
      </div>
      {model.canManage && !isMe && (
        <div class="acts">
          <button
            type="button"
            class="btn"
            disabled={busy}
            aria-label={fmt(s.removeLabel, { name: u.name })}
            onClick={(e) =>
              ask({
                opener: e.currentTarget,
                title: fmt(s.confirmRemoveTitle, { name: u.name }),
                body: s.confirmRemoveBody,
                confirm: s.remove,
                run: () => model.remove(u),
              })
            }
          >
            {s.remove}
          </button>
        </div>
      )}
    </li>
  );
}

function InviteForm({ model, s }: { model: UsersModel; s: UsersStrings }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ProjectRole>('admin');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    setSending(true);
    const err = await model.invite(email.trim(), role);
    setSending(false);
    setError(err);
    if (!err) setEmail('');
  }
  return (
    <form class="form" onSubmit={submit} aria-labelledby={`${id}h`}>
      <h3 id={`${id}h`}>{s.inviteTitle}</h3>
      <label>
        {s.email}
        <input
          type="email"
          required
          autocomplete="off"
          value={email}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}e` : undefined}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </label>
      <label>
        {s.role}
        <select value={role} onChange={(e) => setRole(e.currentTarget.value as ProjectRole)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {s[roleKey[r]]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="btn pri" disabled={sending}>
        {sending ? s.sending : s.invite}
      </button>
      {error && (
        <p class="err" id={`${id}e`} role="alert">
          {errorText(error, s)}
        </p>
      )}
    </form>
  );
}

function logText(e: AccessLogEntry, s: UsersStrings): string {
  const key =
    e.action === 'autoJoinChanged'
      ? e.details.allowAutoJoin
        ? 'logAutoJoinOn'
        : 'logAutoJoinOff'
      : (`log${e.action[0]?.toUpperCase()}${e.action.slice(1)}` as keyof UsersStrings);
  const role = e.details.role;
  return fmt(s[key] ?? e.action, {
    actor: e.actor?.name ?? s.system,
    subject: e.subject?.name ?? '',
    role: typeof role === 'string' ? roleName(role, s) : String(role),
  });
}

function History({ model, s, locale }: Ctx & { model: UsersModel }) {
  const state = model.logState;
  return (
    <>
      {state === 'none' && <p class="mut">{s.historyNone}</p>}
      {state !== 'loading' && state !== 'none' && model.log.length === 0 && (
        <p class="mut">{s.historyEmpty}</p>
      )}
      <ul class="log">
        {model.log.map((e) => (
          <li key={e.id}>
            <p>{logText(e, s)}</p>
            {e.reason !== null && <Reason reason={e.reason} s={s} />}
            {/* An audit trail: when, to the second, in the user's locale; how long ago is the hint. */}
            <p class="mut">
              <time dateTime={new Date(parseTimestamp(e.created)).toISOString()}>
                {exact(e.created, locale, true)}
              </time>{' '}
              · {relative(e.created, locale)}
            </p>
          </li>
        ))}
      </ul>
      {state === 'loading' && <p class="mut">{s.loading}</p>}
      {state === 'more' && (
        <button type="button" class="btn more" onClick={() => model.loadLog()}>
          {s.loadMore}
        </button>
      )}
      {state === 'end' && model.log.length > 0 && <p class="mut more">{s.historyEnd}</p>}
    </>
  );
}

const FAILED = {
  approve: 'failedApprove',
  reject: 'failedReject',
  remove: 'failedRemove',
  load: 'failedLoad',
  log: 'failedLog',
  withdraw: 'failedWithdraw',
} as const;

/** The project's active grants (access for a ticket), each with Withdraw after a confirmation. */
function GrantList({ model, ask, s, locale }: Ctx & { model: UsersModel; ask: (a: Ask) => void }) {
  const ctx = { s, locale };
  if (model.grants.length === 0) return null;
  return (
    <ul aria-label={s.grants}>
      {model.grants.map((g) => (
        <li key={g.id} class="row">
          <div>
            <p class="name">{fmt(s.grantLine, { ticket: g.ticket.number, name: g.grantedBy.name })}</p>
            <When t={g.expires} tpl={s.expires} {...ctx} />
          </div>
          <button
            type="button"
            class="btn"
            disabled={model.isBusy(`g${g.id}`)}
            aria-label={`${s.withdraw} ${g.ticket.number}`}
            onClick={(e) =>
              ask({
                opener: e.currentTarget,
                title: fmt(s.confirmWithdraw, { ticket: g.ticket.number }),
                body: s.confirmRemoveBody,
                confirm: s.withdraw,
                run: () => model.withdraw(g),
              })
            }
          >
            {s.withdraw}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** `embedded`: inside the widget's dialog, which has its own title and padding. */
export function UsersView({ model, s, locale, embedded }: Ctx & { model: UsersModel; embedded?: boolean }) {
  useSignals(model.track);
  const id = useId();
  const [tab, setTab] = useState(0);
  const [asking, setAsking] = useState<Ask | null>(null);
  const tabs = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const history = tab === 1;
  // Relative times ("in 2 hours") move on: redraw once a minute, every second while a row is in its
  // last minute; a row whose time is up leaves the list that second (the server has dropped it too).
  const [, setTick] = useState(0);
  const now = serverNow();
  const rows = model.rows.filter((r) => {
    const t = expiresOf(r);
    return t === null || parseTimestamp(t) > now;
  });
  const soon = rows.some((r) => {
    const t = expiresOf(r);
    return t !== null && parseTimestamp(t) - now < 61_000;
  });
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), soon ? 1000 : 60_000);
    return () => clearInterval(timer);
  }, [soon]);
  useEffect(() => {
    if (history && model.logState === 'idle') model.loadLog(true);
  }, [history]);

  function onTabKey(e: KeyboardEvent): void {
    const next = { ArrowLeft: 1 - tab, ArrowRight: 1 - tab, Home: 0, End: 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    setTab(next);
    tabs.current?.querySelectorAll<HTMLElement>('[role=tab]')[next]?.focus();
  }

  const p = model.project;
  const problem = model.problem;
  const done = model.done;
  const names = [s.tabUsers, s.tabHistory];
  const ctx = { s, locale };
  let panel: JSX.Element;
  if (!model.loaded) panel = <p class="mut">{s.loading}</p>;
  else
    panel = (
      <>
        {p && (
          <div class="usage">
            <b>
              {fmt(p.limits.users === null ? s.usageUnlimited : s.usage, {
                count: p.usage.users,
                limit: p.limits.users ?? '',
              })}
            </b>
            <span class="mut">{s.limitNote}</span>
          </div>
        )}
        {rows.length === 0 && p && <p class="mut">{s.empty}</p>}
        <ul ref={list} tabIndex={-1} aria-label={s.tabUsers}>
          {rows.map((row) => (
            <RowItem key={row.key} row={row} model={model} ask={setAsking} {...ctx} />
          ))}
        </ul>
        <GrantList model={model} ask={setAsking} {...ctx} />
        {model.canManage && <InviteForm model={model} s={s} />}
      </>
    );

  return (
    <div class={embedded ? 'sk in' : 'sk'}>
      {!embedded && <h2>{s.title}</h2>}
      {problem && (
        <div class="alert" role="alert">
          <p>
            {fmt(s[FAILED[problem.action]], {
              name: problem.name,
              message: problem.error === NO_USER ? s.errorNoUser : errorText(problem.error, s),
            })}
          </p>
          {problem.action === 'load' ? (
            // Trying again cannot change a refusal (403): no button for it.
            !(problem.error.kind === 'http' && problem.error.httpStatus === 403) && (
              <button type="button" class="btn" onClick={() => model.refresh()}>
                {s.retry}
              </button>
            )
          ) : (
            <button type="button" class="btn" onClick={model.dismiss}>
              {s.dismiss}
            </button>
          )}
        </div>
      )}
      <p class="ok" role="status">
        {done ? fmt(s[done.action], { name: done.name, email: done.name }) : ''}
      </p>
      <div class="tabs" role="tablist" aria-label={s.title} ref={tabs}>
        {names.map((name, i) => (
          <button
            key={name}
            type="button"
            role="tab"
            class="tab"
            id={`${id}t${i}`}
            aria-selected={tab === i}
            aria-controls={`${id}p${i}`}
            tabIndex={tab === i ? 0 : -1}
            onClick={() => setTab(i)}
            onKeyDown={onTabKey}
          >
            {name}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}p0`} aria-labelledby={`${id}t0`} hidden={history}>
        {panel}
      </div>
      <div role="tabpanel" id={`${id}p1`} aria-labelledby={`${id}t1`} hidden={!history}>
        {history && <History model={model} {...ctx} />}
      </div>
      {asking && (
        <Confirm
          title={asking.title}
          body={asking.body}
          confirm={asking.confirm}
          cancel={s.cancel}
          opener={asking.opener}
          fallback={() => list.current}
          onClose={(yes) => {
            setAsking(null);
            if (yes) asking.run();
          }}
        />
      )}
    </div>
  );
}
