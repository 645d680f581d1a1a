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
