// Through real HTTP against the SQLite store: the race, durability across SIGKILL, and the CLI.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../api/client.ts';
import { eventsFor } from './domain/notify.ts';
import { createSweeper, startServer } from './server.ts';
import { DEMO, TOKENS } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sk-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the race', () => {
  it('20 concurrent approve/reject calls on one request: one wins, one membership, one e-mail', async () => {
    const server = await startServer({
      port: 0,
      db: join(dir, 'race.sqlite'),
      fixture: DEMO,
      testMode: true,
      smtpUrl: null,
    });
    try {
      const c = (token: string) => createClient({ baseUrl: server.url, token });
      const req = await c(TOKENS.support).requestAccess(100, { reason: 'race' });
      const id = req.data?.id ?? 0;
      const deciders = [c(TOKENS.admin), c(TOKENS.share)];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const client = deciders[i % 2] ?? deciders[0];
          if (!client) throw new Error('no client');
          return i % 3 === 0 ? client.rejectJoinRequest(100, id) : client.approveJoinRequest(100, id);
        }),
      );
      const statuses = results.map((r) => r.response?.status);
      const wins = statuses.filter((s) => s === 202 || s === 204);
      expect(wins).toHaveLength(1);
      expect(statuses.every((s) => s === 202 || s === 204 || s === 404 || s === 409)).toBe(true);
      const members = await server.store.count('projectMembers', { projectId: 100, userId: 1006 });
      expect(members).toBe(wins[0] === 202 ? 1 : 0);
      const decidedMails = await server.store.find('outbox', { to: 'sam@supportkit.test' });
      expect(decidedMails).toHaveLength(1);
      expect(
        (await eventsFor(server.backend.ctx, 1006, 0, 1000)).filter(
          (e) => e.event.type === 'joinRequest.decided',
        ),
      ).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

