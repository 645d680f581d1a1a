// "My tickets": the list and the thread. They read the model and call its actions; they never fetch
// on their own. Every subject, name and message is rendered as a text node (never as markup).
import { TICKET_LIMITS, type Ticket, type TicketMessage } from '../../api/types.ts';
import { format, formatBytes } from '../common/format.ts';
import type { Locale } from '../common/locale.ts';
import { Octopus } from '../common/octopus.tsx';
import { describeError } from '../panel/context.ts';
import { classify, errorMessage } from '../panel/errors.ts';
import { Attachments } from '../panel/views/Attachments.tsx';
import { ContextBlock } from '../panel/views/ContextBlock.tsx';
import { exact, relative } from '../users/util.ts';
import type { TicketsHost } from './host.ts';
import { sendReply, statusName, type TicketsState } from './model.ts';
import type { TicketsStrings } from './strings.ts';

/** What every part of the view needs, with the actions the controller (panel.tsx) owns. */
export interface Ctx {
  w: TicketsHost;
  m: TicketsState;
  s: TicketsStrings;
  locale: Locale;
  openTicket(t: Ticket, from?: HTMLElement): void;
  act(key: string, run: () => Promise<{ error?: unknown } | undefined>, done: string): void;
  newTicket(t: Ticket): Promise<void>;
}

function When({ t, c }: { t: string; c: Ctx }) {
  return (
    <time dateTime={t} title={exact(t, c.locale)}>
      {relative(t, c.locale)}
    </time>
  );
}

function Status({ t, c }: { t: Ticket; c: Ctx }) {
  return <span class={`st st-${t.status}`}>{statusName(c.s, t.status)}</span>;
}

export function TicketList({ c }: { c: Ctx }) {
  const { m, s } = c;
  const list = m.list.value;
  const state = m.listState.value;
  const tab = m.tab.value;
  return (
    <div class="tickets">
      {m.decider.value && (
        <fieldset class="views">
          <legend class="vh">{s.tabsLabel}</legend>
          {(['mine', 'project'] as const).map((v) => (
            <button
              key={v}
              type="button"
              class="btn"
              aria-pressed={tab === v ? 'true' : 'false'}
              onClick={() => {
                m.tab.value = v;
                void m.loadList();
              }}
            >
              {v === 'mine' ? s.tabMine : s.tabProject}
            </button>
          ))}
        </fieldset>
      )}
      {state === 'error' && (
        <div class="form-error" role="alert">
          <p>
            {errorMessage(
              c.w.strings,
              classify(m.listError.value ?? { kind: 'network', code: 'network', message: '' }),
            )}
          </p>
          <button type="button" class="btn" onClick={() => void m.loadList()}>
            {s.retry}
          </button>
        </div>
      )}
      {state === 'loading' && !list.length && <p class="muted">{s.loading}</p>}
      {state !== 'loading' && state !== 'error' && !list.length && <p class="muted">{s.empty}</p>}
      <ul class="menu">
        {list.map((t) => (
          <li key={t.id}>
            <button
              type="button"
              class="item"
              data-ticket={t.id}
              onClick={(e) => c.openTicket(t, e.currentTarget)}
            >
              <span class="item-title">
                <span class="subj">{t.subject}</span>
                {t.unread > 0 && (
                  <span class="count">
                    {t.unread}
                    <span class="vh"> {format(s.unread, { count: t.unread })}</span>
                  </span>
                )}
              </span>
              <span class="muted">
                {t.number} · <Status t={t} c={c} /> · {format(s.lastActivity, { when: '' })}
                <When t={t.lastActivity} c={c} />
              </span>
            </button>
          </li>
        ))}
      </ul>
      {state === 'more' && (
        <button type="button" class="btn" onClick={() => void m.loadList(true)}>
          {s.more}
        </button>
      )}
    </div>
  );
}

function Files({ files }: { files: TicketMessage['attachments'] }) {
  return files.length ? (
    <ul class="files">
      {files.map((f, i) => (
        <li key={`${f.name}-${i}`}>
          <span class="file-name">{f.name}</span>
          <span class="muted">{formatBytes(f.size)}</span>
        </li>
      ))}
    </ul>
  ) : null;
}

const VIA = {
  widget: 'viaWidget',
  extension: 'viaExtension',
  email: 'viaEmail',
  system: 'viaSystem',
} as const;

