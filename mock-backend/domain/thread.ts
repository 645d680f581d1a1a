// A ticket's thread: its entries (messages, and what happened to the ticket), stored once in
// `ticketMessages` whoever reads them, and the ticket's events, one row for every participant
// (fanned out when read, by the visibility rule of ticket-access.ts).
import type { ThreadEntryKind, ThreadSide, ThreadVia, TicketStatus } from '../../api/limits.ts';
import type {
  SupportEvent,
  ThreadRequest,
  TicketAttachment,
  TicketMessage,
  TicketRef,
} from '../../api/types.ts';
import type { TicketMessageRow, TicketRow } from '../store/schema.ts';
import { type Ctx, nowSec, type TxCtx } from './context.ts';
import { iso, type People, peopleOf, projectRef, userRefIn } from './format.ts';
import { threadRequests } from './thread-requests.ts';

/** A new ticket's conversation state: nothing said yet, nobody on it. */
export const firstState = (created: number) =>
  ({
    status: 'new',
    assigneeId: null,
    lastActivity: created,
    solvedAt: null,
    followsId: null,
    customerMessages: 0,
    staffMessages: 0,
  }) as const satisfies Partial<TicketRow>;

/** What appendThreadEntry stores; everything but kind, author, side, via and body is optional. */
export interface ThreadEntryInput {
  kind: ThreadEntryKind;
  /** Who wrote or did it; null for the server (the sweeper, a report). */
  authorId: number | null;
  side: ThreadSide;
  via: ThreadVia;
  /** Plain text, already through the text rule (cleanText); '' for status and assignment entries. */
  body: string;
  attachments?: TicketAttachment[];
  /** kind `status`: the new status. */
  status?: TicketStatus | null;
  /** kind `assigned`: the new assignee (null: unassigned). */
  assigneeId?: number | null;
  /** kind `accessRequest`: the join request. */
  requestId?: number | null;
  /** kind `grant`: the grant. */
  grantId?: number | null;
  /** A reply's idempotency key (per ticket and author). */
  idempotencyKey?: string | null;
}

export const ticketRef = (t: Pick<TicketRow, 'id' | 'number' | 'subject'>): TicketRef => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
});

/** Rows → TicketMessage, with the people they name read once for the whole list. */
export async function formatMessages(ctx: Ctx, rows: readonly TicketMessageRow[]): Promise<TicketMessage[]> {
  const people = await peopleOf(
    ctx,
    rows.flatMap((r) => [r.authorId, r.assigneeId]),
  );
  const requests = await threadRequests(ctx, rows);
  return rows.map((r) => formatMessage(people, r, requests));
}

export function formatMessage(
  people: People,
  r: TicketMessageRow,
  requests: ReadonlyMap<number, ThreadRequest> = new Map(),
): TicketMessage {
  const author = r.authorId === null ? null : people.get(r.authorId);
  return {
    id: r.id,
    ticketId: r.ticketId,
    created: iso(r.created),
    kind: r.kind,
    author: r.authorId === null ? null : userRefIn(people, r.authorId),
    side: r.side,
    // Who the author is now: a support user's entries carry the octopus.
    badge: author?.isSuperAdmin ? 'support' : null,
    via: r.via,
    body: r.body,
    attachments: r.attachments,
    status: r.status,
    assignee: r.assigneeId === null ? null : userRefIn(people, r.assigneeId),
    requestId: r.requestId,
    grantId: r.grantId,
    // An access request as it is now (thread-requests.ts), whichever entry of the thread shows it.
    request: r.kind === 'accessRequest' && r.requestId !== null ? (requests.get(r.requestId) ?? null) : null,
  };
}

/**
 * One event row for everyone who may see the ticket (its reporter, its project's deciders, its
 * staff), judged when it is read (notify.ts eventsFor), and a signal each open stream checks for its
 * own user.
 */
export async function emitToTicket(
  ctx: TxCtx,
  ticket: Pick<TicketRow, 'id' | 'projectId' | 'reporterId'>,
  event: SupportEvent,
): Promise<void> {
  await ctx.store.insert('events', {
    // The reporter always sees their ticket: their own rows (recipientId) bring it, the audience the rest.
    recipientId: ticket.reporterId,
    projectId: ticket.projectId,
    audience: 'ticket',
    ticketId: ticket.id,
    created: nowSec(ctx),
    event,
  });
  ctx.pending.push({ type: 'events', recipients: [ticket.reporterId], ticket: { id: ticket.id } });
}

/** The project of a ticket's events, as they name it (null without one, or if it is gone). */
export async function eventProject(ctx: Ctx, t: Pick<TicketRow, 'projectId'>) {
  const p = t.projectId === null ? undefined : await ctx.store.get('projects', t.projectId);
  return p ? projectRef(p) : null;
}

/**
 * Adds an entry to a ticket's thread: inserts it, moves the ticket's lastActivity (and its side's
 * message count, for a message), and tells every participant (`ticket.message`, one event row). It
 * changes no status: the caller does (postMessage, updateTicket, the sweeper). Inside the caller's
 * change (TxCtx); other features add their entries (grants, access requests, reports) with it.
 */
export async function appendThreadEntry(
  ctx: TxCtx,
  ticket: TicketRow,
  entry: ThreadEntryInput,
): Promise<TicketMessage> {
  // The stored row, not the caller's copy, which may be older than a change made in this transaction.
  const t = (await ctx.store.get('tickets', ticket.id)) ?? ticket;
  const created = nowSec(ctx);
  const isMessage = entry.kind === 'message';
  const customerMessages = t.customerMessages + (isMessage && entry.side === 'customer' ? 1 : 0);
  const staffMessages = t.staffMessages + (isMessage && entry.side === 'staff' ? 1 : 0);
  const row: Omit<TicketMessageRow, 'id'> = {
    ticketId: t.id,
    created,
    kind: entry.kind,
    authorId: entry.authorId,
    side: entry.side,
    via: entry.via,
    body: entry.body,
    attachments: entry.attachments ?? [],
    status: entry.status ?? null,
    assigneeId: entry.assigneeId ?? null,
    requestId: entry.requestId ?? null,
    grantId: entry.grantId ?? null,
    idempotencyKey: entry.idempotencyKey ?? null,
    customerCount: customerMessages,
    staffCount: staffMessages,
  };
  const id = await ctx.store.insert('ticketMessages', row);
  await ctx.store.update('tickets', t.id, {
    lastActivity: Math.max(t.lastActivity, created),
    customerMessages,
    staffMessages,
  });
  const [message] = await formatMessages(ctx, [{ id, ...row }]);
  if (!message) throw new Error('Thread entry insert failed');
  await emitToTicket(ctx, t, {
    type: 'ticket.message',
    ticket: ticketRef(t),
    project: await eventProject(ctx, t),
    message,
  });
  return message;
}
