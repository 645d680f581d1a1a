// Event latency, in its own process: `samples` times, a fresh requester opens its event stream on
// `streamUrl`, asks for access to the project through `writeUrl`, the admin approves it there, and
// the time from the approval's start to the `joinRequest.decided` frame on the stream is recorded;
// the requester then leaves. Stream and writes on one instance: the baseline; on two: the hop
// between instances (PostgreSQL's NOTIFY). Prints one JSON line: { p50, p99, max, errors }.
import { readFileSync } from 'node:fs';
import { call, openEventStream } from './http.ts';

export interface LatencyJob {
  streamUrl: string;
  writeUrl: string;
  projectId: number;
  adminToken: string;
  requesters: { id: number; token: string }[];
}
export interface LatencyFigures {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  errors: number;
}

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LatencyJob;

async function sample(r: { id: number; token: string }): Promise<number> {
  const stream = await openEventStream(job.streamUrl, r.token);
  const until = stream.until;
  try {
    await until(/: connected/);
    const created = await call(
      job.writeUrl,
      'POST',
      `/manage/projects/${job.projectId}/request-access`,
      r.token,
      {
        reason: 'bench latency',
        expirationSeconds: 3600,
      },
    );
    const { id } = JSON.parse(created) as { id: number };
    const started = performance.now();
    const decided = until(/event: joinRequest\.decided\n/).then(() => performance.now() - started);
    await call(
      job.writeUrl,
      'PUT',
      `/manage/projects/${job.projectId}/join-requests/${id}`,
      job.adminToken,
      {},
    );
    return await decided;
  } finally {
    stream.close();
    await call(job.writeUrl, 'DELETE', `/manage/projects/${job.projectId}/users/${r.id}`, r.token).catch(
      () => {},
    );
  }
}

const times: number[] = [];
let errors = 0;
for (const r of job.requesters) {
  try {
    times.push(await sample(r));
  } catch {
    errors++;
  }
}
const sorted = [...times].sort((a, b) => a - b);
const pct = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const round = (n: number) => Math.round(n * 10) / 10;
const out: LatencyFigures = {
  p50: round(pct(50)),
  p99: round(pct(99)),
  max: round(sorted.at(-1) ?? Number.NaN),
  samples: times.length,
  errors,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
