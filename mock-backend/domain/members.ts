// Writing memberships. A row left by an earlier, expired membership (not yet swept) is replaced.
import type { ProjectMemberRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';

export function putMembership(ctx: Ctx, row: Omit<ProjectMemberRow, 'id' | 'expiringNotified'>): void {
  const stale = ctx.store.first('projectMembers', { projectId: row.projectId, userId: row.userId });
  if (stale) ctx.store.delete('projectMembers', stale.id);
  ctx.store.insert('projectMembers', { ...row, expiringNotified: false });
}
