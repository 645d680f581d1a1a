// A ticket's conversation: its thread read and answered, its status and assignee changed, how far
// each reader read, and the launcher's badge. Who may do what: docs/rules.md#tickets.
//
// The status machine (issue 20): new → open (a staff user answered or took it) → waiting (staff
// answered, waiting for the customer) ↔ open (the customer replied) → solved (staff, the reporter or
// a decider of its project) → closed (by the sweeper, 7 days after solved). A reply to a solved
// ticket reopens it; a closed ticket takes no reply (409): a new ticket follows it up instead.

import type { ThreadVia, TicketStatus } from '../../api/limits.ts';
import {
  PAGE_LIMITS,
  type PostMessageBody,
  type SupportBadge,
  THREAD_LIMITS,
  type ThreadQuery,
  type Ticket,
  type TicketMessage,
  type UpdateTicketBody,
  type UserRef,
} from '../../api/types.ts';
import type { TicketRow, UserRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec, type TxCtx } from './context.ts';
import { conflict, forbidden, notFound, validation } from './errors.ts';
import { userRef } from './format.ts';
import { cleanText, saysSomething } from './inputs.ts';
import { countPendingJoinRequests } from './join.ts';
import { assertViewer, decidesNow, outsiderIn, projectAccess } from './relations.ts';
import { appendThreadEntry, emitToTicket, eventProject, formatMessages, ticketRef } from './thread.ts';
import { requireTicket, type TicketSide, ticketOrg } from './ticket-access.ts';
import { mailReply } from './ticket-mail.ts';
import { cleanAttachments, formatTicket } from './tickets.ts';

export const CLOSED_MESSAGE =
  'This ticket is closed and takes no more replies: open a new ticket that follows it up (followsTicketId).';

/** A thread's entries, oldest first, one page (after `afterId` when given). */
export async function listMessages(
  ctx: Ctx,
  user: UserRow,
  ticketId: number,
  q: ThreadQuery = {},
): Promise<TicketMessage[]> {
  await requireTicket(ctx, user, ticketId);
  const rows = await ctx.store.find(
    'ticketMessages',
    { ticketId },
    {
      ...(q.afterId === undefined ? {} : { afterId: q.afterId }),
      offset: q.offset ?? 0,
      limit: q.limit ?? PAGE_LIMITS.default,
    },
  );
  return formatMessages(ctx, rows);
}

/** Changes a ticket's status (and solvedAt with it), tells its participants; no thread entry. */
async function setStatus(
  ctx: TxCtx,
  t: TicketRow,
  status: TicketStatus,
  by: UserRow | null,
): Promise<TicketRow> {
  if (t.status === status) return t;
  const solvedAt = status === 'solved' ? nowSec(ctx) : status === 'closed' ? t.solvedAt : null;
  await ctx.store.update('tickets', t.id, { status, solvedAt });
  const next = { ...t, status, solvedAt };
  await tellUpdated(ctx, next, by);
  return next;
}

export async function tellUpdated(ctx: TxCtx, t: TicketRow, by: UserRow | null): Promise<void> {
  const assignee = t.assigneeId === null ? undefined : await ctx.store.get('users', t.assigneeId);
  await emitToTicket(ctx, t, {
    type: 'ticket.updated',
    ticket: ticketRef(t),
    project: await eventProject(ctx, t),
    status: t.status,
    assignee: assignee ? userRef(assignee) : null,
    by: by ? userRef(by) : null,
  });
}

/** The status a message moves a ticket to: staff's answer waits for the customer, theirs reopens it. */
const statusAfterMessage = (side: TicketSide): TicketStatus => (side === 'staff' ? 'waiting' : 'open');

export interface ReplyInput {
  body: string;
  attachments: PostMessageBody['attachments'];
  via: ThreadVia;
  idempotencyKey: string;
}

/**
 * A message in a ticket's thread by a participant, inside the caller's change: the one place both
 * the API and e-mail replies (reply-address.ts) add one. The same key and author again answer the
 * first message (no second message, no second e-mail).
 */
