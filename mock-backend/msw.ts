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
  reset(fixture?: Fixture): void;
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
  const reset = (fixture: Fixture = opts.fixture ?? demoFixture) => {
    store.clear();
    loadFixture(store, fixture, Math.floor(clock.now() / 1000));
    backend.resetLimits();
  };
  reset();
  return {
    ...backend,
    store,
    clock,
    reset,
    handlers: createMswHandlers({ baseUrl: opts.baseUrl, app: backend.app }),
  };
}
