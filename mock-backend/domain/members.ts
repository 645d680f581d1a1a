// Writing memberships. A row left by an earlier, expired membership (not yet swept) is replaced.
import type { ProjectMemberRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';

export async function putMembership(
  ctx: Ctx,
  row: Omit<ProjectMemberRow, 'id' | 'expiringNotified'>,
): Promise<void> {
  const stale = await ctx.store.first('projectMembers', { projectId: row.projectId, userId: row.userId });
  if (stale) await ctx.store.delete('projectMembers', stale.id);
  await ctx.store.insert('projectMembers', { ...row, expiringNotified: false });
}