export async function addReply(
  ctx: TxCtx,
  user: UserRow,
  ticketId: number,
  input: ReplyInput,
): Promise<TicketMessage> {
  const { ticket, side } = await requireTicket(ctx, user, ticketId);
  const earlier = await ctx.store.first('ticketMessages', {
    ticketId,
    authorId: user.id,
    idempotencyKey: input.idempotencyKey,
  });
  if (earlier) return (await formatMessages(ctx, [earlier]))[0] as TicketMessage;
  if (ticket.status === 'closed') throw conflict(CLOSED_MESSAGE);
  const body = cleanText(input.body, {
    key: 'body',
    label: 'Message',
    max: THREAD_LIMITS.bodyMax,
    multiline: true,
    required: true,
  });
  if (!saysSomething(body)) throw validation('Message must say something.', 'body');
  const attachments = cleanAttachments(input.attachments);
  // A reply to a solved ticket reopens it, as an entry of its own (the reporter sees why it is open).
  if (ticket.status === 'solved')
    await appendThreadEntry(ctx, ticket, {
      kind: 'status',
      authorId: user.id,
      side,
      via: input.via,
      body: '',
      status: statusAfterMessage(side),
    });
  const message = await appendThreadEntry(ctx, ticket, {
    kind: 'message',
    authorId: user.id,
    side,
    via: input.via,
    body,
    attachments,
    idempotencyKey: input.idempotencyKey,
  });
  let t = (await ctx.store.get('tickets', ticketId)) ?? ticket;
  t = await setStatus(ctx, t, statusAfterMessage(side), user);
  await markReadUpTo(ctx, user.id, ticketId, message.id);
  await mailReply(ctx, t, user, side, message);
  return message;
}

export async function postMessage(
  ctx: Ctx,
  user: UserRow,
  ticketId: number,
  idempotencyKey: string,
  body: PostMessageBody,
): Promise<TicketMessage> {
  return mutate(ctx, (ctx) =>
    addReply(ctx, user, ticketId, {
      body: body.body,
      attachments: body.attachments,
      via: body.via ?? 'widget',
      idempotencyKey,
    }),
  );
}

/** Moves a user's read mark forward to an entry (never back), with the side counts at it. */
async function markReadUpTo(ctx: TxCtx, userId: number, ticketId: number, messageId: number): Promise<void> {
  const entry = await ctx.store.get('ticketMessages', messageId);
  if (!entry || entry.ticketId !== ticketId) return;
  const mark = await ctx.store.first('ticketReads', { ticketId, userId });
  const counts = {
    lastReadId: entry.id,
    customerCount: entry.customerCount,
    staffCount: entry.staffCount,
  };
  if (!mark) await ctx.store.insert('ticketReads', { ticketId, userId, ...counts });
  else if (mark.lastReadId < entry.id) await ctx.store.update('ticketReads', mark.id, counts);
}

export async function markRead(ctx: Ctx, user: UserRow, ticketId: number, messageId: number): Promise<void> {
  await mutate(ctx, async (ctx) => {
    await requireTicket(ctx, user, ticketId);
    const entry = await ctx.store.get('ticketMessages', messageId);
    if (!entry || entry.ticketId !== ticketId)
      throw notFound(`Message ${messageId} not found in ticket ${ticketId}`);
    await markReadUpTo(ctx, user.id, ticketId, messageId);
  });
}

/**
 * Whether `assignee` may take a ticket that `by` (staff) hands out: staff of the same side for the
 * ticket's organization (support for support, the maintainer's users for a maintainer user), with
 * standing (MFA on).
 */
async function sameSideStaff(ctx: Ctx, t: TicketRow, by: UserRow, assignee: UserRow): Promise<boolean> {
  const org = await ticketOrg(ctx, t);
  const side = await outsiderIn(ctx, org, by);
  return side !== null && assignee.mfaEnabled && (await outsiderIn(ctx, org, assignee)) === side;
}

