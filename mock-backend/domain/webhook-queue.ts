// The webhook queue's bookkeeping, apart from the HTTP (mock-backend/webhooks/worker.ts does that):
// claiming due deliveries under one lock across instances with a lease (so each is sent by one
// instance at a time), and recording each attempt's outcome: delivered, retried with back-off for a
// day, or failed; an endpoint failing for three days is disabled and its organization users told.
import { WEBHOOK_LIMITS } from '../../api/types.ts';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec, type TxCtx } from './context.ts';
import { iso } from './format.ts';
import { organizationPageUrl, sendMail } from './notify.ts';
import { outsiderIn } from './relations.ts';
import { webhookDisabledMail } from './webhook-mail.ts';

/** Seconds after each failed attempt before the next (the last repeats), all within the day. */
export const RETRY_DELAYS = [5, 60, 300, 1800, 7200, 18_000, 36_000] as const;
/** A claimed delivery is not due for other workers this long (a live worker ends it in seconds). */
export const LEASE_SECONDS = 60;
/** Deliveries one claim takes (sent side by side, each within the 5-second timeout). */
export const CLAIM_BATCH = 20;

export interface AttemptOutcome {
  ok: boolean;
  responseStatus: number | null;
  /** At most WEBHOOK_LIMITS.responseKeptBytes of the answer. */
  response: string | null;
  error: string | null;
}

export function retryDelay(attempts: number, delays: readonly number[] = RETRY_DELAYS): number {
  return delays[Math.min(attempts, delays.length) - 1] ?? delays[delays.length - 1] ?? 60;
}

/**
 * Up to `limit` due deliveries, oldest due first, leased to the caller for `leaseSeconds` (their
 * `nextAttempt` moved past the lease: what `recordAttempt` expects to find); none while another
 * instance holds the claim.
 */
export function claimDeliveries(ctx: Ctx, limit = CLAIM_BATCH, leaseSeconds = LEASE_SECONDS) {
  return ctx.store.transaction(async (tx): Promise<WebhookDeliveryRow[]> => {
    if (!(await tx.tryLock('webhook-worker'))) return [];
    const now = nowSec(ctx);
    const due = await tx.findDue('webhookDeliveries', 'nextAttempt', now, { status: 'pending' }, limit);
    const until = now + leaseSeconds;
    for (const d of due) await tx.update('webhookDeliveries', d.id, { nextAttempt: until });
    return due.map((d) => ({ ...d, nextAttempt: until }));
  });
}

/** What the row still holds while it is this worker's claim (compare-and-set). */
const claimOf = (d: WebhookDeliveryRow) => ({
  status: 'pending' as const,
  nextAttempt: d.nextAttempt,
  attempts: d.attempts,
});

/**
 * Records one attempt of a claimed delivery; false when the row was no longer this claim (its lease
 * ran out and another worker took it), and then nothing is written.
 */
export function recordAttempt(
  ctx: Ctx,
  d: WebhookDeliveryRow,
  outcome: AttemptOutcome,
  delays: readonly number[] = RETRY_DELAYS,
): Promise<boolean> {
  return mutate(ctx, async (ctx) => {
    const now = nowSec(ctx);
    const attempts = d.attempts + 1;
    const retry = !outcome.ok && now < d.created + WEBHOOK_LIMITS.retryForSeconds;
    const nextAttempt = retry
      ? Math.min(now + retryDelay(attempts, delays), d.created + WEBHOOK_LIMITS.retryForSeconds)
      : null;
    const won = await ctx.store.updateIf('webhookDeliveries', d.id, claimOf(d), {
      status: outcome.ok ? 'delivered' : retry ? 'pending' : 'failed',
      attempts,
      nextAttempt,
      lastAttempt: now,
      responseStatus: outcome.responseStatus,
      response: outcome.response,
      error: outcome.error,
    });
    if (!won) return false;
    const e = await ctx.store.get('webhookEndpoints', d.endpointId);
    if (!e) return true;
    if (outcome.ok) {
      if (e.failingSince !== null) await ctx.store.update('webhookEndpoints', e.id, { failingSince: null });
    } else await failing(ctx, e, now);
    if (retry) ctx.pending.push({ type: 'webhooks' });
    return true;
  });
}

/** A failure of the endpoint: its streak starts, or, three days long, disables it. */
async function failing(ctx: TxCtx, e: WebhookEndpointRow, now: number): Promise<void> {
  if (e.failingSince === null) {
    await ctx.store.update('webhookEndpoints', e.id, { failingSince: now });
    return;
  }
  if (e.disabled !== null || now - e.failingSince < WEBHOOK_LIMITS.disableAfterFailingSeconds) return;
  await ctx.store.update('webhookEndpoints', e.id, { disabled: now });
  const org = await ctx.store.get('organizations', e.organizationId);
  if (!org) return;
  // The organization's own users: support and maintainer members are not told (they may not manage it).
  const members = await ctx.store.find('organizationMembers', { organizationId: org.id });
  const users = await ctx.store.getMany(
    'users',
    members.map((m) => m.userId),
  );
  for (const u of users.values()) {
    if (await outsiderIn(ctx, org, u)) continue;
    await sendMail(
      ctx,
      webhookDisabledMail(
        u.email,
        {
          organization: org.name,
          url: e.url,
          failingSince: iso(e.failingSince),
          settingsUrl: organizationPageUrl(ctx, org.id),
        },
        ctx.mailLocale,
      ),
    );
  }
}

/**
 * A claimed delivery whose endpoint is disabled (or gone): failed without an attempt, so a
 * disabled endpoint gets nothing more until it is enabled and the delivery retried.
 */
export function dropDelivery(ctx: Ctx, d: WebhookDeliveryRow, error: string): Promise<boolean> {
  return mutate(ctx, (ctx) =>
    ctx.store.updateIf('webhookDeliveries', d.id, claimOf(d), { status: 'failed', nextAttempt: null, error }),
  );
}
