// hono-rate-limiter's Store over the `rateLimits` table, so every instance behind the address counts
// the same hits. Fixed windows per key like clockWindowStore (http/rate-limit.ts), timed by the
// supplied `now()` (the server's clock, so the test clock moves them), not the database's clock.
import type { Env } from 'hono';
import type { ClientRateLimitInfo, Store as LimiterStore } from 'hono-rate-limiter';
import type { PgSql } from './postgres.ts';

export interface PostgresRateLimitStore<E extends Env = Env> extends LimiterStore<E> {
  /** Clears every key's window (the test reset). */
  resetAll(): Promise<void>;
  /** Seconds until the key's window ends (at least 1). */
  retryAfter(key: string): Promise<number>;
}

const DEFAULT_WINDOW_MS = 60_000;

export function postgresRateLimitStore<E extends Env = Env>(
  sql: PgSql,
  now: () => number,
  windowMs: number = DEFAULT_WINDOW_MS,
): PostgresRateLimitStore<E> {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0)
    throw new Error(`windowMs must be a positive whole number of milliseconds: got ${windowMs}`);
  let nextSweep = 0;
  // As in clockWindowStore: real dates, though the server's clock may run ahead of the wall clock.
  const info = (hits: number, endsAt: number, at: number): ClientRateLimitInfo => ({
    totalHits: hits,
    resetTime: new Date(Date.now() + (endsAt - at)),
  });
  const at = () => {
    const t = now();
    if (!Number.isSafeInteger(t)) throw new Error(`now() must answer whole milliseconds: got ${t}`);
    return t;
  };
  type Window = { hits: number; endsAt: number };

  return {
    // Counters live in the shared table: a key counted by one instance counts on every other.
    localKeys: false,
    async get(key) {
      const t = at();
      const [w] = (await sql.unsafe(
        'SELECT hits, "endsAt" FROM "rateLimits" WHERE key = $1 AND "endsAt" > $2',
        [key, t],
      )) as unknown as Window[];
      return w ? info(w.hits, w.endsAt, t) : undefined;
    },
    async increment(key) {
      const t = at();
      // Expired windows of keys never seen again are dropped now and then (once per window).
      if (t >= nextSweep) {
        nextSweep = t + windowMs;
        await sql.unsafe('DELETE FROM "rateLimits" WHERE "endsAt" <= $1', [t]);
      }
      // One statement: a new window, or the current one counted, or a passed one started afresh.
      const [w] = (await sql.unsafe(
        `INSERT INTO "rateLimits" (key, hits, "endsAt") VALUES ($1, 1, $2::int8 + $3::int8)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN "rateLimits"."endsAt" <= $2::int8 THEN 1 ELSE "rateLimits".hits + 1 END,
           "endsAt" = CASE WHEN "rateLimits"."endsAt" <= $2::int8 THEN $2::int8 + $3::int8 ELSE "rateLimits"."endsAt" END
         RETURNING hits, "endsAt"`,
        [key, t, windowMs],
      )) as unknown as Window[];
      if (!w) throw new Error('rate limit increment answered no row');
      return info(w.hits, w.endsAt, t);
    },
    async decrement(key) {
      await sql.unsafe(
        'UPDATE "rateLimits" SET hits = hits - 1 WHERE key = $1 AND "endsAt" > $2 AND hits > 0',
        [key, at()],
      );
    },
    async resetKey(key) {
      await sql.unsafe('DELETE FROM "rateLimits" WHERE key = $1', [key]);
    },
    async resetAll() {
      await sql.unsafe('DELETE FROM "rateLimits"');
    },
    async retryAfter(key) {
      const t = at();
      const [w] = (await sql.unsafe('SELECT "endsAt" FROM "rateLimits" WHERE key = $1 AND "endsAt" > $2', [
        key,
        t,
      ])) as unknown as Window[];
      return w ? Math.max(1, Math.ceil((w.endsAt - t) / 1000)) : 1;
    },
  };
}
