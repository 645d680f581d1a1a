// Mock backend figures. The server (bench/server-child.ts) and the fair baseline
// (bench/baseline-child.ts) each run in their own process on their own copy of the same SQLite
// file; autocannon and the write loops run in a third (bench/load.ts). Every figure is three runs;
// read rounds alternate baseline and API, so both see the same noise. Reads run beside a steady
// writer (request → approve → leave on project 100 for the API, a membership in and out for the
// baseline) and rotate over many projects, so they reach SQLite instead of a warm cache.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProfile, PROFILE_SIZES, type ProfileName } from '../mock-backend/fixtures/profiles.ts';
import { demoFixture } from '../mock-backend/server.ts';
import type { CycleFigures, Job, ReadFigures, Target } from './load.ts';
import { type Figure, header, ratio, record, target } from './results.ts';
import type { ChildMessage } from './server-child.ts';

export const RUNS = 3;
export const READ_SECONDS = 3;
export const CYCLE_SECONDS = 4;
export const CONNECTIONS = 10;
export const CYCLERS = 10;
/** Writes per second beside the reads (an API cycle is three). */
export const WRITE_RATE = 15;

let jobs = 0;
/** Runs a bench script in its own process; its argument goes in a file (a job's list can be long). */
export function tsx(file: string, arg: unknown, ipc: boolean): ChildProcess {
  const argFile = join(tmpdir(), `sk-bench-job-${process.pid}-${jobs++}.json`);
  writeFileSync(argFile, JSON.stringify(arg));
  // BENCH_CPU_PROF=dir: the servers (API and baseline) write V8 CPU profiles there when they exit.
  const profile = process.env.BENCH_CPU_PROF && file.endsWith('-child.ts') && ipc;
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(
    process.execPath,
    [...flags, '--import', 'tsx', join(import.meta.dirname, file), argFile],
    {
      stdio: ['ignore', 'pipe', 'inherit', ...(ipc ? ['ipc' as const] : [])],
    },
  );
  child.once('exit', () => rmSync(argFile, { force: true }));
  return child;
}

export function output(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(out.trim().split('\n').pop() ?? '') : reject(new Error(`child exited ${code}`)),
    );
  });
}

export function load<T>(job: Job): Promise<T> {
  return output(tsx('load.ts', job, false)).then((line) => JSON.parse(line) as T);
}

export interface Child {
  proc: ChildProcess;
  ready: Extract<ChildMessage, { type: 'ready' }> | { type: 'ready'; url: string };
  ask<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>>;
  close(): Promise<void>;
}

export function startChild(file: string, arg: unknown): Promise<Child> {
  const proc = tsx(file, arg, true);
  proc.stdout?.resume();
  return new Promise((resolve, reject) => {
    const early = (code: number | null) => reject(new Error(`${file} exited ${code} before it was ready`));
    proc.once('exit', early);
    proc.once('message', (m) => {
      const ready = m as Child['ready'];
      resolve({
        proc,
        ready,
        ask: (type) =>
          new Promise((ok) => {
            proc.once('message', (reply) => ok(reply as never));
            proc.send({ type });
          }),
        close: () =>
          new Promise((ok) => {
            // Only the early-exit check: the listener that deletes the argument file stays.
            proc.off('exit', early);
            proc.once('exit', () => ok());
            proc.send({ type: 'close' });
          }),
      });
    });
  });
}

interface Scenario {
  label: string;
  targets: Target[];
}

const SIZES = PROFILE_SIZES;

