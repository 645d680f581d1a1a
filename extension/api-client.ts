// The typed Manage API client for the configured stack, with the token read from extension storage.
import { type Client, createClient } from '../api/client.ts';
import { serverClock } from '../api/server-time.ts';
import type { User } from '../api/types.ts';
import { patchSyncMeta } from './db.ts';
import { getSettings, isConfigured, type Settings } from './settings.ts';

export interface Session {
  client: Client;
  settings: Settings;
  user: User;
}

export async function session(): Promise<Session | null> {
  const settings = await getSettings();
  if (!isConfigured(settings)) return null;
  const client = createClient({
    baseUrl: settings.backendUrl,
    token: settings.token,
    timeoutMs: 15_000,
    fetch: clockFetch,
  });
  return { client, settings, user: settings.user };
}

// Every response tells the server's time; the popup reads the offset from the cache to count down.
let storedOffset = 0;
const observed = serverClock.wrap((input, init) => fetch(input, init));
const clockFetch: typeof fetch = async (input, init) => {
  const res = await observed(input, init);
  const offset = serverClock.offset();
  if (Math.abs(offset - storedOffset) >= 250) {
    storedOffset = offset;
    await patchSyncMeta({ clockOffsetMs: offset }).catch(() => {});
  }
  return res;
};

export const NOT_CONFIGURED = {
  code: 'notConfigured',
  message: 'Set the backend URL and your Manage API token in the options first.',
} as const;

export const OFFLINE = {
  code: 'offline',
  message: 'You are offline. Nothing was sent and nothing is queued: try again when you are back online.',
} as const;

export function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}
