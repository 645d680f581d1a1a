// The pages for this machine only (issue 22): the mailbox is served only when asked for, and neither
// it nor the demo's host pages (a token in each) trust the Host header alone. Over real TCP, since
// the rule is about the connection: its peer address, the Host it asked for, and whether a proxy
// forwarded it.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoStartOptions } from './demo/mount.ts';
import { type RunningServer, type ServerOptions, startServer } from './server.ts';
import { DEMO, harness } from './testing.ts';

interface Answer {
  status: number;
  body: string;
}

/**
 * One request written by hand on a raw connection (so Host may be anything, or missing), to `host`
 * (the address to connect to), HTTP/1.0 so the server closes the connection after its answer.
 */
function raw(address: string, port: number, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, address);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      text += d;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(`GET ${path} HTTP/1.0\r\n${lines.join('')}\r\n`);
  });
}

async function withServer(opts: ServerOptions, run: (server: RunningServer, port: number) => Promise<void>) {
  const server = await startServer({ port: 0, db: ':memory:', fixture: DEMO, smtpUrl: null, ...opts });
  try {
    await run(server, Number(new URL(server.url).port));
  } finally {
    await server.close();
  }
}

const demo = () => demoStartOptions({ port: 0, db: ':memory:', fixture: DEMO });
/** A page of each kind: the mailbox, a message of it, a demo page (with a token), the demo's root. */
const LOCAL_PAGES = ['/mailbox', '/mailbox/1', '/admin/projects/100', '/admin/projects/100/users', '/'];
const TOKEN = /demo-[a-z-]+-token/;

describe('the mailbox is opt-in', () => {
  it('a backend started without it serves no /mailbox, even to this machine', async () => {
    await withServer({}, async (_server, port) => {
      for (const path of ['/mailbox', '/mailbox/1']) {
        const res = await raw('127.0.0.1', port, path, { Host: `127.0.0.1:${port}` });
        expect(res.status, path).toBe(404);
        expect(res.body, path).not.toMatch(/@/);
      }
    });
    // In-process too (the MSW demo, any embedding of createBackend).
    const h = await harness({ options: { mailbox: false } });
    expect((await h.fetch('http://backend.test/mailbox')).status).toBe(404);
  });

  it('`npm run backend` serves it only with --mailbox, and not with a --public-url of another machine', async () => {
    const cli = (args: string[]) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), '--port', '0', '--db', ':memory:', ...args],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => {
        out += String(d);
      });
      child.stderr.on('data', (d) => {
        err += String(d);
      });
      const exited = new Promise<number | null>((ok) => child.once('exit', ok));
      const url = new Promise<string | undefined>((ok) => {
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) ok(m[1]);
        });
        void exited.then(() => ok(undefined));
      });
      return { child, url, exited, err: () => err.trim() };
    };
    const status = async (args: string[]) => {
      const run = cli(args);
      const url = await run.url;
      if (!url) throw new Error(`the CLI did not start: ${run.err()}`);
      const { port } = new URL(url);
      const res = await raw('127.0.0.1', Number(port), '/mailbox', { Host: `127.0.0.1:${port}` });
      run.child.kill('SIGTERM');
      await run.exited;
      return res.status;
    };
    expect(await status([])).toBe(404);
    expect(await status(['--mailbox'])).toBe(200);
    expect(await status(['--mailbox', '--public-url', 'http://localhost:4010'])).toBe(200);
    const refused = cli(['--mailbox', '--public-url', 'https://support.example.com']);
    expect(await refused.exited).toBe(2);
    expect(refused.err()).toMatch(/^--mailbox serves every e-mail to this machine only; --public-url/);
  }, 60_000);
});