async function benchProfile(
  name: ProfileName,
  dir: string,
  opts: { runs: number; expiry: boolean; readsOnly?: boolean; writesOnly?: boolean },
) {
  const profile = generateProfile(demoFixture(), SIZES[name]);
  const db = join(dir, `${name}.sqlite`);
  const generated = JSON.parse(
    await output(tsx('server-child.ts', { db, profile: name, generateOnly: true }, false)),
  ) as { loadMs: number };
  const baseDb = join(dir, `${name}-baseline.sqlite`);
  copyFileSync(db, baseDb);
  const api = await startChild('server-child.ts', { db, profile: name });
  const base = await startChild('baseline-child.ts', { db: baseDb });
  const memberships = 'memberships' in api.ready ? api.ready.memberships : 0;
  // Pools of requesters used in turn: each user stays under the per-user limit of 20 joins a minute.
  const pool = profile.freeRequesters;
  const perPool = Math.floor(pool.length / (CYCLERS + 1));
  if (perPool < 1) throw new Error('not enough free requesters');
  const writerUsers = pool.slice(0, perPool);
  const cyclers = Array.from({ length: CYCLERS }, (_, i) => pool.slice((i + 1) * perPool, (i + 2) * perPool));

  header(
    `backend, ${name} profile (${memberships.toLocaleString('en')} memberships, ${profile.fixture.projects.length} projects; fixture loaded in ${(generated.loadMs / 1000).toFixed(1)} s)`,
  );
  const scenarios: Scenario[] =
    name === 'demo'
      ? [
          {
            label: 'GET users of project 100 (4 members)',
            targets: [{ path: '/manage/projects/100/users', token: 'demo-admin-token' }],
          },
        ]
      : [
          {
            label: `GET users, rotating over ${profile.smallProjects.length} projects of ${SIZES[name].membersPerProject}`,
            targets: profile.smallProjects.map((p) => ({
              path: `/manage/projects/${p.id}/users`,
              token: p.adminToken,
            })),
          },
          {
            label: `GET users of project 100 (${SIZES[name].bigProjectMembers} members)`,
            targets: [{ path: '/manage/projects/100/users', token: 'demo-admin-token' }],
          },
        ];
  const writer = (kind: 'api' | 'baseline', url: string) => ({
    kind,
    url,
    projectId: 100,
    adminToken: 'demo-admin-token',
    requesters: writerUsers,
    rate: WRITE_RATE,
  });
  const readJob = (url: string, s: Scenario, seconds: number, w?: ReturnType<typeof writer>): Job => ({
    kind: 'read',
    url,
    targets: s.targets,
    seconds,
    connections: CONNECTIONS,
    writer: w,
  });
  // Warm-up (JIT) for both, uncounted.
  for (const s of opts.writesOnly ? [] : scenarios) {
    await load(readJob(base.ready.url, s, 1));
    await load(readJob(api.ready.url, s, 1));
  }
  const results: { api: ReadFigures[]; base: ReadFigures[] }[] = scenarios.map(() => ({ api: [], base: [] }));
  for (let run = 0; run < (opts.writesOnly ? 0 : opts.runs); run++)
    for (const [i, s] of scenarios.entries()) {
      results[i]?.base.push(
        await load(readJob(base.ready.url, s, READ_SECONDS, writer('baseline', base.ready.url))),
      );
      results[i]?.api.push(await load(readJob(api.ready.url, s, READ_SECONDS, writer('api', api.ready.url))));
    }
  const readRatios: { label: string; ratio: Figure; base: Figure; api: Figure }[] = [];
  const bad = (f: ReadFigures[]) => f.reduce((n, x) => n + x.non2xx + x.errors + x.writeErrors, 0);
  for (const [i, s] of scenarios.entries()) {
    const r = results[i];
    if (!r?.api.length) continue;
    const b = record(
      `${name}: baseline ${s.label}`,
      'req/s',
      r.base.map((f) => f.rps),
      'higher',
    );
    const a = record(
      `${name}: API ${s.label}`,
      'req/s',
      r.api.map((f) => f.rps),
      'higher',
    );
    record(
      `${name}: API ${s.label} p99`,
      'ms',
      r.api.map((f) => f.p99),
      'lower',
    );
    if (bad(r.api)) console.log(`  (API: ${bad(r.api)} non-2xx responses or errors in these rounds)`);
    if (bad(r.base)) console.log(`  (baseline: ${bad(r.base)} non-2xx responses or errors in these rounds)`);
    readRatios.push({
      label: s.label,
      ratio: ratio(`${name}: API / baseline, ${s.label}`, a, b),
      base: b,
      api: a,
    });
  }

  if (opts.readsOnly) {
    const peak = await peaks(api, base, name);
    await api.close();
    await base.close();
    return { memberships, readRatios, writeP99: {}, expiry: undefined, peak };
  }
  // Each run: the API's loops, then the baseline's same writes (the same rows, durable transactions
  // and bodies, no rules), so both see the same machine.
  const cycles: CycleFigures[] = [];
  const baseCycles: CycleFigures[] = [];
  const cycleJob = (target: 'api' | 'baseline', url: string): Job => ({
    kind: 'cycle',
    target,
    url,
    projectId: 100,
    adminToken: 'demo-admin-token',
    requesters: cyclers,
    seconds: CYCLE_SECONDS,
  });
  for (let run = 0; run < opts.runs; run++) {
    cycles.push(await load<CycleFigures>(cycleJob('api', api.ready.url)));
    baseCycles.push(await load<CycleFigures>(cycleJob('baseline', base.ready.url)));
  }
  const baseErrors = baseCycles.reduce((n, c) => n + c.errors, 0);
  if (baseErrors)
    console.log(
      `  (baseline write cycles: ${baseErrors} errors, first: ${baseCycles.find((c) => c.firstError)?.firstError})`,
    );
  const errors = cycles.reduce((n, c) => n + c.errors, 0);
  if (errors)
    console.log(`  (write cycles: ${errors} errors, first: ${cycles.find((c) => c.firstError)?.firstError})`);
  const members = SIZES[name].bigProjectMembers;
  record(
    `${name}: request → approve → leave on project 100 (${members} members)`,
    'cycles/s',
    cycles.map((c) => c.cyclesPerSec),
    'higher',
  );
  record(
    `${name}: baseline request → approve → leave on project 100 (the request and membership rows, no rules)`,
    'cycles/s',
    baseCycles.map((c) => c.cyclesPerSec),
    'higher',
  );
  const writeP99: Record<string, { api: Figure; base: Figure }> = {};
  for (const kind of ['request', 'approve', 'leave'] as const) {
    record(
      `${name}: write p50 ${kind}`,
      'ms',
      cycles.map((c) => c[kind].p50),
      'lower',
    );
    writeP99[kind] = {
      api: record(
        `${name}: write p99 ${kind}`,
        'ms',
        cycles.map((c) => c[kind].p99),
        'lower',
      ),
      base: record(
        `${name}: baseline write p99 ${kind}`,
        'ms',
        baseCycles.map((c) => c[kind].p99),
        'lower',
      ),
    };
  }

  const expiry = opts.expiry ? await expiryFigures(api, name, opts.runs) : undefined;
  const peak = await peaks(api, base, name);
  await api.close();
  await base.close();
  return { memberships, readRatios, writeP99, expiry, peak };
}

