// Two backend instances on one PostgreSQL database, each its own process started by the CLI as an
// operator would (`--db postgres://…`, test mode), side by side as behind a load balancer. What one
// instance alone cannot show: one decision across both, events crossing from one to the other, one
// sweeper, and an instance killed mid-burst losing nothing it acknowledged.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../api/client.ts';
import { webhookMethods } from '../api/webhooks.ts';
import { createTestDatabase, dropTestDatabase } from '../test/postgres-db.ts';
import { type SmtpSink, startSmtpSink } from '../test/smtp-sink.ts';
import { DEMO, IDS, type Persona, TOKENS } from './testing.ts';

const ROOT = join(import.meta.dirname, '..');

interface Instance {
  name: string;
  url: string;
  proc: ChildProcess;
  exited: Promise<void>;
}

/** Starts `npm run backend` (the CLI) on a free port; answers once it printed its one line. */
function startInstance(name: string, db: string, smtpPort: number): Promise<Instance> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'mock-backend/cli.ts'), '--port', '0', '--db', db, '--test-mode'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        // A killed instance's claimed e-mails go to the other after 2 s instead of 2 min.
        SMTP_LEASE_MS: '2000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => {
      err += String(d);
    });
    proc.stdout?.on('data', (d: Buffer) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ name, url: m[1], proc, exited });
    });
    proc.once('exit', (code) => reject(new Error(`instance ${name} exited ${code}: ${err}`)));
  });
}