describe('pages for this machine only: the mailbox and the demo pages', () => {
  it('are served to a loopback peer asking under a loopback name, with no proxy in between', async () => {
    await withServer(demo(), async (_server, port) => {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`])
        for (const path of LOCAL_PAGES) {
          const res = await raw('127.0.0.1', port, path, { Host: host });
          // The mailbox has no message 1 yet (404 from the mailbox itself); '/' redirects.
          expect([200, 302, 404], `${host} ${path}`).toContain(res.status);
          if (path.startsWith('/admin/')) expect(res.body).toMatch(TOKEN);
        }
    });
  });

  it('refuses a name that is not loopback (DNS rebinding, look-alikes, none at all) with 421 and says why', async () => {
    await withServer(demo(), async (_server, port) => {
      const hosts: (string | undefined)[] = [
        `evil.example:${port}`,
        `localhost.evil.com:${port}`,
        'localhost.evil.com',
        `127.0.0.1.nip.io:${port}`,
        `[::ffff:7f00:1]:${port}`,
        '',
        undefined,
      ];
      for (const host of hosts)
        for (const path of LOCAL_PAGES) {
          const res = await raw('127.0.0.1', port, path, host === undefined ? {} : { Host: host });
          expect(res.status, `${host} ${path}`).toBe(421);
          expect(res.body, `${host} ${path}`).toContain('served only to a browser on the machine');
          expect(res.body).not.toMatch(TOKEN);
          expect(res.body).not.toMatch(/@acme\.test/);
        }
      // A full URL in the request line names the host there: the pages would build their API
      // address from it.
      for (const path of LOCAL_PAGES) {
        const res = await raw('127.0.0.1', port, `http://evil.example${path}`, { Host: `127.0.0.1:${port}` });
        expect(res.status, `absolute ${path}`).toBe(421);
        expect(res.body).not.toMatch(TOKEN);
      }
      // A Host that is not a host at all: the server answers 400 before any page.
      const odd = await raw('127.0.0.1', port, '/admin/projects/100', {
        Host: `localhost:${port}@evil.example`,
      });
      expect(odd.status).toBe(400);
      expect(odd.body).not.toMatch(TOKEN);
    });
  });

  it('refuses anything a proxy forwarded, whatever Host it passed through, with 403', async () => {
    await withServer(demo(), async (_server, port) => {
      const proxied: Record<string, string>[] = [
        { 'X-Forwarded-For': '203.0.113.9' },
        { 'X-Forwarded-For': '127.0.0.1' },
        { Forwarded: 'for=203.0.113.9;proto=https' },
        { 'X-Real-IP': '203.0.113.9' },
        { 'X-Forwarded-Host': 'localhost' },
        { Via: '1.1 nginx' },
        { 'True-Client-IP': '203.0.113.9' },
      ];
      for (const extra of proxied)
        for (const path of LOCAL_PAGES) {
          const res = await raw('127.0.0.1', port, path, { Host: `127.0.0.1:${port}`, ...extra });
          expect(res.status, `${JSON.stringify(extra)} ${path}`).toBe(403);
          expect(res.body).toContain('never through a proxy');
          expect(res.body).not.toMatch(TOKEN);
        }
    });
    // In-process as well: a header that says a proxy forwarded the request is believed.
    const h = await harness();
    const res = await h.fetch('http://backend.test/mailbox', {
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(res.status).toBe(403);
  });

  const outside = Object.values(networkInterfaces())
    .flat()
    .find((i) => i?.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(!outside)(
    'refuses a peer on another address even when it says Host: localhost, with 403',
    async () => {
      await withServer({ ...demo(), host: outside ?? '' }, async (_server, port) => {
        for (const host of [`localhost:${port}`, `127.0.0.1:${port}`])
          for (const path of LOCAL_PAGES) {
            const res = await raw(outside ?? '', port, path, { Host: host });
            expect(res.status, `${host} ${path}`).toBe(403);
            expect(res.body).toContain('came from another machine');
            expect(res.body).not.toMatch(TOKEN);
          }
      });
    },
  );

  it('serves an IPv6 loopback peer under [::1] or localhost', async () => {
    await withServer({ ...demo(), host: '::1' }, async (_server, port) => {
      for (const host of [`[::1]:${port}`, `localhost:${port}`]) {
        expect((await raw('::1', port, '/mailbox', { Host: host })).status, host).toBe(200);
        const page = await raw('::1', port, '/admin/projects/100', { Host: host });
        expect(page.status, host).toBe(200);
        expect(page.body).toMatch(TOKEN);
      }
      expect((await raw('::1', port, '/mailbox', { Host: `evil.example:${port}` })).status).toBe(421);
    });
  });
});
