// Typed settings in extension storage (never in a page): defaults, ordered migrations, one key.
// The extension works on several stacks at once: one entry per stack, each with its own token.
import type { User } from '../api/types.ts';
import { browser } from './browser.ts';
import { SETTINGS_KEY, SETTINGS_VERSION } from './settings-format.ts';

export interface StackSettings {
  /** Stack root (an origin), e.g. `https://connection.keboola.com` or the mock backend's URL. */
  url: string;
  /** The Manage API token for this stack; stays in extension storage. */
  token: string;
  /** Who the token belongs to, as tokens/verify said when it was saved. */
  user: User | null;
  /** When the token was last verified (ms since epoch). */
  verifiedAt: number;
}

export interface Settings {
  /** In the order they were added. */
  stacks: StackSettings[];
  /** The stack of the last "Get access": the default when a bare project id is entered. */
  lastStack: string;
}

export const DEFAULT_SETTINGS: Settings = { stacks: [], lastStack: '' };

const KEY = SETTINGS_KEY;

export { SETTINGS_VERSION };

type Stored = { version?: number } & Record<string, unknown>;

/** Ordered: migration i turns version i+1 into version i+2. Old ones are never edited. */
const MIGRATIONS: ((s: Stored) => Stored)[] = [
  // 1 → 2: the first skeleton stored `apiUrl` and `apiToken`.
  ({ apiUrl, apiToken, ...rest }) => ({
    ...rest,
    backendUrl: typeof apiUrl === 'string' ? apiUrl : rest.backendUrl,
    token: typeof apiToken === 'string' ? apiToken : rest.token,
  }),
  // 2 → 3: one stack (`backendUrl`, `token`, `user`, `verifiedAt`) becomes the first of a list.
  ({ backendUrl, token, user, verifiedAt, ...rest }) => ({
    ...rest,
    stacks:
      typeof backendUrl === 'string' && backendUrl ? [{ url: backendUrl, token, user, verifiedAt }] : [],
    lastStack: typeof backendUrl === 'string' ? backendUrl : '',
  }),
];

function readStack(value: unknown): StackSettings | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.url !== 'string' || !v.url) return null;
  return {
    url: v.url,
    token: typeof v.token === 'string' ? v.token : '',
    user: v.user && typeof v.user === 'object' ? (v.user as User) : null,
    verifiedAt: typeof v.verifiedAt === 'number' ? v.verifiedAt : 0,
  };
}

export function migrateSettings(stored: Stored | undefined): Settings {
  if (!stored) return { ...DEFAULT_SETTINGS, stacks: [] };
  let s = stored;
  for (let v = s.version ?? 1; v < SETTINGS_VERSION; v++) {
    const migrate = MIGRATIONS[v - 1];
    if (migrate) s = migrate(s);
  }
  const stacks: StackSettings[] = [];
  for (const raw of Array.isArray(s.stacks) ? s.stacks : []) {
    const stack = readStack(raw);
    // One entry per stack: a duplicate would sync the same stack twice.
    if (stack && !stacks.some((x) => x.url === stack.url)) stacks.push(stack);
  }
  return { stacks, lastStack: typeof s.lastStack === 'string' ? s.lastStack : '' };
}

export async function getSettings(): Promise<Settings> {
  const got = await browser.storage.local.get(KEY);
  return migrateSettings(got[KEY] as Stored | undefined);
}

async function write(next: Settings): Promise<Settings> {
  await browser.storage.local.set({ [KEY]: { ...next, version: SETTINGS_VERSION } });
  return next;
}

export async function setSettings(patch: Partial<Settings>): Promise<Settings> {
  return write({ ...(await getSettings()), ...patch });
}

/** Adds the stack, or replaces the entry with the same URL (keeping its place in the list). */
export async function putStack(stack: StackSettings): Promise<Settings> {
  const s = await getSettings();
  const at = s.stacks.findIndex((x) => x.url === stack.url);
  const stacks = at < 0 ? [...s.stacks, stack] : s.stacks.map((x, i) => (i === at ? stack : x));
  return write({ ...s, stacks });
}

export async function removeStack(url: string): Promise<Settings> {
  const s = await getSettings();
  return write({
    stacks: s.stacks.filter((x) => x.url !== url),
    lastStack: s.lastStack === url ? '' : s.lastStack,
  });
}

export type ReadyStack = StackSettings & { user: User };

/** A stack the extension can work on: a token, verified as a user's. */
export function isReady(stack: StackSettings): stack is ReadyStack {
  return Boolean(stack.url && stack.token && stack.user);
}

export function readyStacks(s: Settings): ReadyStack[] {
  return s.stacks.filter(isReady);
}

export function isConfigured(s: Settings): boolean {
  return readyStacks(s).length > 0;
}

/** The stack to preselect for a bare project id: the last used one when still set up, else the first. */
export function defaultStack(s: Settings): string {
  const ready = readyStacks(s);
  return (ready.find((x) => x.url === s.lastStack) ?? ready[0])?.url ?? '';
}

/** `https://connection.eu-central-1.keboola.com` → `eu-central-1.keboola.com`: what a row says. */
export function stackLabel(url: string): string {
  try {
    return new URL(url).host.replace(/^connection\./, '');
  } catch {
    return url;
  }
}

/** Calls `listener` whenever the settings change in any context. Returns the unsubscribe function. */
export function onSettingsChanged(listener: (s: Settings) => void): () => void {
  const handler = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && KEY in changes) listener(migrateSettings(changes[KEY]?.newValue as Stored));
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}
