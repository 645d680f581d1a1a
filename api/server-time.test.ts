import { describe, expect, it } from 'vitest';
import { createServerClock } from './server-time.ts';

describe('server clock', () => {
  it('counts from the server time in the Date header, not this machine', () => {
    let local = 1_000_000;
    const clock = createServerClock(() => local);
    expect(clock.now()).toBe(1_000_000);
    // The server is 30 s ahead (a test clock moved forward, or this machine is slow).
    clock.observe(new Date(1_030_000).toUTCString(), 999_900, 1_000_100);
    expect(Math.abs(clock.now() - 1_030_000)).toBeLessThanOrEqual(1000);
    local += 5000;
    expect(Math.abs(clock.now() - 1_035_000)).toBeLessThanOrEqual(1000);
  });

  it('narrows to well under a second over several responses', () => {
    let local = 0;
    const clock = createServerClock(() => local);
    const skew = 12_345;
    for (let i = 0; i < 20; i++) {
      local = i * 1337;
      const server = local + skew;
      clock.observe(new Date(Math.floor(server / 1000) * 1000).toUTCString(), local - 20, local + 20);
    }
    expect(Math.abs(clock.offset() - skew)).toBeLessThan(150);
  });

  it('follows a server clock that jumps', () => {
    const clock = createServerClock(() => 0);
    clock.observe(new Date(0).toUTCString(), 0, 0);
    clock.observe(new Date(3_600_000).toUTCString(), 0, 0);
    expect(Math.abs(clock.offset() - 3_600_000)).toBeLessThanOrEqual(1000);
  });

  it('ignores responses without a Date', () => {
    const clock = createServerClock(() => 5);
    clock.observe(null, 0, 10);
    clock.observe('not a date', 0, 10);
    expect(clock.offset()).toBe(0);
  });
});
