// `BENCH_CPU_PROF=dir npx tsx bench/profile-reads.ts [api|baseline] [seconds] [--no-writer]`: one server (the API or
// the fair baseline) on the large profile, under the rotating read load of `npm run bench` (with its
// steady writer) for a while and nothing else, so a CPU profile of it shows where a read's time goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProfile, PROFILE_SIZES } from '../mock-backend/fixtures/profiles.ts';
import { demoFixture } from '../mock-backend/server.ts';
import { CONNECTIONS, load, output, startChild, tsx, WRITE_RATE } from './backend.ts';
import type { ReadFigures } from './load.ts';

const [kind, time] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const which = kind === 'baseline' ? 'baseline' : 'api';
const seconds = Number(time ?? 10);
if (!(seconds > 0)) throw new Error(`seconds must be a positive number, not ${time}`);
const dir = mkdtempSync(join(tmpdir(), 'sk-prof-'));
try {
  const profile = generateProfile(demoFixture(), PROFILE_SIZES.large);
  const db = join(dir, 'large.sqlite');
  await output(tsx('server-child.ts', { db, profile: 'large', generateOnly: true }, false));
  const child =
    which === 'api'
      ? await startChild('server-child.ts', { db, profile: 'large' })
      : await startChild('baseline-child.ts', { db });
  const targets = profile.smallProjects.map((p) => ({
    path: `/manage/projects/${p.id}/users`,
    token: p.adminToken,
  }));
  const writer = {
    kind: which,
    url: child.ready.url,
    projectId: 100,
    adminToken: 'demo-admin-token',
    requesters: profile.freeRequesters.slice(0, 40),
    rate: WRITE_RATE,
  } as const;
  const noWriter = process.argv.includes('--no-writer');
  const f = await load<ReadFigures>({
    kind: 'read',
    url: child.ready.url,
    targets,
    seconds,
    connections: CONNECTIONS,
    writer: noWriter ? undefined : writer,
  });
  console.log(which, JSON.stringify(f));
  await child.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
