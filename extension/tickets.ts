// The worker's side of the ticket inbox (issue 20): lists by view, threads, replies, assignment and
// status, kept in the cache (db.ts) that the popup and the side panel read live. The stream's
// ticket.message and ticket.updated events land here too, and so does the alarm's poll of the tickets
// assigned to me (a customer's reply notifies once, by whichever of the two saw it first).
import type {
  SupportEventEnvelope,
  Ticket,
  TicketAttachmentInput,
  TicketMessage,
  UpdateTicketBody,
  UserRef,
} from '../api/types.ts';
import { describeApiError } from './account.ts';
import { isOffline, OFFLINE, type Session, session, sessions, stackNotConfigured } from './api-client.ts';
import { type CachedTicket, db, patchSyncMeta } from './db.ts';
import { INBOX_PAGE, type InboxView, inView } from './inbox.ts';
import { fail, ok, type Result, type TicketsSummary } from './messages.ts';
import { notifyReply } from './notify.ts';
import { stackLabel } from './settings.ts';
import { parseTime } from './time.ts';

/** A thread is read in pages of this many entries. */
const THREAD_PAGE = 500;
/** At most this many pages of a thread (5,000 entries): a thread longer than that is cut, not looped. */
const THREAD_PAGES_MAX = 10;

/** Stacks whose event stream is open now (background.ts keeps it): an open thread polls the others. */
export const liveStacks = new Set<string>();

export function toCached(stack: string, t: Ticket, before?: CachedTicket): CachedTicket {
  return {
    stack,
    id: t.id,
    number: t.number,
    subject: t.subject,
    created: t.created,
    projectId: t.project?.id ?? null,
    projectName: t.project?.name ?? null,
    reporterName: t.reporter.name,
    routedTo: t.routedTo,
    status: t.status,
    assignee: t.assignee,
    lastActivity: t.lastActivity,
    unread: t.unread,
    messages: t.messages,
    description: t.description,
    context: t.context,
    attachments: t.attachments,
    ...(before?.notifiedFor ? { notifiedFor: before.notifiedFor } : {}),
    ...(before?.threadReadTo ? { threadReadTo: before.threadReadTo } : {}),
  };
}

/** The server's answer is older than what the cache already holds of the ticket. */
const staler = (t: Ticket, cached: CachedTicket | undefined) =>
  cached !== undefined && parseTime(cached.lastActivity) > parseTime(t.lastActivity);

type Failure = { ok: false; error: { code: string; message: string } };

async function sessionOf(stack: string): Promise<Session | Failure> {
  const s = await session(stack);
  if (s) return s;
  const e = stackNotConfigured(stack);
  return fail(e.code, e.message);
}

const isFailure = (x: Session | Failure): x is Failure => 'ok' in x;

/** One stack's page of a view, written over what the cache held of that view. */
async function storeView(s: Session, view: InboxView, tickets: Ticket[]): Promise<void> {
  await db.transaction('rw', db.tickets, async () => {
    const cached = await db.tickets.where('stack').equals(s.stack).toArray();
    const byId = new Map(cached.map((t) => [t.id, t]));
    const listed = new Set(tickets.map((t) => t.id));
    // What the cache said was in the view and the server no longer lists has left it (or was cut).
    const gone = cached.filter((t) => inView(view, t, s.user.id) && !listed.has(t.id)).map((t) => t.id);
    await db.tickets.bulkDelete(gone.map((id) => [s.stack, id] as [string, number]));
    // A list asked for before a change and answered after it must not undo it: a cached ticket with
    // newer activity than the listed one stays (activity moves with every entry of the thread).
    const fresh = tickets.filter((t) => !staler(t, byId.get(t.id)));
    await db.tickets.bulkPut(fresh.map((t) => toCached(s.stack, t, byId.get(t.id))));
  });
}

