// Who sees a ticket (docs/rules.md#tickets), decided here only: the list's query, a ticket's page,
// its thread and the fan-out of its events all ask these.
//
// - Customer side: the reporter; the project's customer members who may decide (admin/share, kind
//   member, not an outsider now) see every ticket of their project. Guests and read-only members
//   only their own.
// - Staff: support users every ticket; maintainer users those of the projects of the organizations
//   their maintainer maintains (the outsider rule, for the ticket's organization).
import type { ThreadSide } from '../../api/limits.ts';
import type { OrganizationRow, TicketRow, UserRow } from '../store/schema.ts';
import type { AnyOfFilter } from '../store/types.ts';
import type { Ctx } from './context.ts';
import { notFound } from './errors.ts';
import { activeMember, alive, decidesNow, outsiderIn } from './relations.ts';

export type TicketSide = Exclude<ThreadSide, 'system'>;

/** The organization of a ticket's project, or null (a ticket without a project, or a dangling one). */
export async function ticketOrg(ctx: Ctx, t: Pick<TicketRow, 'projectId'>): Promise<OrganizationRow | null> {
  if (t.projectId === null) return null;
  const project = await ctx.store.get('projects', t.projectId);
  return (project && (await ctx.store.get('organizations', project.organizationId))) ?? null;
}

/**
 * The side a user is on for a ticket they may see, or null when they may not see it. Staff first:
 * a maintainer user who also filed the ticket answers it as staff.
 */
export async function ticketSide(ctx: Ctx, user: UserRow, t: TicketRow): Promise<TicketSide | null> {
  if ((await outsiderIn(ctx, await ticketOrg(ctx, t), user)) !== null) return 'staff';
  if (t.reporterId === user.id) return 'customer';
  if (t.projectId === null) return null;
  const m = await activeMember(ctx, t.projectId, user.id);
  return m && (await decidesNow(ctx, m)) ? 'customer' : null;
}

/** The ticket if the user may see it, with their side; else 404 (as if it did not exist). */
export async function requireTicket(
  ctx: Ctx,
  user: UserRow,
  id: number,
): Promise<{ ticket: TicketRow; side: TicketSide }> {
  const ticket = await ctx.store.get('tickets', id);
  const side = ticket && (await ticketSide(ctx, user, ticket));
  if (!ticket || !side) throw notFound(`Ticket ${id} not found`);
  return { ticket, side };
}

/** Whether a user may see a ticket now (an SSE stream's check when one of its events is stored). */
export async function seesTicket(ctx: Ctx, ticketId: number, userId: number): Promise<boolean> {
  const [ticket, user] = [await ctx.store.get('tickets', ticketId), await ctx.store.get('users', userId)];
  return ticket !== undefined && user !== undefined && (await ticketSide(ctx, user, ticket)) !== null;
}

/**
 * The projects whose tickets a non-support user sees as their maintainer: those of every
 * organization for which the outsider rule says `maintainer` (the candidates are the organizations of
 * the maintainers the user belongs to, so other customers' organizations are never even looked at).
 */
export async function maintainedProjectIds(ctx: Ctx, user: UserRow): Promise<number[]> {
  const ids: number[] = [];
  for (const m of await ctx.store.find('maintainerMembers', { userId: user.id }))
    for (const org of await ctx.store.find('organizations', { maintainerId: m.maintainerId }))
      if ((await outsiderIn(ctx, org, user)) === 'maintainer')
        for (const p of await ctx.store.find('projects', { organizationId: org.id })) ids.push(p.id);
  return ids;
}

/** The projects whose every ticket the user sees as one who decides there. */
export async function decidedProjectIds(ctx: Ctx, user: UserRow): Promise<number[]> {
  const ids: number[] = [];
  for (const m of await ctx.store.find('projectMembers', { userId: user.id }))
    if (alive(ctx, m.expires) && (await decidesNow(ctx, m))) ids.push(m.projectId);
  return ids;
}

/**
 * What a user may see, as the store's `anyOf` groups (null: everything, a support user), so that
 * paging happens in the query and tickets the user may not see are never loaded. `staff` are the
 * projects they see as staff, `decided` those they see as a decider.
 */
export interface TicketScope {
  support: boolean;
  userId: number;
  staff: number[];
  decided: number[];
}

export async function ticketScope(ctx: Ctx, user: UserRow): Promise<TicketScope> {
  const support = (await outsiderIn(ctx, null, user)) === 'support';
  return {
    support,
    userId: user.id,
    staff: support ? [] : await maintainedProjectIds(ctx, user),
    decided: await decidedProjectIds(ctx, user),
  };
}

/** The scope's groups: the user's own tickets, and those of the projects they see whole. */
export function scopeGroups(scope: TicketScope): AnyOfFilter<'tickets'>[] | null {
  if (scope.support) return null;
  return [{ reporterId: [scope.userId] }, { projectId: [...scope.staff, ...scope.decided] }];
}
