// Requests in the thread (issue 23, point 2): a request made for a ticket names it, shows in its
// thread, and its decision reaches whoever reads that thread. The rules are the server's: the
// requester must see the ticket, and the ticket must be about the project asked for.
import type { ProjectRow, TicketRow, UserRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';
import { validation } from './errors.ts';
import { outsiderIn } from './relations.ts';

/**
 * Whether a user sees a ticket: its reporter, and support and maintainer users by the one outsider
 * rule for the ticket's organization (issue 20's rule, as tickets.ts reads it).
 */
async function seesTicket(ctx: Ctx, user: UserRow, t: TicketRow): Promise<boolean> {
  if (t.reporterId === user.id) return true;
  const project = t.projectId === null ? undefined : await ctx.store.get('projects', t.projectId);
  const org = (project && (await ctx.store.get('organizations', project.organizationId))) ?? null;
  return (await outsiderIn(ctx, org, user)) !== null;
}

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
  if (!t || !(await seesTicket(ctx, user, t))) throw validation(`Ticket ${ticketId} not found.`, 'ticketId');
  if (t.projectId !== project.id)
    throw validation(
      `Ticket ${t.number} is not about the project ${project.name}: ask for access to its own project.`,
      'ticketId',
    );
  return t;
}
