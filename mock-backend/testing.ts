// Test support: an in-process backend (memory store, a clock that stands still) and typed clients
// that call `app.fetch` directly, no sockets. Used by this folder's tests and by test/contract.
import { createClient } from '../api/client.ts';
import type { Fixture } from '../api/types.ts';
import { type AppOptions, type Backend, createBackend } from './app.ts';
import { type AdjustableClock, manualClock } from './clock.ts';
import { loadFixture } from './domain/fixture.ts';
import { eventsFor } from './domain/notify.ts';
import { listOutbox } from './domain/outbox.ts';
import demo from './fixtures/demo.json' with { type: 'json' };
import { createMemoryStore } from './store/memory.ts';
import type { EventRow, TableName } from './store/schema.ts';
import type { Store } from './store/types.ts';

export const DEMO = demo as Fixture;
export const BASE = 'http://backend.test';
/** 2026-11-27T10:00:00Z: a fixed start so timestamps in assertions are exact. */
export const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);

export const TOKENS = {
  admin: 'demo-admin-token',
  share: 'demo-share-token',
  guest: 'demo-guest-token',
  readOnly: 'demo-readonly-token',
  org: 'demo-org-token',
  maintainer: 'demo-maintainer-token',
  support: 'demo-support-token',
  random: 'demo-random-token',
  supportNoMfa: 'demo-support-nomfa-token',
  betaAdmin: 'demo-beta-admin-token',
} as const;
export type Persona = keyof typeof TOKENS;

export const IDS = {
  admin: 1000,
  share: 1001,
  guest: 1002,
  readOnly: 1003,
  org: 1004,
  maintainer: 1005,
  support: 1006,
  random: 1007,
  supportNoMfa: 1008,
  betaAdmin: 1009,
} as const;

export interface Harness extends Backend {
  store: Store;
  clock: AdjustableClock;
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  client(persona: Persona | null): ReturnType<typeof createClient>;
  advance(seconds: number): Promise<void>;
  outbox(): Promise<{ to: string; subject: string; text: string; html: string; replyTo?: string | null }[]>;
  /** The events a user's stream would replay from the start (their own rows and their audiences'). */
  events(userId: number): Promise<EventRow[]>;
}

/**
 * The store, telling `seen` how many rows each `find` returned: on the root store and inside its
 * transactions alike (the rules read through the transaction's store, not the root's).
 */
export function watchFinds(store: Store, seen: (table: TableName, rows: number) => void): Store {
  const watch = (target: Store): Store =>
    new Proxy(target, {
      get(t, key) {
        if (key === 'find') {
          const find: Store['find'] = async (table, filter, options) => {
            const rows = await t.find(table, filter, options);
            seen(table, rows.length);
            return rows;
          };
          return find;
        }
        if (key === 'transaction') {
          const transaction: Store['transaction'] = (fn) => t.transaction((tx) => fn(watch(tx)));
          return transaction;
        }
        const value: unknown = Reflect.get(t, key, t);
        return typeof value === 'function' ? value.bind(t) : value;
      },
    });
  return watch(store);
}

export function fixtureWith(change: (f: Required<Fixture>) => void): Fixture {
  const f = structuredClone(DEMO) as Required<Fixture>;
  change(f);
  return f;
}

/** A backend with the fixture loaded (default: the demo data): `const h = await harness()`. */
export async function harness(
  opts: { fixture?: Fixture; store?: Store; options?: AppOptions } = {},
): Promise<Harness> {
  const store = opts.store ?? createMemoryStore();
  const clock = manualClock(T0);
  await loadFixture(store, opts.fixture ?? DEMO, Math.floor(T0 / 1000));
  const backend = createBackend({
    store,
    clock,
    options: { testMode: true, mailbox: true, publicUrl: BASE, ...opts.options },
  });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) =>
    backend.app.fetch(new Request(input, init));
  return {
    ...backend,
    store,
    clock,
    fetch,
    client: (persona) =>
      createClient({ baseUrl: BASE, token: persona ? TOKENS[persona] : undefined, fetch, timeoutMs: 5000 }),
    advance: async (seconds) => {
      const r = await fetch(`${BASE}/__test__/clock`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: seconds }),
      });
      if (r.status !== 200) throw new Error(`clock: ${r.status}`);
    },
    outbox: () => listOutbox(backend.ctx),
    events: (userId) => eventsFor(backend.ctx, userId, 0, 1_000_000),
  };
}
