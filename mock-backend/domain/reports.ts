// What support did (issue 23, point 3). When an outsider's membership ends, however it ends, its
// end (members.ts endMemberships) queues one report row, unique by membership, in the same
// transaction. The sweeper sends what waits: one e-mail to each of the project's deciders and, when
// the access was for a ticket, one `report` entry in its thread, listing every change the outsider
// made through the API while inside (the access log: actor = them, between start and end). A row is
// stamped `sent` by a compare-and-set in the transaction that writes the e-mails, so a report goes
// out once, whichever instance ended the membership or swept it.
import { type AccessLogAction, THREAD_LIMITS, type UserRef } from '../../api/types.ts';
import type { AccessLogRow, MembershipEndHow, ProjectMemberRow, ReportRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec, type TxCtx } from './context.ts';
import { iso, projectRef, userRef } from './format.ts';
import { sendMail, usersPageUrl } from './notify.ts';
import { isDecider, ownMembers } from './relations.ts';
import { REPORT_CHANGES_LISTED, type ReportFacts, reportMail, reportText } from './report-mail.ts';
import { appendThreadEntry, ticketRef } from './thread.ts';

/** How memberships end: why, and who ended them (null: nobody, the clock). */
export interface MembershipEnd {
  how: MembershipEndHow;
  by: number | null;
}

/**
 * The access log's actions that are changes to the project (what a report lists). Entering and
 * leaving (requested, joined, left, expired, …) are the membership itself, not a change.
 */
export const CHANGE_ACTIONS: ReadonlySet<AccessLogAction> = new Set<AccessLogAction>([
  'storageTokenCreated',
  'storageTokenRevoked',
  'invited',
  'invitationCancelled',
  'added',
  'removed',
  'roleChanged',
  'approved',
  'rejected',
  'autoJoinChanged',
  'projectDeleted',
]);

/** Queues the report of each outsider's membership among `rows`: once per membership, ever. */
export async function queueReports(
  ctx: Ctx,
  rows: readonly ProjectMemberRow[],
  end: MembershipEnd,
): Promise<void> {
  const now = nowSec(ctx);
  for (const m of rows) {
    if (m.kind === 'member') continue;
    if (await ctx.store.first('reports', { membershipId: m.id })) continue;
    // An expiry ended it at its expiry (the sweeper may come a moment later); anything else now.
    const ended = m.expires !== null && m.expires < now ? m.expires : now;
    await ctx.store.insert('reports', {
      membershipId: m.id,
      projectId: m.projectId,
      userId: m.userId,
      kind: m.kind,
      reason: m.reason,
      started: m.created,
      ended,
      how: end.how,
      endedBy: end.by,
      approverId: m.approverId,
      invitorId: m.invitorId,
      grantId: m.grantId,
      ticketId: m.ticketId,
      created: now,
      sent: null,
    });
  }
}

/** Access log pages read while looking for a membership's changes. */
const LOG_PAGE = 500;

/**
 * The first access log id at or after `started`: the log is append-only and its times never go
 * back, so a binary search over ids (each probe one look-up by id; gaps are fine) finds where a
 * membership's stay begins without reading what came before it.
 */
async function firstLogIdFrom(ctx: Ctx, started: number): Promise<number> {
  let lo = 0;
  let hi = (await ctx.store.find('accessLog', {}, { desc: true, limit: 1 }))[0]?.id ?? 0;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = (await ctx.store.find('accessLog', {}, { afterId: mid, limit: 1 }))[0];
    if (row && row.created < started) lo = row.id;
    else hi = mid;
  }
  return lo;
}

/** The outsider's changes while inside, oldest first: the project's log from the start to the end. */
async function changesOf(ctx: Ctx, r: ReportRow): Promise<AccessLogRow[]> {
  const found: AccessLogRow[] = [];
  let after = await firstLogIdFrom(ctx, r.started);
  for (;;) {
    const page = await ctx.store.find(
      'accessLog',
      { projectId: r.projectId },
      { afterId: after, limit: LOG_PAGE },
    );
    for (const e of page)
      if (
        e.actor?.id === r.userId &&
        e.created >= r.started &&
        e.created <= r.ended &&
        CHANGE_ACTIONS.has(e.action)
      )
        found.push(e);
    const last = page[page.length - 1];
    if (page.length < LOG_PAGE || !last || last.created > r.ended) return found;
    after = last.id;
  }
}

