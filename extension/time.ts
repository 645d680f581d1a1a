// Timestamps of the API look like `2026-11-27T10:50:00+0000`; not every engine parses `+0000`.

/** ms since epoch, or NaN. */
export function parseTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
