// One suite for every store: whatever the rules rely on must hold in memory, SQLite and PostgreSQL
// alike. `open` answers a fresh, empty store each time; the suite closes what it opened.
import { afterEach, describe, expect, it } from 'vitest';
import { READ_SPECS, READS, type ReadName } from './reads.ts';
import type { ProjectMemberRow, TableName } from './schema.ts';
import type { Store } from './types.ts';

/** Rows for the store tests (this suite, and the embedded stores' own). */
export const user = (id: number, token: string | null = null) => ({
  id,
  email: `u${id}@t.test`,
  name: `U${id}`,
  mfaEnabled: id % 2 === 0,
  isSuperAdmin: false,
  tokenHash: token,
  created: 100,
});

export const member = (
  projectId: number,
  userId: number,
  more: Partial<ProjectMemberRow> = {},
): Omit<ProjectMemberRow, 'id'> => ({
  projectId,
  userId,
  role: 'guest',
  kind: 'member',
  reason: null,
  created: 10,
  expires: null,
  invitorId: null,
  approverId: null,
  expiringNotified: false,
  grantId: null,
  ticketId: null,
  ...more,
});

const request = (projectId: number, userId: number, expires: number | null = null) => ({
  projectId,
  userId,
  reason: 'why',
  created: 1,
  expires,
  status: 'pending' as const,
  decidedBy: null,
  decided: null,
  durationSeconds: null,
});

const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

