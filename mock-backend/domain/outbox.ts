// E-mails to many recipients: queued as one job by the change (one row, whatever the number of
// members), expanded into outbox rows by whoever needs the rows, a batch at a time: the SMTP worker
// before it delivers, the demo mailbox before it lists. Anything that lists the outbox (the test
// endpoint) sees every e-mail the moment the change commits, expanded or not.
import type { OutboxMessage } from '../../api/types.ts';
import type { MailJobRow, OutboxRow } from '../store/schema.ts';
import type { Store } from '../store/types.ts';
import { type Ctx, nowSec, type TxCtx } from './context.ts';
import {
  type Mail,
  type NewRequestJobFacts,
  newJoinRequestMail,
  type RequestFacts,
  recipientDecides,
} from './emails.ts';
import { iso } from './format.ts';

/** The e-mail of the job's recipient at `index`. */
function render(job: MailJobRow, index: number): Mail {
  return newJoinRequestMail(
    job.recipients[index] ?? '',
    job.facts,
    recipientDecides(job.facts, index),
    job.facts.locale ?? 'en',
  );
}

/**
 * Queues the new-request e-mail as one job: to each of `deciders` (told to review it) and each of
 * `others` (told who decides).
 */
export async function queueNewRequestMails(
  ctx: TxCtx,
  deciders: string[],
  others: string[],
  facts: RequestFacts,
): Promise<void> {
  const recipients = [...deciders, ...others];
  if (!recipients.length) return;
  const newest = (await ctx.store.find('outbox', {}, { desc: true, limit: 1 }))[0]?.id ?? 0;
  await ctx.store.insert('mailJobs', {
    created: nowSec(ctx),
    template: 'newJoinRequest',
    facts: { ...facts, decidersFirst: deciders.length, locale: ctx.mailLocale } satisfies NewRequestJobFacts,
    recipients,
    expanded: 0,
    done: false,
    afterOutboxId: newest,
  });
  ctx.pending.push({ type: 'outbox' });
}

/**
 * Expands at most `limit` recipients of queued jobs into outbox rows (one transaction); returns how
 * many. With `lock`, only while holding that lock (the mail worker's: one expander across instances);
 * 0 when another holds it.
 */
export async function expandMailJobs(store: Store, limit: number, lock?: string): Promise<number> {
  return store.transaction(async (tx) => {
    if (lock !== undefined && !(await tx.tryLock(lock))) return 0;
    let written = 0;
    for (const job of await tx.find('mailJobs', { done: false }, { limit: 10 })) {
      if (written >= limit) break;
      const upTo = Math.min(job.recipients.length, job.expanded + (limit - written));
      for (let i = job.expanded; i < upTo; i++) {
        await tx.insert('outbox', {
          ...render(job, i),
          created: job.created,
          jobId: job.id,
          replyTo: null,
          smtpSentAt: null,
          attempts: 0,
          nextAttemptAt: 0,
          lastError: null,
        });
        written++;
      }
      await tx.update('mailJobs', job.id, { expanded: upTo, done: upTo >= job.recipients.length });
    }
    return written;
  });
}

/**
 * Every e-mail queued, oldest first, one per recipient: outbox rows, and the e-mails of jobs not yet
 * expanded, each job's at the place it was queued.
 */
export async function listOutbox(ctx: Ctx): Promise<Mail[]> {
  return (await outboxMessages(ctx)).map(({ to, subject, text, html, replyTo }) => ({
    to,
    subject,
    text,
    html,
    ...(replyTo ? { replyTo } : {}),
  }));
}

export async function outboxMessages(ctx: Ctx): Promise<OutboxMessage[]> {
  // Both in one transaction: a job expanded between the two reads would lose its e-mails.
  const [rows, jobs] = await ctx.store.transaction(
    async (tx) => [await tx.find('outbox', {}), await tx.find('mailJobs', {})] as const,
  );
  const known = new Set(jobs.map((j) => j.id));
  const byJob = new Map<number, OutboxRow[]>();
  const plain: OutboxRow[] = [];
  for (const r of rows) {
    // Rows of a job swept away by retention keep their own place.
    if (r.jobId === null || !known.has(r.jobId)) plain.push(r);
    else {
      const list = byJob.get(r.jobId) ?? [];
      list.push(r);
      byJob.set(r.jobId, list);
    }
  }
  const out: OutboxMessage[] = [];
  const message = (m: Mail, created: number): OutboxMessage => ({
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    replyTo: m.replyTo ?? null,
    created: iso(created),
  });
  let j = 0;
  const flushJobsUpTo = (outboxId: number) => {
    for (; j < jobs.length; j++) {
      const job = jobs[j];
      if (!job || job.afterOutboxId >= outboxId) return;
      for (const r of byJob.get(job.id) ?? []) out.push(message(r, r.created));
      for (let i = job.expanded; i < job.recipients.length; i++)
        out.push(message(render(job, i), job.created));
    }
  };
  for (const r of plain) {
    flushJobsUpTo(r.id);
    out.push(message(r, r.created));
  }
  flushJobsUpTo(Number.POSITIVE_INFINITY);
  return out;
}

/**
 * The newest `limit` outbox rows, newest first by the time each was queued, then by its place in the
 * queue: a job's rows sit where the job was queued (after the row it names), though they are written
 * later, with higher ids. Expand the jobs first; a job not yet expanded has no rows to list.
 */
export async function newestOutboxRows(store: Store, limit: number): Promise<OutboxRow[]> {
  // Any row among the newest `limit` is among the newest `limit` by id (a job's rows only rise), or
  // among the newest `limit` rows of no job (a row written before a big job was expanded).
  // Plain reads, not a transaction (which on PostgreSQL waits its turn behind every write): the jobs
  // are read first, so a row's job is there unless retention removed it, and then the row keeps its
  // own place.
  const jobs = await store.find('mailJobs', {});
  const [recent, plain] = await Promise.all([
    store.find('outbox', {}, { desc: true, limit }),
    store.find('outbox', { jobId: null }, { desc: true, limit }),
  ]);
  const after = new Map(jobs.map((j) => [j.id, j.afterOutboxId]));
  const rows = new Map([...recent, ...plain].map((r) => [r.id, r]));
  // A row's place in the queue: its own id, or just after the row its job was queued after (jobs in
  // their order, each job's recipients in theirs). A job swept away by retention leaves its rows
  // their own place.
  const place = (r: OutboxRow): [number, number, number] => {
    const a = r.jobId === null ? undefined : after.get(r.jobId);
    return a === undefined ? [r.id, 0, 0] : [a, r.jobId ?? 0, r.id];
  };
  const newer = (x: OutboxRow, y: OutboxRow): number => {
    if (x.created !== y.created) return y.created - x.created;
    const [px, py] = [place(x), place(y)];
    return py[0] - px[0] || py[1] - px[1] || py[2] - px[2];
  };
  return [...rows.values()].sort(newer).slice(0, limit);
}
