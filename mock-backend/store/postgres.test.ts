// The PostgreSQL store: the shared store suite, then what only several connections and instances
// show (serializable retries, locks, id order, LISTEN/NOTIFY, shared rate limits).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../../test/postgres-db.ts';
import type { Signal } from '../domain/context.ts';
import {
  DEFAULT_MIGRATIONS_DIR,
  lockKey,
  migrate,
  openPostgresStore,
  PostgresOpenError,
  type PostgresStore,
  type PostgresStoreOptions,
  readMigrations,
  settingsClockOffset,
} from './postgres.ts';
import {
  BUS_CHANNEL,
  createPostgresBus,
  encodeSignal,
  isWakeAll,
  MAX_PAYLOAD_BYTES,
  type PostgresBus,
} from './postgres-bus.ts';
import { postgresRateLimitStore } from './postgres-rate-limit.ts';
import { storeSuite } from './store-suite.ts';
import type { Store } from './types.ts';

let url = '';
beforeAll(async () => {
  url = await createTestDatabase();
});
afterAll(async () => {
  if (url) await dropTestDatabase(url);
});

storeSuite('postgres', async () => {
  const s = await openPostgresStore(url, { max: 4 });
  await s.clear();
  return s;
});

const opened: { close(): Promise<void> }[] = [];
async function open(options: PostgresStoreOptions = {}, on = url): Promise<PostgresStore> {
  const s = await openPostgresStore(on, { max: 4, ...options });
  opened.push(s);
  return s;
}
afterEach(async () => {
  // Buses first (they listen through their store's pool), then stores.
  for (const x of opened.splice(0).reverse()) await x.close().catch(() => {});
});

const request = (userId: number, reason = 'why') => ({
  projectId: 1,
  userId,
  reason,
  created: 1,
  expires: null,
  status: 'pending' as const,
  decidedBy: null,
  decided: null,
  durationSeconds: null,
});
const event = (recipientId: number) => ({
  recipientId,
  projectId: null,
  audience: null,
  ticketId: null,
  created: 1,
  event: { type: 'x' } as never,
});

/** A promise and its resolve, to hold a transaction open until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((r) => {
    open = r;
  });
  return { promise, open };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `predicate` holds, polling; fails the test after `ms`. */
async function until(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('postgres store: values and errors', () => {
  it('keeps times in milliseconds past 32 bits and answers numbers, not strings', async () => {
    const s = await open();
    await s.clear();
    const id = await s.insert('outbox', {
      to: 'a@t.test',
      subject: 's',
      text: 't',
      html: 'h',
      created: 1,
      jobId: null,
      replyTo: null,
      smtpSentAt: 1_760_000_000_123,
      attempts: 0,
      nextAttemptAt: 2 ** 40,
      lastError: null,
    });
    const row = await s.get('outbox', id);
    expect(row?.smtpSentAt).toBe(1_760_000_000_123);
    expect(row?.nextAttemptAt).toBe(2 ** 40);
    expect(typeof row?.id).toBe('number');
    expect(typeof (await s.count('outbox', {}))).toBe('number');
  });

  it('refuses unknown columns, fractional numbers in integer columns, and bad limits, clearly', async () => {
    const s = await open();
    await expect(s.find('users', { nope: 1 } as never)).rejects.toThrow('Unknown column nope');
    await expect(s.find('users', {}, { anyOf: [{ nope: [1] } as never] })).rejects.toThrow(
      'Unknown column nope',
    );
    await expect(s.findDue('users', 'nope' as never, 1)).rejects.toThrow('Unknown column nope');
    await expect(s.find('joinRequests', { userId: 1.5 })).rejects.toThrow(
      'joinRequests.userId holds whole numbers',
    );
    await expect(s.find('users', {}, { limit: 2.5 })).rejects.toThrow('Invalid LIMIT/OFFSET 2.5');
  });

  it('tryLock outside a transaction is an error that says where to call it', async () => {
    const s = await open();
    await expect(s.tryLock('sweep')).rejects.toThrow(/inside|transaction hands you/);
  });

  it('a database that cannot be reached or does not exist is one clear error', async () => {
    const missing = new URL(url);
    missing.pathname = '/sk_no_such_database';
    await expect(openPostgresStore(missing.toString())).rejects.toThrow(/does not exist/);
    const nobody = new URL(url);
    nobody.port = '1';
    nobody.password = 'secret';
    const err = await openPostgresStore(nobody.toString()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostgresOpenError);
    expect(String(err)).toMatch(/no server answers/);
    expect(String(err)).not.toContain('secret');
  });

  it('shares settings between instances', async () => {
    const a = await open();
    const b = await open();
    expect(await a.getSetting('test.clockOffsetMs')).toBeUndefined();
    await a.setSetting('test.clockOffsetMs', 86_400_000);
    expect(await b.getSetting<number>('test.clockOffsetMs')).toBe(86_400_000);
    await b.setSetting('test.clockOffsetMs', { ms: 1 });
    expect(await a.getSetting('test.clockOffsetMs')).toEqual({ ms: 1 });
    await expect(a.setSetting('x', undefined)).rejects.toThrow(/JSON/);
  });
});

describe('postgres store: the shared test clock', () => {
  it('adds moves from two instances at once, neither lost; refuses going back', async () => {
    const a = await open();
    const b = await open();
    const key = `test.clock.${Math.random().toString(36).slice(2)}`;
    const [ca, cb] = [settingsClockOffset(a, key), settingsClockOffset(b, key)];
    expect(await ca.read()).toBe(0);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? ca : cb).add(1000)));
    expect(await cb.read()).toBe(10_000);
    await expect(ca.add(-1)).rejects.toThrow(/only moves forward/);
    expect(await ca.read()).toBe(10_000);
  });
});

