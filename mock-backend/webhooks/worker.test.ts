// Issue 23, point 4: deliveries reach a real HTTP receiver, signed so that the `standardwebhooks`
// verifier accepts every one, each event once, also after the receiver was down (retries with
// back-off by the server's clock); a tampered or re-signed message is refused by the verifier; an
// endpoint failing three days is disabled and its organization users e-mailed; redirects are not
// followed, answers are cut to 1 KB, slow receivers time out, and outside test mode nothing goes to
// this machine, however DNS answers.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookEventType } from '../../api/types.ts';
import { webhookMethods } from '../../api/webhooks.ts';
import { type Harness, harness, IDS } from '../testing.ts';
import { sendWebhook } from './send.ts';
import { startWebhookWorker, type WebhookWorker } from './worker.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  port: number;
  got: Received[];
  /** What the next requests are answered (default 204). */
  answer: (r: Received) => { status: number; body?: string; headers?: Record<string, string> } | 'hang';
  close(): Promise<void>;
}

async function startReceiver(port = 0): Promise<Receiver> {
  const got: Received[] = [];
  const receiver: Receiver = {
    url: '',
    port: 0,
    got,
    answer: () => ({ status: 204 }),
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += String(c);
    });
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body };
      got.push(r);
      const a = receiver.answer(r);
      if (a === 'hang') return;
      res.writeHead(a.status, a.headers);
      res.end(a.body);
    });
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  receiver.close = () =>
    new Promise((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
  return receiver;
}

const verifyAll = (secret: string, got: Received[]) =>
  got.map((r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string });

const reason = 'Investigating SK-2201';
const EVENTS: WebhookEventType[] = ['request.created', 'request.approved', 'member.left', 'member.joined'];

let receiver: Receiver | undefined;
let worker: WebhookWorker | undefined;
afterEach(async () => {
  await worker?.stop();
  await receiver?.close();
  worker = undefined;
  receiver = undefined;
});

async function setUp(events = EVENTS): Promise<{ h: Harness; secret: string; hookId: number; r: Receiver }> {
  const h = await harness();
  const r = await startReceiver();
  receiver = r;
  const made = await webhookMethods(h.client('org')).createWebhook(10, { url: r.url, events });
  expect(made.response?.status).toBe(201);
  // Polling off: each pass is the test's flush, so what happens when is the test's to say.
  worker = startWebhookWorker({ ctx: h.ctx, testMode: true, pollMs: 3_600_000 });
  return { h, secret: made.data?.secret ?? '', hookId: made.data?.id ?? 0, r };
}

/** Sam asks for Acme Main, Alice approves, Sam leaves: three events. */
async function samComesAndGoes(h: Harness): Promise<void> {
  const asked = await h.client('support').requestAccess(100, { reason, expirationSeconds: 3600 });
  await h.client('admin').approveJoinRequest(100, asked.data?.id ?? 0);
  await h.client('support').removeProjectUser(100, IDS.support);
}

describe('webhook deliveries to a real receiver', () => {
  it('signs every delivery so the standardwebhooks verifier accepts it, and sends each event once', async () => {
    const { h, secret, hookId, r } = await setUp();
    await samComesAndGoes(h);
    await worker?.flush();
    await worker?.flush();
    const payloads = verifyAll(secret, r.got);
    expect(payloads.map((p) => p.type)).toEqual(['request.created', 'request.approved', 'member.left']);
    expect(new Set(r.got.map((x) => x.headers['webhook-id'])).size).toBe(3);
    expect(r.got[0]?.headers['content-type']).toBe('application/json');
    const listed = await webhookMethods(h.client('org')).listWebhookDeliveries(10, hookId);
    expect(listed.data?.map((d) => [d.status, d.attempts, d.responseStatus])).toEqual([
      ['delivered', 1, 204],
      ['delivered', 1, 204],
      ['delivered', 1, 204],
    ]);
  });

  it('the verifier refuses a tampered body, a moved timestamp, another secret and a stale message', async () => {
    const { h, secret, r } = await setUp();
    await webhookMethods(h.client('org')).sendWebhookTest(
      10,
      (await webhookMethods(h.client('org')).listWebhooks(10)).data?.[0]?.id ?? 0,
    );
    await worker?.flush();
    const [m] = r.got;
    if (!m) throw new Error('nothing received');
    const headers = m.headers as Record<string, string>;
    const wh = new Webhook(secret);
    expect(wh.verify(m.body, headers)).toMatchObject({ type: 'test' });
    expect(() => wh.verify(m.body.replace('"test"', '"member.joined"'), headers)).toThrow(
      WebhookVerificationError,
    );
    const ts = Number(headers['webhook-timestamp']);
    expect(() => wh.verify(m.body, { ...headers, 'webhook-timestamp': String(ts + 1) })).toThrow(
      WebhookVerificationError,
    );
    // Re-signed by someone without the secret.
    const other = new Webhook(`whsec_${Buffer.from('someone else entirely!!!').toString('base64')}`);
    const forged = other.sign(headers['webhook-id'] ?? '', new Date(ts * 1000), m.body);
    expect(() => wh.verify(m.body, { ...headers, 'webhook-signature': forged })).toThrow(
      WebhookVerificationError,
    );
    // A replay long after: outside the verifier's five minutes.
    const old = wh.sign(headers['webhook-id'] ?? '', new Date(Date.now() - 10 * 60_000), m.body);
    expect(() =>
      wh.verify(m.body, {
        ...headers,
        'webhook-timestamp': String(Math.floor((Date.now() - 10 * 60_000) / 1000)),
        'webhook-signature': old,
      }),
    ).toThrow(WebhookVerificationError);
  });

  it('after a receiver outage the retries deliver each event once, with back-off by the clock', async () => {
    const { h, secret, hookId, r } = await setUp();
    const port = r.port;
    await r.close();
    await samComesAndGoes(h);
    await worker?.flush();
    let rows = await h.store.find('webhookDeliveries', {});
    expect(rows.map((d) => [d.status, d.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
      ['pending', 1],
    ]);
    expect(rows[0]?.error).toMatch(/ECONNREFUSED/);
    expect((await h.store.get('webhookEndpoints', hookId))?.failingSince).not.toBeNull();
    // Not due yet: nothing is tried before the back-off passed.
    await worker?.flush();
    expect((await h.store.find('webhookDeliveries', {})).map((d) => d.attempts)).toEqual([1, 1, 1]);
    // Still down at the second attempt (5 s later); the third (a minute after) finds it back.
    await h.advance(5);
    await worker?.flush();
    const back = await startReceiver(port);
    receiver = back;
    await h.advance(30);
    await worker?.flush();
    expect(back.got).toHaveLength(0);
    await h.advance(30);
    await worker?.flush();
    await worker?.flush();
    expect(verifyAll(secret, back.got).map((p) => p.type)).toEqual([
      'request.created',
      'request.approved',
      'member.left',
    ]);
    rows = await h.store.find('webhookDeliveries', {});
    expect(rows.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 3],
      ['delivered', 3],
      ['delivered', 3],
    ]);
    expect((await h.store.get('webhookEndpoints', hookId))?.failingSince).toBeNull();
    // Nothing more comes, whatever time passes.
    await h.advance(86_400);
    await worker?.flush();
    expect(back.got).toHaveLength(3);
  });

  it('gives up after a day; Retry sends the same message once more', async () => {
    const { h, secret, hookId, r } = await setUp();
    r.answer = () => ({ status: 503, body: 'x'.repeat(5000) });
    const test = await webhookMethods(h.client('org')).sendWebhookTest(10, hookId);
    for (
      let s = 0;
      s < 30 && (await h.store.get('webhookDeliveries', test.data?.id ?? 0))?.status === 'pending';
      s++
    ) {
      await worker?.flush();
      await h.advance(4 * 3600);
    }
    const d = (await webhookMethods(h.client('org')).listWebhookDeliveries(10, hookId)).data?.[0];
    expect(d?.status).toBe('failed');
    expect(d?.responseStatus).toBe(503);
    expect(d?.response).toHaveLength(1024);
    const tries = r.got.length;
    expect(tries).toBeGreaterThanOrEqual(6);
    expect(tries).toBeLessThanOrEqual(9);
    r.answer = () => ({ status: 200, body: 'ok' });
    expect(
      (await webhookMethods(h.client('org')).retryWebhookDelivery(10, hookId, d?.id ?? 0)).data?.status,
    ).toBe('pending');
    await worker?.flush();
    expect(r.got).toHaveLength(tries + 1);
    expect(new Set(r.got.map((x) => x.headers['webhook-id'])).size).toBe(1);
    expect(verifyAll(secret, r.got.slice(-1))[0]?.type).toBe('test');
    expect((await webhookMethods(h.client('org')).listWebhookDeliveries(10, hookId)).data?.[0]?.status).toBe(
      'delivered',
    );
  });

  it('an endpoint failing for three days is disabled and its organization users are e-mailed', async () => {
    const { h, hookId, r } = await setUp(['member.joined', 'request.created', 'request.cancelled']);
    r.answer = () => ({ status: 500 });
    const before = (await h.outbox()).length;
    await h.client('support').requestAccess(100, { reason, expirationSeconds: 3600 });
    await worker?.flush();
    await h.advance(3 * 86_400);
    const mine = await h.client('support').listMyJoinRequests();
    await h.client('support').cancelMyJoinRequest(mine.data?.[0]?.id ?? 0);
    await worker?.flush();
    const e = (await webhookMethods(h.client('org')).listWebhooks(10)).data?.[0];
    expect(e?.disabled).not.toBeNull();
    const mails = (await h.outbox()).slice(before).filter((m) => m.subject.includes('webhook'));
    // Olga is Acme's one organization user; no outsider is told.
    expect(mails.map((m) => m.to)).toEqual(['olga@acme.test']);
    expect(mails[0]?.text).toContain(r.url);
    // Nothing more is sent to it: a later event is not queued, a test is refused.
    const sent = r.got.length;
    await h.client('org').updateOrganization(10, { allowAutoJoin: true });
    await h.client('support').joinProject(100, { reason, expirationSeconds: 3600 });
    await worker?.flush();
    expect(r.got).toHaveLength(sent);
    expect((await webhookMethods(h.client('org')).sendWebhookTest(10, hookId)).response?.status).toBe(409);
  });

  it('a redirect is not followed and its target never hit', async () => {
    const { h, hookId, r } = await setUp();
    r.answer = (x) =>
      x.path === '/hook'
        ? { status: 302, headers: { Location: `http://127.0.0.1:${r.port}/elsewhere` } }
        : { status: 200 };
    await webhookMethods(h.client('org')).sendWebhookTest(10, hookId);
    await worker?.flush();
    expect(r.got.map((x) => x.path)).toEqual(['/hook']);
    const d = (await webhookMethods(h.client('org')).listWebhookDeliveries(10, hookId)).data?.[0];
    expect(d?.error).toMatch(/Redirects are not followed/);
    expect(d?.status).toBe('pending');
  });
});

