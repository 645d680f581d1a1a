// The access history of a project (append-only), readable by whoever may read its users, all of it
// or one action's entries.
import { type AccessLogAction, type AccessLogEntry, PAGE_LIMITS } from '../../api/types.ts';
import type { UserRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';
import { iso } from './format.ts';
import { assertReader, projectAccess } from './relations.ts';

export async function listAccessLog(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  page: { offset?: number; limit?: number; action?: AccessLogAction },
): Promise<AccessLogEntry[]> {
  assertReader(await projectAccess(ctx, projectId, user));
  // One action's entries come from the (projectId, action) index, paged in the store like the rest.
  const rows = await ctx.store.find(
    'accessLog',
    page.action === undefined ? { projectId } : { projectId, action: page.action },
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
