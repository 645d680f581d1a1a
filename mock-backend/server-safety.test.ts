// docs/rules.md#safe-to-expose, over real HTTP and on a real SQLite file: streaming body limits, aborted
// requests, token bytes and mode of the file, databases that cannot be opened, the demo's pages.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createClient } from '../api/client.ts';
import { demoStartOptions } from './demo/mount.ts';
import { startServer } from './server.ts';
import { createSqliteStore, DatabaseOpenError } from './store/sqlite.ts';
import { DEMO, TOKENS } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sk-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;

/**
 * Posts a chunked body of up to `total` bytes, 64 KiB at a time, and stops writing as soon as the
 * answer arrives. Resolves with the status and how much had been written by then.
 */
function chunkedPost(
  url: string,
  path: string,
  total: number,
  headers: Record<string, string>,
): Promise<{ status: number; written: number; body: string }> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', ...headers },
    });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (d) => {
        body += String(d);
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, written, body });
        req.destroy();
      });
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.write('{"reason":"');
    pump();
  });
}

describe('streaming body limits', () => {
  it('a chunked body far over the limit gets 413 before it is read, and memory stays bounded', async () => {
    const server = await startServer({
      port: 0,
      db: ':memory:',
      fixture: DEMO,
      testMode: true,
      smtpUrl: null,
    });
    try {
      const rssBefore = process.memoryUsage().rss;
      const auth = { 'X-KBC-ManageApiToken': TOKENS.support };
      const api = await chunkedPost(server.url, '/manage/projects/100/request-access', 512 * MiB, auth);
      expect(api.status).toBe(413);
      expect(JSON.parse(api.body)).toMatchObject({ code: 'manage.payloadTooLarge', status: 'error' });
      // Answered after about the limit (64 KiB), not after the 512 MiB; socket buffers hold a few MiB.
      expect(api.written).toBeLessThan(32 * MiB);
      // The test reset's limit is 32 MiB, no more.
      const reset = await chunkedPost(server.url, '/__test__/reset', 512 * MiB, {});
      expect(reset.status).toBe(413);
      expect(reset.written).toBeLessThan(96 * MiB);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * MiB);
      // A declared length over the limit is refused before a byte of the body is read.
      const declared = await fetch(`${server.url}/manage/support/tickets`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'big' },
        body: JSON.stringify({ subject: 'S', description: 'x'.repeat(6 * MiB), type: 'problem' }),
      });
      expect(declared.status).toBe(413);
      // Nothing was done by any of them.
      expect(await server.store.count('joinRequests', {})).toBe(0);
      expect(await server.store.count('tickets', {})).toBe(0);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('the demo persona route has a body limit too', async () => {
    const server = await startServer({
      ...demoStartOptions({ port: 0, db: ':memory:', fixture: DEMO }),
      smtpUrl: null,
    });
    try {
      const res = await fetch(`${server.url}/demo/persona`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
        body: `userId=1000&pad=${'x'.repeat(64 * 1024)}`,
        redirect: 'manual',
      });
      expect(res.status).toBe(413);
    } finally {
      await server.close();
    }
  });
});

describe('aborted requests', () => {
  it('are not logged as errors (no stack per abort)', async () => {
    const server = await startServer({ port: 0, db: ':memory:', fixture: DEMO, smtpUrl: null });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (let i = 0; i < 20; i++) {
        await new Promise<void>((done) => {
          const req = request(`${server.url}/manage/projects/100/request-access`, {
            method: 'POST',
            headers: {
              'X-KBC-ManageApiToken': TOKENS.support,
              'Content-Type': 'application/json',
              'Content-Length': '1000',
            },
          });
          req.on('error', () => done());
          req.write('{"reason":"half');
          setTimeout(() => {
            req.destroy();
            done();
          }, 20);
        });
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(errors).not.toHaveBeenCalled();
      // The server still answers.
      const me = await createClient({ baseUrl: server.url, token: TOKENS.admin }).verifyToken();
      expect(me.data?.user?.id).toBe(1000);
    } finally {
      errors.mockRestore();
      await server.close();
    }
  });
});

