// Delivers outbox messages over SMTP (Node only; the server starts it when SMTP_URL is set).
// One delivery loop at a time, a message is marked sent right after the server accepted it, and a
// failure is retried with exponential back-off: nothing is lost, nothing is sent twice by us, and a
// decision never waits for the mail server. (If the process dies between "accepted" and "marked",
// the retry carries the same Message-ID so the receiver can drop the duplicate.) Across instances on
// one database, one worker at a time claims due messages (the 'mail-worker' lock) and leases them, so
// no other instance sends them while this one does.
import nodemailer from 'nodemailer';
import type { Bus } from '../domain/context.ts';
import { expandMailJobs } from '../domain/outbox.ts';
import type { OutboxRow } from '../store/schema.ts';
import type { Store } from '../store/types.ts';
import { startWorkerLoop } from '../worker-loop.ts';

export interface SmtpWorkerOptions {
  store: Store;
  bus: Bus;
  smtpUrl: string;
  from?: string;
  /** First retry delay; doubles each failure up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How often to look for due retries when nothing new arrives. */
  pollMs?: number;
  /** Wall clock for back-off (not the test clock: a mail server's outage is real time). */
  now?: () => number;
  /**
   * On a shared database: how long messages claimed by a worker are kept from the others (default
   * CLAIM_LEASE_MS). An instance that dies mid-pass leaves its claimed messages to the others once
   * this passes.
   */
  leaseMs?: number;
}

export interface SmtpWorker {
  /** Runs one delivery pass now and waits for it. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A claimed message is not due for others this long. Only a worker that died mid-pass lets it run
 * out; a live one delivers a claim (at most CLAIM_BATCH messages) well within it: each SMTP step
 * times out after a quarter of the lease at most, and no delivery starts once half of it is gone.
 */
export const CLAIM_LEASE_MS = 2 * 60_000;
/** Messages one claim takes: what a dying worker can hold up, at most. */
export const CLAIM_BATCH = 20;

/** A claimed message, and when it was due before the claim's lease (given back if not tried). */
interface Claimed {
  row: OutboxRow;
  before: number;
}

export function backoffDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function startSmtpWorker(o: SmtpWorkerOptions): SmtpWorker {
  const now = o.now ?? Date.now;
  const base = o.baseDelayMs ?? 1000;
  const max = o.maxDelayMs ?? 5 * 60_000;
  const leaseMs = o.leaseMs ?? CLAIM_LEASE_MS;
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 1000)
    throw new Error(`The mail lease must be at least 1000 ms: got ${leaseMs}`);
  // A silent mail server cannot hold one delivery past the lease (nodemailer waits 10 min by default).
  const stepMs = Math.min(30_000, Math.floor(leaseMs / 4));
  const transport = nodemailer.createTransport({
    url: o.smtpUrl,
    connectionTimeout: stepMs,
    greetingTimeout: stepMs,
    socketTimeout: stepMs,
  });
  const from = o.from ?? 'Support Kit <no-reply@supportkit.test>';

  async function deliver(m: OutboxRow): Promise<void> {
    try {
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        ...(m.replyTo ? { replyTo: m.replyTo } : {}),
        messageId: `<outbox-${m.id}@supportkit.test>`,
      });
    } catch (e) {
      const attempts = m.attempts + 1;
      await o.store.updateIf('outbox', m.id, claimOf(m), {
        attempts,
        nextAttemptAt: now() + backoffDelay(attempts, base, max),
        lastError: e instanceof Error ? e.message.slice(0, 500) : String(e),
      });
      return;
    }
    await o.store.updateIf('outbox', m.id, claimOf(m), {
      smtpSentAt: now(),
      attempts: m.attempts + 1,
      lastError: null,
    });
  }

  /**
   * What the row still holds while it is this worker's claim: marks go through compare-and-set, so
   * a row that is no longer the one claimed (its lease ran out and another worker took it, or the
   * test reset replaced the outbox and its ids started over) is never marked for a delivery it did
   * not get.
   */
  const claimOf = (m: OutboxRow) => ({
    smtpSentAt: null,
    nextAttemptAt: m.nextAttemptAt,
    attempts: m.attempts,
  });

  // Only a shared database has other workers to keep off; in one process passes run one at a time.
  const leased = o.store.kind === 'postgres';

  /**
   * Up to CLAIM_BATCH messages due now (oldest first), leased to this worker; none while another
   * worker holds the claim.
   */
  function claim(): Promise<{ due: Claimed[]; at: number }> {
    return o.store.transaction(async (tx) => {
      const at = now();
      if (!(await tx.tryLock('mail-worker'))) return { due: [], at };
      // From the index: a backlog of unsent e-mails is not read whole on every poll.
      const due = await tx.findDue('outbox', 'nextAttemptAt', at, { smtpSentAt: null }, CLAIM_BATCH);
      if (!leased) return { due: due.map((m) => ({ row: m, before: m.nextAttemptAt })), at };
      const until = at + leaseMs;
      for (const m of due) await tx.update('outbox', m.id, { nextAttemptAt: until });
      return { due: due.map((m) => ({ row: { ...m, nextAttemptAt: until }, before: m.nextAttemptAt })), at };
    });
  }

  /** Gives back the lease of messages claimed but not tried (the worker is stopping). */
  async function unclaim(rows: Claimed[]): Promise<void> {
    if (leased)
      for (const { row, before } of rows)
        await o.store.updateIf('outbox', row.id, claimOf(row), { nextAttemptAt: before });
  }

  const loop = startWorkerLoop({
    name: 'Mail delivery',
    bus: o.bus,
    wakeOn: 'outbox',
    pollMs: o.pollMs ?? 500,
    async step(stopped) {
      // E-mails queued as one job for many recipients become rows here, a batch per turn.
      while (!stopped() && (await expandMailJobs(o.store, 100, 'mail-worker')) > 0)
        await new Promise((r) => setImmediate(r));
      if (stopped()) return false;
      const { due, at } = await claim();
      for (const [i, m] of due.entries()) {
        if (stopped()) {
          await unclaim(due.slice(i));
          return false;
        }
        // Past half the lease, the rest may soon be another worker's: they wait for the lease to end.
        if (leased && now() - at > leaseMs / 2) break;
        await deliver(m.row);
      }
      // A full claim: there may be more due right now.
      return due.length === CLAIM_BATCH;
    },
  });

  return {
    flush: loop.flush,
    stop: async () => {
      await loop.stop();
      transport.close();
    },
  };
}
