// Event streams nobody reads (issue 22): ten readers of one user's event stream resume from
// Last-Event-ID 0 over an 80,000-event backlog. Stalled: TCP connections that send the request and
// never read a byte. Reading (the fair baseline): the same ten connections reading every event. Each
// scenario runs in a fresh server process on a copy of one SQLite file; the figure is the server's
// resident set once the streams have settled, three runs each, alternating. `npx tsx bench/streams.ts`
// runs this part alone (bench/results.json is not rewritten).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, output, RUNS, startChild, tsx } from './backend.ts';
import { finish, header, record, target } from './results.ts';

export const BACKLOG = 80_000;
export const READERS = 10;
/**
 * The streams have settled once the server spends less than 5 % of a core for two seconds running
 * (and at least this long has passed): the stalled ones have queued whatever they will queue.
 */
const SETTLE_MS = 3000;
const SETTLE_MAX_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One event stream over a raw connection, from Last-Event-ID 0; `read` false: never read a byte. */
function openStream(url: string, read: boolean): { socket: Socket; events: () => number } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let events = 0;
  let tail = '';
  socket.write(
    `GET /manage/current-user/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-KBC-ManageApiToken: demo-admin-token\r\nLast-Event-ID: 0\r\nAccept: text/event-stream\r\n\r\n`,
  );
  if (read)
    socket.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      events += text.split('\nid: ').length - 1;
      tail = text.slice(-5);
    });
  // Paused before the first byte arrives: the socket stops reading from the kernel once its small
  // buffer is full, and the server sees a reader that takes nothing.
  else socket.pause();
  socket.on('error', () => {});
  return { socket, events: () => events };
}

interface Usage {
  rssMb: number;
  peakMb: number;
  cpuMs: number;
}
const usage = async (child: Child) => (await child.ask('rss')) as Usage & { type: 'rss' };

async function scenario(db: string, read: boolean): Promise<{ idle: number; rss: number; peak: number }> {
  const child = await startChild('streams-child.ts', { db, events: BACKLOG });
  try {
    const url = child.ready.url;
    const idle = (await child.ask('rss')).rssMb;
    const streams = Array.from({ length: READERS }, () => openStream(url, read));
    if (read) {
      const deadline = Date.now() + 120_000;
      while (streams.some((s) => s.events() < BACKLOG) && Date.now() < deadline) await sleep(100);
      const short = streams.filter((s) => s.events() < BACKLOG).length;
      if (short) throw new Error(`${short} readers did not get all ${BACKLOG} events`);
    }
    const started = Date.now();
    let last = await usage(child);
    let quiet = 0;
    while (Date.now() - started < SETTLE_MAX_MS) {
      await sleep(1000);
      const now = await usage(child);
      quiet = now.cpuMs - last.cpuMs < 50 ? quiet + 1 : 0;
      last = now;
      if (quiet >= 2 && Date.now() - started >= SETTLE_MS) break;
    }
    const after = last;
    for (const s of streams) s.socket.destroy();
    return { idle, rss: after.rssMb, peak: after.peakMb };
  } finally {
    await child.close();
  }
}

export async function benchStreams(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-bench-streams-'));
  try {
    const db = join(dir, 'events.sqlite');
    await output(tsx('streams-child.ts', { db, events: BACKLOG, generateOnly: true }, false));
    header(
      `event streams: ${READERS} readers from Last-Event-ID 0 over ${BACKLOG.toLocaleString('en')} events`,
    );
    const reading: Awaited<ReturnType<typeof scenario>>[] = [];
    const stalled: Awaited<ReturnType<typeof scenario>>[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Each process on its own copy: the same file, the same cold start.
      const copy = (name: string) => {
        const file = join(dir, `${name}-${run}.sqlite`);
        copyFileSync(db, file);
        return file;
      };
      reading.push(await scenario(copy('reading'), true));
      stalled.push(await scenario(copy('stalled'), false));
    }
    record(
      'server RSS, idle before the streams',
      'MB',
      reading.map((r) => r.idle),
      'lower',
    );
    record(
      `server RSS, ${READERS} readers reading every event`,
      'MB',
      reading.map((r) => r.rss),
      'lower',
    );
    record(
      `server RSS, ${READERS} stalled readers`,
      'MB',
      stalled.map((r) => r.rss),
      'lower',
    );
    record(
      `server peak RSS, ${READERS} stalled readers`,
      'MB',
      stalled.map((r) => r.peak),
      'lower',
    );
    const added = record(
      `server RSS added by ${READERS} stalled readers beside reading ones`,
      'MB',
      stalled.map((s, i) => s.rss - (reading[i]?.rss ?? Number.NaN)),
      'lower',
    );
    target(
      {
        name: `${READERS} stalled readers of ${BACKLOG.toLocaleString('en')} events add`,
        figure: added.name,
        value: added.median,
        unit: 'MB',
        target: '< 20 MB beside reading readers',
        beside: `stalled over idle: ${(stalled.map((s) => s.rss - s.idle).sort((a, b) => a - b)[1] ?? Number.NaN).toFixed(1)} MB`,
      },
      added.median < 20,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchStreams();
  finish(false);
}
