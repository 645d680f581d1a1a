// The mock backend for bench/streams.ts, in its own process (its RSS is the figure). argv: { db,
// events, generateOnly? }. Builds a SQLite file with the demo data and `events` events in the demo
// admin's backlog (generateOnly), or serves that file: `rss` answers the resident set, `close` ends.
import { readFileSync } from 'node:fs';
import { loadFixture } from '../mock-backend/domain/fixture.ts';
import { demoFixture, openStore, startServer } from '../mock-backend/server.ts';
import { peakMb } from './memory.ts';
import type { ChildMessage } from './server-child.ts';

interface Args {
  db: string;
  events: number;
  generateOnly?: boolean;
}

const args = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Args;
const send = (m: ChildMessage) => process.send?.(m);

if (args.generateOnly) {
  const store = await openStore(args.db);
  const now = Math.floor(Date.now() / 1000);
  await loadFixture(store, demoFixture(), now);
  const project = { id: 100, name: 'Acme Main' };
  const user = { id: 1006, name: 'Sam Support', email: 'sam@supportkit.test' };
  // In transactions of 10,000: one per event would be a durable commit each.
  for (let done = 0; done < args.events; done += 10_000)
    await store.transaction(async (tx) => {
      for (let i = done; i < Math.min(done + 10_000, args.events); i++)
        await tx.insert('events', {
          recipientId: 1000,
          projectId: null,
          audience: null,
          ticketId: null,
          created: now,
          event: { type: 'membership.changed', project, user },
        });
    });
  await store.close();
  process.exit(0);
}

const server = await startServer({ port: 0, db: args.db, smtpUrl: null });
send({ type: 'ready', url: server.url, loadMs: 0, memberships: 0 });

process.on('message', (raw) => {
  const m = raw as { type: string };
  // With the CPU time so far, so the bench can tell when the server has stopped working on the streams.
  if (m.type === 'rss') {
    const cpu = process.cpuUsage();
    process.send?.({
      type: 'rss',
      rssMb: process.memoryUsage().rss / 2 ** 20,
      peakMb: peakMb(),
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  } else if (m.type === 'close') void server.close().then(() => process.exit(0));
});
