// Times of the users panel: relative and exact, counted from the server's clock.
import { serverClock } from '../../api/server-time.ts';
import { parseTimestamp as parseTime } from '../../api/time.ts';
import type { Locale } from '../common/locale.ts';
/** The server's time now (from its responses' `Date`): what every countdown counts from. */
export const serverNow = (): number => serverClock.now();

/**
 * "in 2 days", "3 hours ago"; to the second in the last minute ("in 27 seconds"), with whole seconds
 * rounded up as the extension's countdown does, so both show the same number.
 */
export function relative(t: string, locale: Locale, now = serverNow()): string {
  const raw = (parseTime(t) - now) / 1000;
  const sec = raw > 0 && raw < 60 ? Math.ceil(raw) : raw;
  const abs = Math.abs(sec);
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    abs < 60
      ? [sec, 'second']
      : abs < 3600
        ? [sec / 60, 'minute']
        : abs < 86400
          ? [sec / 3600, 'hour']
          : [sec / 86400, 'day'];
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.round(value), unit);
}

/** The exact local time, for `title` and screen readers; with `seconds` for the access history. */
export const exact = (t: string, locale: Locale, seconds?: boolean): string =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' }).format(
    parseTime(t),
  );
