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
const clocks = new Map<string, typeof fetch>();

function clockFetch(stack: string): typeof fetch {
  const known = clocks.get(stack);
  if (known) return known;
  const clock: ServerClock = createServerClock();
  const observed = clock.wrap((input, init) => fetch(input, init));
  let stored = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const res = await observed(input, init);
    const offset = clock.offset();
    if (Math.abs(offset - stored) >= 250) {
      stored = offset;
      await patchSyncMeta(stack, { clockOffsetMs: offset }).catch(() => {});
    }
    return res;
  };
  clocks.set(stack, wrapped);
  return wrapped;
}

function open(stack: ReadyStack): Session {
  const client = createClient({
    baseUrl: stack.url,
    token: stack.token,
    timeoutMs: 15_000,
    fetch: clockFetch(stack.url),
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