/** The server's peak RSS, and the baseline's beside it (the same framework and file, no domain). */
async function peaks(api: Child, base: Child, name: string): Promise<{ api: Figure; base: Figure }> {
  return {
    api: record(`${name}: server peak RSS`, 'MB', [(await api.ask('rss')).peakMb], 'lower'),
    base: record(`${name}: baseline peak RSS`, 'MB', [(await base.ask('rss')).peakMb], 'lower'),
  };
}

interface ExpiryFigures {
  delay: Figure;
  gone: Figure;
  /** The same window with nothing expiring: the event loop's delay without the sweep. */
  control: Figure;
}

/** The expiry scenario, each run beside its control (the same rows, none expiring). */
async function expiryFigures(api: Child, name: string, runs: number): Promise<ExpiryFigures> {
  const expiring: Extract<ChildMessage, { type: 'expiry' }>[] = [];
  const control: number[] = [];
  for (let run = 0; run < runs; run++) {
    expiring.push(await api.ask('expiry'));
    control.push((await api.ask('expiry-control')).maxDelayMs);
  }
  return {
    delay: record(
      `${name}: expiry of 1,000 memberships at once, max event-loop delay`,
      'ms',
      expiring.map((r) => r.maxDelayMs),
      'lower',
    ),
    gone: record(
      `${name}: expiry of 1,000 memberships at once, all gone after`,
      'ms',
      // Not gone within 5 s: Infinity (IPC's JSON makes it null), so the target fails.
      expiring.map((r) => r.goneMs ?? Number.POSITIVE_INFINITY),
      'lower',
    ),
    control: record(
      `${name}: baseline, the same 1,000 memberships not expiring, max event-loop delay`,
      'ms',
      control,
      'lower',
    ),
  };
}

/** The expiry targets of issue 12 (the worst run). */
function expiryTargets(e: ExpiryFigures): void {
  target(
    {
      name: '1,000 memberships expiring at once: max event-loop delay',
      figure: e.delay.name,
      value: e.delay.max,
      unit: 'ms',
      target: '≤ 50 ms',
      beside: `baseline (nothing expiring) ${e.control.max.toFixed(1)} ms`,
    },
    e.delay.max <= 50,
  );
  target(
    {
      name: '1,000 memberships expiring at once: all gone within',
      figure: e.gone.name,
      value: e.gone.max,
      unit: 'ms',
      target: '≤ 1000 ms',
    },
    e.gone.max <= 1000,
  );
}

