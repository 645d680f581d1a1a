// Per-user rate limits (docs/rules.md#safe-to-expose): hono-rate-limiter's middleware over a store of
// ours whose windows follow the server's clock, so `/__test__/clock` moves them and `/__test__/reset`
// clears them. Several instances share counters through store/postgres-rate-limit.ts (the same
// interface over a PostgreSQL table), which the server passes in when it runs on PostgreSQL.

import type { MiddlewareHandler } from 'hono';
import { type ClientRateLimitInfo, type Store as LimiterStore, rateLimiter } from 'hono-rate-limiter';
import type { Clock } from '../clock.ts';
import type { Env } from './env.ts';

export const RATE_WINDOW_MS = 60_000;

/** What each limited group allows per user per window. */
export const RATE_LIMITS = {
  /** `POST /support/tickets`: each one e-mails the maintainer. */
  tickets: 10,
  /** `join-project`, `request-access` and `join-organization` together: each e-mails people or writes the access log. */
  entry: 20,
  /**
   * `POST /projects/{p}/tokens`: an outsider's token is a line in the project's access history, and
   * 2,000 of them in two seconds pushed everything else off its first page.
   */
  storageTokens: 20,
  /**
   * Every write under /manage (POST, PUT, PATCH, DELETE), beside the groups above: two a second for a
   * whole minute is more than a person clicks, and 80,000 role changes in 43 s is not a person.
   */
  writes: 120,
} as const;
export type RateLimitName = keyof typeof RATE_LIMITS;
/** What each group allows per user a minute, where a server wants other figures than RATE_LIMITS. */
export type RateLimits = Record<RateLimitName, number>;

/** RATE_LIMITS with a server's own figures over them; each must be a whole number of at least 1. */
export function rateLimitsWith(overrides: Partial<RateLimits> = {}): RateLimits {
  const limits: RateLimits = { ...RATE_LIMITS, ...overrides };
  for (const [name, n] of Object.entries(limits))
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(`rate limit ${name} must be a whole number of at least 1: got ${n}`);
  return limits;
}

/** The counters behind the limits: this process's (clockWindowStore) or shared by instances. */
export interface LimitsStore extends LimiterStore<Env> {
  resetAll(): void | Promise<void>;
  /** Seconds until the key's window ends (at least 1). */
  retryAfter(key: string): number | Promise<number>;
}

export interface ClockWindowStore extends LimitsStore {
  resetAll(): void;
  retryAfter(key: string): number;
}

/** Fixed windows per key, timed by `clock`; expired windows are dropped as new ones start. */
export function clockWindowStore(clock: Clock, windowMs = RATE_WINDOW_MS): ClockWindowStore {
  const windows = new Map<string, { hits: number; endsAt: number }>();
  let nextSweep = 0;
  // The library computes nothing from these times itself (our 429 handler does), but keep them real
  // dates: the server's clock may run ahead of the wall clock in test mode.
  const info = (w: { hits: number; endsAt: number }): ClientRateLimitInfo => ({
    totalHits: w.hits,
    resetTime: new Date(Date.now() + (w.endsAt - clock.now())),
  });
  const current = (key: string) => {
    const w = windows.get(key);
    return w && w.endsAt > clock.now() ? w : undefined;
  };
  return {
    get: (key) => {
      const w = current(key);
      return w ? info(w) : undefined;
    },
    increment(key) {
      const now = clock.now();
      if (now >= nextSweep) {
        for (const [k, w] of windows) if (w.endsAt <= now) windows.delete(k);
        nextSweep = now + windowMs;
      }
      let w = current(key);
      if (!w) {
        w = { hits: 0, endsAt: now + windowMs };
        windows.set(key, w);
      }
      w.hits++;
      return info(w);
    },
    decrement(key) {
      const w = current(key);
      if (w && w.hits > 0) w.hits--;
    },
    resetKey(key) {
      windows.delete(key);
    },
    resetAll() {
      windows.clear();
    },
    retryAfter(key) {
      const w = current(key);
      return w ? Math.max(1, Math.ceil((w.endsAt - clock.now()) / 1000)) : 1;
    },
  };
}

/**
 * The middleware for one group; runs after the token check (the key is the user's id).
 * `refuse` builds the 429 body; Retry-After is the seconds left in the user's window.
 */
export function limitPerUser(
  name: RateLimitName,
  store: LimitsStore,
  refuse: (retryAfter: number, limit: number) => Response,
  limit: number = RATE_LIMITS[name],
): MiddlewareHandler<Env> {
  const key = (userId: number) => `${name}:${userId}`;
  return rateLimiter<Env>({
    windowMs: RATE_WINDOW_MS,
    limit,
    // Our own 429 (the contract's error body) with Retry-After; no draft RateLimit-* headers.
    standardHeaders: false,
    keyGenerator: (c) => key(c.get('user').id),
    store,
    // The library returns what the handler answers, a promise included.
    handler: async (c) => refuse(await store.retryAfter(key(c.get('user').id)), limit),
  });
}