async function refOf(ctx: Ctx, id: number | null): Promise<UserRef | null> {
  const u = id === null ? undefined : await ctx.store.get('users', id);
  return u ? userRef(u) : null;
}

function entryOf(r: ReportRow, approver: UserRef | null, invitor: UserRef | null): ReportFacts['entry'] {
  if (invitor) return { how: 'added', by: invitor };
  if (r.approverId === r.userId || approver === null) return { how: 'joined', by: null };
  // A grant's membership names the member who granted it as its approver.
  return { how: r.grantId === null ? 'approved' : 'granted', by: approver };
}

/** What a report says, read when it is sent; undefined when its project or user is gone. */
export async function reportFacts(ctx: Ctx, r: ReportRow): Promise<ReportFacts | undefined> {
  const project = await ctx.store.get('projects', r.projectId);
  const user = await ctx.store.get('users', r.userId);
  if (!project || !user) return undefined;
  const ticket = r.ticketId === null ? undefined : await ctx.store.get('tickets', r.ticketId);
  const changes = await changesOf(ctx, r);
  return {
    project: projectRef(project),
    user: userRef(user),
    kind: r.kind,
    reason: r.reason,
    started: iso(r.started),
    ended: iso(r.ended),
    how: r.how,
    endedBy: await refOf(ctx, r.endedBy),
    entry: entryOf(r, await refOf(ctx, r.approverId), await refOf(ctx, r.invitorId)),
    ticket: ticket ? ticketRef(ticket) : null,
    changes: changes.slice(0, REPORT_CHANGES_LISTED),
    more: Math.max(0, changes.length - REPORT_CHANGES_LISTED),
    historyUrl: usersPageUrl(ctx, project.id),
  };
}

/**
 * Sends one waiting report, unless another instance sent it first. What it says is read before its
 * change (a long stay's log may take a while to read, and a change holds every other back); the
 * change stamps it sent, by a compare-and-set, with its e-mails and thread entry, or does nothing.
 */
async function sendReport(ctx: Ctx, r: ReportRow): Promise<void> {
  const f = await reportFacts(ctx, r);
  await mutate(ctx, async (ctx) => {
    if (!(await ctx.store.updateIf('reports', r.id, { sent: null }, { sent: nowSec(ctx) }))) return;
    if (f) await deliver(ctx, r, f);
  });
}

async function deliver(ctx: TxCtx, r: ReportRow, f: ReportFacts): Promise<void> {
  const deciders = (await ownMembers(ctx, r.projectId)).filter(isDecider);
  for (const to of new Set(deciders.flatMap((m) => m.email ?? [])))
    await sendMail(ctx, reportMail(to, f, ctx.mailLocale));
  // Access for a ticket: the report goes into its thread too, for everyone on it.
  const ticket = r.ticketId === null ? undefined : await ctx.store.get('tickets', r.ticketId);
  if (ticket)
    await appendThreadEntry(ctx, ticket, {
      kind: 'report',
      authorId: null,
      side: 'system',
      via: 'system',
      body: clip(reportText(f, ctx.mailLocale), THREAD_LIMITS.bodyMax),
    });
}

/** Text cut to `max` characters (code points), with an ellipsis when cut. */
function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Reports one timer turn sends at most. */
export const REPORT_BATCH = 10;

/** The timer's part, after each sweep: sends up to `limit` waiting reports; how many it looked at. */
export async function sendWaitingReports(ctx: Ctx, limit = REPORT_BATCH): Promise<number> {
  const waiting = await ctx.store.find('reports', { sent: null }, { limit });
  for (const r of waiting) await sendReport(ctx, r);
  return waiting.length;
}
