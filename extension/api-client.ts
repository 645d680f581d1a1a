// The typed Manage API client per configured stack, with the stack's token read from extension storage.
import { type Client, createClient } from '../api/client.ts';
import { createServerClock, type ServerClock } from '../api/server-time.ts';
import type { User } from '../api/types.ts';
import { patchSyncMeta } from './db.ts';
import { getSettings, type ReadyStack, readyStacks, stackLabel } from './settings.ts';

export interface Session {
  client: Client;
  /** The stack's URL: what every record of it is keyed by. */
  stack: string;
  settings: ReadyStack;
  user: User;
}

// Every response tells its server's time; the popup reads each stack's offset from the cache to count
// down. One clock per stack: two stacks' clocks may differ, and a request expires by its own stack's.
// The offset is compared with the one stored, not with the last one this context wrote: the row is
// shared with other writers (and cleared with the stack), so a value lost there is written again by
// the next answer.
const clocks = new Map<string, { clock: ServerClock; fetch: typeof fetch }>();

/** How far an offset may drift from the stored one before it is written again (ms). */
const OFFSET_SLACK_MS = 250;

function stackClock(stack: string): { clock: ServerClock; fetch: typeof fetch } {
  const known = clocks.get(stack);
  if (known) return known;
  const clock: ServerClock = createServerClock();
  const observed = clock.wrap((input, init) => fetch(input, init));
  const wrapped: typeof fetch = async (input, init) => {
    const res = await observed(input, init);
    const offset = clock.offset();
    // Not awaited: the answer goes on at once, the cache catches up in its own transaction.
    void patchSyncMeta(
      stack,
      { clockOffsetMs: offset },
      (stored) =>
        stored.clockOffsetMs === undefined || Math.abs(stored.clockOffsetMs - offset) >= OFFSET_SLACK_MS,
    ).catch(() => {});
    return res;
  };
  const entry = { clock, fetch: wrapped };
  clocks.set(stack, entry);
  return entry;
}

/** The stack's time now, as its answers' `Date` tell it (this machine's until one came). */
export const serverNow = (stack: string): number => stackClock(stack).clock.now();

function open(stack: ReadyStack): Session {
  const client = createClient({
    baseUrl: stack.url,
    token: stack.token,
    timeoutMs: 15_000,
    fetch: stackClock(stack.url).fetch,
  });
  return { client, stack: stack.url, settings: stack, user: stack.user };
}

/** One session per stack with a verified token. */
export async function sessions(): Promise<Session[]> {
  return readyStacks(await getSettings()).map(open);
}

/** The session of one stack, or null when it is not set up (or has no verified token). */
export async function session(stack: string): Promise<Session | null> {
  const found = readyStacks(await getSettings()).find((s) => s.url === stack);
  return found ? open(found) : null;
}

export const NOT_CONFIGURED = {
  code: 'notConfigured',
  message: 'Add a stack (its URL and your Manage API token) in the options first.',
} as const;

/** For an action on a stack that is not (or no longer) set up. */
export const stackNotConfigured = (stack: string) => ({
  code: NOT_CONFIGURED.code,
  message: stack
    ? `${stackLabel(stack)} is not set up in the extension (or its token is not verified). Add it in the options.`
    : NOT_CONFIGURED.message,
});

export const OFFLINE = {
  code: 'offline',
  message: 'You are offline. Nothing was sent and nothing is queued: try again when you are back online.',
} as const;

export function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}
