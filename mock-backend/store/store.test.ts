// The memory and SQLite stores: the shared store suite, then what only embedded stores do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENTRIES_PER_TABLE, withReadCache } from './cached.ts';
import { TransactionMisuseError } from './embedded.ts';
import { createMemoryStore } from './memory.ts';
import { createSqliteStore } from './sqlite.ts';
import { member, storeSuite, user } from './store-suite.ts';
import type { Store } from './types.ts';

const dirs: string[] = [];
const factories: [string, () => Store][] = [
  ['memory', () => createMemoryStore()],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'sk-store-'));
      dirs.push(dir);
      return createSqliteStore(join(dir, 'db.sqlite'));
    },
  ],
  [
    'sqlite behind the read cache',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'sk-store-'));
      dirs.push(dir);
      return withReadCache(createSqliteStore(join(dir, 'db.sqlite')));
    },
  ],
];

/** A promise the test opens when it wants. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
/** Lets every settled promise's continuation run (a macrotask turn). */
const turns = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// What every store must do (shared with PostgreSQL): store-suite.ts.
for (const [name, make] of factories) storeSuite(name, async () => make());

// What only the embedded stores do: the in-process queue, savepoints on one handle, the misuse guards.
describe.each(factories)('%s store, embedded', (_name, make) => {
  it('runs concurrent top-level transactions one after another, never interleaved', async () => {
    const s = make();
    const log: string[] = [];
    const hold = gate();
    const a = s.transaction(async (tx) => {
      log.push('a starts');
      await tx.insert('users', user(1));
      await hold.wait;
      log.push('a ends');
    });
    const b = s.transaction(async (tx) => {
      log.push('b starts');
      log.push(`b sees ${(await tx.find('users', {})).length}`);
    });
    await turns();
    expect(log).toEqual(['a starts']);
    hold.open();
    await Promise.all([a, b]);
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b sees 1']);
    await s.close();
  });

  it('runs the next queued transaction after one that throws, and its writes are its own', async () => {
    const s = make();
    const hold = gate();
    const failing = s.transaction(async (tx) => {
      await tx.insert('users', user(1));
      await hold.wait;
      throw new Error('boom');
    });
    const next = s.transaction((tx) => tx.insert('users', user(2)));
    hold.open();
    await expect(failing).rejects.toThrow('boom');
    await next;
    expect((await s.find('users', {})).map((u) => u.id)).toEqual([2]);
    await s.close();
  });

  it('makes a root write wait for the open transaction, so it is not undone with it', async () => {
    const s = make();
    const hold = gate();
    const failing = s.transaction(async (tx) => {
      await tx.insert('users', user(1));
      await hold.wait;
      throw new Error('boom');
    });
    const write = s.insert('users', user(2));
    await turns();
    // Root reads do not wait: they see the transaction's write, and not yet the queued one.
    expect((await s.find('users', {})).map((u) => u.id)).toEqual([1]);
    hold.open();
    await expect(failing).rejects.toThrow('boom');
    await write;
    expect((await s.find('users', {})).map((u) => u.id)).toEqual([2]);
    await s.close();
  });

  it('runs a nested transaction as a savepoint at once, even with another transaction queued', async () => {
    const s = make();
    const log: string[] = [];
    const hold = gate();
    const outer = s.transaction(async (tx) => {
      await hold.wait;
      await tx.transaction((inner) => inner.insert('users', user(1)));
      log.push('nested done');
    });
    const queued = s.transaction(async () => {
      log.push('queued runs');
    });
    hold.open();
    await Promise.all([outer, queued]);
    expect(log).toEqual(['nested done', 'queued runs']);
    expect(await s.count('users', {})).toBe(1);
    await s.close();
  });

  it('runs two nested transactions of one handle one after the other', async () => {
    const s = make();
    await s.transaction(async (tx) => {
      const hold = gate();
      const first = tx.transaction(async (inner) => {
        await inner.insert('users', user(1));
        await hold.wait;
        throw new Error('first');
      });
      const second = tx.transaction(async (inner) => {
        await inner.insert('users', user(2));
      });
      hold.open();
      await expect(first).rejects.toThrow('first');
      await second;
    });
    expect((await s.find('users', {})).map((u) => u.id)).toEqual([2]);
    await s.close();
  });

  it('tryLock answers true inside a transaction and is refused outside one', async () => {
    const s = make();
    expect(await s.transaction((tx) => tx.tryLock('expiry-sweep'))).toBe(true);
    expect(await s.transaction((tx) => tx.transaction((inner) => inner.tryLock('mail-worker')))).toBe(true);
    await expect(s.tryLock('expiry-sweep')).rejects.toThrow(TransactionMisuseError);
    await s.close();
  });

  it('refuses a transaction handle used after its transaction ended (a missing await)', async () => {
    const s = make();
    let leaked: Store | undefined;
    await s.transaction(async (tx) => {
      leaked = tx;
    });
    if (!leaked) throw new Error('no handle');
    await expect(leaked.insert('users', user(1))).rejects.toThrow(TransactionMisuseError);
    await expect(leaked.get('users', 1)).rejects.toThrow(TransactionMisuseError);
    expect(await s.isEmpty()).toBe(true);
    await s.close();
  });

  it('rolls back a transaction that ends while its nested transaction still runs, both of them', async () => {
    const s = make();
    const hold = gate();
    let nested: Promise<unknown> = Promise.resolve();
    await expect(
      s.transaction(async (tx) => {
        await tx.insert('users', user(1));
        nested = tx.transaction(async (inner) => {
          await inner.insert('users', user(2));
          await hold.wait;
          await inner.insert('users', user(3));
        });
      }),
    ).rejects.toThrow(/nested transaction/);
    hold.open();
    await expect(nested).rejects.toThrow(TransactionMisuseError);
    expect(await s.isEmpty()).toBe(true);
    // The store goes on working.
    await s.transaction((tx) => tx.insert('users', user(4)));
    expect((await s.find('users', {})).map((u) => u.id)).toEqual([4]);
    await s.close();
  });

  it('refuses a write through a parent handle while its nested transaction is open', async () => {
    const s = make();
    await s.transaction(async (tx) => {
      const hold = gate();
      const nested = tx.transaction(async () => {
        await hold.wait;
      });
      await expect(tx.insert('users', user(1))).rejects.toThrow(TransactionMisuseError);
      hold.open();
      await nested;
      await tx.insert('users', user(2));
    });
    expect((await s.find('users', {})).map((u) => u.id)).toEqual([2]);
    await s.close();
  });

  it('undoes a clear() inside a transaction that throws', async () => {
    const s = make();
    await s.insert('users', user(1, 'tok'));
    await expect(
      s.transaction(async (tx) => {
        await tx.clear();
        await tx.insert('users', user(5, 'tok'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await s.get('users', 1)).toEqual(user(1, 'tok'));
    expect(await s.first('users', { tokenHash: 'tok' })).toEqual(user(1, 'tok'));
    expect(await s.get('users', 5)).toBeUndefined();
    await s.close();
  });

  it('forgets what a rolled-back transaction read of its own writes', async () => {
    const s = make();
    await s.insert('users', user(1));
    await expect(
      s.transaction(async (tx) => {
        await tx.update('users', 1, { name: 'uncommitted' });
        expect((await tx.get('users', 1))?.name).toBe('uncommitted');
        expect((await tx.first('users', { id: 1 }))?.name).toBe('uncommitted');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await s.get('users', 1))?.name).toBe('U1');
    expect((await s.first('users', { id: 1 }))?.name).toBe('U1');
    await s.close();
  });
});

describe('sqlite store on a file', () => {
  it('keeps committed rows across close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-store-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const a = createSqliteStore(file);
    await a.insert('users', user(1, 'tok'));
    await a.close();
    const b = createSqliteStore(file);
    expect((await b.get('users', 1))?.tokenHash).toBe('tok');
    await b.close();
  });
});

describe('the read cache', () => {
  it('never keeps a miss on users (token and e-mail look-ups), and holds a bounded number of reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-store-'));
    dirs.push(dir);
    const s = withReadCache(createSqliteStore(join(dir, 'db.sqlite')));
    await s.insert('users', user(1, 'known'));
    expect((await s.first('users', { tokenHash: 'known' }))?.id).toBe(1);
    expect(s.cachedReads()).toBe(1);
    for (let i = 0; i < 1000; i++)
      expect(await s.first('users', { tokenHash: `unknown-${i}` })).toBeUndefined();
    expect(await s.get('users', 99)).toBeUndefined();
    expect(s.cachedReads()).toBe(1);
    for (let i = 0; i < ENTRIES_PER_TABLE + 500; i++) await s.count('users', { name: `n${i}` });
    expect(s.cachedReads()).toBeLessThanOrEqual(ENTRIES_PER_TABLE);
    await s.close();
  });
});

describe('the read cache and lists', () => {
  it('keeps a list on its second miss since its table changed, then hands that one out, frozen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-store-'));
    dirs.push(dir);
    const s = withReadCache(createSqliteStore(join(dir, 'db.sqlite')));
    await s.insert('users', user(1));
    await s.insert('users', user(2));
    await s.insert('projectMembers', member(1, 1));
    const first = await s.joined('projectMembersWithPeople', 1);
    expect(s.cachedReads()).toBe(0);
    expect(Object.isFrozen(first)).toBe(false);
    const second = await s.joined('projectMembersWithPeople', 1);
    expect(s.cachedReads()).toBe(1);
    const third = await s.joined('projectMembersWithPeople', 1);
    expect(third).toBe(second);
    expect(Object.isFrozen(third) && third.every((r) => Object.isFrozen(r))).toBe(true);
    expect(third.map((m) => m.userName)).toEqual(['U1']);
    // A write to the table drops it, and what was seen once before the write counts for nothing.
    await s.joined('projectMembersWithPeople', 2);
    await s.insert('projectMembers', member(1, 2));
    expect(s.cachedReads()).toBe(0);
    expect((await s.joined('projectMembersWithPeople', 1)).map((m) => m.userId)).toEqual([1, 2]);
    await s.joined('projectMembersWithPeople', 2);
    expect(s.cachedReads()).toBe(0);
    expect((await s.joined('projectMembersWithPeople', 1)).map((m) => m.userId)).toEqual([1, 2]);
    expect(s.cachedReads()).toBe(1);
    // A renamed user is a write to users, which drops the lists that show users too.
    await s.update('users', 2, { name: 'Renamed' });
    expect((await s.joined('projectMembersWithPeople', 1)).map((m) => m.userName)).toEqual(['U1', 'Renamed']);
    await s.close();
  });
});

describe('the read cache, over a store whose reads take time', () => {
  it('does not keep a read that was under way when a write landed', async () => {
    const inner = createMemoryStore();
    const hold = gate();
    let slow = false;
    const slowGets: Store = {
      ...inner,
      async get(table, id) {
        const row = await inner.get(table, id);
        if (slow) await hold.wait;
        return row;
      },
    };
    const s = withReadCache(slowGets);
    await s.insert('users', user(1));
    slow = true;
    const reading = s.get('users', 1);
    await s.update('users', 1, { name: 'new' });
    slow = false;
    hold.open();
    expect((await reading)?.name).toBe('U1');
    expect((await s.get('users', 1))?.name).toBe('new');
  });
});
