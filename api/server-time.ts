// The server's clock as a client sees it, from the `Date` header of its responses. Countdowns count
// from it, so the widget and the extension agree with each other and with the server's expiry even
// when this machine's clock is off. `Date` has one-second resolution: every response narrows the
// interval the offset must lie in; a response outside it (a clock that jumped) starts a new one.

export interface ServerClock {
  /** The server's time now, in ms since the epoch (this machine's time until a Date was seen). */
  now(): number;
  /** Server minus local time, in ms. */
  offset(): number;
  /** Notes a response's `Date` header; `sentAt` / `receivedAt` are local times around the request. */
  observe(date: string | null, sentAt: number, receivedAt: number): void;
  /** `fetch` that observes every response. */
  wrap(base: typeof fetch): typeof fetch;
}

export function createServerClock(local: () => number = Date.now): ServerClock {
  let low = Number.NEGATIVE_INFINITY;
  let high = Number.POSITIVE_INFINITY;
  const offset = () => (Number.isFinite(low) && Number.isFinite(high) ? Math.round((low + high) / 2) : 0);
  const clock: ServerClock = {
    now: () => local() + offset(),
    offset,
    observe(date, sentAt, receivedAt) {
      const t = date ? Date.parse(date) : Number.NaN;
      if (Number.isNaN(t)) return;
      // The server stamped some instant in [t, t + 1000) while we were between sentAt and receivedAt.
      const lo = t - receivedAt;
      const hi = t + 1000 - sentAt;
      if (lo > high || hi < low) {
        low = lo;
        high = hi;
      } else {
        low = Math.max(low, lo);
        high = Math.min(high, hi);
      }
    },
    wrap: (base) => async (input, init) => {
      const sentAt = local();
      const res = await base(input, init);
      clock.observe(res.headers.get('Date'), sentAt, local());
      return res;
    },
  };
  return clock;
}

/** The clock of this page (or worker): every client made in it shares one. */
export const serverClock: ServerClock = createServerClock();
