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

/**
 * "3 h 59 min left", to the second in the last minute ("27 s left"), "expired" from the second it
 * ends; "no expiry" for null. `now` is the server's time. Whole seconds left round up, as the users
 * list in the widget does, so both show the same number.
 */
export function countdown(expires: string | null, now: number): string {
  if (!expires) return 'no expiry';
  const left = parseTime(expires) - now;
  if (Number.isNaN(left)) return '';
  return left <= 0 ? 'expired' : `${formatDuration(left, Math.ceil)} left`;
}

export function ago(at: number, now: number): string {
  if (!at) return 'never';
  const ms = now - at;
  if (ms < 45_000) return 'just now';
  return `${formatDuration(ms)} ago`;
}

export function formatTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(parseTime(iso));
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
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
