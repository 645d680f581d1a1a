// What a change leaves behind, written inside the change's transaction: events for the SSE streams,
// outbox e-mails, and the append-only access log.
import type { AccessLogAction, SupportEvent, UserRef } from '../../api/types.ts';
import type { AccessLogRow, EventAudience, EventRow } from '../store/schema.ts';
import { type Ctx, nowSec, type TxCtx } from './context.ts';
import type { Mail } from './emails.ts';
import { activeMember, activeMembers, alive, decidesNow } from './relations.ts';
import { scopeGroups, ticketScope } from './ticket-access.ts';

/** One row per user: for events about one or two people (the requester, the member expiring). */
export async function emit(ctx: TxCtx, recipients: Iterable<number>, event: SupportEvent): Promise<void> {
  const unique = [...new Set(recipients)];
  const created = nowSec(ctx);
  for (const recipientId of unique)
    await ctx.store.insert('events', {
      recipientId,
      projectId: null,
      audience: null,
      ticketId: null,
      created,
      event,
    });
  if (unique.length) ctx.pending.push({ type: 'events', recipients: unique });
}

/**
 * One row for a project's whole audience (its members, or those who may decide), fanned out when
 * read (eventsFor) instead of one row per member; `also` are users outside that audience who must
 * hear it too (the member who just left, the requester), one row each.
 */
export async function emitToProject(
  ctx: TxCtx,
  projectId: number,
  audience: EventAudience,
  event: SupportEvent,
  also: Iterable<number> = [],
): Promise<void> {
  const created = nowSec(ctx);
  await ctx.store.insert('events', {
    recipientId: null,
    projectId,
    audience,
    ticketId: null,
    created,
    event,
  });
  // Those outside the audience: one row each (a member who just left is no member any more).
  const others: number[] = [];
  for (const id of new Set(also)) if (!(await inAudience(ctx, projectId, audience, id))) others.push(id);
  for (const recipientId of others)
    await ctx.store.insert('events', {
      recipientId,
      projectId: null,
      audience: null,
      ticketId: null,
      created,
      event,
    });
  // Streams wake by user: the others by name, the audience's streams each check their own user.
  ctx.pending.push({ type: 'events', recipients: others, project: { id: projectId, audience } });
}

/** Whether a user is in a project's audience now: one point look-up. */
export async function inAudience(
  ctx: Ctx,
  projectId: number,
  audience: EventAudience,
  userId: number,
): Promise<boolean> {
  const m = await activeMember(ctx, projectId, userId);
  return m !== undefined && (audience === 'members' || (await decidesNow(ctx, m)));
}

/**
 * The events a user gets after `afterId`, oldest first, at most `limit`: their own rows, and the
 * rows of the audiences they are in now (a project's members; its deciders), each from the moment
 * they became a member. A few indexed queries, whatever the number of members.
 */
export async function eventsFor(
  ctx: Ctx,
  userId: number,
  afterId: number,
  limit: number,
): Promise<EventRow[]> {
  const rows = await ctx.store.find('events', { recipientId: userId }, { afterId, limit });
  for (const m of await ctx.store.find('projectMembers', { userId })) {
    if (!alive(ctx, m.expires)) continue;
    // Deciders by who the user is now, not by the row alone (a member made support hears nothing).
    const audiences: EventAudience[] = (await decidesNow(ctx, m)) ? ['members', 'deciders'] : ['members'];
    for (const audience of audiences)
      for (const e of await ctx.store.find(
        'events',
        { projectId: m.projectId, audience },
        { afterId, limit },
      ))
        if (e.created >= m.created) rows.push(e);
  }
  // A reporter's ticket event is already among their own rows.
  const seen = new Set(rows.map((r) => r.id));
  for (const e of await ticketEventsFor(ctx, userId, afterId, limit)) if (!seen.has(e.id)) rows.push(e);
  rows.sort((a, b) => a.id - b.id);
  return rows.length > limit ? rows.slice(0, limit) : rows;
}

/**
 * A user's share of the tickets' events (one row per event, audience `ticket`) beyond their own rows
 * (a ticket's reporter is the row's recipientId, read above): those of the tickets they may see now
 * (ticket-access.ts), as one query: every one for a support user, else those of the projects they
 * see whole (as a decider, or as their maintainer's user).
 */
async function ticketEventsFor(
  ctx: Ctx,
  userId: number,
  afterId: number,
  limit: number,
): Promise<EventRow[]> {
  const user = await ctx.store.get('users', userId);
  if (!user) return [];
  const groups = scopeGroups(await ticketScope(ctx, user));
  const filter = { audience: 'ticket' } as const;
  const options = { afterId, limit };
  if (groups === null) return ctx.store.find('events', filter, options);
  const projects = groups.flatMap((g) => g.projectId ?? []);
  return projects.length
    ? ctx.store.find('events', filter, { ...options, anyOf: [{ projectId: projects }] })
    : [];
}

/** Where a new stream starts: the newest event id of all (nothing before it is replayed). */
export async function latestEventId(ctx: Ctx): Promise<number> {
  return (await ctx.store.find('events', {}, { desc: true, limit: 1 }))[0]?.id ?? 0;
}

export const membersOf = async (ctx: Ctx, projectId: number): Promise<number[]> =>
  (await activeMembers(ctx, projectId)).map((m) => m.userId);

export async function sendMail(ctx: TxCtx, mail: Mail): Promise<void> {
  await ctx.store.insert('outbox', {
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    replyTo: mail.replyTo ?? null,
    created: nowSec(ctx),
    jobId: null,
    smtpSentAt: null,
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
  });
  ctx.pending.push({ type: 'outbox' });
}

export async function logAccess(
  ctx: TxCtx,
  projectId: number,
  action: AccessLogAction,
  entry: {
    actor: UserRef | null;
    subject: UserRef | null;
    reason?: string | null;
    details?: AccessLogRow['details'];
  },
): Promise<void> {
  await ctx.store.insert('accessLog', {
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
