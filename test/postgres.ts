// A throwaway PostgreSQL cluster for tests (Node only), like chromium.ts for the browser: Debian's
// binaries (/usr/lib/postgresql/<newest>/bin), installed with apt when missing and we are root.
// PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user (runuser) in
// a temp folder it owns; the folder goes when the cluster stops, and the cluster stops when the
// process exits.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  /** A connection URL to database `dbName` on this server. */
  url(dbName: string): string;
  /** Makes a new empty database and answers its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The bin folder of the newest installed PostgreSQL, or undefined. */
export function findPostgresBin(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(PG_ROOT, versions[0], 'bin');
}

export function ensurePostgresBin(): string {
  const found = findPostgresBin();
  if (found) return found;
  if (!isRoot())
    throw new Error(
      `PostgreSQL not found in ${PG_ROOT}/*/bin. Install Debian's PostgreSQL (sudo apt-get install -y postgresql) or set TEST_DATABASE_URL to a server to use.`,
    );
  console.log('[postgres] PostgreSQL missing: installing Debian package "postgresql" with apt…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env }).status === 0;
  // The package lists may be missing or stale on a fresh machine: update only when needed.
  if (!install()) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    if (!install()) throw new Error('apt-get install postgresql failed (see its output above)');
  }
  const bin = findPostgresBin();
  if (!bin) throw new Error(`apt installed postgresql but no ${PG_ROOT}/*/bin/initdb exists`);
  return bin;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function idOf(flag: '-u' | '-g', user: string): number {
  return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function runPg(bin: string, args: string[]): void {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`${bin.split('/').pop()} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
}

let counter = 0;

/** Starts a fresh cluster on a free port of 127.0.0.1, trust auth, fsync on. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = ensurePostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'sk-pg-'));
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (isRoot()) {
    const uid = idOf('-u', 'postgres');
    const gid = idOf('-g', 'postgres');
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
  }
  const pgCtl = join(bin, 'pg_ctl');
  let running = false;
  const stopNow = () => {
    if (running) {
      running = false;
      try {
        runPg(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w']);
      } catch {}
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const onExit = () => stopNow();
  try {
    // --no-sync only speeds up initdb's own files; the server runs with fsync on.
    runPg(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c fsync=on',
      '-c synchronous_commit=on',
      // Each test file opens a few pools of up to 10 connections.
      '-c max_connections=300',
    ].join(' ');
    runPg(pgCtl, ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', options]);
    running = true;
    process.once('exit', onExit);
    const url = (dbName: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(dbName)}`;
    return {
      url,
      async createDatabase() {
        const name = `sk_${process.pid}_${++counter}`;
        runPg(join(bin, 'psql'), [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          'postgres',
          '-qc',
          `CREATE DATABASE "${name}"`,
        ]);
        return url(name);
      },
      async stop() {
        process.removeListener('exit', onExit);
        if (running) {
          running = false;
          runPg(pgCtl, ['stop', '-D', data, '-m', 'fast', '-w']);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    process.removeListener('exit', onExit);
    stopNow();
    throw e;
  }
}
