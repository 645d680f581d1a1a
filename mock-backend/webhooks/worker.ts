// Delivers the webhook queue (Node only; the server always runs it). Like the mail worker: woken by
// the bus when a change queued deliveries, and polling for retries that came due. Across instances
// on one database one worker at a time claims due deliveries (the 'webhook-worker' lock) and leases
// them, so each event is sent by one instance; a retry of a sent-but-unrecorded attempt carries the
// same `webhook-id`, which the receiver uses to drop the duplicate.
import { isShared } from '../clock.ts';
import type { Ctx } from '../domain/context.ts';
import {
  type AttemptOutcome,
  CLAIM_BATCH,
  claimDeliveries,
  dropDelivery,
  LEASE_SECONDS,
  RETRY_DELAYS,
  recordAttempt,
} from '../domain/webhook-queue.ts';
import type { WebhookDeliveryRow } from '../store/schema.ts';
import { startWorkerLoop, type WorkerLoop } from '../worker-loop.ts';
import { type SendOptions, sendWebhook, type WebhookMessage } from './send.ts';

export interface WebhookWorkerOptions {
  /** The backend's context: its store, clock (the queue's times), bus and mail settings. */
  ctx: Ctx;
  testMode: boolean;
  pollMs?: number;
  /** Seconds between attempts (default RETRY_DELAYS: 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h). */
  retryDelays?: readonly number[];
  leaseSeconds?: number;
  /** How one attempt is made (tests may replace the network). */
  send?: (m: WebhookMessage, o: SendOptions) => Promise<AttemptOutcome>;
  resolve?: SendOptions['resolve'];
}

export type WebhookWorker = WorkerLoop;

export function startWebhookWorker(o: WebhookWorkerOptions): WebhookWorker {
  const { ctx } = o;
  const send = o.send ?? sendWebhook;
  const delays = o.retryDelays ?? RETRY_DELAYS;

  async function attempt(d: WebhookDeliveryRow): Promise<void> {
    const e = await ctx.store.get('webhookEndpoints', d.endpointId);
    if (!e || e.disabled !== null) {
      await dropDelivery(ctx, d, 'The webhook was disabled before this delivery was sent.');
      return;
    }
    const outcome = await send(
      { url: e.url, secret: e.secret, messageId: d.messageId, body: d.payload },
      { testMode: o.testMode, ...(o.resolve ? { resolve: o.resolve } : {}) },
    );
    await recordAttempt(ctx, d, outcome, delays);
  }

  return startWorkerLoop({
    name: 'Webhook delivery',
    bus: ctx.bus,
    wakeOn: 'webhooks',
    pollMs: o.pollMs ?? 1000,
    async step(stopped) {
      const clock = ctx.clock;
      if (isShared(clock)) await clock.sync();
      const due = await claimDeliveries(ctx, CLAIM_BATCH, o.leaseSeconds ?? LEASE_SECONDS);
      if (stopped()) return false;
      // Side by side: each attempt ends within its 5-second timeout, well within the lease.
      await Promise.all(due.map((d) => attempt(d)));
      return due.length === CLAIM_BATCH;
    },
  });
}