export function storeSuite(name: string, open: () => Promise<Store>): void {
  describe(`${name} store`, () => {
    const opened: Store[] = [];
    const make = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      // A test that failed half-way still lets its store go (close twice is harmless).
      for (const s of opened.splice(0)) await s.close().catch(() => {});
    });

    it('starts empty and is not empty after an insert', async () => {
      const s = await make();
      expect(await s.isEmpty()).toBe(true);
      await s.insert('users', user(1));
      expect(await s.isEmpty()).toBe(false);
      await s.close();
    });

    it('round-trips rows with booleans, nulls and JSON exactly', async () => {
      const s = await make();
      await s.insert('users', user(7, 'tok'));
      expect(await s.get('users', 7)).toEqual(user(7, 'tok'));
      const event = {
        type: 'membership.expired',
        project: { id: 1, name: 'P' },
        user: { id: 7, name: 'U', email: 'e' },
      } as const;
      const id = await s.insert('events', {
        recipientId: 7,
        projectId: null,
        audience: null,
        ticketId: null,
        created: 5,
        event,
      });
      expect((await s.get('events', id))?.event).toEqual(event);
      // JSON arrays, strings with quotes and times in milliseconds (past 32 bits) come back as written.
      const job = await s.insert('mailJobs', {
        created: 1_700_000_000_000,
        template: 'newJoinRequest',
        facts: { project: 'P "quoted" \\ back' } as never,
        recipients: ['a@t.test', 'b"@t.test'],
        expanded: 0,
        done: false,
        afterOutboxId: 0,
      });
      const row = await s.get('mailJobs', job);
      expect(row?.created).toBe(1_700_000_000_000);
      expect(row?.recipients).toEqual(['a@t.test', 'b"@t.test']);
      expect(row?.facts).toEqual({ project: 'P "quoted" \\ back' });
      expect(row?.done).toBe(false);
      await s.close();
    });

    it('assigns increasing ids and never reuses a deleted one', async () => {
      const s = await make();
      const a = await s.insert('joinRequests', request(1, 1));
      const b = await s.insert('joinRequests', request(1, 2));
      expect(b).toBeGreaterThan(a);
      await s.delete('joinRequests', b);
      expect(await s.insert('joinRequests', request(1, 3))).toBeGreaterThan(b);
      await s.close();
    });

    it('numbers rows after the explicit ids fixtures insert', async () => {
      const s = await make();
      await s.insert('users', user(5));
      await s.insert('users', user(3));
      const next = await s.insert('users', { ...user(0), email: 'auto@t.test', id: undefined });
      expect(next).toBeGreaterThan(5);
      expect((await s.get('users', next))?.email).toBe('auto@t.test');
      await s.close();
    });

    it('numbers rows after explicit ids given in a transaction: in the same one, and after it', async () => {
      const s = await make();
      const inside = await s.transaction(async (tx) => {
        await Promise.all([7, 9, 8].map((id) => tx.insert('users', user(id))));
        // A generated id in the same transaction, right after explicit ones of its table.
        return tx.insert('users', { ...user(0), email: 'inside@t.test', id: undefined });
      });
      expect(inside).toBeGreaterThan(9);
      await s.transaction(async (tx) => {
        await tx.insert('maintainers', { id: 40, name: 'M', supportEmail: null });
      });
      // And in the next transaction, or outside any.
      const after = await s.transaction((tx) => tx.insert('maintainers', { name: 'N', supportEmail: null }));
      expect(after).toBeGreaterThan(40);
      expect(await s.insert('users', { ...user(0), email: 'root@t.test', id: undefined })).toBeGreaterThan(
        inside,
      );
      await s.close();
    });

    it('finds by equality, null included, in id order, with afterId, desc, offset and limit', async () => {
      const s = await make();
      for (let i = 1; i <= 5; i++) await s.insert('users', user(i, i % 2 ? `t${i}` : null));
      expect(ids(await s.find('users', { tokenHash: null }))).toEqual([2, 4]);
      expect(ids(await s.find('users', { mfaEnabled: true }))).toEqual([2, 4]);
      expect(ids(await s.find('users', {}, { afterId: 2 }))).toEqual([3, 4, 5]);
      expect(ids(await s.find('users', {}, { desc: true, offset: 1, limit: 2 }))).toEqual([4, 3]);
      expect(ids(await s.find('users', {}, { offset: 3 }))).toEqual([4, 5]);
      expect((await s.first('users', { tokenHash: 't3' }))?.id).toBe(3);
      expect(await s.count('users', { mfaEnabled: false })).toBe(3);
      await s.close();
    });

    it('orderBy: by a column then id, in the direction of desc, paged in the store', async () => {
      const s = await make();
      // created: 30, 10, 30, 20 for ids 1..4
      for (const [i, created] of [30, 10, 30, 20].entries())
        await s.insert('users', { ...user(i + 1), created });
      expect(ids(await s.find('users', {}, { orderBy: 'created', desc: true }))).toEqual([3, 1, 4, 2]);
      expect(ids(await s.find('users', {}, { orderBy: 'created' }))).toEqual([2, 4, 1, 3]);
      expect(ids(await s.find('users', {}, { orderBy: 'created', desc: true, offset: 1, limit: 2 }))).toEqual(
        [1, 4],
      );
      await s.close();
    });

    it('anyOf: rows matching at least one group of IN lists, paged in the store', async () => {
      const s = await make();
      for (let i = 1; i <= 8; i++) await s.insert('joinRequests', request(i % 3, i));
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
      expect(ids(await s.find('joinRequests', {}, { anyOf: [{ userId: [] }, { userId: [8] }] }))).toEqual([
        8,
      ]);
      // Lists of text, with characters that need quoting, and of booleans.
      await s.insert('users', user(1, 'a",{b}\\'));
      await s.insert('users', user(2, 'c'));
      expect(ids(await s.find('users', {}, { anyOf: [{ tokenHash: ['a",{b}\\', 'zz'] }] }))).toEqual([1]);
      expect(ids(await s.find('users', {}, { anyOf: [{ mfaEnabled: [true] }] }))).toEqual([2]);
      expect(ids(await s.find('users', {}, { anyOf: [{ id: [2, 99] }] }))).toEqual([2]);
      await s.close();
    });

    it('tells apart filters that differ only in a value, its type or the options', async () => {
      const s = await make();
      await s.insert('users', user(1, 'null'));
      await s.insert('users', user(2, null));
      await s.insert('users', user(3, 'a",token:"b'));
      await s.insert('users', user(4, 'b'));
      expect((await s.first('users', { tokenHash: 'null' }))?.id).toBe(1);
      expect((await s.first('users', { tokenHash: null }))?.id).toBe(2);
      expect((await s.first('users', { tokenHash: 'a",token:"b' }))?.id).toBe(3);
      expect((await s.first('users', { tokenHash: 'b' }))?.id).toBe(4);
      expect(ids(await s.find('users', { tokenHash: null, name: 'U2' }))).toEqual([2]);
      expect(await s.find('users', { tokenHash: null, name: 'U1' })).toEqual([]);
      expect(ids(await s.find('users', {}, { limit: 1 }))).toEqual([1]);
      expect(ids(await s.find('users', {}, { desc: true, limit: 1 }))).toEqual([4]);
      expect(ids(await s.find('users', {}, { afterId: 3 }))).toEqual([4]);
      expect(await s.count('users', { mfaEnabled: true })).toBe(2);
      expect(await s.count('users', { mfaEnabled: false })).toBe(2);
      await s.close();
    });

    it('hands out copies: changing a read row does not change the store', async () => {
      const s = await make();
      await s.insert('users', user(1));
      const u = await s.get('users', 1);
      if (u) u.name = 'changed';
      expect((await s.get('users', 1))?.name).toBe('U1');
      const [f] = await s.find('users', {});
      if (f) f.name = 'changed';
      expect((await s.find('users', {}))[0]?.name).toBe('U1');
      await s.close();
    });

    it('gets many rows by id in one call, skipping ids that are not there', async () => {
      const s = await make();
      for (let i = 1; i <= 4; i++) await s.insert('users', user(i));
      const many = await s.getMany('users', [4, 2, 9]);
      expect([...many.keys()].sort()).toEqual([2, 4]);
      expect(many.get(4)).toEqual(user(4));
      expect((await s.getMany('users', [])).size).toBe(0);
      await s.close();
    });

    it("reads a project's memberships with their people in one call, in id order", async () => {
      const s = await make();
      for (let i = 1; i <= 3; i++) await s.insert('users', { ...user(i), isSuperAdmin: i === 1 });
      const withPeople = member(1, 2, {
        role: 'admin',
        kind: 'support',
        reason: 'why',
        expires: 1_700_000_000_000,
        invitorId: 1,
        approverId: 3,
        expiringNotified: true,
      });
      // Only the columns the list shows: no id, project, notice flag, or the grant and ticket it came from.
      const shown = ({
        projectId: _p,
        expiringNotified: _n,
        grantId: _g,
        ticketId: _t,
        ...rest
      }: ReturnType<typeof member>) => rest;
      const b = await s.insert('projectMembers', withPeople);
      await s.insert('projectMembers', member(2, 1));
      // Expired rows come too (the rules judge expiry), and ids that name no user give nulls.
      const dangling = await s.insert('projectMembers', member(1, 9, { invitorId: 8, expires: 5 }));
      await s.insert('projectMembers', member(1, 1));
      const rows = await s.joined('projectMembersWithPeople', 1);
      expect(rows).toEqual([
        {
          ...shown(withPeople),
          userName: 'U2',
          userEmail: 'u2@t.test',
          userMfaEnabled: true,
          invitorName: 'U1',
          invitorEmail: 'u1@t.test',
          approverName: 'U3',
          approverEmail: 'u3@t.test',
        },
        {
          ...shown(member(1, 9, { invitorId: 8, expires: 5 })),
          userName: null,
          userEmail: null,
          userMfaEnabled: null,
          invitorName: null,
          invitorEmail: null,
          approverName: null,
          approverEmail: null,
        },
        {
          ...shown(member(1, 1)),
          userName: 'U1',
          userEmail: 'u1@t.test',
          userMfaEnabled: false,
          invitorName: null,
          invitorEmail: null,
          approverName: null,
          approverEmail: null,
        },
      ]);
      // Exactly those keys, in every store (toEqual would pass a row with more).
      for (const r of rows) expect(Object.keys(r).sort()).toEqual(Object.keys(rows[0] ?? {}).sort());
      expect(Object.keys(rows[0] ?? {})).toHaveLength(15);
      expect((await s.joined('projectMembersWithPeople', 2)).map((m) => m.userId)).toEqual([1]);
      expect(await s.joined('projectMembersWithPeople', 3)).toEqual([]);
      // Read-only (typed so; a cached list is frozen, an uncached one a fresh copy): whatever a caller
      // does to a row it got, the next read is the store's. And never stale: a changed row, a renamed
      // user and a removed member show at once.
      const [first] = rows;
      try {
        if (first) (first as { userName: string | null }).userName = 'changed';
      } catch (e) {
        expect(e).toBeInstanceOf(TypeError);
      }
      expect((await s.joined('projectMembersWithPeople', 1))[0]?.userName).toBe('U2');
      await s.update('users', 1, { name: 'Renamed' });
      expect((await s.joined('projectMembersWithPeople', 1)).map((m) => m.invitorName)).toEqual([
        'Renamed',
        null,
        null,
      ]);
      await s.update('projectMembers', b, { role: 'guest' });
      await s.delete('projectMembers', dangling);
      const after = await s.joined('projectMembersWithPeople', 1);
      expect(after.map((m) => [m.userId, m.role, m.userName, m.invitorName])).toEqual([
        [2, 'guest', 'U2', 'Renamed'],
        [1, 'guest', 'Renamed', null],
      ]);
      await s.close();
    });

    it("reads a project's memberships with their users' contact in one call, in id order", async () => {
      const s = await make();
      await s.insert('users', { ...user(1), isSuperAdmin: true });
      await s.insert('users', user(2));
      await s.insert('projectMembers', member(1, 2, { invitorId: 1 }));
      await s.insert('projectMembers', member(2, 2));
      // Expired rows come too, and an id that names no user gives nulls.
      await s.insert('projectMembers', member(1, 9, { role: 'admin', expires: 5 }));
      await s.insert('projectMembers', member(1, 1, { role: 'admin', kind: 'support', expires: 99 }));
      const contacts = await s.joined('projectMemberContacts', 1);
      expect(contacts).toEqual([
        { userId: 2, role: 'guest', kind: 'member', expires: null, email: 'u2@t.test', isSuperAdmin: false },
        { userId: 9, role: 'admin', kind: 'member', expires: 5, email: null, isSuperAdmin: null },
        { userId: 1, role: 'admin', kind: 'support', expires: 99, email: 'u1@t.test', isSuperAdmin: true },
      ]);
      for (const c of contacts) expect(Object.keys(c)).toHaveLength(6);
      expect(await s.joined('projectMemberContacts', 3)).toEqual([]);
      // Never stale: a changed address and a removed member show at once (twice, past a cache's admission).
      await s.joined('projectMemberContacts', 1);
      await s.update('users', 2, { email: 'new@t.test' });
      expect((await s.joined('projectMemberContacts', 1))[0]?.email).toBe('new@t.test');
      await s.joined('projectMemberContacts', 1);
      const [first] = await s.find('projectMembers', { projectId: 1, userId: 2 });
      if (first) await s.delete('projectMembers', first.id);
      expect((await s.joined('projectMemberContacts', 1)).map((c) => c.userId)).toEqual([9, 1]);
      await s.close();
    });

    it("answers every read of reads.ts as its rows and the rows they point at say, the store's own way", async () => {
      // The reads' SQL is written from their declaration (sql.ts), and the memory store answers them
      // from find and getMany: here every declared read is checked against what the generic calls
      // of the same store say, so a new read is tested on every store the moment it is declared.
      const s = await make();
      for (let i = 1; i <= 4; i++) await s.insert('users', { ...user(i), isSuperAdmin: i === 3 });
      await s.insert(
        'projectMembers',
        member(1, 2, { invitorId: 1, approverId: 3, reason: 'r', expires: 7 }),
      );
      await s.insert('projectMembers', member(1, 9, { invitorId: 8, role: 'admin', kind: 'support' }));
      await s.insert('projectMembers', member(2, 1));
      await s.insert('projectMembers', member(1, 4, { approverId: 4, expiringNotified: true }));
      /** Keys with rows above, per table a read may be keyed on: a read from another table needs rows here. */
      const seeded: Partial<Record<TableName, number[]>> = { projectMembers: [1, 2, 3] };
      for (const name of Object.keys(READS) as ReadName[]) {
        const spec = READ_SPECS[name];
        const keys = seeded[spec.from];
        if (!keys) throw new Error(`store-suite.ts: seed rows of ${spec.from} for the read ${name}`);
        for (const key of keys) {
          const rows = (await s.find(spec.from, { [spec.by]: key })) as unknown as Record<string, unknown>[];
          const expected = [];
          for (const r of rows) {
            const out: Record<string, unknown> = {};
            for (const c of spec.columns) out[c] = r[c];
            for (const [field, [on, table, column]] of Object.entries(spec.joined)) {
              const id = r[on];
              const other = typeof id === 'number' ? await s.get(table, id) : undefined;
              out[field] = (other as Record<string, unknown> | undefined)?.[column] ?? null;
            }
            expected.push(out);
          }
          const got = await s.joined(name, key as never);
          expect({ name, key, rows: got }).toEqual({ name, key, rows: expected });
          for (const r of got) expect(Object.keys(r).sort()).toEqual(Object.keys(expected[0] ?? {}).sort());
        }
      }
      await s.close();
    });

    it('compare-and-set changes a row only while it still matches, exactly once', async () => {
      const s = await make();
      const id = await s.insert('joinRequests', request(1, 1));
      const outcomes = ['approved', 'rejected', 'cancelled', 'expired'] as const;
      const wins: boolean[] = [];
      for (const status of outcomes)
        wins.push(await s.updateIf('joinRequests', id, { status: 'pending' }, { status }));
      expect(wins).toEqual([true, false, false, false]);
      expect((await s.get('joinRequests', id))?.status).toBe('approved');
      expect(await s.updateIf('joinRequests', 999, {}, { status: 'approved' })).toBe(false);
      // An empty patch answers whether the row matches.
      expect(await s.updateIf('joinRequests', id, { status: 'approved' }, {})).toBe(true);
      expect(await s.updateIf('joinRequests', id, { status: 'pending' }, {})).toBe(false);
      await s.update('joinRequests', id, { decided: 7, decidedBy: null });
      expect((await s.get('joinRequests', id))?.decided).toBe(7);
      await s.close();
    });

    it('findDue: rows whose time is set and due, matching the filter, soonest first', async () => {
      const s = await make();
      await s.insert('joinRequests', request(1, 1, 30));
      await s.insert('joinRequests', request(1, 2, null));
      await s.insert('joinRequests', request(1, 3, 10));
      await s.insert('joinRequests', { ...request(1, 4, 5), status: 'approved' });
      await s.insert('joinRequests', request(1, 5, 10));
      await s.insert('joinRequests', request(1, 6, 31));
      expect(ids(await s.findDue('joinRequests', 'expires', 30, { status: 'pending' }))).toEqual([3, 5, 1]);
      expect(ids(await s.findDue('joinRequests', 'expires', 30))).toEqual([4, 3, 5, 1]);
      expect(ids(await s.findDue('joinRequests', 'expires', 30, {}, 2))).toEqual([4, 3]);
      expect(await s.findDue('joinRequests', 'expires', 4)).toEqual([]);
      await s.close();
    });

    it('deleteMany removes exactly the given rows, however many', async () => {
      const s = await make();
      const made: number[] = [];
      for (let i = 0; i < 1205; i++) made.push(await s.insert('joinRequests', request(1, i)));
      await s.deleteMany(
        'joinRequests',
        made.filter((_, i) => i !== 7 && i !== 1204),
      );
      expect(ids(await s.find('joinRequests', {}))).toEqual([made[7], made[1204]]);
      await s.deleteMany('joinRequests', []);
      expect(await s.count('joinRequests', {})).toBe(2);
      await s.close();
    });

    it('rolls back every write of a transaction that throws, and keeps those of one that returns', async () => {
      const s = await make();
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
      expect(await s.transaction((tx) => tx.insert('users', user(3)))).toBe(3);
      expect(await s.count('users', {})).toBe(2);
      await s.close();
    });

    it('undoes only the inner part when a nested transaction throws and the outer goes on', async () => {
      const s = await make();
      await s.transaction(async (tx) => {
        await tx.insert('users', user(1));
        try {
          await tx.transaction(async (inner) => {
            await inner.insert('users', user(2));
            throw new Error('inner');
          });
        } catch {}
        await tx.insert('users', user(3));
      });
      expect(ids(await s.find('users', {}))).toEqual([1, 3]);
      await s.close();
    });

    it('tryLock inside a transaction takes the lock', async () => {
      const s = await make();
      expect(await s.transaction((tx) => tx.tryLock('sweep'))).toBe(true);
      // Released with the transaction: the next one gets it too.
      expect(await s.transaction((tx) => tx.tryLock('sweep'))).toBe(true);
      await s.close();
    });

    it('refuses a second row with the same unique key', async () => {
      const s = await make();
      await s.insert('users', user(1, 'same'));
      await expect(s.insert('users', { ...user(2, 'same') })).rejects.toThrow();
      await s.insert('users', user(3, null));
      await s.insert('users', user(4, null));
      expect(await s.count('users', { tokenHash: null })).toBe(2);
      await s.close();
    });

    it('clear() empties every table and restarts numbering', async () => {
      const s = await make();
      await s.insert('joinRequests', request(1, 1));
      await s.insert('events', {
        recipientId: 1,
        projectId: null,
        audience: null,
        ticketId: null,
        created: 1,
        event: {} as never,
      });
      await s.clear();
      expect(await s.isEmpty()).toBe(true);
      expect(await s.insert('joinRequests', request(1, 1))).toBe(1);
      await s.close();
    });
  });
}
