import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './time.ts';

describe('parseTimestamp', () => {
  it('reads the contract format, whose offset has no colon', () => {
    expect(parseTimestamp('2026-11-27T10:50:00+0000')).toBe(Date.UTC(2026, 10, 27, 10, 50, 0));
    expect(parseTimestamp('2026-11-27T10:50:00-0130')).toBe(Date.UTC(2026, 10, 27, 12, 20, 0));
  });

  it('still reads ISO strings with a colon or Z, and says NaN for anything else', () => {
    expect(parseTimestamp('2026-11-27T10:50:00Z')).toBe(Date.UTC(2026, 10, 27, 10, 50, 0));
    expect(parseTimestamp('2026-11-27T10:50:00+01:00')).toBe(Date.UTC(2026, 10, 27, 9, 50, 0));
    expect(parseTimestamp('next tuesday')).toBeNaN();
  });
});
