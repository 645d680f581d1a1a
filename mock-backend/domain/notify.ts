// What a change leaves behind, written inside the change's transaction: events for the SSE streams,
// outbox e-mails, and the append-only access log.
import type { AccessLogAction, SupportEvent, UserRef } from '../../api/types.ts';
import type { AccessLogRow, EventAudience, EventRow } from '../store/schema.ts';
import { type Ctx, nowSec } from './context.ts';
import type { Mail } from './emails.ts';
import { activeMember, activeMembers, alive, deciders, decidesNow } from './relations.ts';

/** One row per user: for events about one or two people (the requester, the member expiring). */
export function emit(ctx: Ctx, recipients: Iterable<number>, event: SupportEvent): void {
  const unique = [...new Set(recipients)];
  const created = nowSec(ctx);
  for (const recipientId of unique)
    ctx.store.insert('events', { recipientId, projectId: null, audience: null, created, event });
  if (unique.length) ctx.pending.push({ type: 'events', recipients: unique });
}

/**
 * One row for a project's whole audience (its members, or those who may decide), fanned out when
 * read (eventsFor) instead of one row per member; `also` are users outside that audience who must
 * hear it too (the member who just left, the requester), one row each.
 */
export function emitToProject(
  ctx: Ctx,
  projectId: number,
  audience: EventAudience,
  event: SupportEvent,
  also: Iterable<number> = [],
): void {
  const created = nowSec(ctx);
  ctx.store.insert('events', { recipientId: null, projectId, audience, created, event });
  // Those outside the audience: one row each (a member who just left is no member any more).
  const others = [...new Set(also)].filter((id) => !inAudience(ctx, projectId, audience, id));
  for (const recipientId of others)
    ctx.store.insert('events', { recipientId, projectId: null, audience: null, created, event });
  // Streams wake by user: the others by name, the audience's streams each check their own user.
  ctx.pending.push({ type: 'events', recipients: others, project: { id: projectId, audience } });
}

/** Whether a user is in a project's audience now: one point look-up. */
export function inAudience(ctx: Ctx, projectId: number, audience: EventAudience, userId: number): boolean {
  const m = activeMember(ctx, projectId, userId);
  return m !== undefined && (audience === 'members' || decidesNow(ctx, m));
}

/**
 * The events a user gets after `afterId`, oldest first, at most `limit`: their own rows, and the
 * rows of the audiences they are in now (a project's members; its deciders), each from the moment
 * they became a member. A few indexed queries, whatever the number of members.
 */
export function eventsFor(ctx: Ctx, userId: number, afterId: number, limit: number): EventRow[] {
  const rows = ctx.store.find('events', { recipientId: userId }, { afterId, limit });
  for (const m of ctx.store.find('projectMembers', { userId })) {
    if (!alive(ctx, m.expires)) continue;
    // Deciders by who the user is now, not by the row alone (a member made support hears nothing).
    const audiences: EventAudience[] = decidesNow(ctx, m) ? ['members', 'deciders'] : ['members'];
    for (const audience of audiences)
      for (const e of ctx.store.find('events', { projectId: m.projectId, audience }, { afterId, limit }))
        if (e.created >= m.created) rows.push(e);
  }
  rows.sort((a, b) => a.id - b.id);
  return rows.length > limit ? rows.slice(0, limit) : rows;
}

/** Where a new stream starts: the newest event id of all (nothing before it is replayed). */
export function latestEventId(ctx: Ctx): number {
  return ctx.store.find('events', {}, { desc: true, limit: 1 })[0]?.id ?? 0;
}

export const decidersOf = (ctx: Ctx, projectId: number): number[] =>
  deciders(ctx, projectId).map((m) => m.userId);
export const membersOf = (ctx: Ctx, projectId: number): number[] =>
  activeMembers(ctx, projectId).map((m) => m.userId);

export function sendMail(ctx: Ctx, mail: Mail): void {
  ctx.store.insert('outbox', {
    ...mail,
    created: nowSec(ctx),
    jobId: null,
    smtpSentAt: null,
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
  });
  ctx.pending.push({ type: 'outbox' });
}

export function logAccess(
  ctx: Ctx,
  projectId: number,
  action: AccessLogAction,
  entry: {
    actor: UserRef | null;
    subject: UserRef | null;
    reason?: string | null;
    details?: AccessLogRow['details'];
  },
): void {
  ctx.store.insert('accessLog', {
    projectId,
    created: nowSec(ctx),
    action,
    actor: entry.actor,
    subject: entry.subject,
    reason: entry.reason ?? null,
    details: entry.details ?? {},
  });
}

export function usersPageUrl(ctx: Ctx, projectId: number): string {
  return `${ctx.publicUrl.replace(/\/+$/, '')}/admin/projects/${projectId}/users`;
}
