import { describe, expect, it } from 'vitest';
import { isShared, offsetClock, type SharedOffset, sharedOffsetClock } from './clock.ts';

/** The shared row, in memory: what settingsClockOffset (store/postgres.ts) keeps in the database. */
function row(): SharedOffset & { value: number } {
  const r = {
    value: 0,
    read: async () => r.value,
    add: async (ms: number) => {
      r.value += ms;
      return r.value;
    },
  };
  return r;
}

describe('the shared test clock', () => {
  it('a move made through one instance is the time of the others once they sync', async () => {
    const shared = row();
    const a = sharedOffsetClock(shared);
    const b = sharedOffsetClock(shared);
    await a.advanceShared(3_600_000);
    // Before its next sync, B still runs on the offset it last read.
    expect(b.now() - Date.now()).toBeLessThan(1000);
    await b.sync();
    expect(b.now() - Date.now()).toBeGreaterThanOrEqual(3_600_000 - 5);
    expect(Math.abs(a.now() - b.now())).toBeLessThan(50);
  });

  it('never goes back: a sync that reads an older offset keeps the newer one', async () => {
    let stale = 0;
    const clock = sharedOffsetClock({ read: async () => stale, add: async (ms) => ms });
    await clock.advanceShared(60_000);
    stale = 0;
    await clock.sync();
    expect(clock.now() - Date.now()).toBeGreaterThanOrEqual(60_000 - 5);
    // Garbage from the row is ignored too.
    stale = Number.NaN;
    await clock.sync();
    expect(clock.now() - Date.now()).toBeGreaterThanOrEqual(60_000 - 5);
  });

  it('is told apart from a clock of one process', () => {
    expect(isShared(sharedOffsetClock(row()))).toBe(true);
    expect(isShared(offsetClock())).toBe(false);
  });
});