describe('the SQLite file', () => {
  it('holds no token bytes (only SHA-256 hashes) and is readable by its owner only', async () => {
    const db = join(dir, 'tokens.sqlite');
    const server = await startServer({ port: 0, db, fixture: DEMO, smtpUrl: null });
    let storageToken = '';
    try {
      const admin = createClient({ baseUrl: server.url, token: TOKENS.admin });
      expect((await admin.verifyToken()).data?.user?.id).toBe(1000);
      storageToken = (await admin.createStorageToken(100, { description: 'enter' })).data?.token ?? '';
      expect(storageToken).not.toBe('');
      for (const file of [db, `${db}-wal`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    } finally {
      await server.close();
    }
    const bytes = Buffer.concat(
      [db, `${db}-wal`].flatMap((f) => {
        try {
          return [readFileSync(f)];
        } catch {
          return [];
        }
      }),
    );
    expect(bytes.length).toBeGreaterThan(0);
    for (const token of [...Object.values(TOKENS), storageToken])
      expect(bytes.includes(Buffer.from(token)), token).toBe(false);
    // The hashes are there instead, and they still sign users in after a restart.
    const again = await startServer({ port: 0, db, smtpUrl: null });
    try {
      const me = await createClient({ baseUrl: again.url, token: TOKENS.guest }).verifyToken();
      expect(me.data?.user?.id).toBe(1002);
    } finally {
      await again.close();
    }
  });

  it('a corrupt, locked or outdated database is one named error with the file path', async () => {
    const corrupt = join(dir, 'corrupt.sqlite');
    writeFileSync(corrupt, 'this is not a database at all, just some text '.repeat(200));
    expect(() => createSqliteStore(corrupt)).toThrow(DatabaseOpenError);
    expect(() => createSqliteStore(corrupt)).toThrow(
      `Cannot open the database ${corrupt}: it is not a database`,
    );

    const locked = join(dir, 'locked.sqlite');
    const holder = createSqliteStore(locked);
    try {
      await holder.insert('maintainers', { name: 'M', supportEmail: null });
      expect(() => createSqliteStore(locked)).toThrow(`Cannot open the database ${locked}: it is locked`);
    } finally {
      await holder.close();
    }

    // A file of an older version, whose users had a plain `token` column instead of its hash.
    const outdated = join(dir, 'outdated.sqlite');
    await createSqliteStore(outdated).close();
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(outdated);
    raw.exec('DROP INDEX "u_users_tokenHash"; ALTER TABLE users RENAME COLUMN tokenHash TO token');
    raw.close();
    expect(() => createSqliteStore(outdated)).toThrow(
      /made by an older version \(no column users\.tokenHash\); delete it to start over/,
    );
  });

  it('the CLI prints one line naming the file, no stack, and exits 1', async () => {
    const corrupt = join(dir, 'cli-corrupt.sqlite');
    writeFileSync(corrupt, 'garbage '.repeat(1000));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), '--port', '0', '--db', corrupt],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    const code = await new Promise<number | null>((ok) => child.once('exit', ok));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([
      `Cannot open the database ${corrupt}: it is not a database or is corrupt (delete it to start over)`,
    ]);
  }, 30_000);

  /** Runs the CLI until it exits; answers its exit code and stderr. */
  async function cliFails(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    const code = await new Promise<number | null>((ok) => child.once('exit', ok));
    return { code, lines: err.trim().split('\n') };
  }

  it('a PostgreSQL URL nobody answers at: one line naming it without its password, exit 1', async () => {
    // Port 1 on loopback: nothing listens there.
    const r = await cliFails(['--port', '0', '--db', 'postgres://kit:hunter2@127.0.0.1:1/kit']);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      'Cannot open the PostgreSQL database postgres://kit:***@127.0.0.1:1/kit: no server answers there (is PostgreSQL running?)',
    ]);
  }, 30_000);

  it('DATABASE_URL is the default database; a bad SMTP_LEASE_MS is refused before anything starts', async () => {
    const viaEnv = await cliFails(['--port', '0'], { DATABASE_URL: 'postgresql://127.0.0.1:1/kit' });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.lines[0]).toMatch(
      /^Cannot open the PostgreSQL database postgresql:\/\/127\.0\.0\.1:1\/kit:/,
    );
    const lease = await cliFails(['--port', '0', '--db', ':memory:'], { SMTP_LEASE_MS: '5' });
    expect(lease.code).toBe(2);
    expect(lease.lines).toEqual([
      'SMTP_LEASE_MS must be a whole number of milliseconds, at least 1000: got 5',
    ]);
  }, 30_000);

  it('an unknown option or a missing value: what is wrong and the usage, exit 2, no stack trace', async () => {
    for (const args of [['--bogus'], ['--port']]) {
      const r = await cliFails(args);
      expect(r.code).toBe(2);
      expect(r.lines[0]).toMatch(/^(Unknown option '--bogus'|Option '--port <value>' argument missing)/);
      expect(r.lines).toContain('Usage: npm run backend -- [options]');
      expect(r.lines.join('\n')).not.toMatch(/\bat .*cli\.ts:\d+/);
    }
  }, 30_000);
});

