import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory.ts';
import type { TableName } from '../store/schema.ts';
import type { Store } from '../store/types.ts';
import { fixtureWith, harness, IDS } from '../testing.ts';
import { expandMailJobs } from './outbox.ts';
import { TICK_BATCH } from './tick.ts';

/** A memory store that records every read (method, table, filter) made through it or its transactions. */
function recordingStore() {
  const reads: { method: string; table: TableName; filter: string }[] = [];
  const record = (inner: Store): Store =>
    new Proxy(inner, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (prop === 'transaction')
          return (fn: (tx: Store) => Promise<unknown>) => target.transaction((tx) => fn(record(tx)));
        return (...args: unknown[]) => {
          if (prop === 'find' || prop === 'findDue' || prop === 'count' || prop === 'first')
            reads.push({ method: prop, table: args[0] as TableName, filter: JSON.stringify(args.at(-1)) });
          return Reflect.apply(value, target, args);
        };
      },
    });
  return { store: record(createMemoryStore()), reads };
}

const MANY = 1000;
/** Project 100 with MANY extra members (every fifth an admin) besides the demo's four. */
const crowded = () =>
  fixtureWith((f) => {
    for (let i = 0; i < MANY; i++) {
      f.users.push({ id: 5000 + i, email: `m${i}@acme.test`, name: `M ${i}`, mfaEnabled: true });
      f.projectMembers.push({ projectId: 100, userId: 5000 + i, role: i % 5 === 0 ? 'admin' : 'guest' });
    }
  });

describe('the expiry sweep', () => {
  it('reads only what is due, through findDue, never a whole table of requests, memberships or invitations', async () => {
    const { store, reads } = recordingStore();
    const h = await harness({ store });
    await h.client('support').joinProject(101, { reason: 'Look', expirationSeconds: 60 });
    reads.length = 0;
    await h.advance(60);
    const swept = new Set<TableName>(['joinRequests', 'projectMembers', 'projectInvitations']);
    const scans = reads.filter((r) => swept.has(r.table) && r.method !== 'findDue');
    // Only whether the expired user is still in the deciders' audience (a point look-up), nothing else.
    expect(scans).toEqual([
      { method: 'first', table: 'projectMembers', filter: '{"projectId":101,"userId":1006}' },
    ]);
    expect(reads.filter((r) => r.method === 'findDue').length).toBeGreaterThan(0);
    expect((await h.client('betaAdmin').listProjectUsers(101)).data?.map((u) => u.id)).toEqual([
      IDS.betaAdmin,
    ]);
  });

  it(`deletes ${MANY} memberships of one project expiring in the same second in batches, never listing the project's members or deciders`, async () => {
    const { store, reads } = recordingStore();
    const h = await harness({ store, fixture: crowded() });
    const now = Math.floor(h.clock.now() / 1000);
    const rows = (await h.store.find('projectMembers', { projectId: 100 })).filter((m) => m.userId >= 5000);
    await h.store.transaction(async (tx) => {
      for (const m of rows)
        await tx.update('projectMembers', m.id, { expires: now + 10, expiringNotified: true });
    });
    reads.length = 0;
    let batches = 0;
    h.clock.advance(10_000);
    while (await h.runDueBatch()) batches++;
    batches++;
    expect(batches).toBe(Math.ceil(MANY / TICK_BATCH) + 1);
    expect(await h.store.count('projectMembers', { projectId: 100 })).toBe(4);
    const listings = reads.filter((r) => r.method === 'find' && r.filter === '{"projectId":100}');
    expect(listings).toEqual([]);
    // Everyone still a decider hears of each expiry: the demo's admin and share, not the expired admins.
    const expired = (await h.events(IDS.admin)).filter((e) => e.event.type === 'membership.expired');
    expect(expired).toHaveLength(MANY);
    expect((await h.events(5000)).map((e) => e.event.type)).toEqual(['membership.expired']);
  });

  it('runs on the timer only: a request never sweeps, while it already judges expiry by the clock', async () => {
    const h = await harness();
    await h.client('support').joinProject(101, { reason: 'Look', expirationSeconds: 60 });
    h.clock.advance(60_000);
    expect((await h.client('betaAdmin').listProjectUsers(101)).data?.map((u) => u.id)).toEqual([
      IDS.betaAdmin,
    ]);
    // Still a row (nothing swept it), and no notice went out from the request path.
    expect(await h.store.first('projectMembers', { projectId: 101, userId: IDS.support })).toBeDefined();
    expect((await h.events(IDS.support)).map((e) => e.event.type)).not.toContain('membership.expired');
    await h.runDue();
    expect(await h.store.first('projectMembers', { projectId: 101, userId: IDS.support })).toBeUndefined();
  });
});

/** A memory store on which another instance holds the locks named in `held` (tryLock answers false). */
function lockedElsewhere(held: string[]): Store {
  const inner = createMemoryStore();
  const locking = (tx: Store): Store =>
    new Proxy(tx, {
      get(target, prop) {
        if (prop === 'tryLock')
          return async (key: string) => !held.includes(key) && (await target.tryLock(key));
        if (prop === 'transaction')
          return (fn: (tx: Store) => Promise<unknown>) => target.transaction((t) => fn(locking(t)));
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return locking(inner);
}

describe('one sweeper across instances', () => {
  it('does nothing while another instance holds the sweep lock, and sweeps once it is free', async () => {
    const held = ['expiry-sweep'];
    const store = lockedElsewhere(held);
    const h = await harness({ store });
    await h.client('support').joinProject(101, { reason: 'Look', expirationSeconds: 60 });
    h.clock.advance(60_000);
    expect(await h.runDueBatch()).toBe(false);
    expect(await h.store.first('projectMembers', { projectId: 101, userId: IDS.support })).toBeDefined();
    expect((await h.events(IDS.support)).map((e) => e.event.type)).not.toContain('membership.expired');
    held.length = 0;
    await h.runDue();
    expect(await h.store.first('projectMembers', { projectId: 101, userId: IDS.support })).toBeUndefined();
    expect((await h.events(IDS.support)).map((e) => e.event.type)).toContain('membership.expired');
  });

  it("expands no mail job while another instance's mail worker holds its lock", async () => {
    const held = ['mail-worker'];
    const h = await harness({ store: lockedElsewhere(held) });
    await h.client('support').requestAccess(100, { reason: 'Look' });
    expect(await h.store.count('mailJobs', { done: false })).toBe(1);
    expect(await expandMailJobs(h.store, 100, 'mail-worker')).toBe(0);
    expect(await h.store.count('outbox', {})).toBe(0);
    held.length = 0;
    expect(await expandMailJobs(h.store, 100, 'mail-worker')).toBeGreaterThan(0);
    expect(await h.store.count('mailJobs', { done: false })).toBe(0);
  });
});
