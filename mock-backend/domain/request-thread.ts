// Requests in the thread (issue 23, point 2): a request made for a ticket names it, shows in its
// thread, and its decision reaches whoever reads that thread. The rules are the server's: the
// requester must see the ticket, and the ticket must be about the project asked for.
import type { JoinRequestOutcome } from '../../api/types.ts';
import type { JoinRequestRow, ProjectRow, TicketRow, UserRow } from '../store/schema.ts';
import type { Ctx, TxCtx } from './context.ts';
import { validation } from './errors.ts';
import { appendThreadEntry } from './thread.ts';
import { ticketSide } from './ticket-access.ts';

/**
 * The ticket a request names, checked: one the requester may see (else "not found", the same words
 * whether it exists or not), about this very project. Null when the request names none.
 */
export async function requestTicket(
  ctx: Ctx,
  user: UserRow,
  project: ProjectRow,
  ticketId: number | null | undefined,
): Promise<TicketRow | null> {
  if (ticketId === null || ticketId === undefined) return null;
  const t = await ctx.store.get('tickets', ticketId);
  if (!t || (await ticketSide(ctx, user, t)) === null)
    throw validation(`Ticket ${ticketId} not found.`, 'ticketId');
  if (t.projectId !== project.id)
    throw validation(
      `Ticket ${t.number} is not about the project ${project.name}: ask for access to its own project.`,
      'ticketId',
    );
  return t;
}

/** The new request in its ticket's thread, from its requester (staff): the entry shows it as it is now. */
export async function requestInThread(ctx: TxCtx, ticket: TicketRow, r: JoinRequestRow): Promise<void> {
  await appendThreadEntry(ctx, ticket, {
    kind: 'accessRequest',
    authorId: r.userId,
    side: 'staff',
    via: 'extension',
    body: '',
    requestId: r.id,
  });
}

/**
 * A decision on a request made for a ticket, wherever it was made (the users list or the thread):
 * one more entry for the same request, by who decided (a decider, the requester cancelling, or the
 * server for an expiry), so everyone reading the thread hears it (`ticket.message`).
 */
export async function decisionInThread(
  ctx: TxCtx,
  r: JoinRequestRow,
  outcome: JoinRequestOutcome,
  by: UserRow | null,
): Promise<void> {
  const ticket = r.ticketId === null ? undefined : await ctx.store.get('tickets', r.ticketId);
  if (!ticket) return;
  const side = by === null || outcome === 'expired' ? 'system' : by.id === r.userId ? 'staff' : 'customer';
  await appendThreadEntry(ctx, ticket, {
    kind: 'accessRequest',
    authorId: side === 'system' ? null : (by?.id ?? null),
    side,
    via: side === 'system' ? 'system' : side === 'staff' ? 'extension' : 'widget',
    body: '',
    requestId: r.id,
  });
}