function spawnCli(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out} ${err}`)), 20_000);
    child.stderr?.on('data', (d) => {
      err += String(d);
    });
    child.stdout?.on('data', (d) => {
      out += String(d);
      const m = /^Support Kit mock backend listening on (http:\/\/\S+)\n/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out });
      }
    });
    child.once('exit', (code) => reject(new Error(`CLI exited ${code}: ${err}`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((ok) => {
    child.once('exit', () => ok());
    child.kill('SIGKILL');
  });

describe('the CLI on a file', () => {
  it('prints one line with the URL, and keeps every acknowledged change across SIGKILL', async () => {
    const db = join(dir, 'durable.sqlite');
    const first = await spawnCli(['--port', '0', '--db', db]);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const c = (token: string) => createClient({ baseUrl: first.url, token });
    const req = await c(TOKENS.maintainer).requestAccess(100, { reason: 'durable' });
    expect(req.response?.status).toBe(201);
    const approved = await c(TOKENS.support).requestAccess(100, { reason: 'to approve' });
    expect((await c(TOKENS.admin).approveJoinRequest(100, approved.data?.id ?? 0)).response?.status).toBe(
      202,
    );
    const ticket = await c(TOKENS.guest).createTicket(
      { subject: 'S', description: 'D', type: 'question' },
      'k-1',
    );
    expect(ticket.response?.status).toBe(201);
    await killed(first.child);

    // Restarted with a fixture that would wipe it all: the file already holds data, so it is kept.
    const fixture = join(dir, 'other.json');
    writeFileSync(fixture, JSON.stringify({ users: [{ id: 1, email: 'x@y.test', name: 'X', token: 'x' }] }));
    const second = await spawnCli(['--port', '0', '--db', db, '--fixture', fixture]);
    try {
      const d = (token: string) => createClient({ baseUrl: second.url, token });
      expect((await d(TOKENS.maintainer).listMyJoinRequests()).data?.map((r) => r.reason)).toEqual([
        'durable',
      ]);
      const users = (await d(TOKENS.admin).listProjectUsers(100)).data ?? [];
      expect(users.find((u) => u.id === 1006)).toMatchObject({
        reason: 'to approve',
        approver: { id: 1000 },
      });
      expect((await d(TOKENS.guest).getTicket(ticket.data?.id ?? 0)).data?.number).toBe(ticket.data?.number);
      expect((await d('x').verifyToken()).error).toMatchObject({ httpStatus: 401 });
    } finally {
      await killed(second.child);
    }
  });

  it('loads the fixture into an empty file and serves test-mode routes only with --test-mode', async () => {
    const fixture = join(dir, 'fixture.json');
    writeFileSync(
      fixture,
      JSON.stringify({ users: [{ id: 5, email: 'only@one.test', name: 'Only', token: 'only-token' }] }),
    );
    const plain = await spawnCli(['--port', '0', '--db', ':memory:', '--fixture', fixture]);
    try {
      const me = await createClient({ baseUrl: plain.url, token: 'only-token' }).verifyToken();
      expect(me.data?.user?.name).toBe('Only');
      const outbox = await fetch(`${plain.url}/__test__/outbox`);
      expect(outbox.status).toBe(404);
      expect(await outbox.json()).toMatchObject({ status: 'error', code: 'manage.routeNotFound' });
    } finally {
      await killed(plain.child);
    }
    const test = await spawnCli(['--port', '0', '--db', ':memory:', '--test-mode']);
    try {
      expect((await fetch(`${test.url}/__test__/outbox`)).status).toBe(200);
      const clock = await fetch(`${test.url}/__test__/clock`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"advanceSeconds":3600}',
      });
      expect(clock.status).toBe(200);
    } finally {
      await killed(test.child);
    }
  });
});

describe('the CLI flavors', () => {
  it('--flavor keboola answers in Keboola shapes; an unknown flavor is refused', async () => {
    const kbc = await spawnCli(['--port', '0', '--db', ':memory:', '--flavor', 'keboola']);
    try {
      const p = await fetch(`${kbc.url}/manage/projects/100`, {
        headers: { 'X-KBC-ManageApiToken': TOKENS.admin },
      });
      expect(await p.json()).toMatchObject({ limits: { 'kbc.adminsCount': { value: 5 } } });
      expect((await fetch(`${kbc.url}/openapi.json`)).status).toBe(404);
      expect((await fetch(`${kbc.url}/docs`)).status).toBe(404);
    } finally {
      await killed(kbc.child);
    }
    await expect(spawnCli(['--port', '0', '--db', ':memory:', '--flavor', 'nope'])).rejects.toThrow(
      /--flavor must be one of default, keboola, got nope/,
    );
  });
});

describe('the CLI mail language', () => {
  it('--mail-locale cs writes the e-mails in Czech; a language without a pack is refused', async () => {
    const cs = await spawnCli(['--port', '0', '--db', ':memory:', '--test-mode', '--mail-locale', 'cs']);
    try {
      const client = createClient({ baseUrl: cs.url, token: TOKENS.support, timeoutMs: 5000 });
      expect((await client.requestAccess(100, { reason: 'SK-1' })).response?.status).toBe(201);
      const outbox = (await (await fetch(`${cs.url}/__test__/outbox`)).json()) as { subject: string }[];
      expect(outbox.map((m) => m.subject)).toContain('Žádost o přístup k projektu Acme Main');
    } finally {
      await killed(cs.child);
    }
    await expect(spawnCli(['--port', '0', '--db', ':memory:', '--mail-locale', 'de'])).rejects.toThrow(
      /--mail-locale must be one of en, cs, got de/,
    );
  });
  it('--inbound-smtp-port listens for replies by e-mail and says where; bad values are refused', async () => {
    const cli = await spawnCli([
      '--port',
      '0',
      '--db',
      ':memory:',
      '--inbound-smtp-port',
      '0',
      '--reply-domain',
      'Reply.Example.TEST',
    ]);
    try {
      const line = /Replies by e-mail \(SMTP\) on 127\.0\.0\.1:(\d+) for @reply\.example\.test\n/;
      for (let i = 0; i < 100 && !line.test(cli.output()); i++) await new Promise((r) => setTimeout(r, 50));
      const port = Number(line.exec(cli.output())?.[1]);
      // A real SMTP greeting on it.
      const greeting = await new Promise<string>((resolve, reject) => {
        const socket = createConnection(port, '127.0.0.1');
        socket.once('data', (d) => {
          resolve(String(d));
          socket.destroy();
        });
        socket.once('error', reject);
      });
      expect(greeting).toMatch(/^220 reply\.example\.test ESMTP/);
    } finally {
      await killed(cli.child);
    }
    for (const [args, message] of [
      [['--inbound-smtp-port', '70000'], /--inbound-smtp-port must be 0\.\.65535, got 70000/],
      [['--inbound-smtp-port', 'smtp'], /--inbound-smtp-port must be 0\.\.65535, got smtp/],
      [['--port', '4999', '--inbound-smtp-port', '4999'], /is the HTTP --port too/],
      [['--reply-domain', 'not a domain'], /--reply-domain must be a domain name/],
    ] as const)
      await expect(spawnCli(['--port', '0', '--db', ':memory:', ...args])).rejects.toThrow(message);
  }, 90_000);
});

describe('startServer', () => {
  it('mounts extra routes and static directories before the API', async () => {
    writeFileSync(join(dir, 'hello.txt'), 'hello');
    const server = await startServer({
      port: 0,
      db: ':memory:',
      smtpUrl: null,
      extraRoutes: (app) => app.get('/demo/ping', (c) => c.text('pong')),
      staticDirs: { '/static': dir },
    });
    try {
      expect(await (await fetch(`${server.url}/demo/ping`)).text()).toBe('pong');
      expect(await (await fetch(`${server.url}/static/hello.txt`)).text()).toBe('hello');
      expect((await fetch(`${server.url}/static/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
      expect((await fetch(`${server.url}/manage/tokens/verify`)).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('sends static text files brotli- or gzip-compressed as the client accepts, and as they are otherwise', async () => {
    const script = `export const x = ${JSON.stringify('widget code '.repeat(200))};\n`;
    writeFileSync(join(dir, 'chunk.js'), script);
    const server = await startServer({
      port: 0,
      db: ':memory:',
      smtpUrl: null,
      staticDirs: { '/static': dir },
    });
    const get = async (encoding: string) => {
      const { request } = await import('node:http');
      return new Promise<{ encoding?: string; vary?: string; body: Buffer }>((ok, fail) => {
        const req = request(
          `${server.url}/static/chunk.js`,
          { headers: { 'Accept-Encoding': encoding } },
          (res) => {
            const parts: Buffer[] = [];
            res.on('data', (d: Buffer) => parts.push(d));
            res.on('end', () =>
              ok({
                encoding: res.headers['content-encoding'],
                vary: res.headers.vary,
                body: Buffer.concat(parts),
              }),
            );
          },
        );
        req.on('error', fail);
        req.end();
      });
    };
    try {
      const br = await get('gzip, deflate, br');
      expect(br.encoding).toBe('br');
      expect(br.vary).toBe('Accept-Encoding');
      expect(br.body.length).toBeLessThan(script.length / 5);
      expect(brotliDecompressSync(br.body).toString()).toBe(script);
      const gzip = await get('gzip');
      expect(gzip.encoding).toBe('gzip');
      expect(gunzipSync(gzip.body).toString()).toBe(script);
      const plain = await get('identity');
      expect(plain.encoding).toBeUndefined();
      expect(plain.body.toString()).toBe(script);
    } finally {
      await server.close();
    }
  });
});

