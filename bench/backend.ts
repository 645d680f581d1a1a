// Mock backend throughput: the API against a bare Hono server on the same machine, loaded by
// autocannon from a child process over loopback for a fixed time each. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Fixture } from '../api/types.ts';
import { demoFixture, startServer } from '../mock-backend/server.ts';

const SECONDS = 5;
const CONNECTIONS = 10;
/**
 * Requesters the cycle rotates through. Each may make 20 join / request-access calls a minute (the
 * rate limit stays on, as in production), and the cycle runs several hundred a second: enough
 * requesters that none reaches its limit within the run.
 */
const REQUESTERS = 400;
/** Reads: this many alternating bare/API rounds of ROUND_SECONDS each; the medians are compared. */
const ROUNDS = 5;
const ROUND_SECONDS = 2;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

function load(job: Record<string, unknown>): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'backend-load.ts'), JSON.stringify(job)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Figures);
    });
  });
}

/** The run with the median throughput. */
function median(runs: Figures[]): Figures {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const mid = sorted[Math.floor(sorted.length / 2)];
  if (!mid) throw new Error('no runs');
  return mid;
}

function benchFixture(requesters: number): Fixture {
  const f = demoFixture();
  for (let i = 0; i < requesters; i++)
    f.users?.push({
      id: 5000 + i,
      email: `bench${i}@supportkit.test`,
      name: `Bench Support ${i}`,
      mfaEnabled: true,
      isSuperAdmin: true,
      token: `bench-support-${i}`,
    });
  return f;
}

const line = (name: string, f: Figures) =>
  `${name.padEnd(34)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms${f.non2xx || f.errors ? `   (non-2xx ${f.non2xx}, errors ${f.errors})` : ''}`;

export async function benchBackend(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-bench-'));
  const api = await startServer({
    port: 0,
    db: join(dir, 'bench.sqlite'),
    fixture: benchFixture(REQUESTERS),
    smtpUrl: null,
  });
  const bareApp = new Hono().get('/', (c) => c.json({ ok: true }));
  const bare = serve({ fetch: bareApp.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((ok) => bare.once('listening', () => ok()));
  const address = bare.address();
  const bareUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  try {
    const common = { seconds: SECONDS, connections: CONNECTIONS };
    const bareJob = { kind: 'get', url: bareUrl, path: '/' };
    const usersJob = {
      kind: 'get',
      url: api.url,
      path: '/manage/projects/100/users',
      token: 'demo-admin-token',
    };
    // Both servers share this process: warm each up (JIT, caches) once before anything is counted,
    // so the first counted round of neither runs cold.
    await load({ ...common, seconds: 1, ...bareJob });
    await load({ ...common, seconds: 1, ...usersJob });
    // The machines are shared and noisy: alternate bare and API runs and compare medians of rounds.
    const bareRuns: Figures[] = [];
    const userRuns: Figures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const short = { ...common, seconds: ROUND_SECONDS };
      bareRuns.push(await load({ ...short, ...bareJob }));
      userRuns.push(await load({ ...short, ...usersJob }));
    }
    const bareFigures = median(bareRuns);
    const users = median(userRuns);
    const cycle = await load({
      ...common,
      kind: 'cycle',
      url: api.url,
      projectId: 100,
      adminToken: 'demo-admin-token',
      requesterTokens: Array.from({ length: REQUESTERS }, (_, i) => `bench-support-${i}`),
      requesterIds: Array.from({ length: REQUESTERS }, (_, i) => 5000 + i),
    });
    console.log(
      `\nMock backend (SQLite file, ${CONNECTIONS} connections, autocannon in a child process; reads: after a 1 s warm-up each, median of ${ROUNDS} alternating ${ROUND_SECONDS} s rounds; cycle: ${SECONDS} s)`,
    );
    console.log(line('bare Hono server GET /', bareFigures));
    console.log(line('GET /projects/100/users', users));
    console.log(line('request → approve → leave (per req)', cycle));
    console.log(
      `${'request → approve cycles'.padEnd(34)} ${(cycle.rps / 3).toFixed(0).padStart(7)} cycles/s`,
    );
    const rounds = (runs: Figures[]) => runs.map((r) => r.rps.toFixed(0)).join(' / ');
    console.log(`rounds (req/s): bare ${rounds(bareRuns)}; users ${rounds(userRuns)}`);
    console.log(`API reads / bare: ${((users.rps / bareFigures.rps) * 100).toFixed(0)} % (target ≥ 50 %)`);
  } finally {
    await new Promise<void>((ok) => bare.close(() => ok()));
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBackend();
