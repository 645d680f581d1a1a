import { ACCESS_LIMITS } from '../../api/types.ts';
import { parseTime } from '../time.ts';

// Human text for times and durations.

/** "2 d 4 h", "3 h 5 min", "1 min 30 s" (seconds under ten minutes), "27 s". */
export function formatDuration(ms: number, round: (n: number) => number = Math.round): string {
  const s = Math.max(0, round(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return sec && m < 10 ? `${m} min ${sec} s` : `${m} min`;
  return `${s} s`;
}

/** "3 h 59 min left", to the second in the last minute ("27 s left"), "expired"; "no expiry" for null. */
export function countdownText(left: number | null): string {
  if (left === null) return 'no expiry';
  if (Number.isNaN(left)) return '';
  // Whole seconds left round up, as the users list in the widget does, so both show the same number.
  return left <= 0 ? 'expired' : `${formatDuration(left, Math.ceil)} left`;
}

/**
 * "3 h 59 min left", to the second in the last minute ("27 s left"), "expired" from the second it
 * ends; "no expiry" for null. `now` is the server's time.
 */
export function countdown(expires: string | null, now: number): string {
  return countdownText(expires ? parseTime(expires) - now : null);
}

/** What a countdown needs of a request or an access. */
export interface Timed {
  /** The server's end of it (ISO), or null when it has none. */
  expires: string | null;
  /** The server's start of it (ISO), when known. */
  created?: string | null;
  /** This machine's time (ms) when the extension first saw it: after it was made. */
  seenAt?: number;
}

/**
 * When `t` ends on this machine's clock (ms), or null without an expiry: the server's end moved by the
 * offset to the server's clock (server minus local), and never later than what was granted (its end
 * minus its start, both the server's) from when the extension saw it. The second holds whatever the
 * offset is, and whatever the server's clock did: the grant was made before the extension saw it, so
 * no more than that can be left.
 */
export function localEnd(t: Timed, offsetMs: number): number | null {
  if (!t.expires) return null;
  const end = parseTime(t.expires);
  const byServer = end - offsetMs;
  if (!t.created || t.seenAt === undefined) return byServer;
  const granted = end - parseTime(t.created);
  return Number.isNaN(granted) ? byServer : Math.min(byServer, t.seenAt + granted);
}

/** The countdown of `t` at this machine's `localNow`, with the offset to its server's clock. */
export function countdownOf(t: Timed, localNow: number, offsetMs: number): string {
  const end = localEnd(t, offsetMs);
  return countdownText(end === null ? null : end - localNow);
}

export function ago(at: number, now: number): string {
  if (!at) return 'never';
  const ms = now - at;
  if (ms < 45_000) return 'just now';
  return `${formatDuration(ms)} ago`;
}

export function formatTime(iso: string | null): string {
  if (!iso) return '';
  const ms = parseTime(iso);
  return Number.isNaN(ms) ? iso : formatMs(ms);
}

/** A time of this machine's clock (ms), as its user reads dates. */
export function formatMs(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const DURATION_PRESETS = [
  { id: '1h', label: '1 h', hours: 1 },
  { id: '4h', label: '4 h', hours: 4 },
  { id: '8h', label: '8 h', hours: 8 },
  { id: '24h', label: '24 h', hours: 24 },
  { id: '48h', label: '48 h', hours: 48 },
] as const;

export type PresetId = (typeof DURATION_PRESETS)[number]['id'] | 'custom';
export const MAX_CUSTOM_HOURS = ACCESS_LIMITS.outsiderMaxSeconds / 3600;
