// What happens because time passed. Expiry itself needs nothing here (every read filters by the clock);
// this sends the one-time notices and sweeps rows that are gone. It reads only what is due, from the
// indexes on `expires`, in batches: the timer runs one batch per turn of the event loop, so a thousand
// memberships expiring in the same second never stall requests; each batch deletes its rows in one
// statement, and an expiry is one event row for the project's deciders (who they are is judged when
// the event is read), not one per decider.
import type { ProjectMemberRow, ProjectRow, TableName, Tables, UserRow } from '../store/schema.ts';
import type { Filter } from '../store/types.ts';
import { type Ctx, mutate, nowSec, RETENTION, type TxCtx } from './context.ts';
import { closeSolved } from './conversation.ts';
import { iso, projectRef, userRef } from './format.ts';
import { expireGrant } from './grants.ts';
import { expireJoinRequest } from './join.ts';
import { endMemberships } from './members.ts';
import { emit, emitToProject, logAccess } from './notify.ts';
import { REPORT_BATCH, sendWaitingReports } from './reports.ts';

/** Members hear that their access is about to end this long before it does. */
export const EXPIRING_NOTICE_SECONDS = 15 * 60;
/** Rows one batch handles: small enough that a batch stays well under 50 ms. */
export const TICK_BATCH = 100;

/** Projects and users of a batch, each read once. */
function lookups(ctx: Ctx) {
  const projects = new Map<number, ProjectRow | undefined>();
  const users = new Map<number, UserRow | undefined>();
  return {
    async project(id: number) {
      if (!projects.has(id)) projects.set(id, await ctx.store.get('projects', id));
      return projects.get(id);
    },
    async user(id: number) {
      if (!users.has(id)) users.set(id, await ctx.store.get('users', id));
      return users.get(id);
    },
  };
}

/**
 * Runs one batch of what is due; true when more is due (call again). One sweeper at a time across
 * instances: while another holds the sweep's lock this does nothing (false; that one goes on).
 */
export async function tick(ctx: Ctx, batch = TICK_BATCH): Promise<boolean> {
  const swept = await sweepBatch(ctx, batch);
  // Reports of ended outsider memberships, however they ended: each in a change of its own, after
  // the sweep (reading a long stay's log never holds the sweep, or anything else, back).
  const sent = await sendWaitingReports(ctx);
  return swept === 'more' || sent >= REPORT_BATCH;
}

/** One batch: 'more' when more is due, 'done', or 'busy' when another instance holds the sweep. */
async function sweepBatch(ctx: Ctx, batch: number): Promise<'more' | 'done' | 'busy'> {
  const now = nowSec(ctx);
  return mutate(ctx, async (ctx) => {
    if (!(await ctx.store.tryLock('expiry-sweep'))) return 'busy';
    const more = await sweepLocked(ctx, now, batch);
    return more ? 'more' : 'done';
  });
}