describe('the expiry timer', () => {
  it('sweeps a membership as its second of the server clock comes, not up to a second later', async () => {
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    const server = await startServer({ port: 0, db: ':memory:', fixture: DEMO, clock, smtpUrl: null });
    try {
      // The server clock's seconds now begin 30 ms after each whole second since the server started:
      // a once-a-second timer started with the server would fire just before each and wait ~970 ms.
      offset = 1000 - ((Date.now() + 30) % 1000);
      const { store } = server;
      const now = Math.floor(clock.now() / 1000);
      const expires = now + 2;
      const projectId = await store.insert('projects', {
        name: 'Expiry timer',
        created: now,
        organizationId: 10,
        usersLimit: null,
        deleted: null,
      });
      const [user] = await store.find('users', {}, { limit: 1 });
      await store.insert('projectMembers', {
        projectId,
        userId: user?.id ?? 0,
        role: 'guest',
        kind: 'member',
        reason: null,
        created: now,
        expires,
        invitorId: null,
        approverId: null,
        expiringNotified: true,
        grantId: null,
        ticketId: null,
      });
      while ((await store.count('projectMembers', { projectId })) > 0 && clock.now() < expires * 1000 + 3000)
        await new Promise((r) => setTimeout(r, 5));
      expect(await store.count('projectMembers', { projectId })).toBe(0);
      expect(clock.now() - expires * 1000).toBeLessThan(500);
    } finally {
      await server.close();
    }
  });
});

describe('the sweeper behind the expiry timer', () => {
  it('starts no sweep while one is still running, and a new one once it is done', async () => {
    let running = 0;
    let most = 0;
    let batches = 0;
    let open = () => {};
    const held = new Promise<void>((resolve) => {
      open = resolve;
    });
    const sweeper = createSweeper(
      async () => {
        running++;
        most = Math.max(most, running);
        batches++;
        await held;
        running--;
        return batches < 3;
      },
      () => false,
    );
    sweeper.start();
    while (batches === 0) await new Promise((resolve) => setImmediate(resolve));
    // The timer fires again (twice) while the first batch is still under way.
    sweeper.start();
    sweeper.start();
    open();
    await sweeper.idle();
    expect({ most, batches }).toEqual({ most: 1, batches: 3 });
    sweeper.start();
    await sweeper.idle();
    expect(batches).toBe(4);
  });
});
