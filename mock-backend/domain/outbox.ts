// E-mails to many recipients: queued as one job by the change (one row, whatever the number of
// members), expanded into outbox rows by whoever needs the rows, a batch at a time: the SMTP worker
// before it delivers, the demo mailbox before it lists. Anything that lists the outbox (the test
// endpoint) sees every e-mail the moment the change commits, expanded or not.
import type { OutboxMessage } from '../../api/types.ts';
import type { MailJobRow, OutboxRow } from '../store/schema.ts';
import type { Store } from '../store/types.ts';
import { type Ctx, nowSec, type TxCtx } from './context.ts';
import { type Mail, newJoinRequestMail, type RequestFacts } from './emails.ts';
import { iso } from './format.ts';

function render(job: MailJobRow, to: string): Mail {
  return newJoinRequestMail(to, job.facts);
}

/** Queues the new-request e-mail to each of `recipients` as one job. */
export async function queueNewRequestMails(
  ctx: TxCtx,
  recipients: string[],
  facts: RequestFacts,
): Promise<void> {
  if (!recipients.length) return;
  const newest = (await ctx.store.find('outbox', {}, { desc: true, limit: 1 }))[0]?.id ?? 0;
  await ctx.store.insert('mailJobs', {
    created: nowSec(ctx),
    template: 'newJoinRequest',
    facts,
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
      for (const to of job.recipients.slice(job.expanded, upTo)) {
        await tx.insert('outbox', {
          ...render(job, to),
          created: job.created,
          jobId: job.id,
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
  return (await outboxMessages(ctx)).map(({ to, subject, text, html }) => ({ to, subject, text, html }));
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
    created: iso(created),
  });
  let j = 0;
  const flushJobsUpTo = (outboxId: number) => {
    for (; j < jobs.length; j++) {
      const job = jobs[j];
      if (!job || job.afterOutboxId >= outboxId) return;
      for (const r of byJob.get(job.id) ?? []) out.push(message(r, r.created));
      for (const to of job.recipients.slice(job.expanded)) out.push(message(render(job, to), job.created));
    }
  };
  for (const r of plain) {
    flushJobsUpTo(r.id);
    out.push(message(r, r.created));
  }
  flushJobsUpTo(Number.POSITIVE_INFINITY);
  return out;
}
