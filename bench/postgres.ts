// The PostgreSQL profile of `npm run bench`: the large profile in a throwaway PostgreSQL cluster
// (test/postgres.ts), served by one instance and then by two on the same database (each the real
// server in its own process, bench/server-child.ts), with the same reads and write cycles as the
// SQLite figures, and the event latency from a decision to the requester's stream on the same
// instance (the baseline) and on the other one (through NOTIFY). Printed beside the SQLite figures.
import postgres from 'postgres';
import { generateProfile, PROFILE_SIZES } from '../mock-backend/fixtures/profiles.ts';
import { demoFixture } from '../mock-backend/server.ts';
import { startPostgres } from '../test/postgres.ts';
import {
  type Child,
  CONNECTIONS,
  CYCLE_SECONDS,
  CYCLERS,
  load,
  output,
  READ_SECONDS,
  RUNS,
  startChild,
  tsx,
  WRITE_RATE,
} from './backend.ts';
import type { LatencyFigures, LatencyJob } from './latency.ts';
import type { CycleFigures, Job, ReadFigures, Target } from './load.ts';
import { type Figure, finish, header, record, recorded, target } from './results.ts';

const SAMPLES = 20;
type Requester = { id: number; token: string };

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, fetch_types: false });
  try {
    await sql.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function benchPostgres(): Promise<void> {
  const pg = await startPostgres();
  const children: Child[] = [];
  try {
    await createDatabase(pg.url('postgres'), 'bench');
    const db = pg.url('bench');
    const sizes = PROFILE_SIZES.large;
    const profile = generateProfile(demoFixture(), sizes);
    const generated = JSON.parse(
      await output(tsx('server-child.ts', { db, profile: 'large', generateOnly: true }, false)),
    ) as { loadMs: number };
    const a = await startChild('server-child.ts', { db, profile: 'large' });
    children.push(a);
    const memberships = 'memberships' in a.ready ? a.ready.memberships : 0;

    // Requesters in pools, each used by one loop only (rate limits are per user and shared).
    const pool = profile.freeRequesters;
    const latencyUsers = pool.slice(0, 2 * RUNS * SAMPLES);
    const rest = pool.slice(latencyUsers.length);
    const perPool = Math.floor(rest.length / (CYCLERS + 1));
    if (perPool < 1) throw new Error('not enough free requesters');
    const writerUsers = rest.slice(0, perPool);
    const cyclers = Array.from({ length: CYCLERS }, (_, i) =>
      rest.slice((i + 1) * perPool, (i + 2) * perPool),
    );

    const label = `GET users, rotating over ${profile.smallProjects.length} projects of ${sizes.membersPerProject}`;
    const targets: Target[] = profile.smallProjects.map((p) => ({
      path: `/manage/projects/${p.id}/users`,
      token: p.adminToken,
    }));
    const readJob = (url: string, connections: number, seconds: number, withWriter: boolean): Job => ({
      kind: 'read',
      url,
      targets,
      seconds,
      connections,
      writer: withWriter
        ? {
            kind: 'api',
            url,
            projectId: 100,
            adminToken: 'demo-admin-token',
            requesters: writerUsers,
            rate: WRITE_RATE,
          }
        : undefined,
    });
    const cycleJob = (url: string, pools: Requester[][]): Job => ({
      kind: 'cycle',
      url,
      projectId: 100,
      adminToken: 'demo-admin-token',
      requesters: pools,
      seconds: CYCLE_SECONDS,
    });
    const latency = (streamUrl: string, writeUrl: string, users: Requester[]) =>
      output(
        tsx(
          'latency.ts',
          {
            streamUrl,
            writeUrl,
            projectId: 100,
            adminToken: 'demo-admin-token',
            requesters: users,
          } satisfies LatencyJob,
          false,
        ),
      ).then((line) => JSON.parse(line) as LatencyFigures);

    header(
      `backend on PostgreSQL, large profile (${memberships.toLocaleString('en')} memberships; fixture loaded in ${(generated.loadMs / 1000).toFixed(1)} s), one instance`,
    );
    await load(readJob(a.ready.url, CONNECTIONS, 1, false));
    const reads1: ReadFigures[] = [];
    for (let run = 0; run < RUNS; run++)
      reads1.push(await load(readJob(a.ready.url, CONNECTIONS, READ_SECONDS, true)));
    const r1 = record(
      `postgres 1 instance: API ${label}`,
      'req/s',
      reads1.map((f) => f.rps),
      'higher',
    );
    record(
      `postgres 1 instance: API ${label} p99`,
      'ms',
      reads1.map((f) => f.p99),
      'lower',
    );
    const cycles1: CycleFigures[] = [];
    for (let run = 0; run < RUNS; run++) cycles1.push(await load(cycleJob(a.ready.url, cyclers)));
    const c1 = record(
      `postgres 1 instance: request → approve → leave`,
      'cycles/s',
      cycles1.map((c) => c.cyclesPerSec),
      'higher',
    );
    const p99s1: Record<string, Figure> = {};
    for (const kind of ['request', 'approve', 'leave'] as const)
      p99s1[kind] = record(
        `postgres 1 instance: write p99 ${kind}`,
        'ms',
        cycles1.map((c) => c[kind].p99),
        'lower',
      );
    const bad1 =
      sum(reads1.map((f) => f.non2xx + f.errors + f.writeErrors)) + sum(cycles1.map((c) => c.errors));
    if (bad1) console.log(`  (one instance: ${bad1} non-2xx responses or errors)`);

    const b = await startChild('server-child.ts', { db, profile: 'large' });
    children.push(b);
    header('backend on PostgreSQL, large profile, two instances on the same database');
    await load(readJob(b.ready.url, CONNECTIONS, 1, false));
    // The same ten connections and the same writer, split over both instances.
    const reads2: ReadFigures[][] = [];
    for (let run = 0; run < RUNS; run++)
      reads2.push(
        await Promise.all([
          load<ReadFigures>(readJob(a.ready.url, CONNECTIONS / 2, READ_SECONDS, true)),
          load<ReadFigures>(readJob(b.ready.url, CONNECTIONS / 2, READ_SECONDS, false)),
        ]),
      );
    const r2 = record(
      `postgres 2 instances: API ${label}`,
      'req/s',
      reads2.map((pair) => sum(pair.map((f) => f.rps))),
      'higher',
    );
    record(
      `postgres 2 instances: API ${label} p99`,
      'ms',
      reads2.map((pair) => Math.max(...pair.map((f) => f.p99))),
      'lower',
    );
    const half = CYCLERS / 2;
    const cycles2: CycleFigures[][] = [];
    for (let run = 0; run < RUNS; run++)
      cycles2.push(
        await Promise.all([
          load<CycleFigures>(cycleJob(a.ready.url, cyclers.slice(0, half))),
          load<CycleFigures>(cycleJob(b.ready.url, cyclers.slice(half))),
        ]),
      );
    const c2 = record(
      `postgres 2 instances: request → approve → leave`,
      'cycles/s',
      cycles2.map((pair) => sum(pair.map((c) => c.cyclesPerSec))),
      'higher',
    );
    for (const kind of ['request', 'approve', 'leave'] as const)
      record(
        `postgres 2 instances: write p99 ${kind}`,
        'ms',
        cycles2.map((pair) => Math.max(...pair.map((c) => c[kind].p99))),
        'lower',
      );
    const bad2 =
      sum(reads2.flat().map((f) => f.non2xx + f.errors + f.writeErrors)) +
      sum(cycles2.flat().map((c) => c.errors));
    if (bad2) console.log(`  (two instances: ${bad2} non-2xx responses or errors)`);

    // Event latency: the decision on A, the stream on A (baseline) or on B (across instances).
    const same: LatencyFigures[] = [];
    const cross: LatencyFigures[] = [];
    for (let run = 0; run < RUNS; run++) {
      const users = latencyUsers.slice(run * 2 * SAMPLES, (run + 1) * 2 * SAMPLES);
      same.push(await latency(a.ready.url, a.ready.url, users.slice(0, SAMPLES)));
      cross.push(await latency(b.ready.url, a.ready.url, users.slice(SAMPLES)));
    }
    const latErrors = sum([...same, ...cross].map((l) => l.errors));
    if (latErrors) console.log(`  (event latency: ${latErrors} samples failed)`);
    const sameP50 = record(
      'postgres: decision → stream, same instance, p50',
      'ms',
      same.map((l) => l.p50),
      'lower',
    );
    record(
      'postgres: decision → stream, same instance, p99',
      'ms',
      same.map((l) => l.p99),
      'lower',
    );
    const crossP50 = record(
      'postgres: decision → stream, other instance, p50',
      'ms',
      cross.map((l) => l.p50),
      'lower',
    );
    const crossP99 = record(
      'postgres: decision → stream, other instance, p99',
      'ms',
      cross.map((l) => l.p99),
      'lower',
    );
    target(
      {
        name: 'a decision on instance A reaches a stream on B (p99)',
        figure: crossP99.name,
        value: crossP99.median,
        unit: 'ms',
        target: '< 1000 ms',
        beside: `p50 ${crossP50.median.toFixed(0)} ms; same instance p50 ${sameP50.median.toFixed(0)} ms`,
      },
      crossP99.median < 1000,
    );

    // Beside the SQLite figures of this run (if the SQLite part ran).
    const sqliteReads = recorded(`large: API ${label}`);
    const sqliteCycles = recorded(
      `large: request → approve → leave on project 100 (${sizes.bigProjectMembers} members)`,
    );
    console.log('\n== PostgreSQL beside SQLite, large profile (medians)');
    const row = (what: string, sqlite: Figure | undefined, one: Figure, two: Figure) =>
      console.log(
        `  ${what.padEnd(40)} SQLite ${(sqlite ? sqlite.median.toFixed(0) : 'n/a').padStart(6)}   PostgreSQL ×1 ${one.median.toFixed(0).padStart(6)}   ×2 ${two.median.toFixed(0).padStart(6)}  ${one.unit}`,
      );
    row('reads (rotating, beside a writer)', sqliteReads, r1, r2);
    row('write cycles', sqliteCycles, c1, c2);
    for (const kind of ['request', 'approve', 'leave'] as const) {
      const f = p99s1[kind];
      const two = recorded(`postgres 2 instances: write p99 ${kind}`);
      if (f && two) row(`write p99 ${kind}`, recorded(`large: write p99 ${kind}`), f, two);
    }
  } finally {
    for (const c of children.reverse()) await c.close().catch(() => {});
    await pg.stop();
  }
}

// `npx tsx bench/postgres.ts`: this part alone (bench/results.json is not rewritten).
if (import.meta.url === `file://${process.argv[1]}`) {
  await benchPostgres();
  finish(false);
}