describe('postgres store: concurrency', () => {
  it('transactions take turns across instances: a write skew cannot happen, and nothing is retried', async () => {
    const a = await open({ maxAttempts: 1 });
    const b = await open({ maxAttempts: 1 });
    await a.clear();
    const firstRead = gate();
    const order: string[] = [];
    // Write skew: each counts the rows, then adds one recording what it saw. Run at once on two
    // instances, the second must wait for the first (the writer lock), then see its row.
    const add = (s: PostgresStore, userId: number, waitFor?: Promise<void>) =>
      s.transaction(async (tx) => {
        order.push(`start ${userId}`);
        const seen = await tx.count('joinRequests', { projectId: 1 });
        if (!waitFor) firstRead.open();
        // The first holds its transaction a moment: the second is under way meanwhile, waiting.
        await (waitFor ?? sleep(150));
        const id = await tx.insert('joinRequests', request(userId, `saw ${seen}`));
        order.push(`end ${userId}`);
        return id;
      });
    const first = add(a, 1);
    await firstRead.promise;
    const second = add(b, 2, Promise.resolve());
    await Promise.all([first, second]);
    const reasons = (await a.find('joinRequests', {})).map((r) => r.reason).sort();
    expect(reasons).toEqual(['saw 0', 'saw 1']);
    // The second did not start its work before the first had committed.
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(a.retries() + b.retries()).toBe(0);
  });

  it('in one instance too: 20 transactions at once run one after another, each seeing all before it', async () => {
    const s = await open({ max: 4, maxAttempts: 1 });
    await s.clear();
    const seen = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.transaction(async (tx) => {
          const n = await tx.count('joinRequests', { projectId: 1 });
          await tx.insert('joinRequests', request(i + 1, `saw ${n}`));
          return n;
        }),
      ),
    );
    // Queued in this process before they take a connection: 20 waiters never exhaust a pool of 4.
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(s.retries()).toBe(0);
  });

  it('compare-and-set from 20 connections at once: exactly one wins, with or without a transaction', async () => {
    const s = await open({ max: 20 });
    await s.clear();
    for (const inTx of [false, true]) {
      const id = await s.insert('joinRequests', request(1));
      const attempt = (i: number) => {
        const cas = (st: Store) =>
          st.updateIf('joinRequests', id, { status: 'pending' }, { status: 'approved', decidedBy: i });
        return inTx ? s.transaction(cas) : cas(s);
      };
      const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(i)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect((await s.get('joinRequests', id))?.decidedBy).toBe(wins.indexOf(true));
    }
  });

  it('tryLock: held by another session, refused until that session lets it go', async () => {
    const a = await open();
    const b = await open();
    // Every store transaction takes turns, so another holder is a session outside them: the lock
    // a dying instance's connection held, or an operator's.
    const holder = await a.sql.reserve();
    try {
      await holder.unsafe('SELECT pg_advisory_lock($1::int8)', [lockKey('support-kit:lock:mail-pass')]);
      expect(await b.transaction((tx) => tx.tryLock('mail-pass'))).toBe(false);
      // Another name is another lock.
      expect(await b.transaction((tx) => tx.tryLock('expiry-sweep'))).toBe(true);
      await holder.unsafe('SELECT pg_advisory_unlock($1::int8)', [lockKey('support-kit:lock:mail-pass')]);
      expect(await b.transaction((tx) => tx.tryLock('mail-pass'))).toBe(true);
      // Held until the transaction ends, not beyond: the next transaction takes it again.
      expect(await b.transaction((tx) => tx.tryLock('mail-pass'))).toBe(true);
    } finally {
      holder.release();
    }
  });

  it('events: a transaction that took a lower id has committed before a higher id is taken', async () => {
    const a = await open();
    const b = await open();
    await a.clear();
    const inserted = gate();
    const secondStarted = gate();
    // The first inserts, then holds its transaction a while. The second, started meanwhile on
    // another instance, takes its id only after the first committed: it sees the first's row.
    // (Which client hears of its commit first is up to the scheduler, so that is not the check.)
    const first = a.transaction(async (tx) => {
      const id = await tx.insert('events', event(1));
      inserted.open();
      await Promise.race([secondStarted.promise.then(() => sleep(200)), sleep(500)]);
      return id;
    });
    await inserted.promise;
    const second = b.transaction(async (tx) => {
      const id = await tx.insert('events', event(2));
      const visible = (await tx.find('events', {})).map((e) => e.id);
      return { id, visible };
    });
    secondStarted.open();
    const [firstId, later] = await Promise.all([first, second]);
    expect(later.id).toBeGreaterThan(firstId);
    expect(later.visible).toEqual([firstId, later.id]);
  });

  it('events and outbox: a reader following ids misses nothing while 40 transactions insert at once', async () => {
    const writer = await open({ max: 10 });
    const reader = await open({ max: 1 });
    await writer.clear();
    const seen: number[] = [];
    let last = 0;
    let writing = true;
    const poll = async () => {
      for (const row of await reader.find('events', {}, { afterId: last })) {
        seen.push(row.id);
        last = row.id;
      }
    };
    const following = (async () => {
      while (writing) await poll();
    })();
    const made = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        writer.transaction(async (tx) => {
          const id = await tx.insert('events', event(i));
          // Commits at scattered moments after taking their ids.
          await sleep((i * 7) % 23);
          if (i % 4 === 0)
            await tx.insert('outbox', {
              to: `${i}@t.test`,
              subject: 's',
              text: 't',
              html: 'h',
              created: 1,
              jobId: null,
              replyTo: null,
              smtpSentAt: null,
              attempts: 0,
              nextAttemptAt: 0,
              lastError: null,
            });
          return id;
        }),
      ),
    );
    writing = false;
    await following;
    await poll();
    expect([...seen].sort((x, y) => x - y)).toEqual([...made].sort((x, y) => x - y));
    // Outside a transaction, an insert into events takes the same path.
    expect(await writer.insert('events', event(99))).toBeGreaterThan(Math.max(...made));
  });
});

