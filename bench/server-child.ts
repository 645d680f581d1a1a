// The mock backend under test, in its own process (so its RSS and event loop are its own), driven by
// bench/backend.ts over IPC. argv: { db, profile }. Loads the profile into an empty database, starts
// the real server (the read cache and the 1 s expiry timer included; rate limits on, the writes
// limit raised for the one admin who approves every request),
// then answers: `rss`, `expiry` (the 1,000-memberships-expiring-at-once scenario), `close`.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { offsetClock } from '../mock-backend/clock.ts';
import { loadFixture } from '../mock-backend/domain/fixture.ts';
import {
  generateProfile,
  PROFILE_SIZES,
  type ProfileName,
  seedPending,
} from '../mock-backend/fixtures/profiles.ts';
import { demoFixture, openStore, startServer } from '../mock-backend/server.ts';
import { peakMb } from './memory.ts';

interface Args {
  db: string;
  profile: ProfileName;
  /** Only build the database file, then exit. */
  generateOnly?: boolean;
}
export type ChildMessage =
  | { type: 'ready'; url: string; loadMs: number; memberships: number }
  | { type: 'rss'; rssMb: number; peakMb: number }
  | { type: 'expiry'; maxDelayMs: number; goneMs: number; left: number }
  | { type: 'expiry-control'; maxDelayMs: number };

/** The bench admin's writes a minute: more than its loops make in a minute (about 300 a second). */
const BENCH_ADMIN_WRITES_PER_MINUTE = 1_000_000;

const args = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Args;
const send = (m: ChildMessage) => process.send?.(m);

const clock = offsetClock();
const store = await openStore(args.db);
let loadMs = 0;
if (await store.isEmpty()) {
  const started = performance.now();
  const now = Math.floor(clock.now() / 1000);
  const p = generateProfile(demoFixture(), PROFILE_SIZES[args.profile]);
  await loadFixture(store, p.fixture, now);
  await seedPending(store, p.pending, now);
  loadMs = performance.now() - started;
}
if (args.generateOnly) {
  await store.close();
  process.stdout.write(`${JSON.stringify({ loadMs })}\n`);
  process.exit(0);
}

// Rate limits stay on, as in production: the load's write loops take their requesters in turn from
// pools large enough to stay under them. One limit is raised, by the server option made for it: every
// request of every loop is approved by the one admin, hundreds of writes a second, which the per-user
// limit of writes (120 a minute) would refuse.
const server = await startServer({
  port: 0,
  store,
  clock,
  smtpUrl: null,
  rateLimits: { writes: BENCH_ADMIN_WRITES_PER_MINUTE },
});
send({
  type: 'ready',
  url: server.url,
  loadMs,
  memberships: await store.count('projectMembers', {}),
});

/**
 * 1,000 memberships of one fresh project (every fifth an admin), all expiring in the same second,
 * 2 s from now, beside 20 permanent admins who hear about it. `control`: the same, except that
 * nothing expires (an hour later instead), watched the same way over the last run's window: the
 * event loop's delay without the expiry, the baseline the expiry's delay is judged beside.
 */
let lastGoneMs = 1000;
async function expiryScenario(
  control = false,
): Promise<{ maxDelayMs: number; goneMs: number; left: number }> {
  const now = Math.floor(clock.now() / 1000);
  const expires = now + 2;
  const rowsExpire = control ? now + 3600 : expires;
  const projectId = await store.insert('projects', {
    name: 'Expiry bench',
    created: now,
    organizationId: 10,
    usersLimit: null,
    deleted: null,
  });
  const all = await store.find('users', {}, { limit: 1020 });
  const users = all.slice(20);
  await store.transaction(async (tx) => {
    for (const [i, u] of all.entries())
      await tx.insert('projectMembers', {
        projectId,
        userId: u.id,
        role: i < 20 || i % 5 === 0 ? 'admin' : 'guest',
        kind: 'member',
        reason: null,
        created: now,
        expires: i < 20 ? null : rowsExpire,
        invitorId: null,
        approverId: null,
        expiringNotified: true,
        grantId: null,
        ticketId: null,
      });
  });
  const h = monitorEventLoopDelay({ resolution: 5 });
  // Start watching half a second before the second they expire in.
  while (clock.now() < expires * 1000 - 500) await new Promise((r) => setTimeout(r, 20));
  h.enable();
  let left = users.length;
  let goneMs = Number.POSITIVE_INFINITY;
  while (clock.now() < expires * 1000 + (control ? lastGoneMs : 5000)) {
    await new Promise((r) => setTimeout(r, 10));
    left = (await store.count('projectMembers', { projectId })) - 20;
    if (!control && left === 0 && clock.now() >= expires * 1000) {
      goneMs = clock.now() - expires * 1000;
      lastGoneMs = goneMs;
      break;
    }
  }
  await new Promise((r) => setTimeout(r, 300));
  h.disable();
  return { maxDelayMs: h.max / 1e6, goneMs, left };
}

process.on('message', (raw) => {
  const m = raw as { type: string };
  if (m.type === 'rss') send({ type: 'rss', rssMb: process.memoryUsage().rss / 2 ** 20, peakMb: peakMb() });
  else if (m.type === 'expiry') void expiryScenario().then((r) => send({ type: 'expiry', ...r }));
  else if (m.type === 'expiry-control')
    void expiryScenario(true).then((r) => send({ type: 'expiry-control', maxDelayMs: r.maxDelayMs }));
  else if (m.type === 'close') void server.close().then(() => process.exit(0));
});
