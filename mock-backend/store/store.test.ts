// One suite, both stores: whatever the rules rely on must hold in memory and in SQLite alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENTRIES_PER_TABLE, withReadCache } from './cached.ts';
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
  it('starts empty and is not empty after an insert', () => {
    const s = make();
    expect(s.isEmpty()).toBe(true);
    s.insert('users', user(1));
    expect(s.isEmpty()).toBe(false);
    s.close();
  });

  it('round-trips rows with booleans, nulls and JSON exactly', () => {
    const s = make();
    s.insert('users', user(7, 'tok'));
    expect(s.get('users', 7)).toEqual(user(7, 'tok'));
    const id = s.insert('events', {
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
    expect(s.get('events', id)?.event).toEqual({
      type: 'membership.expired',
      project: { id: 1, name: 'P' },
      user: { id: 7, name: 'U', email: 'e' },
    });
    s.close();
  });

  it('assigns increasing ids and never reuses a deleted one', () => {
    const s = make();
    const a = s.insert('joinRequests', request(1, 1));
    const b = s.insert('joinRequests', request(1, 2));
    expect(b).toBeGreaterThan(a);
    s.delete('joinRequests', b);
    expect(s.insert('joinRequests', request(1, 3))).toBeGreaterThan(b);
    s.close();
  });

  it('finds by equality, null included, in id order, with afterId, desc, offset and limit', () => {
    const s = make();
    for (let i = 1; i <= 5; i++) s.insert('users', user(i, i % 2 ? `t${i}` : null));
    expect(s.find('users', { tokenHash: null }).map((u) => u.id)).toEqual([2, 4]);
    expect(s.find('users', { mfaEnabled: true }).map((u) => u.id)).toEqual([2, 4]);
    expect(s.find('users', {}, { afterId: 2 }).map((u) => u.id)).toEqual([3, 4, 5]);
    expect(s.find('users', {}, { desc: true, offset: 1, limit: 2 }).map((u) => u.id)).toEqual([4, 3]);
    expect(s.first('users', { tokenHash: 't3' })?.id).toBe(3);
    expect(s.count('users', { mfaEnabled: false })).toBe(3);
    s.close();
  });

  it('anyOf: rows matching at least one group of IN lists, paged in the store', () => {
    const s = make();
    for (let i = 1; i <= 8; i++) s.insert('joinRequests', request(i % 3, i));
    const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
    const visible = [{ userId: [1, 2] }, { projectId: [0] }];
    expect(ids(s.find('joinRequests', {}, { anyOf: visible }))).toEqual([1, 2, 3, 6]);
    expect(ids(s.find('joinRequests', {}, { anyOf: visible, desc: true, offset: 1, limit: 2 }))).toEqual([
      3, 2,
    ]);
    expect(ids(s.find('joinRequests', { projectId: 0 }, { anyOf: visible }))).toEqual([3, 6]);
    // Within a group every column must match; empty lists and no groups match nothing.
    expect(ids(s.find('joinRequests', {}, { anyOf: [{ userId: [1, 4], projectId: [1] }] }))).toEqual([1, 4]);
    expect(ids(s.find('joinRequests', {}, { anyOf: [{ userId: [] }] }))).toEqual([]);
    expect(ids(s.find('joinRequests', {}, { anyOf: [] }))).toEqual([]);
    expect(ids(s.find('joinRequests', {}, { anyOf: [{ userId: [] }, { userId: [8] }] }))).toEqual([8]);
    s.close();
  });

  it('tells apart filters that differ only in a value, its type or the options', () => {
    const s = make();
    s.insert('users', user(1, 'null'));
    s.insert('users', user(2, null));
    s.insert('users', user(3, 'a",token:"b'));
    s.insert('users', user(4, 'b'));
    expect(s.first('users', { tokenHash: 'null' })?.id).toBe(1);
    expect(s.first('users', { tokenHash: null })?.id).toBe(2);
    expect(s.first('users', { tokenHash: 'a",token:"b' })?.id).toBe(3);
    expect(s.first('users', { tokenHash: 'b' })?.id).toBe(4);
    expect(s.find('users', { tokenHash: null, name: 'U2' }).map((u) => u.id)).toEqual([2]);
    expect(s.find('users', { tokenHash: null, name: 'U1' })).toEqual([]);
    expect(s.find('users', {}, { limit: 1 }).map((u) => u.id)).toEqual([1]);
    expect(s.find('users', {}, { desc: true, limit: 1 }).map((u) => u.id)).toEqual([4]);
    expect(s.find('users', {}, { afterId: 3 }).map((u) => u.id)).toEqual([4]);
    expect(s.count('users', { mfaEnabled: true })).toBe(2);
    expect(s.count('users', { mfaEnabled: false })).toBe(2);
    s.close();
  });

  it('hands out copies: changing a read row does not change the store', () => {
    const s = make();
    s.insert('users', user(1));
    const u = s.get('users', 1);
    if (u) u.name = 'changed';
    expect(s.get('users', 1)?.name).toBe('U1');
    const [f] = s.find('users', {});
    if (f) f.name = 'changed';
    expect(s.find('users', {})[0]?.name).toBe('U1');
    s.close();
  });

  it('compare-and-set changes a row only while it still matches, exactly once', () => {
    const s = make();
    const id = s.insert('joinRequests', request(1, 1));
    const outcomes = ['approved', 'rejected', 'cancelled', 'expired'] as const;
    const wins = outcomes.map((status) => s.updateIf('joinRequests', id, { status: 'pending' }, { status }));
    expect(wins).toEqual([true, false, false, false]);
    expect(s.get('joinRequests', id)?.status).toBe('approved');
    expect(s.updateIf('joinRequests', 999, {}, { status: 'approved' })).toBe(false);
    s.close();
  });

  it('rolls back every write of a transaction that throws, and keeps those of one that returns', () => {
    const s = make();
    s.insert('users', user(1));
    expect(() =>
      s.transaction(() => {
        s.insert('users', user(2));
        s.update('users', 1, { name: 'renamed' });
        s.delete('users', 1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(s.find('users', {}).map((u) => [u.id, u.name])).toEqual([[1, 'U1']]);
    expect(s.get('users', 1)?.name).toBe('U1');
    expect(s.get('users', 2)).toBeUndefined();
    s.transaction(() => s.insert('users', user(3)));
    expect(s.count('users', {})).toBe(2);
    s.close();
  });

  it('undoes only the inner part when a nested transaction throws and the outer goes on', () => {
    const s = make();
    s.transaction(() => {
      s.insert('users', user(1));
      try {
        s.transaction(() => {
          s.insert('users', user(2));
          throw new Error('inner');
        });
      } catch {}
    });
    expect(s.find('users', {}).map((u) => u.id)).toEqual([1]);
    s.close();
  });

  it('refuses a second row with the same unique key', () => {
    const s = make();
    s.insert('users', user(1, 'same'));
    expect(() => s.insert('users', { ...user(2, 'same') })).toThrow();
    s.insert('users', user(3, null));
    s.insert('users', user(4, null));
    expect(s.count('users', { tokenHash: null })).toBe(2);
    s.close();
  });

  it('clear() empties every table and restarts numbering', () => {
    const s = make();
    s.insert('joinRequests', request(1, 1));
    s.clear();
    expect(s.isEmpty()).toBe(true);
    expect(s.insert('joinRequests', request(1, 1))).toBe(1);
    s.close();
  });
});

describe('sqlite store on a file', () => {
  it('keeps committed rows across close and reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-store-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const a = createSqliteStore(file);
    a.insert('users', user(1, 'tok'));
    a.close();
    const b = createSqliteStore(file);
    expect(b.get('users', 1)?.tokenHash).toBe('tok');
    b.close();
  });
});

describe('the read cache', () => {
  it('never keeps a miss on users (token and e-mail look-ups), and holds a bounded number of reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-store-'));
    dirs.push(dir);
    const s = withReadCache(createSqliteStore(join(dir, 'db.sqlite')));
    s.insert('users', user(1, 'known'));
    expect(s.first('users', { tokenHash: 'known' })?.id).toBe(1);
    expect(s.cachedReads()).toBe(1);
    for (let i = 0; i < 1000; i++) expect(s.first('users', { tokenHash: `unknown-${i}` })).toBeUndefined();
    expect(s.get('users', 99)).toBeUndefined();
    expect(s.cachedReads()).toBe(1);
    for (let i = 0; i < ENTRIES_PER_TABLE + 500; i++) s.count('users', { name: `n${i}` });
    expect(s.cachedReads()).toBeLessThanOrEqual(ENTRIES_PER_TABLE);
    s.close();
  });
});