/** A message: who (their side; support users with the octopus), when, which way, and the text. */
function Message({ e, c }: { e: TicketMessage; c: Ctx }) {
  const { s } = c;
  const me = c.w.identity()?.who === `u${e.author?.id}`;
  const side = e.side === 'staff' ? s.staff : e.side === 'customer' ? (me ? s.you : s.customer) : s.server;
  return (
    <li class={`msg ${e.side}${me ? ' mine' : ''}`}>
      <p class="who">
        <span class="name">{e.author?.name ?? s.server}</span>
        {e.badge === 'support' && (
          <span class="tag oct" role="img" aria-label={s.supportBadge} title={s.supportBadge}>
            <Octopus />
          </span>
        )}
        <span class="muted">
          {' '}
          {side} · <When t={e.created} c={c} /> · {s[VIA[e.via]]}
        </span>
      </p>
      {e.kind === 'report' && <p class="name">{s.report}</p>}
      <p class="text">{e.body}</p>
      <Files files={e.attachments} />
    </li>
  );
}

/** An access request of the thread, with Approve / Reject for those who may decide while it is pending. */
function Request({ e, c }: { e: TicketMessage; c: Ctx }) {
  const { m, s } = c;
  const id = e.requestId ?? 0;
  const state = m.requests.value.get(id);
  const project = m.open.value?.project?.id;
  const key = `r${id}`;
  const busy = m.busy.value.has(key);
  const text = format(s.accessRequest, { name: e.author?.name ?? s.server });
  return (
    <li class="line">
      <p>{text}</p>
      {state === 'gone' && <p class="muted">{s.requestDecided}</p>}
      {typeof state === 'object' && (
        <>
          <p class="muted">{s.requestPending}</p>
          {state.reason && <p class="text">{state.reason}</p>}
          {m.decider.value && project !== undefined && (
            <div class="row">
              <button
                type="button"
                class="btn primary"
                aria-disabled={busy ? 'true' : undefined}
                aria-label={`${s.approve}: ${state.user.name}`}
                onClick={() =>
                  !busy && c.act(key, () => m.client.value.approveJoinRequest(project, id), s.approved)
                }
              >
                {s.approve}
              </button>
              <button
                type="button"
                class="btn"
                aria-disabled={busy ? 'true' : undefined}
                aria-label={`${s.reject}: ${state.user.name}`}
                onClick={() =>
                  !busy && c.act(key, () => m.client.value.rejectJoinRequest(project, id), s.rejected)
                }
              >
                {s.reject}
              </button>
            </div>
          )}
        </>
      )}
      <p class="muted">
        <When t={e.created} c={c} />
      </p>
    </li>
  );
}

/** A grant of access for this ticket: its state, and Withdraw for those who may decide while it lasts. */
function Grant({ e, c }: { e: TicketMessage; c: Ctx }) {
  const { m, s } = c;
  const g = m.grants.value.get(e.grantId ?? 0);
  const key = `g${e.grantId}`;
  const busy = m.busy.value.has(key);
  const name = e.author?.name ?? g?.grantedBy.name ?? s.server;
  const ticket = m.open.value;
  const state =
    g && { active: s.grantActive, withdrawn: s.grantWithdrawn, expired: s.grantExpired }[g.status];
  return (
    <li class="line">
      <p>{g ? format(s.grant, { name, until: exact(g.expires, c.locale) }) : name}</p>
      {state && <p class="muted">{state}</p>}
      {g?.status === 'active' && m.decider.value && ticket && (
        <button
          type="button"
          class="btn"
          aria-disabled={busy ? 'true' : undefined}
          onClick={() =>
            !busy && c.act(key, () => m.client.value.withdrawGrant(ticket.id, g.id), s.withdrawn)
          }
        >
          {s.withdraw}
        </button>
      )}
      <p class="muted">
        <When t={e.created} c={c} />
      </p>
    </li>
  );
}

/** Status changes and assignments: one short line each. */
function Line({ e, c }: { e: TicketMessage; c: Ctx }) {
  const { s } = c;
  const name = e.author?.name ?? s.server;
  const text =
    e.kind === 'status'
      ? format(e.author ? s.statusChanged : s.statusChangedBySystem, {
          name,
          status: e.status ? statusName(s, e.status) : '',
        })
      : e.assignee
        ? format(s.assigned, { name, assignee: e.assignee.name })
        : format(s.unassigned, { name });
  return (
    <li class="line">
      <p>
        {text} · <When t={e.created} c={c} />
      </p>
    </li>
  );
}

function Entry({ e, c }: { e: TicketMessage; c: Ctx }) {
  if (e.kind === 'message' || e.kind === 'report') return <Message e={e} c={c} />;
  if (e.kind === 'accessRequest') return <Request e={e} c={c} />;
  if (e.kind === 'grant') return <Grant e={e} c={c} />;
  return <Line e={e} c={c} />;
}

/** The ticket's context block, as the form showed it when it was sent. */
function Context({ t, c }: { t: Ticket; c: Ctx }) {
  const { s } = c;
  const x = t.context;
  const rows: [string, string | undefined][] = [
    [s.project, t.project ? `${t.project.name} (${t.project.id})` : undefined],
    [s.page, x.pageUrl],
    [s.browser, x.browser],
    [s.appVersion, x.appVersion],
    [s.error, x.error && describeError(x.error)],
    [s.follows, t.follows ? `${t.follows.number}: ${t.follows.subject}` : undefined],
  ];
  return <ContextBlock id="sk-ticket-context" title={s.context} rows={rows} />;
}