describe('postgres migrations', () => {
  // Each test drops its database WITH (FORCE); afterEach then closes the pools that were on it.
  const shipped = readMigrations().map((m) => `${m.version}_${m.name}`);
  // A file after the shipped ones, for the tests that add one.
  // After the highest number, not the count: helpers' migrations may land out of order (0006 before 0005).
  const next = Math.max(...readMigrations().map((m) => m.version)) + 1;
  const nextFile = (name: string) => `${String(next).padStart(4, '0')}_${name}.sql`;
  it('apply once when two instances open an empty database at once, and again finds nothing to do', async () => {
    const empty = await createTestDatabase({ empty: true });
    try {
      const [a, b] = await Promise.all([open({}, empty), open({}, empty)]);
      const rows = await a.sql.unsafe('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => `${r.version}_${r.name}`)).toEqual(shipped);
      expect(await migrate(b.sql)).toEqual([]);
      expect(await b.isEmpty()).toBe(true);
    } finally {
      await dropTestDatabase(empty);
    }
  });

  it('two migrate() calls racing on one database: one applies, the other waits and finds it done', async () => {
    const empty = await createTestDatabase({ empty: true });
    const none = mkdtempSync(join(tmpdir(), 'sk-no-migrations-'));
    try {
      // Opened on an empty folder, so opening applies nothing and the race is migrate's alone.
      const [c, d] = [await open({ migrationsDir: none }, empty), await open({ migrationsDir: none }, empty)];
      const applied = await Promise.all([migrate(c.sql), migrate(d.sql)]);
      expect(applied.flat()).toEqual(shipped);
    } finally {
      rmSync(none, { recursive: true, force: true });
      await dropTestDatabase(empty);
    }
  });

  it('refuse a migration file that changed after it was applied, and one the code lacks', async () => {
    const empty = await createTestDatabase({ empty: true });
    const dir = mkdtempSync(join(tmpdir(), 'sk-migrations-'));
    try {
      cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
      writeFileSync(join(dir, nextFile('extra')), 'CREATE TABLE "extra" ("id" BIGINT);\n');
      await open({ migrationsDir: dir }, empty);
      writeFileSync(join(dir, nextFile('extra')), 'CREATE TABLE "extra" ("id" BIGINT, "more" TEXT);\n');
      await expect(openPostgresStore(empty, { migrationsDir: dir })).rejects.toThrow(
        `${nextFile('extra')} changed after it was applied`,
      );
      // The code of an older version (without that file) on this database: refused too.
      await expect(openPostgresStore(empty)).rejects.toThrow(
        new RegExp(`migration ${next} \\(extra\\).*newer version`),
      );
      writeFileSync(join(dir, 'notes.txt'), 'x');
      await expect(openPostgresStore(empty, { migrationsDir: dir })).rejects.toThrow(
        /named like 0002_add_thing\.sql/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await dropTestDatabase(empty);
    }
  });

  it('a failing migration leaves nothing behind (one transaction) and says which one failed', async () => {
    const empty = await createTestDatabase({ empty: true });
    const dir = mkdtempSync(join(tmpdir(), 'sk-migrations-'));
    try {
      cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
      writeFileSync(
        join(dir, nextFile('broken')),
        'CREATE TABLE "half" ("id" BIGINT);\nSELECT nonsense_here;\n',
      );
      await expect(openPostgresStore(empty, { migrationsDir: dir })).rejects.toThrow(
        `migration ${next} (broken) failed`,
      );
      const s = await open({}, empty);
      expect((await s.sql.unsafe(`SELECT to_regclass('"half"') AS t`))[0]?.t).toBeNull();
      expect((await s.sql.unsafe('SELECT count(*) AS n FROM schema_migrations'))[0]?.n).toBe(shipped.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await dropTestDatabase(empty);
    }
  });
});

describe('postgres bus', () => {
  async function pair(): Promise<{ a: PostgresBus; b: PostgresBus; gotA: Signal[]; gotB: Signal[] }> {
    const [sa, sb] = [await open(), await open()];
    const a = await createPostgresBus(sa);
    const b = await createPostgresBus(sb);
    opened.push(a, b);
    const gotA: Signal[] = [];
    const gotB: Signal[] = [];
    a.subscribe((s) => gotA.push(s));
    b.subscribe((s) => gotB.push(s));
    return { a, b, gotA, gotB };
  }

  it('delivers a signal published on one instance to the other, and to itself once', async () => {
    const { a, b, gotA, gotB } = await pair();
    const x: Signal = { type: 'events', recipients: [1, 2], project: { id: 5, audience: 'deciders' } };
    a.publish(x);
    expect(gotA).toEqual([x]);
    await until(() => gotB.length === 1, 'B to get the signal');
    expect(gotB).toEqual([x]);
    // B's answer reaches A after A's own echo would have: A still has x once.
    b.publish({ type: 'outbox' });
    await until(() => gotA.length === 2, 'A to get the outbox signal');
    expect(gotA).toEqual([x, { type: 'outbox' }]);
  });

  it('publishInTx: delivered to every instance when the transaction commits, never when it rolls back', async () => {
    const { a, gotA, gotB } = await pair();
    const store = (await open()) as Store;
    const lost: Signal = { type: 'events', recipients: [404] };
    const kept: Signal = { type: 'events', recipients: [200] };
    await expect(
      store.transaction(async (tx) => {
        await a.publishInTx(tx, [lost]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await store.transaction(async (tx) => {
      await a.publishInTx(tx, [kept]);
      expect(gotB).toEqual([]);
    });
    await until(() => gotA.length === 1 && gotB.length === 1, 'both to get the committed signal');
    expect(gotA).toEqual([kept]);
    expect(gotB).toEqual([kept]);
    await expect(a.publishInTx(store, [kept])).rejects.toThrow(/transaction hands you/);
  });

  it('splits a recipient list too large for one NOTIFY and delivers all of it', async () => {
    const { a, gotB } = await pair();
    const recipients = Array.from({ length: 6000 }, (_, i) => 1_000_000 + i * 37);
    const big: Signal = { type: 'events', recipients, project: { id: 3, audience: 'members' } };
    const payloads = encodeSignal(big, 'origin');
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(encodeSignal({ type: 'events', recipients: [1, 2, 3] })).toHaveLength(1);
    // What the split avoids: PostgreSQL refuses the whole list in one payload.
    const store = await open();
    await expect(store.sql.notify(BUS_CHANNEL, JSON.stringify({ s: big }))).rejects.toThrow(/too long/);
    const received = () => gotB.flatMap((s) => (s.type === 'events' ? s.recipients : []));
    a.publish(big);
    await until(() => received().length >= recipients.length, 'every part of the published list');
    // Inside a transaction too.
    await store.transaction((tx) => a.publishInTx(tx, [big]));
    await until(() => received().length >= 2 * recipients.length, 'every part of the notified list');
    expect(received()).toEqual([...recipients, ...recipients]);
    const events = gotB.filter((s) => s.type === 'events');
    expect(events.filter((s) => s.project?.id === 3)).toHaveLength(2);
  });

  it('after the LISTEN connection is lost and comes back, wakes every local listener', async () => {
    const { a, b, gotB } = await pair();
    const admin = await open();
    await admin.sql.unsafe(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'listen%'`,
    );
    await until(() => b.reconnects() === 1 && gotB.some(isWakeAll), 'B to listen again and wake everyone');
    expect(gotB.filter(isWakeAll)).toHaveLength(1);
    expect(gotB).toContainEqual({ type: 'outbox' });
    // And it hears again.
    a.publish({ type: 'events', recipients: [9] });
    await until(
      () => gotB.some((s) => s.type === 'events' && s.recipients[0] === 9),
      'B to hear after reconnecting',
    );
  });
});

describe('postgres rate-limit store', () => {
  it('counts one window per key across two instances, resets when it passed, and counts atomically', async () => {
    const [sa, sb] = [await open({ max: 10 }), await open({ max: 10 })];
    let now = 1_000_000;
    const a = postgresRateLimitStore(sa.sql, () => now, 60_000);
    const b = postgresRateLimitStore(sb.sql, () => now, 60_000);
    await a.resetAll();
    expect((await a.increment('tickets:1')).totalHits).toBe(1);
    expect((await b.increment('tickets:1')).totalHits).toBe(2);
    expect((await b.increment('tickets:2')).totalHits).toBe(1);
    expect((await a.get?.('tickets:1'))?.totalHits).toBe(2);
    await b.decrement('tickets:1');
    expect((await a.get?.('tickets:1'))?.totalHits).toBe(1);
    now += 59_000;
    expect(await b.retryAfter('tickets:1')).toBe(1);
    expect((await a.increment('tickets:1')).totalHits).toBe(2);
    now += 1_000; // the window ended
    expect(await a.get?.('tickets:1')).toBeUndefined();
    expect((await b.increment('tickets:1')).totalHits).toBe(1);
    expect(await a.retryAfter('tickets:1')).toBe(60);
    await a.resetKey('tickets:1');
    expect(await b.get?.('tickets:1')).toBeUndefined();
    // 50 at once from both pools: each sees a different count, 1 to 50.
    const hits = await Promise.all(
      Array.from(
        { length: 50 },
        (_, i) => (i % 2 ? a : b).increment('entry:7') as Promise<{ totalHits: number }>,
      ),
    );
    expect(hits.map((h) => h.totalHits).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    await b.resetAll();
    expect(await a.get?.('entry:7')).toBeUndefined();
    expect(await a.get?.('tickets:2')).toBeUndefined();
  });
});
