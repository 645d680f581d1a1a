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
}

export interface SmtpWorker {
  /** Runs one delivery pass now and waits for it. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A claimed message is not due for others this long: longer than a delivery can take (nodemailer
 * gives up on a silent socket after 10 minutes). Only a worker that died mid-delivery lets it run out.
 */
export const CLAIM_LEASE_MS = 15 * 60_000;

export function backoffDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function startSmtpWorker(o: SmtpWorkerOptions): SmtpWorker {
  const now = o.now ?? Date.now;
  const base = o.baseDelayMs ?? 1000;
  const max = o.maxDelayMs ?? 5 * 60_000;
  const transport = nodemailer.createTransport(o.smtpUrl);
  const from = o.from ?? 'Support Kit <no-reply@supportkit.test>';
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  async function deliver(m: OutboxRow): Promise<void> {
    try {
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: `<outbox-${m.id}@supportkit.test>`,
      });
    } catch (e) {
      const attempts = m.attempts + 1;
      await o.store.update('outbox', m.id, {
        attempts,
        nextAttemptAt: now() + backoffDelay(attempts, base, max),
        lastError: e instanceof Error ? e.message.slice(0, 500) : String(e),
      });
      return;
    }
    await o.store.update('outbox', m.id, { smtpSentAt: now(), attempts: m.attempts + 1, lastError: null });
  }

  // Only a shared database has other workers to keep off; in one process passes run one at a time.
  const leased = o.store.kind === 'postgres';

  /** The messages due now, leased to this worker; none while another worker holds the claim. */
  function claim(): Promise<OutboxRow[]> {
    return o.store.transaction(async (tx) => {
      if (!(await tx.tryLock('mail-worker'))) return [];
      const at = now();
      const due = (await tx.find('outbox', { smtpSentAt: null })).filter((m) => m.nextAttemptAt <= at);
      if (leased)
        for (const m of due) await tx.update('outbox', m.id, { nextAttemptAt: at + CLAIM_LEASE_MS });
      return due;
    });
  }

  /** Gives back the lease of messages claimed but not tried (the worker is stopping). */
  async function unclaim(rows: OutboxRow[]): Promise<void> {
    if (leased)
      for (const m of rows) await o.store.update('outbox', m.id, { nextAttemptAt: m.nextAttemptAt });
  }

  async function pass(): Promise<void> {
    do {
      again = false;
      // E-mails queued as one job for many recipients become rows here, a batch per turn.
      while (!stopped && (await expandMailJobs(o.store, 100, 'mail-worker')) > 0)
        await new Promise((r) => setImmediate(r));
      if (stopped) return;
      const due = await claim();
      for (const [i, m] of due.entries()) {
        if (stopped) return unclaim(due.slice(i));
        await deliver(m);
      }
    } while (again && !stopped);
  }

  function kick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    // A failed pass (the store unreachable) is logged and tried again on the next kick or poll.
    running = pass()
      .catch((e: unknown) => console.error('Mail delivery pass failed', e))
      .finally(() => {
        running = null;
      });
    return running;
  }

  const unsubscribe = o.bus.subscribe((s) => {
    if (s.type === 'outbox') void kick();
  });
  const timer = setInterval(() => void kick(), o.pollMs ?? 500);
  timer.unref?.();
  void kick();

  return {
    flush: async () => {
      await running;
      await kick();
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running;
      transport.close();
    },
  };
}