/** The tickets of a view on every stack; a stack without our tickets endpoint is a note, not an error. */
export async function refreshTickets(view: InboxView = 'all'): Promise<Result<TicketsSummary>> {
  const all = await sessions();
  if (!all.length) {
    const e = stackNotConfigured('');
    return fail(e.code, e.message);
  }
  const answers = await Promise.all(
    all.map(async (s) => ({ s, res: await s.client.listTicketsIn({ view, limit: INBOX_PAGE }) })),
  );
  const problems: { stack: string; code: string; message: string }[] = [];
  let count = 0;
  let cut = false;
  for (const { s, res } of answers) {
    if (res.error) {
      const message = describeApiError(res.error, s.stack);
      problems.push({
        stack: s.stack,
        code: res.error.code,
        message: all.length > 1 ? `${stackLabel(s.stack)}: ${message}` : message,
      });
      continue;
    }
    count += res.data.length;
    if (res.data.length >= INBOX_PAGE) cut = true;
    await storeView(s, view, res.data);
    await patchSyncMeta(s.stack, { ticketsAt: Date.now() });
  }
  const [first] = problems;
  if (first && problems.length === answers.length)
    return fail(first.code, problems.map((p) => p.message).join(' '));
  const without = problems.filter((p) => p.code === 'unsupported');
  return ok({
    count,
    ...(cut ? { cut } : {}),
    problems: problems.filter((p) => p.code !== 'unsupported').map((p) => p.message),
    notes: without.map(
      (p) =>
        `${stackLabel(p.stack)} has no support tickets (a Keboola stack without our extensions): only the other stacks' tickets are listed.`,
    ),
  });
}

/** The ticket and its thread, read into the cache (only the entries after the last one held). */
export async function loadThread(stack: string, ticketId: number): Promise<Result<{ live: boolean }>> {
  const s = await sessionOf(stack);
  if (isFailure(s)) return s;
  const held = (await db.tickets.get([stack, ticketId]))?.threadReadTo;
  // Only after an entry the cache still holds: a read that ended after the cache was cleared (the
  // stack forgotten, the cache dropped) writes the ticket back with its mark but without the entries,
  // and reading after that mark would leave the thread empty for good.
  const readTo = held !== undefined && (await db.entries.get([stack, ticketId, held])) ? held : undefined;
  const [ticket, entries] = await Promise.all([
    s.client.getTicket(ticketId),
    readEntries(s, ticketId, readTo),
  ]);
  if (ticket.error) return fail(ticket.error.code, describeApiError(ticket.error, stack));
  if (!entries.ok) return entries;
  await db.transaction('rw', [db.tickets, db.entries], async () => {
    const before = await db.tickets.get([stack, ticketId]);
    const last = entries.value[entries.value.length - 1]?.id ?? readTo;
    await db.tickets.put({
      ...toCached(stack, ticket.data, before),
      ...(last ? { threadReadTo: last } : {}),
    });
    await db.entries.bulkPut(entries.value.map((m) => ({ ...m, stack })));
  });
  return ok({ live: liveStacks.has(stack) });
}

async function readEntries(s: Session, ticketId: number, afterId?: number): Promise<Result<TicketMessage[]>> {
  const out: TicketMessage[] = [];
  for (let page = 0; page < THREAD_PAGES_MAX; page++) {
    const res = await s.client.listMessages(ticketId, {
      ...(afterId !== undefined ? { afterId } : {}),
      offset: page * THREAD_PAGE,
      limit: THREAD_PAGE,
    });
    if (res.error) return fail(res.error.code, describeApiError(res.error, s.stack));
    out.push(...res.data);
    if (res.data.length < THREAD_PAGE) break;
  }
  return ok(out);
}

export interface ReplyInput {
  stack: string;
  ticketId: number;
  body: string;
  attachments: TicketAttachmentInput[];
  /** The draft's Idempotency-Key: sent again after a lost answer, the server answers the first. */
  key: string;
}

export async function sendReply(input: ReplyInput): Promise<Result<TicketMessage>> {
  if (!input.body.trim()) return fail('emptyReply', 'Write a reply first.');
  if (isOffline()) return fail(OFFLINE.code, OFFLINE.message);
  const s = await sessionOf(input.stack);
  if (isFailure(s)) return s;
  const res = await s.client.postMessage(
    input.ticketId,
    {
      body: input.body,
      via: 'extension',
      ...(input.attachments.length ? { attachments: input.attachments } : {}),
    },
    input.key,
  );
  if (res.error) return fail(res.error.code, describeApiError(res.error, input.stack));
  await db.entries.put({ ...res.data, stack: input.stack });
  // The ticket's status and activity moved with the reply: read it again (the stream may also say so).
  await refreshTicket(s, input.ticketId);
  return ok(res.data);
}

