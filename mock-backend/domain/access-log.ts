// The access history of a project (append-only), readable by whoever may read its users.
import { type AccessLogEntry, PAGE_LIMITS } from '../../api/types.ts';
import type { UserRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';
import { iso } from './format.ts';
import { assertReader, projectAccess } from './relations.ts';

export async function listAccessLog(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  page: { offset?: number; limit?: number },
): Promise<AccessLogEntry[]> {
  assertReader(await projectAccess(ctx, projectId, user));
  const rows = await ctx.store.find(
    'accessLog',
    { projectId },
    { desc: true, offset: page.offset ?? 0, limit: page.limit ?? PAGE_LIMITS.default },
  );
  return rows.map((r) => ({
    id: r.id,
    created: iso(r.created),
    action: r.action,
    actor: r.actor,
    subject: r.subject,
    reason: r.reason,
    details: r.details,
  }));
}