/** Who may take a ticket, for staff: the support users, or the maintainer's users (with MFA). */
export async function listAssignees(ctx: Ctx, user: UserRow, ticketId: number): Promise<UserRef[]> {
  const { ticket, side } = await requireTicket(ctx, user, ticketId);
  if (side !== 'staff') throw forbidden('Only support staff assign tickets.');
  const org = await ticketOrg(ctx, ticket);
  const kind = await outsiderIn(ctx, org, user);
  let users: UserRow[];
  if (kind === 'support') users = await ctx.store.find('users', { isSuperAdmin: true });
  else {
    const ids = org
      ? (await ctx.store.find('maintainerMembers', { maintainerId: org.maintainerId })).map((m) => m.userId)
      : [];
    users = [...(await ctx.store.getMany('users', ids)).values()];
  }
  const out: UserRef[] = [];
  for (const u of users) if (await sameSideStaff(ctx, ticket, user, u)) out.push(userRef(u));
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

/** Staff: the assignee (a `assigned` entry; taking a new ticket opens it). */
async function assign(ctx: TxCtx, t: TicketRow, by: UserRow, assigneeId: number | null): Promise<TicketRow> {
  if (t.assigneeId === assigneeId) return t;
  if (assigneeId !== null) {
    const assignee = await ctx.store.get('users', assigneeId);
    if (!assignee || !(await sameSideStaff(ctx, t, by, assignee)))
      throw validation('The assignee must be a staff user of your side for this ticket.', 'assigneeId');
  }
  await ctx.store.update('tickets', t.id, { assigneeId });
  const next = { ...t, assigneeId };
  await appendThreadEntry(ctx, next, {
    kind: 'assigned',
    authorId: by.id,
    side: 'staff',
    via: 'extension',
    body: '',
    assigneeId,
  });
  if (next.status === 'new' && assigneeId !== null) return setStatus(ctx, next, 'open', by);
  await tellUpdated(ctx, next, by);
  return next;
}

/**
 * Staff change the status and the assignee; the reporter and the project's deciders may only solve
 * it. A closed ticket changes no more (409).
 */
export async function updateTicket(
  ctx: Ctx,
  user: UserRow,
  ticketId: number,
  body: UpdateTicketBody,
): Promise<Ticket> {
  return mutate(ctx, async (ctx) => {
    const { ticket, side } = await requireTicket(ctx, user, ticketId);
    if (side === 'customer' && (body.assigneeId !== undefined || (body.status ?? 'solved') !== 'solved'))
      throw forbidden('You may mark your ticket as solved; its status and assignee are for support staff.');
    if (ticket.status === 'closed') throw conflict('This ticket is closed: it changes no more.');
    let t = ticket;
    if (body.assigneeId !== undefined) t = await assign(ctx, t, user, body.assigneeId);
    if (body.status !== undefined && body.status !== t.status) {
      await appendThreadEntry(ctx, t, {
        kind: 'status',
        authorId: user.id,
        side,
        via: side === 'staff' ? 'extension' : 'widget',
        body: '',
        status: body.status,
      });
      t = await setStatus(ctx, (await ctx.store.get('tickets', t.id)) ?? t, body.status, user);
    }
    const fresh = (await ctx.store.get('tickets', t.id)) ?? t;
    return formatTicket(ctx, fresh, user.id, side);
  });
}

/**
 * Closes what was solved 7 days ago: a `status` entry by the server and the event. The sweeper's
 * part (tick.ts), at most `limit`; answers how many it closed.
 */
export async function closeSolved(ctx: TxCtx, now: number, limit: number): Promise<number> {
  const due = await ctx.store.findDue(
    'tickets',
    'solvedAt',
    now - THREAD_LIMITS.closeAfterSolvedSeconds,
    { status: 'solved' },
    limit,
  );
  for (const t of due) {
    await appendThreadEntry(ctx, t, {
      kind: 'status',
      authorId: null,
      side: 'system',
      via: 'system',
      body: '',
      status: 'closed',
    });
    await setStatus(ctx, (await ctx.store.get('tickets', t.id)) ?? t, 'closed', null);
  }
  return due.length;
}

/**
 * The launcher's one request before intent: the project's pending requests for its deciders (null
 * for anyone else), and the caller's tickets with an unread staff reply: those they filed, and the
 * project's they took part in (read or wrote in) if they decide there. Anyone who may see the project.
 */
export async function supportBadge(ctx: Ctx, user: UserRow, projectId: number): Promise<SupportBadge> {
  const access = await projectAccess(ctx, projectId, user);
  assertViewer(access);
  const m = access.member;
  const decides = m !== undefined && (await decidesNow(ctx, m));
  const pendingRequests = decides ? (await countPendingJoinRequests(ctx, user, projectId)).count : null;
  // The caller's read marks with their tickets' counts (one joined read): their own tickets, and
  // this project's they read or wrote in while they decide there.
  let unreadTickets = 0;
  for (const r of await ctx.store.joined('ticketMarksOfUser', user.id))
    if (
      (r.staffMessages ?? 0) > r.staffCount &&
      (r.reporterId === user.id || (decides && r.projectId === projectId))
    )
      unreadTickets++;
  return { pendingRequests, unreadTickets };
}