describe('the demo (npm start)', () => {
  it('runs without test mode; its pages send a CSP, frame-ancestors, nosniff, a Referrer-Policy and no CORS', async () => {
    const server = await startServer({
      ...demoStartOptions({ port: 0, db: ':memory:', fixture: DEMO }),
      smtpUrl: null,
    });
    try {
      const reset = await fetch(`${server.url}/__test__/reset`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(reset.status).toBe(404);
      for (const path of [
        '/admin/projects/100',
        '/admin/projects/100/users',
        '/admin/organizations/10',
        '/mailbox',
      ]) {
        const res = await fetch(`${server.url}${path}`);
        await res.body?.cancel();
        expect(res.status, path).toBe(200);
        expect(res.headers.get('Content-Security-Policy'), path).toContain("frame-ancestors 'none'");
        expect(res.headers.get('X-Content-Type-Options'), path).toBe('nosniff');
        expect(res.headers.get('Referrer-Policy'), path).toBeTruthy();
        expect(res.headers.get('Access-Control-Allow-Origin'), path).toBeNull();
      }
      const page = await fetch(`${server.url}/admin/projects/100`);
      expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    } finally {
      await server.close();
    }
  });

  it('serves the mailbox to loopback clients under a loopback name only', async () => {
    const server = await startServer({
      ...demoStartOptions({ port: 0, db: ':memory:', fixture: DEMO }),
      smtpUrl: null,
    });
    try {
      const port = new URL(server.url).port;
      const get = (host: string) =>
        new Promise<number>((ok, fail) => {
          const req = request(`${server.url}/mailbox`, { headers: { Host: host } }, (res) => {
            res.resume();
            ok(res.statusCode ?? 0);
          });
          req.on('error', fail);
          req.end();
        });
      expect(await get(`127.0.0.1:${port}`)).toBe(200);
      expect(await get(`localhost:${port}`)).toBe(200);
      // A page that rebinds its own name to 127.0.0.1 still asks for its own name.
      expect(await get(`evil.example:${port}`)).toBe(421);
    } finally {
      await server.close();
    }
  });

  it('answers a malformed Referer, a cross-origin form post and a bad %-escape properly, never a plain 500', async () => {
    const server = await startServer({
      ...demoStartOptions({ port: 0, db: ':memory:', fixture: DEMO }),
      smtpUrl: null,
    });
    try {
      const persona = (headers: Record<string, string>) =>
        fetch(`${server.url}/demo/persona`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
          body: 'userId=1002',
          redirect: 'manual',
        });
      const bad = await persona({ Origin: server.url, Referer: 'http://[not a url' });
      expect([bad.status, bad.headers.get('Location')]).toEqual([303, '/']);
      const good = await persona({ Origin: server.url, Referer: `${server.url}/admin/projects/100/users` });
      expect(good.headers.get('Location')).toBe(`${server.url}/admin/projects/100/users`);
      const foreign = await persona({ Origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('Set-Cookie')).toBeNull();

      for (const path of ['/demo/static/%E0%A4%A', '/widget/%zz']) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.status, path).toBe(400);
        expect(await res.json()).toMatchObject({ status: 'error', code: 'manage.badRequest' });
      }
      const api = await fetch(`${server.url}/manage/projects/%zz/users?offset=%zz`, {
        headers: { 'X-KBC-ManageApiToken': TOKENS.admin },
      });
      expect(api.status).toBe(400);
      expect(await api.json()).toMatchObject({ status: 'error' });
    } finally {
      await server.close();
    }
  });
});
