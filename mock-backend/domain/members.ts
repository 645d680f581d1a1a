// Writing memberships, and ending them. A row left by an earlier, expired membership (not yet swept)
// is replaced. Every way a membership ends goes through endMemberships, so what hangs on a
// membership (an outsider's Storage tokens) ends with it, however it ends.
import type { ProjectMemberRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';

/** A new membership; `grantId` and `ticketId` only when it is made from a grant (null otherwise). */
export type NewMembership = Omit<ProjectMemberRow, 'id' | 'expiringNotified' | 'grantId' | 'ticketId'> &
  Partial<Pick<ProjectMemberRow, 'grantId' | 'ticketId'>>;

export async function putMembership(ctx: Ctx, row: NewMembership): Promise<number> {
  const stale = await ctx.store.first('projectMembers', { projectId: row.projectId, userId: row.userId });
  if (stale) await endMemberships(ctx, [stale.id]);
  return ctx.store.insert('projectMembers', {
    ...row,
    grantId: row.grantId ?? null,
    ticketId: row.ticketId ?? null,
    expiringNotified: false,
  });
}

/**
 * Deletes these memberships and the Storage tokens they made (an outsider's token is tied to the
 * membership that made it). Call inside the change that ends them. A token whose membership is gone
 * is refused at use anyway (storage-tokens.ts); this takes the rows away in the same transaction.
 */
export async function endMemberships(ctx: Ctx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const tokens = await ctx.store.find('storageTokens', {}, { anyOf: [{ membershipId: ids }] });
  await ctx.store.deleteMany(
    'storageTokens',
    tokens.map((t) => t.id),
  );
  await ctx.store.deleteMany('projectMembers', ids);
}