/** The read target of issue 12, judged for each read scenario. */
function readTargets(ratios: { label: string; ratio: Figure; base: Figure; api: Figure }[]): void {
  for (const r of ratios)
    target(
      {
        name: `API reads ≥ 80 % of the fair baseline: ${r.label}`,
        figure: r.ratio.name,
        value: r.ratio.median,
        unit: '%',
        target: '≥ 80 %',
        beside: `API ${r.api.median.toFixed(0)} req/s, baseline ${r.base.median.toFixed(0)} req/s`,
      },
      r.ratio.median >= 80,
    );
}

export async function benchBackend(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-bench-'));
  try {
    console.log(
      `\nMock backend: SQLite files, ${CONNECTIONS} read connections beside ${WRITE_RATE} writes/s, ${CYCLERS} write loops; ${RUNS} runs of ${READ_SECONDS} s (reads) and ${CYCLE_SECONDS} s (writes)`,
    );
    const demo = await benchProfile('demo', dir, { runs: RUNS, expiry: false });
    for (const r of demo.readRatios)
      console.log(`  demo reads: API at ${r.ratio.median.toFixed(0)} % of the fair baseline (${r.label})`);
    const large = await benchProfile('large', dir, { runs: RUNS, expiry: true });
    readTargets(large.readRatios);
    writeTargets(large.memberships, large.writeP99);
    if (large.expiry) expiryTargets(large.expiry);
    // 500k memberships: one run of each (loading it is the slow part); what counts is the peak RSS.
    const huge = await benchProfile('huge', dir, { runs: 1, expiry: false });
    target(
      {
        name: `server peak RSS at ${huge.memberships.toLocaleString('en')} memberships`,
        figure: huge.peak.api.name,
        value: huge.peak.api.median,
        unit: 'MB',
        target: '< 300 MB',
        beside: `baseline (the same framework and file, no domain) ${huge.peak.base.median.toFixed(0)} MB`,
      },
      huge.peak.api.median < 300,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npx tsx bench/backend.ts --expiry`: only the expiry scenario on the large profile, three runs. */
async function benchExpiryOnly(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-bench-'));
  try {
    const db = join(dir, 'large.sqlite');
    await output(tsx('server-child.ts', { db, profile: 'large', generateOnly: true }, false));
    const api = await startChild('server-child.ts', { db, profile: 'large' });
    header('backend, large profile: expiry only');
    const expiry = await expiryFigures(api, 'large', RUNS);
    await api.close();
    expiryTargets(expiry);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The write target of issue 12, judged for each kind of write. */
function writeTargets(memberships: number, writeP99: Record<string, { api: Figure; base: Figure }>): void {
  for (const [kind, { api, base }] of Object.entries(writeP99))
    target(
      {
        name: `write p99 ${kind} at ${memberships.toLocaleString('en')} memberships`,
        figure: api.name,
        value: api.median,
        unit: 'ms',
        target: '< 100 ms',
        beside: `baseline (the request and membership rows alone) ${base.median.toFixed(0)} ms`,
      },
      api.median < 100,
    );
}

/**
 * `npx tsx bench/backend.ts --writes`: only the write loops of the large profile, three runs, with the
 * same target as the whole bench.
 */
async function benchWritesOnly(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-bench-'));
  try {
    const large = await benchProfile('large', dir, { runs: RUNS, expiry: false, writesOnly: true });
    writeTargets(large.memberships, large.writeP99);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `npx tsx bench/backend.ts --reads`: only the read scenarios of the large profile (API against the
 * fair baseline), three runs, with the same target as the whole bench.
 */
async function benchReadsOnly(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-bench-'));
  try {
    const large = await benchProfile('large', dir, { runs: RUNS, expiry: false, readsOnly: true });
    readTargets(large.readRatios);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { finish } = await import('./results.ts');
  if (process.argv.includes('--expiry')) await benchExpiryOnly();
  else if (process.argv.includes('--reads')) await benchReadsOnly();
  else if (process.argv.includes('--writes')) await benchWritesOnly();
  else await benchBackend();
  finish(false);
}
