// The one source of "now" for every rule. Test mode swaps in a clock that can be moved forward.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}
export interface AdjustableClock extends Clock {
  advance(ms: number): void;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Real time plus an offset that only grows: what `--test-mode` uses, so time still passes on its own. */
export function offsetClock(): AdjustableClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** A clock that stands still until advanced: for tests that need exact boundaries. */
export function manualClock(startMs: number): AdjustableClock {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

export function isAdjustable(clock: Clock): clock is AdjustableClock {
  return typeof (clock as Partial<AdjustableClock>).advance === 'function';
}

/**
 * A test clock several instances share: the offset lives in the database, so a move made through
 * one instance is the time of all. `sync()` reads the shared offset (each request and each sweep in
 * test mode does, before it looks at the time); `advanceShared` adds to it atomically and answers
 * the new offset. Between syncs `now()` runs on the last offset read, so it never goes back.
 */
export interface SharedClock extends AdjustableClock {
  sync(): Promise<void>;
  advanceShared(ms: number): Promise<void>;
}

export interface SharedOffset {
  /** The offset stored now (0 when none is). */
  read(): Promise<number>;
  /** Adds `ms` to the stored offset in one statement; answers the new offset. */
  add(ms: number): Promise<number>;
}

export function sharedOffsetClock(offset: SharedOffset): SharedClock {
  let current = 0;
  // Only forward: a sync that read an older value than a later advance wrote keeps the larger one.
  const take = (value: number) => {
    if (Number.isSafeInteger(value) && value > current) current = value;
  };
  return {
    now: () => Date.now() + current,
    advance: (ms) => {
      current += ms;
    },
    sync: async () => take(await offset.read()),
    advanceShared: async (ms) => take(await offset.add(ms)),
  };
}

export function isShared(clock: Clock): clock is SharedClock {
  return typeof (clock as Partial<SharedClock>).advanceShared === 'function';
}
