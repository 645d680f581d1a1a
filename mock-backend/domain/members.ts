// Writing memberships, and ending them. A row left by an earlier, expired membership (not yet swept)
// is replaced. Every way a membership ends goes through endMemberships, so what hangs on a
// membership (an outsider's Storage tokens, the report of what an outsider did) ends with it,
// however it ends.
import type { ProjectMemberRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';
import { type MembershipEnd, queueReports } from './reports.ts';

/**
 * A new membership; `grantId` only when it is made from a grant, `ticketId` when it is for a ticket
 * (a grant's, or an approved request's made for a ticket); null otherwise.
 */
export type NewMembership = Omit<ProjectMemberRow, 'id' | 'expiringNotified' | 'grantId' | 'ticketId'> &
  Partial<Pick<ProjectMemberRow, 'grantId' | 'ticketId'>>;

export async function putMembership(ctx: Ctx, row: NewMembership): Promise<number> {
  const stale = await ctx.store.first('projectMembers', { projectId: row.projectId, userId: row.userId });
  // Only a row past its expiry is left behind (callers refuse an active member), so it expired.
  if (stale) await endMemberships(ctx, [stale.id], { how: 'expired', by: null });
  return ctx.store.insert('projectMembers', {
    ...row,
    grantId: row.grantId ?? null,
    ticketId: row.ticketId ?? null,
    expiringNotified: false,
  });
}

/**
 * Deletes these memberships and the Storage tokens they made (an outsider's token is tied to the
 * membership that made it), and queues the report of each outsider's (reports.ts). Call inside the
 * change that ends them. A token whose membership is gone is refused at use anyway
 * (storage-tokens.ts); this takes the rows away in the same transaction.
 */
export async function endMemberships(ctx: Ctx, ids: readonly number[], end: MembershipEnd): Promise<void> {
  if (ids.length === 0) return;
  const rows = await ctx.store.getMany('projectMembers', ids);
  await queueReports(ctx, [...rows.values()], end);
  const tokens = await ctx.store.find('storageTokens', {}, { anyOf: [{ membershipId: ids }] });
  await ctx.store.deleteMany(
    'storageTokens',
    tokens.map((t) => t.id),
  );
  await ctx.store.deleteMany('projectMembers', ids);
}
