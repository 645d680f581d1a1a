// The typed Manage API client per configured stack, with the stack's token read from extension storage.
import { type Client, createClient } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { getSettings, type ReadyStack, readyStacks, stackLabel } from './settings.ts';

export interface Session {
  client: Client;
  /** The stack's URL: what every record of it is keyed by. */
  stack: string;
  settings: ReadyStack;
  user: User;
}

function open(stack: ReadyStack): Session {
  const client = createClient({ baseUrl: stack.url, token: stack.token, timeoutMs: 15_000 });
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