function ReplyBox({ c }: { c: Ctx }) {
  const { m, s, w } = c;
  const r = m.reply;
  const sending = m.sending.value;
  const failure = m.failure.value;
  const queued = m.queued.value;
  return (
    <form
      class="form reply"
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void sendReply(w, m);
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        void sendReply(w, m);
      }}
    >
      {queued && (
        <p class="note" role="status">
          {s.replyQueued}
        </p>
      )}
      {failure && !queued && (
        <p class="form-error" role="alert" id="sk-reply-error">
          {failure.code === 'descriptionRequired' ? s.replyRequired : errorMessage(w.strings, failure)}
        </p>
      )}
      <label class="field">
        <span>{s.reply}</span>
        <textarea
          rows={4}
          value={r.description}
          maxLength={TICKET_LIMITS.descriptionMax}
          aria-invalid={failure?.code === 'descriptionRequired' ? 'true' : undefined}
          aria-describedby={failure && !queued ? 'sk-reply-error' : undefined}
          onInput={(e) => {
            r.setDescription(e.currentTarget.value);
            m.queued.value = false;
            if (m.failure.value?.code === 'descriptionRequired') m.failure.value = undefined;
          }}
        />
      </label>
      <Attachments
        label={s.attachments}
        add={r.addFiles}
        files={r.attachments}
        errors={r.attachmentErrors}
        errorText={(e) => errorMessage(w.strings, e)}
        removeLabel={s.removeAttachment}
        onRemove={r.removeAttachment}
      />
      <div class="actions">
        <span class="muted" aria-live="polite">
          {r.saved && !sending ? s.draftSaved : ''}
        </span>
        <button
          type="submit"
          class="btn primary"
          aria-keyshortcuts="Control+Enter Meta+Enter"
          aria-disabled={sending ? 'true' : undefined}
        >
          {sending ? s.sending : s.sendReply}
        </button>
      </div>
    </form>
  );
}

export function Thread({ t, c }: { t: Ticket; c: Ctx }) {
  const { m, s, w } = c;
  const closed = t.status === 'closed';
  const waiting = w.outbox.items.filter((i) => i.ticketId === t.id);
  const problem = m.problem.value;
  return (
    <div class="thread">
      <h3 id="sk-thread-title" class="subj" tabIndex={-1}>
        {t.subject}
      </h3>
      <p class="muted">
        {format(s.status, { status: '' })}
        <Status t={t} c={c} /> · {format(s.reportedBy, { name: t.reporter.name })}
      </p>
      {problem && (
        <p class="form-error" role="alert">
          {errorMessage(w.strings, classify(problem))}
        </p>
      )}
      <ol class="entries" aria-label={s.thread}>
        <Message
          e={{
            id: 0,
            ticketId: t.id,
            created: t.created,
            kind: 'message',
            author: t.reporter,
            side: 'customer',
            badge: null,
            via: 'widget',
            body: t.description,
            attachments: t.attachments,
            status: null,
            assignee: null,
            requestId: null,
            grantId: null,
          }}
          c={c}
        />
        {m.entries.value.map((e) => (
          <Entry key={e.id} e={e} c={c} />
        ))}
        {waiting.map((i) => (
          <li key={i.key} class="msg customer mine queued">
            <p class="who">
              <span class="name">{s.you}</span> <span class="muted">· {s.waiting}</span>
            </p>
            <p class="text">{'body' in i.body ? i.body.body : ''}</p>
          </li>
        ))}
      </ol>
      {m.threadState.value === 'loading' && <p class="muted">{s.loading}</p>}
      {t.status === 'solved' && <p class="note">{s.solvedNote}</p>}
      {closed ? (
        <div class="closed">
          <p class="note">{s.closedNote}</p>
          <button type="button" class="btn primary" onClick={() => void c.newTicket(t)}>
            {s.newTicket}
          </button>
        </div>
      ) : (
        <ReplyBox c={c} />
      )}
      {!closed && t.status !== 'solved' && (
        <button
          type="button"
          class="btn solve"
          aria-disabled={m.busy.value.has('solve') ? 'true' : undefined}
          onClick={() =>
            c.act(
              'solve',
              async () => {
                const r = await m.client.value.updateTicket(t.id, { status: 'solved' });
                if (r.data && m.open.value?.id === t.id) m.open.value = r.data;
                return r;
              },
              format(s.statusNow, { status: s.statusSolved }),
            )
          }
        >
          {s.solve}
        </button>
      )}
      <Context t={t} c={c} />
    </div>
  );
}
