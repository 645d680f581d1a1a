// The load generator, in its own process so it does not share the server's event loop. Reads a job
// from argv and prints one JSON line of figures.
// - read: autocannon over a rotating list of (path, token), optionally beside a steady writer;
// - cycle: `connections` loops of request access → approve → leave, each latency recorded by kind.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { call } from './http.ts';

export interface Target {
  path: string;
  token?: string;
}
export interface Writer {
  /** 'api': request → approve → leave cycles; 'baseline': POST /bench/write. */
  kind: 'api' | 'baseline';
  url: string;
  projectId: number;
  adminToken: string;
  /** Used in turn, so no one user goes over the per-user rate limit of joins (20 a minute). */
  requesters: { id: number; token: string }[];
  /** Writes per second (an API cycle counts three). */
  rate: number;
}
export type Job =
  | { kind: 'read'; url: string; targets: Target[]; seconds: number; connections: number; writer?: Writer }
  | {
      kind: 'cycle';
      /** 'api' (default): the API's three calls; 'baseline': the baseline's same writes without rules. */
      target?: 'api' | 'baseline';
      url: string;
      projectId: number;
      adminToken: string;
      /** One pool per write loop, its users taken in turn (rate limits are per user). */
      requesters: { id: number; token: string }[][];
      seconds: number;
    };
export interface ReadFigures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  writes: number;
  writeErrors: number;
}
export interface CycleFigures {
  cyclesPerSec: number;
  request: { p50: number; p99: number };
  approve: { p50: number; p99: number };
  leave: { p50: number; p99: number };
  all: { p50: number; p99: number };
  errors: number;
  firstError?: string;
}

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Job;

function pct(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const round = (n: number) => Math.round(n * 10) / 10;

/** The baseline's request → approve → leave (bench/baseline-child.ts); the three latencies in ms. */
async function baselineCycle(
  url: string,
  projectId: number,
  userId: number,
): Promise<[number, number, number]> {
  // The same bodies as the API's calls, so both parse the same JSON.
  const path = (rest: string) => `/bench/cycle/${projectId}/${rest}`;
  const t0 = performance.now();
  const created = await call(url, 'POST', path(`request/${userId}`), '', {
    reason: 'bench',
    expirationSeconds: 3600,
  });
  const { id } = JSON.parse(created) as { id: number };
  const t1 = performance.now();
  await call(url, 'PUT', path(`approve/${id}`), '', {});
  const t2 = performance.now();
  await call(url, 'DELETE', path(`leave/${userId}`), '');
  return [t1 - t0, t2 - t1, performance.now() - t2];
}

/** One request access → approve → leave; returns the three latencies in ms. */
async function cycle(
  url: string,
  projectId: number,
  adminToken: string,
  requester: { id: number; token: string },
): Promise<[number, number, number]> {
  const t0 = performance.now();
  const created = await call(url, 'POST', `/manage/projects/${projectId}/request-access`, requester.token, {
    reason: 'bench',
    expirationSeconds: 3600,
  });
  const t1 = performance.now();
  const { id } = JSON.parse(created) as { id: number };
  await call(url, 'PUT', `/manage/projects/${projectId}/join-requests/${id}`, adminToken, {});
  const t2 = performance.now();
  await call(url, 'DELETE', `/manage/projects/${projectId}/users/${requester.id}`, requester.token);
  return [t1 - t0, t2 - t1, performance.now() - t2];
}

async function steadyWriter(w: Writer, until: () => boolean): Promise<{ writes: number; errors: number }> {
  let writes = 0;
  let errors = 0;
  const perWrite = 1000 / w.rate;
  const start = performance.now();
  let turn = 0;
  while (!until()) {
    const requester = w.requesters[turn++ % w.requesters.length] ?? { id: 0, token: '' };
    try {
      if (w.kind === 'api') {
        await cycle(w.url, w.projectId, w.adminToken, requester);
        writes += 3;
      } else {
        const res = await fetch(`${w.url}/bench/write/${w.projectId}/${requester.id}`, { method: 'POST' });
        await res.arrayBuffer();
        writes += 1;
      }
    } catch {
      errors++;
    }
    const due = start + (writes + errors * 3) * perWrite;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return { writes, errors };
}

if (job.kind === 'read') {
  let i = 0;
  const targets = job.targets;
  let done = false;
  const writer = job.writer
    ? steadyWriter(job.writer, () => done)
    : Promise.resolve({ writes: 0, errors: 0 });
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const t = targets[i++ % targets.length];
          return {
            ...req,
            path: t?.path ?? '/',
            headers: t?.token ? { 'X-KBC-ManageApiToken': t.token } : {},
          };
        },
      },
    ],
  });
  done = true;
  const w = await writer;
  const figures: ReadFigures = {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    writes: w.writes,
    writeErrors: w.errors,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  const lat = { request: [] as number[], approve: [] as number[], leave: [] as number[] };
  let errors = 0;
  let firstError: string | undefined;
  let cycles = 0;
  const end = performance.now() + job.seconds * 1000;
  await Promise.all(
    job.requesters.map(async (pool) => {
      let turn = 0;
      while (performance.now() < end) {
        const r = pool[turn++ % pool.length] ?? { id: 0, token: '' };
        try {
          const [a, b, c] =
            job.target === 'baseline'
              ? await baselineCycle(job.url, job.projectId, r.id)
              : await cycle(job.url, job.projectId, job.adminToken, r);
          lat.request.push(a);
          lat.approve.push(b);
          lat.leave.push(c);
          cycles++;
        } catch (e) {
          errors++;
          firstError ??= e instanceof Error ? e.message : String(e);
          // Leave whatever state the failed cycle left, so the next one can start.
          await call(job.url, 'DELETE', `/manage/projects/${job.projectId}/users/${r.id}`, r.token).catch(
            () => {},
          );
        }
      }
    }),
  );
  const stats = (v: number[]) => ({ p50: round(pct(v, 50)), p99: round(pct(v, 99)) });
  const figures: CycleFigures = {
    cyclesPerSec: round(cycles / job.seconds),
    request: stats(lat.request),
    approve: stats(lat.approve),
    leave: stats(lat.leave),
    all: stats([...lat.request, ...lat.approve, ...lat.leave]),
    errors,
    firstError,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
