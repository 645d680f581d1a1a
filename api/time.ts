// The contract's timestamps look like `2026-11-27T10:50:00+0000`: an offset without a colon, which not
// every JavaScript engine's Date.parse accepts. One parser for every part.

/** Milliseconds since the epoch, or NaN for anything that is not a timestamp. */
export function parseTimestamp(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