async function refreshTicket(s: Session, ticketId: number): Promise<CachedTicket | null> {
  const res = await s.client.getTicket(ticketId);
  if (res.error) return null;
  return db.transaction('rw', db.tickets, async () => {
    const t = toCached(s.stack, res.data, await db.tickets.get([s.stack, ticketId]));
    await db.tickets.put(t);
    return t;
  });
}

export async function updateTicket(
  stack: string,
  ticketId: number,
  patch: UpdateTicketBody,
): Promise<Result<null>> {
  if (isOffline()) return fail(OFFLINE.code, OFFLINE.message);
  const s = await sessionOf(stack);
  if (isFailure(s)) return s;
  const res = await s.client.updateTicket(ticketId, patch);
  if (res.error) return fail(res.error.code, describeApiError(res.error, stack));
  await db.transaction('rw', db.tickets, async () => {
    await db.tickets.put(toCached(stack, res.data, await db.tickets.get([stack, ticketId])));
  });
  // The status or assignment entry the change made: the thread shows it without waiting for the stream.
  await loadThread(stack, ticketId);
  return ok(null);
}

export async function listAssignees(stack: string, ticketId: number): Promise<Result<UserRef[]>> {
  const s = await sessionOf(stack);
  if (isFailure(s)) return s;
  const res = await s.client.listAssignees(ticketId);
  if (res.error) return fail(res.error.code, describeApiError(res.error, stack));
  return ok(res.data);
}

export async function markRead(stack: string, ticketId: number, messageId: number): Promise<Result<null>> {
  const s = await sessionOf(stack);
  if (isFailure(s)) return s;
  const res = await s.client.markRead(ticketId, messageId);
  if (res.error) return fail(res.error.code, describeApiError(res.error, stack));
  await db.tickets.update([stack, ticketId], { unread: 0 });
  return ok(null);
}

/** A customer's reply on a ticket assigned to me: one notification per reply (by its activity time). */
async function maybeNotify(s: Session, t: CachedTicket, author: string | null, body: string): Promise<void> {
  if (t.assignee?.id !== s.user.id || t.notifiedFor === t.lastActivity) return;
  await db.tickets.update([s.stack, t.id], { notifiedFor: t.lastActivity });
  await notifyReply({ stack: s.stack, ticket: t, author, body });
}

/** A ticket event of the stream: into the cache at once (the open thread shows it), then the ticket. */
export async function onTicketEvent(s: Session, { event }: SupportEventEnvelope): Promise<void> {
  if (event.type === 'ticket.message') {
    const m = event.message;
    await db.entries.put({ ...m, stack: s.stack });
    const t = await refreshTicket(s, event.ticket.id);
    if (t && m.kind === 'message' && m.side === 'customer')
      await maybeNotify(s, t, m.author?.name ?? null, m.body);
  } else if (event.type === 'ticket.updated') {
    const known = await db.tickets.get([s.stack, event.ticket.id]);
    if (known)
      await db.tickets.update([s.stack, event.ticket.id], { status: event.status, assignee: event.assignee });
    await refreshTicket(s, event.ticket.id);
  }
}

/**
 * The alarm's look at my tickets on a stack without an open stream: a ticket assigned to me whose
 * unread count grew since the cache saw it got a customer reply. A ticket new to the cache is only
 * stored: the first look after install says nothing of what came before it.
 */
export async function pollMyTickets(s: Session): Promise<void> {
  const res = await s.client.listTicketsIn({ view: 'mine', limit: INBOX_PAGE });
  if (res.error) return;
  const before = new Map(
    (await db.tickets.where('stack').equals(s.stack).toArray()).map((t) => [t.id, t] as const),
  );
  await storeView(s, 'mine', res.data);
  for (const t of res.data) {
    const old = before.get(t.id);
    if (!old || t.unread <= old.unread) continue;
    const now = await db.tickets.get([s.stack, t.id]);
    if (now) await maybeNotify(s, now, null, '');
  }
}
