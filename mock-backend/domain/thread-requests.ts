// The access requests a ticket's thread shows, read as they are now (issue 23, point 2): one entry
// stays the same request the users list shows, so a decision made in either place shows in both.
import type { ThreadRequest } from '../../api/types.ts';
import type { JoinRequestRow, TicketMessageRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';
import { iso, isoOrNull, peopleOf, projectRefById, userRefIn } from './format.ts';
import { pendingRequest } from './relations.ts';

/** A request's status now: a pending one past its expiry (not yet swept) has expired. */
const statusNow = (ctx: Ctx, r: JoinRequestRow): ThreadRequest['status'] =>
  r.status === 'pending' && !pendingRequest(ctx, r) ? 'expired' : r.status;

/** The requests of these entries (kind `accessRequest`), by id, in one batched read of each table. */
export async function threadRequests(
  ctx: Ctx,
  rows: readonly TicketMessageRow[],
): Promise<Map<number, ThreadRequest>> {
  const ids = [
    ...new Set(rows.flatMap((r) => (r.kind === 'accessRequest' && r.requestId ? [r.requestId] : []))),
  ];
  const out = new Map<number, ThreadRequest>();
  if (!ids.length) return out;
  const requests = [...(await ctx.store.getMany('joinRequests', ids)).values()];
  const people = await peopleOf(
    ctx,
    requests.flatMap((r) => [r.userId, r.decidedBy]),
  );
  for (const r of requests)
    out.set(r.id, {
      id: r.id,
      project: await projectRefById(ctx, r.projectId),
      user: userRefIn(people, r.userId),
      reason: r.reason,
      created: iso(r.created),
      expires: isoOrNull(r.expires),
      status: statusNow(ctx, r),
      decidedBy: r.decidedBy === null ? null : userRefIn(people, r.decidedBy),
      decided: isoOrNull(r.decided),
    });
  return out;
}
