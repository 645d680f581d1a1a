// The Tickets tab: the inbox (filters, newest activity first, status, assignee, unread) and, once a
// ticket is opened, its thread (Thread.tsx). A stack without our conversation routes (Keboola's) keeps
// the plain list with its note, as before conversations.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CachedTicket, TrackedAccess, TrackedRequest } from '../db.ts';
import { type InboxView, inView } from '../inbox.ts';
import { stackLabel } from '../settings.ts';
import { parseTime } from '../time.ts';
import { formatTime } from './format.ts';
import { Thread } from './Thread.tsx';
import { type Me, statusText, type TicketWithProject } from './ticket-text.ts';

interface Props {
  tickets: CachedTicket[] | undefined;
  error: string | null;
  /** Said as information: e.g. a stack that has no tickets endpoint. */
  notes?: string[];
  /** No stack has our tickets endpoint: no inbox, only what is said above. */
  unsupported?: boolean;
  /** A stack listed a full page: the oldest tickets of the view are not shown. */
  cut?: boolean;
  /** Several stacks are set up: every row says which it came from. */
  showStack?: boolean;
  view: InboxView;
  onView: (view: InboxView) => void;
  /** The signed-in user on a stack. */
  me: (stack: string) => Me | undefined;
  access: (stack: string, projectId: number) => { active?: TrackedAccess; pending?: TrackedRequest };
  now: number;
  offsetOf: (stack: string) => number;
  onRequest: (t: TicketWithProject) => void;
  /** A ticket to show at once (a reply notification was clicked). */
  initialOpen?: { stack: string; id: number } | null;
}

const FILTERS: { view: InboxView; label: string; empty: string }[] = [
  { view: 'mine', label: 'Mine', empty: 'No ticket is assigned to you.' },
  { view: 'unassigned', label: 'Unassigned', empty: 'No ticket is waiting for someone to take it.' },
  { view: 'waiting', label: 'Waiting', empty: 'No ticket is waiting on the customer.' },
  { view: 'all', label: 'All', empty: 'No tickets routed to you.' },
];

const byActivity = (a: CachedTicket, b: CachedTicket) =>
  parseTime(b.lastActivity) - parseTime(a.lastActivity) || b.id - a.id;

const keyOf = (t: { stack: string; id: number }) => `${t.stack} ${t.id}`;

export function Tickets(props: Props) {
  const { tickets, error, notes = [], unsupported = false } = props;
  const [open, setOpen] = useState<{ stack: string; id: number } | null>(props.initialOpen ?? null);
  // Where focus goes back to when the thread closes: the row's own Open button.
  const openers = useRef(new Map<string, HTMLButtonElement>());
  const returnTo = useRef<string | null>(null);
  useEffect(() => {
    if (open || !returnTo.current) return;
    openers.current.get(returnTo.current)?.focus();
    returnTo.current = null;
  }, [open]);

  const opened = open ? tickets?.find((t) => t.stack === open.stack && t.id === open.id) : undefined;
  if (open && opened) {
    const me = props.me(opened.stack);
    const access = opened.projectId !== null ? props.access(opened.stack, opened.projectId) : {};
    return (
      <Thread
        ticket={opened}
        me={me}
        showStack={props.showStack ?? false}
        access={access}
        now={props.now}
        offset={props.offsetOf(opened.stack)}
        onBack={() => {
          returnTo.current = keyOf(opened);
          setOpen(null);
        }}
        onRequest={props.onRequest}
      />
    );
  }

  const filter = FILTERS.find((f) => f.view === props.view) ?? FILTERS[3];
  // Only stacks set up now: a stack removed while its refresh was under way leaves nothing shown.
  const shown = tickets
    ?.filter((t) => {
      const me = props.me(t.stack);
      return me !== undefined && inView(props.view, t, me.id);
    })
    .sort(byActivity);
  return (
    <div class="stack">
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {notes.map((n) => (
        <p key={n} class="muted" data-testid="tickets-note">
          {n}
        </p>
      ))}
      {!unsupported && (
        <fieldset class="filters">
          <legend class="sr-only">Filter tickets</legend>
          {FILTERS.map((f) => (
            <button
              key={f.view}
              type="button"
              class="filter"
              aria-pressed={props.view === f.view}
              onClick={() => props.onView(f.view)}
            >
              {f.label}
            </button>
          ))}
        </fieldset>
      )}
      {!shown && <p class="muted">Loading…</p>}
      {shown?.length === 0 && (
        <p class="muted" data-testid="tickets-empty">
          {unsupported ? 'No tickets routed to you.' : filter?.empty}
        </p>
      )}
      {shown && shown.length > 0 && (
        <ul class="rows" aria-label={`${filter?.label ?? 'All'} tickets`}>
          {shown.map((t) => (
            <TicketRow
              key={keyOf(t)}
              t={t}
              showStack={props.showStack ?? false}
              buttonRef={(el) => {
                if (el) openers.current.set(keyOf(t), el);
                else openers.current.delete(keyOf(t));
              }}
              onOpen={() => setOpen({ stack: t.stack, id: t.id })}
              onRequest={props.onRequest}
            />
          ))}
        </ul>
      )}
      {props.cut && <p class="muted">Only the 100 newest tickets of this view are listed.</p>}
    </div>
  );
}

function TicketRow(p: {
  t: CachedTicket;
  showStack: boolean;
  buttonRef: (el: HTMLButtonElement | null) => void;
  onOpen: () => void;
  onRequest: (t: TicketWithProject) => void;
}) {
  const { t } = p;
  return (
    <li class={`row ticket-row${t.unread ? ' unread' : ''}`} data-testid="ticket-row" data-stack={t.stack}>
      <div class="row-main">
        <button type="button" class="ticket-open" ref={p.buttonRef} onClick={p.onOpen}>
          <span class="muted">{t.number}</span> {t.subject}
          {t.unread > 0 && <span class="sr-only">, {t.unread} unread</span>}
        </button>
        {t.unread > 0 && (
          <span class="count" aria-hidden="true" data-testid="unread">
            {t.unread}
          </span>
        )}
      </div>
      <div class="reason">
        <span class={`status ticket-status-${t.status}`} data-testid="ticket-status">
          {statusText(t.status)}
        </span>{' '}
        <span data-testid="ticket-assignee">
          {t.assignee ? `Assigned to ${t.assignee.name}` : 'Unassigned'}
        </span>
        {' · '}
        {t.projectName ? `${t.projectName} #${t.projectId}` : 'No project'}
        {p.showStack && <span data-testid="row-stack"> · {stackLabel(t.stack)}</span>} · from {t.reporterName}{' '}
        · {formatTime(t.lastActivity)}
      </div>
      <div class="row-foot">
        <span />
        <span class="actions">
          {t.projectId !== null ? (
            <button
              type="button"
              aria-label={`Request access for this ticket ${t.number}`}
              onClick={() => {
                if (t.projectId !== null) p.onRequest({ ...t, projectId: t.projectId });
              }}
            >
              Request access for this ticket
            </button>
          ) : (
            <span class="muted">No project named</span>
          )}
        </span>
      </div>
    </li>
  );
}
