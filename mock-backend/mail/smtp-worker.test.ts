// SMTP delivery against a real local SMTP server, and the retry path while that server is down.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../api/client.ts';
import { startSmtpSink } from '../../test/smtp-sink.ts';
import { startServer } from '../server.ts';
import { DEMO, TOKENS } from '../testing.ts';
import { backoffDelay, startSmtpWorker } from './smtp-worker.ts';

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('SMTP delivery', () => {
  it('sends every outbox message once, text and HTML, with user text escaped', async () => {
    const smtp = await startSmtpSink();
    cleanups.push(() => smtp.stop());
    const backend = await startServer({
      port: 0,
      db: ':memory:',
      fixture: DEMO,
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      smtpRetry: { pollMs: 50 },
    });
    cleanups.push(() => backend.close());
    const support = createClient({ baseUrl: backend.url, token: TOKENS.support });
    await support.requestAccess(100, { reason: '<b>bold</b> request' });
    await until(() => smtp.received.length === 4);
    await backend.smtp?.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received.flatMap((m) => m.to).sort()).toEqual(
      ['alice@acme.test', 'gary@acme.test', 'rita@acme.test', 'sean@acme.test'].sort(),
    );
    const raw = smtp.received[0]?.raw ?? '';
    expect(raw).toContain('text/plain');
    expect(raw).toContain('text/html');
    // The HTML part travels quoted-printable (long lines): read it decoded.
    const decoded = raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    expect(decoded).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(await backend.store.find('outbox', { smtpSentAt: null })).toEqual([]);
  });

  it('a backlog larger than one claim (20) goes out whole, each message once, soonest due first', async () => {
    const smtp = await startSmtpSink();
    cleanups.push(() => smtp.stop());
    const backend = await startServer({ port: 0, db: ':memory:', fixture: DEMO, smtpUrl: null });
    cleanups.push(() => backend.close());
    const now = Date.now();
    // 65 queued while no worker ran; the last five came due first (an earlier retry time).
    for (let i = 0; i < 65; i++)
      await backend.store.insert('outbox', {
        to: `m${i}@example.test`,
        subject: `backlog ${i}`,
        text: 'x',
        html: '<p>x</p>',
        created: Math.floor(now / 1000),
        jobId: null,
        replyTo: null,
        smtpSentAt: null,
        attempts: 0,
        nextAttemptAt: i >= 60 ? now - 60_000 : now - 1000 + i,
        lastError: null,
      });
    const worker = startSmtpWorker({
      store: backend.store,
      bus: backend.backend.ctx.bus,
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      pollMs: 10_000,
    });
    cleanups.push(() => worker.stop());
    await until(() => smtp.received.length === 65);
    await worker.flush();
    const to = smtp.received.flatMap((m) => m.to);
    expect(new Set(to).size).toBe(65);
    expect(to.slice(0, 5).sort()).toEqual(
      ['m60', 'm61', 'm62', 'm63', 'm64'].map((m) => `${m}@example.test`),
    );
    expect(await backend.store.find('outbox', { smtpSentAt: null })).toEqual([]);
  });

  it('keeps deciding while the server is down, retries with back-off, and delivers each message once when it is back', async () => {
    const probe = await startSmtpSink();
    const port = probe.port;
    await probe.stop();

    const backend = await startServer({
      port: 0,
      db: ':memory:',
      fixture: DEMO,
      smtpUrl: `smtp://127.0.0.1:${port}`,
      smtpRetry: { baseDelayMs: 50, maxDelayMs: 200, pollMs: 25 },
    });
    cleanups.push(() => backend.close());
    const req = await createClient({ baseUrl: backend.url, token: TOKENS.support }).requestAccess(100, {
      reason: 'while down',
    });
    const approve = await createClient({ baseUrl: backend.url, token: TOKENS.admin }).approveJoinRequest(
      100,
      req.data?.id ?? 0,
    );
    expect(approve.response?.status).toBe(202);
    await until(async () => (await backend.store.find('outbox', {})).every((m) => m.attempts >= 2));
    expect((await backend.store.find('outbox', {})).every((m) => m.smtpSentAt === null && m.lastError)).toBe(
      true,
    );

    const smtp = await startSmtpSink(port);
    cleanups.push(() => smtp.stop());
    await until(async () => (await backend.store.find('outbox', { smtpSentAt: null })).length === 0);
    await new Promise((r) => setTimeout(r, 300));
    const ids = smtp.received.map((m) => m.messageId);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });

  it('doubles the retry delay up to its cap', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffDelay(a, 1000, 5000))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