async function sweepLocked(ctx: TxCtx, now: number, batch: number): Promise<boolean> {
  const look = lookups(ctx);
  let left = batch;
  /** Deletes in one statement what of `table` is due by `column`, at most what is left; true when full. */
  const deleteDue = async <T extends TableName>(
    table: T,
    column: keyof Tables[T] & string,
    upTo: number,
    filter: Filter<T> = {},
  ): Promise<boolean> => {
    const rows = await ctx.store.findDue(table, column, upTo, filter, left);
    await ctx.store.deleteMany(
      table,
      rows.map((r) => r.id),
    );
    left -= rows.length;
    return left <= 0;
  };

  // Requests: only pending ones past their expiry (index on status, expires).
  const requests = await ctx.store.findDue('joinRequests', 'expires', now, { status: 'pending' }, left);
  for (const r of requests) await expireJoinRequest(ctx, r);
  left -= requests.length;
  if (left <= 0) return true;

  // Grants past their expiry: ended once, logged and told (their memberships expire below).
  const grants = await ctx.store.findDue('accessGrants', 'expires', now, { ended: false }, left);
  for (const g of grants) await expireGrant(ctx, g);
  left -= grants.length;
  if (left <= 0) return true;

  // Memberships past their expiry: one notice each, then one bulk delete.
  const expired = await ctx.store.findDue('projectMembers', 'expires', now, {}, left);
  const gone: number[] = [];
  for (const m of expired) {
    gone.push(m.id);
    await expireMembership(ctx, m, look);
  }
  await endMemberships(ctx, gone, { how: 'expired', by: null });
  left -= expired.length;
  if (left <= 0) return true;

  // Memberships about to expire: the "expiring soon" notice, once.
  const soon = await ctx.store.findDue(
    'projectMembers',
    'expires',
    now + EXPIRING_NOTICE_SECONDS,
    { expiringNotified: false },
    left,
  );
  for (const m of soon) {
    if (m.expires === null || m.expires <= now) continue;
    await ctx.store.update('projectMembers', m.id, { expiringNotified: true });
    const project = await look.project(m.projectId);
    const user = await look.user(m.userId);
    if (!project || !user) continue;
    await emit(ctx, [m.userId], {
      type: 'membership.expiring',
      project: projectRef(project),
      user: userRef(user),
      expires: iso(m.expires),
    });
  }
  left -= soon.length;
  if (left <= 0) return true;

  // Tickets solved 7 days ago close.
  left -= await closeSolved(ctx, now, left);
  if (left <= 0) return true;

  if (await deleteDue('projectInvitations', 'expires', now)) return true;
  // Storage tokens past their expiry (an outsider's never outlives its membership's expiry, so those
  // go here at the latest; ended memberships took theirs with them).
  if (await deleteDue('storageTokens', 'expires', now)) return true;

  // Retention: events past the Last-Event-ID window, e-mails delivered long ago, finished jobs.
  const keep = { ...RETENTION, ...ctx.retention };
  if (await deleteDue('events', 'created', now - keep.eventsSeconds)) return true;
  // smtpSentAt is wall-clock milliseconds (the mail server's time, not the test clock).
  if (await deleteDue('outbox', 'smtpSentAt', Date.now() - keep.deliveredMailSeconds * 1000)) return true;
  // Webhook deliveries done with as long as e-mails (the panel lists only the last 100 anyway).
  for (const status of ['delivered', 'failed'] as const)
    if (await deleteDue('webhookDeliveries', 'lastAttempt', now - keep.deliveredMailSeconds, { status }))
      return true;
  return deleteDue('mailJobs', 'created', now - keep.deliveredMailSeconds, { done: true });
}

async function expireMembership(
  ctx: TxCtx,
  m: ProjectMemberRow,
  look: ReturnType<typeof lookups>,
): Promise<void> {
  const project = await look.project(m.projectId);
  const user = await look.user(m.userId);
  if (!project || !user) return;
  // Deciders are judged by the clock, so those expiring in this same second are not among them.
  await emitToProject(
    ctx,
    m.projectId,
    'deciders',
    { type: 'membership.expired', project: projectRef(project), user: userRef(user) },
    [m.userId],
  );
  await logAccess(ctx, m.projectId, 'expired', {
    actor: null,
    subject: userRef(user),
    reason: m.reason,
    details: { role: m.role, kind: m.kind },
  });
}

/**
 * Everything due now, to the end, in one go: what the test clock endpoint waits for. While another
 * instance sweeps, this waits for it and then sweeps what is left, so it returns only once nothing
 * due by now is left undone, whoever did it.
 */
export async function runAllDue(ctx: Ctx): Promise<void> {
  for (;;) {
    const r = await sweepBatch(ctx, TICK_BATCH);
    if (r === 'busy') await new Promise((resolve) => setTimeout(resolve, 20));
    else if (r === 'done') {
      while ((await sendWaitingReports(ctx)) >= REPORT_BATCH) {}
      return;
    }
  }
}
