// MSW handlers that forward every request under `baseUrl` to the real HTTP app, so component tests
// and the browser-only demo exercise the real rules. Browser-safe: the memory store, no Node modules.
import { http } from 'msw';
import type { Fixture } from '../api/types.ts';
import { type AppOptions, type Backend, createBackend } from './app.ts';
import { type Clock, offsetClock } from './clock.ts';
import { loadFixture } from './domain/fixture.ts';
import demo from './fixtures/demo.json' with { type: 'json' };
import { createMemoryStore } from './store/memory.ts';
import type { Store } from './store/types.ts';

export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

/** Every request to `baseUrl/...` goes to `app.fetch`, unchanged. */
export function createMswHandlers({ baseUrl, app }: { baseUrl: string; app: FetchApp }) {
  const base = baseUrl.replace(/\/+$/, '');
  return [http.all(`${base}/*`, ({ request }) => app.fetch(request))];
}

export interface MockBackend extends Backend {
  store: Store;
  clock: Clock;
  handlers: ReturnType<typeof createMswHandlers>;
  /** Empties the store, clears the rate limits' counters and loads a fixture (default: the demo data). */
  reset(fixture?: Fixture): Promise<void>;
  /** Resolves once the first fixture is loaded (requests through `handlers` wait for it themselves). */
  ready: Promise<void>;
}

export const demoFixture: Fixture = demo as Fixture;

/**
 * A complete in-memory backend behind MSW: `setupServer(...mock.handlers)` in tests,
 * `setupWorker(...mock.handlers)` in the browser. Test mode is on, so `/__test__/*` works too.
 */
export function createMockBackend(
  opts: { baseUrl: string; fixture?: Fixture; clock?: Clock; options?: AppOptions } = {
    baseUrl: 'http://localhost',
  },
): MockBackend {
  const store = createMemoryStore();
  const clock = opts.clock ?? offsetClock();
  const backend = createBackend({
    store,
    clock,
    // No server and so no expiry timer here: the notices run on incoming requests instead.
    options: { testMode: true, publicUrl: opts.baseUrl, autoTick: true, ...opts.options },
  });
  // One transaction: a request that comes meanwhile sees the old data or the new, never half.
  const reset = async (fixture: Fixture = opts.fixture ?? demoFixture) => {
    await store.transaction(async (tx) => {
      await tx.clear();
      await loadFixture(tx, fixture, Math.floor(clock.now() / 1000));
    });
    await backend.resetLimits();
  };
  const ready = reset();
  // The factory stays synchronous (tests and the demo call it at module level): requests wait here.
  const app: FetchApp = {
    fetch: async (request) => {
      await ready;
      return backend.app.fetch(request);
    },
  };
  return {
    ...backend,
    store,
    clock,
    reset,
    ready,
    handlers: createMswHandlers({ baseUrl: opts.baseUrl, app }),
  };
}
