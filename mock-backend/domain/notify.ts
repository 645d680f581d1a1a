// What a change leaves behind, written inside the change's transaction: events for the SSE streams,
// outbox e-mails, and the append-only access log.
import type { AccessLogAction, SupportEvent, UserRef } from '../../api/types.ts';
import type { AccessLogRow } from '../store/schema.ts';
import { type Ctx, nowSec } from './context.ts';
import type { Mail } from './emails.ts';
import { activeMembers, deciders } from './relations.ts';

export function emit(ctx: Ctx, recipients: Iterable<number>, event: SupportEvent): void {
  const unique = [...new Set(recipients)];
  const created = nowSec(ctx);
  for (const recipientId of unique) ctx.store.insert('events', { recipientId, created, event });
  if (unique.length) ctx.pending.push({ type: 'events', recipients: unique });
}

export const decidersOf = (ctx: Ctx, projectId: number): number[] =>
  deciders(ctx, projectId).map((m) => m.userId);
export const membersOf = (ctx: Ctx, projectId: number): number[] =>
  activeMembers(ctx, projectId).map((m) => m.userId);

export function sendMail(ctx: Ctx, mail: Mail): void {
  ctx.store.insert('outbox', {
    ...mail,
    created: nowSec(ctx),
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