async function stopInstance(i: Instance | undefined): Promise<void> {
  if (!i || i.proc.exitCode !== null || i.proc.signalCode !== null) return;
  i.proc.kill('SIGTERM');
  await i.exited;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let db = '';
let sql: postgres.Sql;
let smtp: SmtpSink;
let a: Instance;
let b: Instance;

const client = (i: Instance, persona: Persona): Client =>
  createClient({ baseUrl: i.url, token: TOKENS[persona], timeoutMs: 10_000 });

async function post(i: Instance, path: string, body: unknown): Promise<Response> {
  return fetch(`${i.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

interface OutboxMail {
  to: string;
  subject: string;
}
async function outbox(i: Instance): Promise<OutboxMail[]> {
  const r = await fetch(`${i.url}/__test__/outbox`);
  expect(r.status).toBe(200);
  return (await r.json()) as OutboxMail[];
}

async function requestAsSupport(): Promise<number> {
  const r = await client(a, 'support').requestAccess(100, {
    reason: 'SK-1: two instances',
    expirationSeconds: 3600,
  });
  if (r.error !== undefined) throw new Error(`request-access: ${JSON.stringify(r.error)}`);
  return r.data.id;
}

const SUPPORT_EMAIL = 'sam@supportkit.test';
const OUTCOME = /^Your access request for .* was (approved|rejected)$/;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = postgres(db, { max: 2, onnotice: () => {}, fetch_types: false });
  smtp = await startSmtpSink();
  // Both at once: one loads the demo data under the lock, the other waits and finds it there.
  [a, b] = await Promise.all([startInstance('A', db, smtp.port), startInstance('B', db, smtp.port)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([stopInstance(a), stopInstance(b)]);
  await smtp?.stop();
  await sql?.end({ timeout: 1 });
  if (db) await dropTestDatabase(db);
});

beforeEach(async () => {
  // Whatever the last test's e-mails were, they are delivered before the data goes.
  await new Promise((r) => setTimeout(r, 100));
  expect((await post(a, '/__test__/reset', DEMO)).status).toBe(204);
  smtp.received.length = 0;
});

describe('two instances on one PostgreSQL database', () => {
  it('webhooks: events made through both instances reach the receiver once each, signed', async () => {
    const got: { headers: Record<string, string>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += String(c);
      });
      req.on('end', () => {
        got.push({ headers: req.headers as Record<string, string>, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    try {
      const port = (receiver.address() as AddressInfo).port;
      const made = await webhookMethods(client(a, 'org')).createWebhook(10, {
        url: `http://127.0.0.1:${port}/hook`,
        events: ['organization.autoJoinChanged', 'request.created', 'request.cancelled'],
      });
      if (made.error !== undefined) throw new Error(JSON.stringify(made.error));
      // Twelve events, made alternately through A and B: both workers race for every one.
      for (let n = 0; n < 10; n++) {
        const r = await client(n % 2 ? b : a, 'org').updateOrganization(10, { allowAutoJoin: n % 2 === 0 });
        expect(r.error).toBeUndefined();
      }
      const id = await requestAsSupport();
      expect((await client(b, 'support').cancelMyJoinRequest(id)).error).toBeUndefined();
      await until('every event', () => new Set(got.map((g) => g.headers['webhook-id'])).size >= 12);
      // Both workers poll every second: give each a few passes to send one again, if it would.
      await new Promise((r) => setTimeout(r, 2500));
      expect(got).toHaveLength(12);
      const wh = new Webhook(made.data.secret);
      const types = got.map((g) => (wh.verify(g.body, g.headers) as { type: string }).type);
      expect(types.filter((t) => t === 'organization.autoJoinChanged')).toHaveLength(10);
      expect(types.filter((t) => t.startsWith('request.')).sort()).toEqual([
        'request.cancelled',
        'request.created',
      ]);
      const rows = await sql`SELECT status, attempts FROM "webhookDeliveries"`;
      expect(rows.map((r) => [r.status, Number(r.attempts)])).toEqual(Array(12).fill(['delivered', 1]));
    } finally {
      await new Promise<void>((ok) => receiver.close(() => ok()));
    }
  });

  it('started together, they loaded the demo data once', async () => {
    const [{ n }] = (await sql`SELECT count(*)::int AS n FROM users`) as unknown as [{ n: number }];
    expect(n).toBe(DEMO.users?.length);
    // And both serve it.
    for (const i of [a, b]) {
      const r = await client(i, 'admin').verifyToken();
      expect(r.error).toBeUndefined();
    }
  });

  it('20 concurrent decisions on one request, split across both: one winner, one e-mail', async () => {
    const id = await requestAsSupport();
    const decisions = Array.from({ length: 20 }, (_, n) => {
      const c = client(n % 2 ? b : a, 'admin');
      const approve = n % 3 !== 0;
      return (approve ? c.approveJoinRequest(100, id) : c.rejectJoinRequest(100, id)).then((r) => ({
        approve,
        status: r.response?.status,
      }));
    });
    const results = await Promise.all(decisions);
    // Approve answers 202, reject 204; every other decision is refused as already made.
    const won = (r: { status?: number }) => r.status === 202 || r.status === 204;
    const winners = results.filter(won);
    expect(winners, JSON.stringify(results)).toHaveLength(1);
    expect(winners[0]?.status).toBe(winners[0]?.approve ? 202 : 204);
    for (const r of results.filter((x) => !won(x))) expect([404, 409]).toContain(r.status);
    const outcome = winners[0]?.approve ? 'approved' : 'rejected';

    // The request is decided the winner's way, and no longer pending for the requester on either.
    const [row] = await sql`SELECT status FROM "joinRequests" WHERE id = ${id}`;
    expect(row?.status).toBe(outcome);
    for (const i of [a, b]) {
      const mine = await client(i, 'support').listMyJoinRequests();
      if (mine.error !== undefined) throw new Error(JSON.stringify(mine.error));
      expect(mine.data.map((r) => r.id)).not.toContain(id);
    }
    // One outcome e-mail in the shared outbox, and one delivered over SMTP.
    const outcomes = (await outbox(b)).filter((m) => m.to === SUPPORT_EMAIL && OUTCOME.test(m.subject));
    expect(outcomes.map((m) => OUTCOME.exec(m.subject)?.[1])).toEqual([outcome]);
    const delivered = () =>
      smtp.received.filter((m) => m.to.includes(SUPPORT_EMAIL) && OUTCOME.test(m.subject));
    await until('the outcome e-mail', () => delivered().length > 0);
    // Both mail workers poll every 500 ms: give each a few passes to send it again, if it would.
    await new Promise((r) => setTimeout(r, 1500));
    expect(delivered()).toHaveLength(1);
  });

  it('a decision made through A reaches a stream held by B within a second', async () => {
    const id = await requestAsSupport();
    const abort = new AbortController();
    const res = await fetch(`${b.url}/manage/current-user/events`, {
      headers: { 'X-KBC-ManageApiToken': TOKENS.support },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no stream body');
    const decoder = new TextDecoder();
    let text = '';
    const read = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${pattern}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    try {
      await read(/: connected/);
      const started = performance.now();
      const approved = await client(a, 'admin').approveJoinRequest(100, id);
      expect(approved.response?.status).toBe(202);
      await read(/event: joinRequest\.decided\n/);
      const latency = performance.now() - started;
      expect(latency).toBeLessThan(1000);
      expect(text).toMatch(new RegExp(`"requestId":${id}\\b`));
    } finally {
      abort.abort();
    }
  });

  it('an expiry is handled once while both instances sweep', async () => {
    const id = await requestAsSupport();
    expect((await client(a, 'admin').approveJoinRequest(100, id)).response?.status).toBe(202);
    // The shared clock moves past the access's end; then both sweep at once (their timers run
    // every second too).
    expect((await post(a, '/__test__/clock', { advanceSeconds: 0 })).status).toBe(200);
    await sql`UPDATE settings SET value = to_jsonb((value #>> '{}')::int8 + 3601000) WHERE key = 'clockOffsetMs'`;
    const both = await Promise.all([a, b].map((i) => post(i, '/__test__/clock', { advanceSeconds: 0 })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    // Both answer the same time: the clock is shared.
    const times = await Promise.all(
      both.map(async (r) => Date.parse(((await r.json()) as { now: string }).now)),
    );
    expect(Math.abs((times[0] ?? 0) - (times[1] ?? 0))).toBeLessThan(2000);

    await new Promise((r) => setTimeout(r, 2200));
    const rows = (await sql`
      SELECT count(*)::int AS n FROM "accessLog"
      WHERE "projectId" = 100 AND action = 'expired'`) as unknown as [{ n: number }];
    expect(rows[0].n).toBe(1);
    // One event: one row for the project's deciders and one for the user whose access ended.
    const events = await sql`
      SELECT "recipientId"::int AS "recipientId", audience FROM events WHERE event->>'type' = 'membership.expired' ORDER BY id`;
    expect([...events]).toEqual([
      { recipientId: null, audience: 'deciders' },
      { recipientId: IDS.support, audience: null },
    ]);
    const left = (await sql`
      SELECT count(*)::int AS n FROM "projectMembers" WHERE "projectId" = 100 AND "userId" = ${IDS.support}`) as unknown as [
      { n: number },
    ];
    expect(left[0].n).toBe(0);
  });

  it("an outsider's access ending while both sweep: one report to each decider, listing what was done through either", async () => {
    const id = await requestAsSupport();
    expect((await client(a, 'admin').approveJoinRequest(100, id)).response?.status).toBe(202);
    expect(
      (await client(b, 'support').createStorageToken(100, { description: 'Made through B' })).error,
    ).toBe(undefined);
    expect((await post(a, '/__test__/clock', { advanceSeconds: 0 })).status).toBe(200);
    await sql`UPDATE settings SET value = to_jsonb((value #>> '{}')::int8 + 3601000) WHERE key = 'clockOffsetMs'`;
    const both = await Promise.all([a, b].map((i) => post(i, '/__test__/clock', { advanceSeconds: 0 })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    // Their timers sweep too, a few times over.
    await new Promise((r) => setTimeout(r, 2200));
    const reports = (await outbox(b)).filter((m) => m.subject === 'What Sam Support did in Acme Main');
    expect(reports.map((m) => m.to).sort()).toEqual(['alice@acme.test', 'sean@acme.test']);
    const rows = (await sql`SELECT count(*)::int AS n, count(sent)::int AS sent FROM reports`) as unknown as [
      { n: number; sent: number },
    ];
    expect(rows[0]).toEqual({ n: 1, sent: 1 });
    const text = (await (await fetch(`${a.url}/__test__/outbox`)).json()) as {
      subject: string;
      text: string;
    }[];
    expect(text.find((m) => m.subject === 'What Sam Support did in Acme Main')?.text).toContain(
      'Made a Storage token "Made through B"',
    );
    // Delivered over SMTP once each, whichever instance's worker sent them.
    await until(
      'both reports delivered',
      () => smtp.received.filter((m) => m.subject === 'What Sam Support did in Acme Main').length >= 2,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.received.filter((m) => m.subject === 'What Sam Support did in Acme Main')).toHaveLength(2);
  });

  it('rate limits count the hits made through either instance', async () => {
    const statuses: (number | undefined)[] = [];
    for (let n = 0; n < 11; n++) {
      const r = await client(n % 2 ? b : a, 'guest').createTicket(
        { subject: `limit ${n}`, description: 'limits', type: 'question' },
        `limit-${n}`,
      );
      statuses.push(r.response?.status);
    }
    // Ten a minute per user (http/rate-limit.ts), five taken through each instance.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
  });

  it("a grant withdrawn through A ends access on both instances, and B's stream hears it within a second", async () => {
    const t = await client(a, 'admin').createTicket(
      { subject: 'Two instances', description: 'grant', type: 'problem', projectId: 100 },
      'grant-two-instances',
    );
    if (t.error !== undefined) throw new Error(JSON.stringify(t.error));
    const g = await client(a, 'admin').grantAccess(t.data.id, {});
    if (g.error !== undefined) throw new Error(JSON.stringify(g.error));
    expect((await client(b, 'support').joinWithGrant(g.data.id)).response?.status).toBe(204);
    const made = await client(b, 'support').createStorageToken(100, { description: 'Debug' });
    if (made.error !== undefined) throw new Error(JSON.stringify(made.error));
    const storage = (i: Instance) =>
      fetch(`${i.url}/v2/storage/tokens/verify`, { headers: { 'X-StorageApi-Token': made.data.token } });
    for (const i of [a, b]) expect((await storage(i)).status).toBe(200);

    const abort = new AbortController();
    const res = await fetch(`${b.url}/manage/current-user/events`, {
      headers: { 'X-KBC-ManageApiToken': TOKENS.support },
      signal: abort.signal,
    });
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no stream body');
    const decoder = new TextDecoder();
    let text = '';
    const read = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${pattern}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    try {
      await read(/: connected/);
      const started = performance.now();
      expect((await client(a, 'admin').withdrawGrant(t.data.id, g.data.id)).response?.status).toBe(204);
      // At once on both: no membership to read the project with, no Storage token.
      for (const i of [a, b]) {
        expect((await storage(i)).status, i.name).toBe(401);
        expect((await client(i, 'support').listProjectUsers(100)).error, i.name).toMatchObject({
          httpStatus: 403,
        });
      }
      await read(/event: membership\.expired\n/);
      await read(/event: grant\.changed\n/);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(text).toContain('"status":"withdrawn"');
    } finally {
      abort.abort();
    }
  });

  // Last: it kills A.
  it('SIGKILL of A during a burst through both: every acknowledged write is there, every e-mail goes out', async () => {
    const personas: Persona[] = ['admin', 'share', 'guest', 'readOnly', 'maintainer'];
    const acknowledged: string[] = [];
    let sent = 0;
    let killed = false;
    const one = async (n: number) => {
      const target = n % 2 ? b : a;
      const persona = personas[n % personas.length] ?? 'admin';
      const subject = `burst ${n}`;
      try {
        const r = await client(target, persona).createTicket(
          { subject, description: 'two instances', type: 'problem', projectId: 100 },
          `burst-${n}`,
        );
        if (r.error === undefined) acknowledged.push(subject);
      } catch {
        // A's connection went away: not acknowledged.
      }
    };
    // Eight writers, 40 tickets; A dies once a dozen are acknowledged.
    const writers = Array.from({ length: 8 }, async () => {
      for (;;) {
        const n = sent++;
        if (n >= 40) return;
        await one(n);
        if (!killed && acknowledged.length >= 12) {
          killed = true;
          a.proc.kill('SIGKILL');
        }
      }
    });
    await Promise.all(writers);
    await a.exited;
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);

    // Every acknowledged ticket is in the database, readable through B.
    const tickets = await client(b, 'support').listTickets();
    if (tickets.error !== undefined) throw new Error(JSON.stringify(tickets.error));
    const stored = new Set(tickets.data.map((t) => t.subject));
    for (const s of acknowledged) expect(stored.has(s), s).toBe(true);

    // Every stored ticket's e-mail reaches the mail server, those A had claimed when it died too
    // (once its 2 s lease ran out, B's worker sent them).
    const mailed = (s: string) => smtp.received.filter((m) => m.subject.endsWith(`] ${s}`));
    await until('every ticket e-mail', () => [...stored].every((s) => mailed(s).length > 0), 20_000).catch(
      async (e: unknown) => {
        const missing = [...stored].filter((s) => mailed(s).length === 0);
        const rows =
          await sql`SELECT id, subject, "smtpSentAt", "nextAttemptAt", attempts, "lastError" FROM outbox ORDER BY id`;
        throw new Error(
          `${String(e)}: missing ${JSON.stringify(missing)}; outbox ${JSON.stringify(rows)} now ${Date.now()}`,
        );
      },
    );
    await new Promise((r) => setTimeout(r, 1500));
    const ids = smtp.received.filter((m) => /\] burst \d+$/.test(m.subject)).map((m) => m.messageId);
    const twice = ids.filter((m, i) => ids.indexOf(m) !== i);
    // Once each, by Message-ID. The one exception possible: the e-mail A's SMTP session had just
    // handed over when it was killed, before it could mark it sent; B sends it again under the
    // same Message-ID, which receivers use to drop the copy. Never more than that one.
    expect(twice.length).toBeLessThanOrEqual(1);
    expect(new Set(ids).size).toBe(stored.size);
  });
});
