// TEMPORARY until wip-20a lands: the ticket visibility rule as grants need it.
import type { TicketRef } from '../../api/types.ts';
import type { TicketRow, UserRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';
import { notFound } from './errors.ts';
import { activeMember, decidesNow, outsiderIn } from './relations.ts';

export async function requireTicket(ctx: Ctx, user: UserRow, id: number): Promise<{ ticket: TicketRow }> {
  const ticket = await ctx.store.get('tickets', id);
  if (!ticket) throw notFound(`Ticket ${id} not found`);
  if (ticket.reporterId === user.id) return { ticket };
  const project = ticket.projectId === null ? undefined : await ctx.store.get('projects', ticket.projectId);
  const org = (project && (await ctx.store.get('organizations', project.organizationId))) ?? null;
  if ((await outsiderIn(ctx, org, user)) !== null) return { ticket };
  const m = ticket.projectId === null ? undefined : await activeMember(ctx, ticket.projectId, user.id);
  if (m && (await decidesNow(ctx, m))) return { ticket };
  throw notFound(`Ticket ${id} not found`);
}
export const ticketAssignee = (_t: TicketRow): number | null => null;
export const ticketRef = (t: TicketRow): TicketRef => ({ id: t.id, number: t.number, subject: t.subject });
