// A ticket's thread in the popup and the side panel: every entry (messages in full, what happened as
// short lines), the ticket's context, whether I can get into its project now, assignment, status and
// the reply box. Read from the cache, which the worker fills (openThread) and the stream keeps live.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CachedEntry, CachedTicket, TrackedAccess, TrackedRequest } from '../db.ts';
import { db } from '../db.ts';
import { callWorker } from '../messages.ts';
import { stackLabel } from '../settings.ts';
import { countdownOf, formatMs, formatTime, localEnd } from './format.ts';
import { TicketGrants } from './GrantOffer.tsx';
import { useLive } from './hooks.ts';
import { ReplyForm } from './ReplyForm.tsx';
import { TicketControls } from './TicketControls.tsx';
import { type Me, statusText, type TicketWithProject } from './ticket-text.ts';

/** Where the stack has no open stream, an open thread asks for what is new this often. */
export const THREAD_POLL_MS = 5000;

interface Props {
  ticket: CachedTicket;
  me: Me | undefined;
  showStack: boolean;
  access: { active?: TrackedAccess; pending?: TrackedRequest };
  now: number;
  offset: number;
  onBack: () => void;
  onRequest: (t: TicketWithProject) => void;
}

/** The thread's entries from the cache, kept current by the worker (and by a poll without a stream). */
function useThread(ticket: CachedTicket) {
  const { stack, id } = ticket;
  const [error, setError] = useState<string | null>(null);
  const entries = useLive(
    () => db.entries.where('[stack+ticketId]').equals([stack, id]).sortBy('id'),
    [stack, id],
  );
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const load = async () => {
      const res = await callWorker('openThread', { stack, ticketId: id });
      if (stopped) return;
      setError(res.ok ? null : res.error.message);
      // The stream brings what is new within a second; without one, ask again in a while.
      if (!res.ok || !res.value.live) timer = setTimeout(() => void load(), THREAD_POLL_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [stack, id]);
  return { entries, error };
}

/** Marks the thread read up to its last entry while it is shown and has something unread. */
function useMarkRead(ticket: CachedTicket, entries: CachedEntry[] | undefined) {
  const last = entries?.[entries.length - 1]?.id;
  const marked = useRef(0);
  useEffect(() => {
    if (last === undefined || ticket.unread === 0 || marked.current >= last) return;
    marked.current = last;
    void callWorker('markRead', { stack: ticket.stack, ticketId: ticket.id, messageId: last });
  }, [last, ticket.unread]);
}

/** What the live region says of entries that came while the thread was open. */
function useAnnouncement(entries: CachedEntry[] | undefined, me: Me | undefined): string {
  const seen = useRef<number | null>(null);
  const [said, setSaid] = useState('');
  useEffect(() => {
    if (!entries) return;
    const last = entries[entries.length - 1]?.id ?? 0;
    if (seen.current === null) {
      seen.current = last;
      return;
    }
    const fresh = entries.filter((e) => e.id > (seen.current ?? 0) && e.author?.id !== me?.id);
    seen.current = Math.max(seen.current, last);
    const newest = fresh[fresh.length - 1];
    if (newest) setSaid(`${entryLine(newest) || `New message from ${newest.author?.name ?? 'someone'}`}`);
  }, [entries]);
  return said;
}

export function Thread(props: Props) {
  const { ticket: t, me } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  const { entries, error } = useThread(t);
  useMarkRead(t, entries);
  const announcement = useAnnouncement(entries, me);
  // Opened: focus goes to the ticket's heading, so reading starts at the ticket.
  useEffect(() => heading.current?.focus(), [t.stack, t.id]);
  const closed = t.status === 'closed';
  return (
    <article class="stack thread" aria-labelledby="thread-title" data-testid="thread">
      <div class="thread-top">
        <button type="button" class="link" onClick={props.onBack}>
          <span aria-hidden="true">← </span>Back to tickets
        </button>
      </div>
      <h2 id="thread-title" class="thread-title" tabIndex={-1} ref={heading}>
        <span class="muted">{t.number}</span> {t.subject}
      </h2>
      <p class="reason">
        <span class={`status ticket-status-${t.status}`} data-testid="thread-status">
          {statusText(t.status)}
        </span>{' '}
        <span data-testid="thread-assignee">
          {t.assignee ? `Assigned to ${t.assignee.name}` : 'Unassigned'}
        </span>{' '}
        · {t.projectName ? `${t.projectName} #${t.projectId}` : 'No project'}
        {props.showStack && ` · ${stackLabel(t.stack)}`} · from {t.reporterName}
      </p>
      <AccessLine {...props} grantMark={entries?.filter((e) => e.kind === 'grant').length ?? 0} />
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <TicketControls ticket={t} me={me} />
      <ContextBlock ticket={t} />
      <ol class="entries" aria-label="Thread">
        <li class="entry message customer" data-testid="thread-description">
          <EntryHead name={t.reporterName} side="customer" badge={false} when={t.created} via={null} />
          <p class="body">{t.description}</p>
          <Attachments list={t.attachments} />
        </li>
        {entries?.map((e) => (
          <EntryView key={e.id} e={e} />
        ))}
      </ol>
      {!entries && <p class="muted">Loading the thread…</p>}
      <p class="sr-only" aria-live="polite" data-testid="thread-live">
        {announcement}
      </p>
      {closed ? (
        <p class="notice info">
          This ticket is closed: it takes no reply. The customer can open a new one that links it.
        </p>
      ) : me ? (
        <ReplyForm stack={t.stack} ticketId={t.id} userId={me.id} />
      ) : null}
    </article>
  );
}

/** Whether I can get into the ticket's project now, and until when; else the way to ask. */
function AccessLine({ ticket: t, access, now, offset, onRequest, grantMark }: Props & { grantMark: number }) {
  if (t.projectId === null) return <p class="muted">This ticket names no project.</p>;
  const projectId = t.projectId;
  const { active, pending } = access;
  if (active) {
    const end = localEnd(active, offset);
    return (
      <p class="notice success" data-testid="thread-access">
        You have access to {t.projectName ?? `#${projectId}`} now
        {end !== null ? ` until ${formatMs(end)} (${countdownOf(active, now, offset)})` : ' (no expiry)'}.
      </p>
    );
  }
  return (
    <>
      <TicketGrants
        stack={t.stack}
        projectId={projectId}
        ticketId={t.id}
        offsetMs={offset}
        mark={grantMark}
      />
      <div class="notice info" data-testid="thread-access">
        <p>
          {pending
            ? `Your request for access to ${t.projectName ?? `#${projectId}`} is waiting for a decision.`
            : `You have no access to ${t.projectName ?? `#${projectId}`} now.`}
        </p>
        {!pending && (
          <p>
            <button type="button" onClick={() => onRequest({ ...t, projectId })}>
              Request access for this ticket
            </button>
          </p>
        )}
      </div>
    </>
  );
}

function ContextBlock({ ticket: t }: { ticket: CachedTicket }) {
  const c = t.context;
  const rows: [string, string][] = [
    ['Page', c.pageUrl ?? ''],
    ['Browser', c.browser ?? ''],
    ['Viewport', c.viewport ?? ''],
    ['Language', c.locale ?? ''],
    ['App version', c.appVersion ?? ''],
    [
      'Error',
      c.error ? [c.error.message, c.error.status, c.error.exceptionId].filter(Boolean).join(' · ') : '',
    ],
    ['Request id', c.error?.requestId ?? ''],
  ];
  const shown = rows.filter(([, v]) => v);
  return (
    <details class="context" data-testid="thread-context">
      <summary>Context</summary>
      {shown.length ? (
        <dl>
          {shown.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p class="muted">The widget sent no context with this ticket.</p>
      )}
    </details>
  );
}

const VIA_TEXT = {
  widget: 'in the widget',
  extension: 'in the extension',
  email: 'by e-mail',
  system: '',
} as const;

function EntryHead(p: {
  name: string;
  side: CachedEntry['side'];
  badge: boolean;
  when: string;
  via: CachedEntry['via'] | null;
}) {
  return (
    <p class="entry-head">
      <strong>{p.name}</strong>
      {p.badge && <OctopusBadge />}{' '}
      <span class="muted">
        {p.side === 'staff' ? 'staff' : p.side === 'customer' ? 'customer' : ''} · {formatTime(p.when)}
        {p.via && VIA_TEXT[p.via] ? ` · ${VIA_TEXT[p.via]}` : ''}
      </span>
    </p>
  );
}

/** Support users' mark: drawn, not an emoji (a machine without an emoji font shows a box). */
function OctopusBadge() {
  return (
    <svg class="badge" role="img" aria-label="Support team" viewBox="0 0 16 16" width="14" height="14">
      <title>Support team</title>
      <path
        fill="currentColor"
        d="M8 1.5c-3 0-5 2.2-5 5 0 1.5.6 2.6 1.4 3.3L3 13.5c-.2.5.4.9.8.5l1.7-2 .6 2.3c.1.5.8.5.9 0L8 12l1 2.3c.1.5.8.5.9 0l.6-2.3 1.7 2c.4.4 1 0 .8-.5l-1.4-3.7C12.4 9.1 13 8 13 6.5c0-2.8-2-5-5-5z"
      />
      <circle cx="6.3" cy="6.4" r="1" fill="var(--bg)" />
      <circle cx="9.7" cy="6.4" r="1" fill="var(--bg)" />
    </svg>
  );
}

/** A short line for what happened (every kind but a message). */
export function entryLine(e: CachedEntry): string {
  const who = e.author?.name ?? 'Support Kit';
  switch (e.kind) {
    case 'message':
      return '';
    case 'status':
      return e.status
        ? `${who} set the status to ${statusText(e.status).toLowerCase()}.`
        : `${who} changed the status.`;
    case 'assigned':
      return e.assignee
        ? e.assignee.id === e.author?.id
          ? `${who} took the ticket.`
          : `${who} assigned the ticket to ${e.assignee.name}.`
        : `${who} unassigned the ticket.`;
    case 'accessRequest':
      return `${who} asked for access to the project for this ticket.`;
    case 'grant':
      // One kind for a grant given, used, withdrawn or ended: the server's text says which (a join's
      // names the engineer already).
      if (!e.body) return `${who} changed the access for this ticket.`;
      return e.side === 'staff' ? e.body : `${who}: ${e.body}`;
    case 'report':
      return 'A report of what support did in the project.';
  }
}

function EntryView({ e }: { e: CachedEntry }) {
  if (e.kind !== 'message')
    return (
      <li class={`entry event ${e.kind}`} data-testid="thread-event">
        <span>{entryLine(e)}</span> <span class="muted">{formatTime(e.created)}</span>
        {e.body &&
          e.kind !== 'grant' &&
          (e.kind === 'report' ? <ReportBody body={e.body} /> : <p class="body">{e.body}</p>)}
      </li>
    );
  return (
    <li class={`entry message ${e.side}`} data-testid="thread-message">
      <EntryHead
        name={e.author?.name ?? 'Support Kit'}
        side={e.side}
        badge={e.badge === 'support'}
        when={e.created}
        via={e.via}
      />
      <p class="body">{e.body}</p>
      <Attachments list={e.attachments} />
    </li>
  );
}

function ReportBody({ body }: { body: string }) {
  return (
    <details>
      <summary>Show the report</summary>
      <p class="body">{body}</p>
    </details>
  );
}

function Attachments({ list }: { list: CachedTicket['attachments'] }) {
  if (!list.length) return null;
  return (
    <ul class="attachments" aria-label="Attachments">
      {list.map((a) => (
        <li key={a.name}>
          {a.name} <span class="muted">({Math.max(1, Math.round(a.size / 1024))} KB)</span>
        </li>
      ))}
    </ul>
  );
}