describe('one attempt (sendWebhook)', () => {
  const message = (url: string) => ({
    url,
    secret: `whsec_${Buffer.from('0123456789abcdef01234567').toString('base64')}`,
    messageId: 'msg_1',
    body: '{"type":"test"}',
  });

  it('a receiver that does not answer in time is given up on', async () => {
    const r = await startReceiver();
    receiver = r;
    r.answer = () => 'hang';
    const started = Date.now();
    const out = await sendWebhook(message(r.url), { testMode: true, timeoutMs: 300 });
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/No answer within 0.3 seconds/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('outside test mode nothing goes to this machine, by address, by name, or by a DNS answer that changes', async () => {
    const r = await startReceiver();
    receiver = r;
    const https = r.url.replace('http:', 'https:');
    for (const url of [
      r.url,
      https,
      `https://[::ffff:127.0.0.1]:${r.port}/`,
      `https://localhost:${r.port}/`,
    ]) {
      const out = await sendWebhook(message(url), { testMode: false });
      expect(out.ok, url).toBe(false);
    }
    // A name that was public when saved answers 127.0.0.1 now: refused at the attempt.
    const rebound = await sendWebhook(message(`https://hooks.example.com:${r.port}/`), {
      testMode: false,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    expect(rebound.error).toMatch(/resolves to 127.0.0.1, a loopback address/);
    expect(r.got).toHaveLength(0);
  });

  it('connects to the address it resolved and checked, not to a second DNS answer', async () => {
    const r = await startReceiver();
    receiver = r;
    let asked = 0;
    // The system's DNS cannot resolve this name: only the pinned answer reaches the receiver.
    const out = await sendWebhook(message(`http://receiver.invalid:${r.port}/hook`), {
      testMode: true,
      resolve: async () => {
        asked++;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect(out).toMatchObject({ ok: true, responseStatus: 204 });
    expect(asked).toBe(1);
    expect(r.got[0]?.headers.host).toBe(`receiver.invalid:${r.port}`);
  });
});
