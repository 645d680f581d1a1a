// One suite, both stores: whatever the rules rely on must hold in memory and in SQLite alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENTRIES_PER_TABLE, withReadCache } from './cached.ts';
import { TransactionMisuseError } from './embedded.ts';
import { createMemoryStore } from './memory.ts';
import { createSqliteStore } from './sqlite.ts';
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

const user = (id: number, token: string | null = null) => ({
  id,
  email: `u${id}@t.test`,
  name: `U${id}`,
  mfaEnabled: id % 2 === 0,
  isSuperAdmin: false,
  tokenHash: token,
  created: 100,
});

const request = (projectId: number, userId: number) => ({
  projectId,
  userId,
  reason: 'why',
  created: 1,
  expires: null,
  status: 'pending' as const,
  decidedBy: null,
  decided: null,
});

describe.each(factories)('%s store', (_name, make) => {
  it('starts empty and is not empty after an insert', async () => {
    const s = make();
    expect(await s.isEmpty()).toBe(true);
    await s.insert('users', user(1));
    expect(await s.isEmpty()).toBe(false);
    await s.close();
  });

  it('round-trips rows with booleans, nulls and JSON exactly', async () => {
    const s = make();
    await s.insert('users', user(7, 'tok'));
    expect(await s.get('users', 7)).toEqual(user(7, 'tok'));
    const id = await s.insert('events', {
      recipientId: 7,
      projectId: null,
      audience: null,
      created: 5,
      event: {
        type: 'membership.expired',
        project: { id: 1, name: 'P' },
        user: { id: 7, name: 'U', email: 'e' },
      },
    });
    expect((await s.get('events', id))?.event).toEqual({
      type: 'membership.expired',
      project: { id: 1, name: 'P' },
      user: { id: 7, name: 'U', email: 'e' },
    });
    await s.close();
  });

  it('assigns increasing ids and never reuses a deleted one', async () => {
    const s = make();
    const a = await s.insert('joinRequests', request(1, 1));
    const b = await s.insert('joinRequests', request(1, 2));
    expect(b).toBeGreaterThan(a);
    await s.delete('joinRequests', b);
    expect(await s.insert('joinRequests', request(1, 3))).toBeGreaterThan(b);
    await s.close();
  });

  it('finds by equality, null included, in id order, with afterId, desc, offset and limit', async () => {
    const s = make();
    for (let i = 1; i <= 5; i++) await s.insert('users', user(i, i % 2 ? `t${i}` : null));
    expect((await s.find('users', { tokenHash: null })).map((u) => u.id)).toEqual([2, 4]);
    expect((await s.find('users', { mfaEnabled: true })).map((u) => u.id)).toEqual([2, 4]);
    expect((await s.find('users', {}, { afterId: 2 })).map((u) => u.id)).toEqual([3, 4, 5]);
    expect((await s.find('users', {}, { desc: true, offset: 1, limit: 2 })).map((u) => u.id)).toEqual([4, 3]);
    expect((await s.first('users', { tokenHash: 't3' }))?.id).toBe(3);
    expect(await s.count('users', { mfaEnabled: false })).toBe(3);
    await s.close();
  });

  it('anyOf: rows matching at least one group of IN lists, paged in the store', async () => {
    const s = make();
    for (let i = 1; i <= 8; i++) await s.insert('joinRequests', request(i % 3, i));
    const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
    const visible = [{ userId: [1, 2] }, { projectId: [0] }];
    expect(ids(await s.find('joinRequests', {}, { anyOf: visible }))).toEqual([1, 2, 3, 6]);
    expect(
      ids(await s.find('joinRequests', {}, { anyOf: visible, desc: true, offset: 1, limit: 2 })),
    ).toEqual([3, 2]);
    expect(ids(await s.find('joinRequests', { projectId: 0 }, { anyOf: visible }))).toEqual([3, 6]);
    // Within a group every column must match; empty lists and no groups match nothing.
    expect(ids(await s.find('joinRequests', {}, { anyOf: [{ userId: [1, 4], projectId: [1] }] }))).toEqual([
      1, 4,
    ]);
    expect(ids(await s.find('joinRequests', {}, { anyOf: [{ userId: [] }] }))).toEqual([]);
    expect(ids(await s.find('joinRequests', {}, { anyOf: [] }))).toEqual([]);
    expect(ids(await s.find('joinRequests', {}, { anyOf: [{ userId: [] }, { userId: [8] }] }))).toEqual([8]);
    await s.close();
  });

  it('tells apart filters that differ only in a value, its type or the options', async () => {
    const s = make();
    await s.insert('users', user(1, 'null'));
    await s.insert('users', user(2, null));
    await s.insert('users', user(3, 'a",token:"b'));
    await s.insert('users', user(4, 'b'));
    expect((await s.first('users', { tokenHash: 'null' }))?.id).toBe(1);
    expect((await s.first('users', { tokenHash: null }))?.id).toBe(2);
    expect((await s.first('users', { tokenHash: 'a",token:"b' }))?.id).toBe(3);
    expect((await s.first('users', { tokenHash: 'b' }))?.id).toBe(4);
    expect((await s.find('users', { tokenHash: null, name: 'U2' })).map((u) => u.id)).toEqual([2]);
    expect(await s.find('users', { tokenHash: null, name: 'U1' })).toEqual([]);
    expect((await s.find('users', {}, { limit: 1 })).map((u) => u.id)).toEqual([1]);
    expect((await s.find('users', {}, { desc: true, limit: 1 })).map((u) => u.id)).toEqual([4]);
    expect((await s.find('users', {}, { afterId: 3 })).map((u) => u.id)).toEqual([4]);
    expect(await s.count('users', { mfaEnabled: true })).toBe(2);
    expect(await s.count('users', { mfaEnabled: false })).toBe(2);
    await s.close();
  });

  it('hands out copies: changing a read row does not change the store', async () => {
    const s = make();
    await s.insert('users', user(1));
    const u = await s.get('users', 1);
    if (u) u.name = 'changed';
    expect((await s.get('users', 1))?.name).toBe('U1');
    const [f] = await s.find('users', {});
    if (f) f.name = 'changed';
    expect((await s.find('users', {}))[0]?.name).toBe('U1');
    await s.close();
  });

  it('compare-and-set changes a row only while it still matches, exactly once', async () => {
    const s = make();
    const id = await s.insert('joinRequests', request(1, 1));
    const outcomes = ['approved', 'rejected', 'cancelled', 'expired'] as const;
    const wins: boolean[] = [];
    for (const status of outcomes)
      wins.push(await s.updateIf('joinRequests', id, { status: 'pending' }, { status }));
    expect(wins).toEqual([true, false, false, false]);
    expect((await s.get('joinRequests', id))?.status).toBe('approved');
    expect(await s.updateIf('joinRequests', 999, {}, { status: 'approved' })).toBe(false);
    await s.close();
  });

  it('rolls back every write of a transaction that throws, and keeps those of one that returns', async () => {
    const s = make();
    await s.insert('users', user(1));
    await expect(
      s.transaction(async (tx) => {
        await tx.insert('users', user(2));
        await tx.update('users', 1, { name: 'renamed' });
        await tx.delete('users', 1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await s.find('users', {})).map((u) => [u.id, u.name])).toEqual([[1, 'U1']]);
    expect((await s.get('users', 1))?.name).toBe('U1');
    expect(await s.get('users', 2)).toBeUndefined();
    await s.transaction((tx) => tx.insert('users', user(3)));
    expect(await s.count('users', {})).toBe(2);
    await s.close();
  });

  it('undoes only the inner part when a nested transaction throws and the outer goes on', async () => {
    const s = make();
    await s.transaction(async (tx) => {
      await tx.insert('users', user(1));
      await expect(
        tx.transaction(async (inner) => {
          await inner.insert('users', user(2));
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      // The outer goes on writing after its savepoint was undone.
      await tx.insert('users', user(3));
    });
    expect((await s.find('users', {})).map((u) => u.id)).toEqual([1, 3]);
    await s.close();
  });

  it('refuses a second row with the same unique key', async () => {
    const s = make();
    await s.insert('users', user(1, 'same'));
    await expect(s.insert('users', { ...user(2, 'same') })).rejects.toThrow();
    await s.insert('users', user(3, null));
    await s.insert('users', user(4, null));
    expect(await s.count('users', { tokenHash: null })).toBe(2);
    await s.close();
  });

  it('clear() empties every table and restarts numbering', async () => {
    const s = make();
    await s.insert('joinRequests', request(1, 1));
    await s.clear();
    expect(await s.isEmpty()).toBe(true);
    expect(await s.insert('joinRequests', request(1, 1))).toBe(1);
    await s.close();
  });

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
