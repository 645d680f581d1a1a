// Typed settings in extension storage (never in a page): defaults, ordered migrations, one key.
import type { User } from '../api/types.ts';
import { browser } from './browser.ts';

export interface Settings {
  /** Stack root, e.g. `https://connection.keboola.com` or the mock backend's URL. Empty: not set up. */
  backendUrl: string;
  /** The Manage API token; stays in extension storage. */
  token: string;
  /** Who the token belongs to, as tokens/verify said when it was saved. */
  user: User | null;
  /** When the token was last verified (ms since epoch). */
  verifiedAt: number;
}

export const DEFAULT_SETTINGS: Settings = { backendUrl: '', token: '', user: null, verifiedAt: 0 };

const KEY = 'settings';
export const SETTINGS_VERSION = 2;

type Stored = Partial<Settings> & { version?: number } & Record<string, unknown>;

/** Ordered: migration i turns version i+1 into version i+2. Old ones are never edited. */
const MIGRATIONS: ((s: Stored) => Stored)[] = [
  // 1 → 2: the first skeleton stored `apiUrl` and `apiToken`.
  ({ apiUrl, apiToken, ...rest }) => ({
    ...rest,
    backendUrl: typeof apiUrl === 'string' ? apiUrl : rest.backendUrl,
    token: typeof apiToken === 'string' ? apiToken : rest.token,
  }),
];

export function migrateSettings(stored: Stored | undefined): Settings {
  if (!stored) return { ...DEFAULT_SETTINGS };
  let s = stored;
  for (let v = s.version ?? 1; v < SETTINGS_VERSION; v++) {
    const migrate = MIGRATIONS[v - 1];
    if (migrate) s = migrate(s);
  }
  return {
    backendUrl: typeof s.backendUrl === 'string' ? s.backendUrl : DEFAULT_SETTINGS.backendUrl,
    token: typeof s.token === 'string' ? s.token : DEFAULT_SETTINGS.token,
    user: s.user && typeof s.user === 'object' ? s.user : null,
    verifiedAt: typeof s.verifiedAt === 'number' ? s.verifiedAt : 0,
  };
}

export async function getSettings(): Promise<Settings> {
  const got = await browser.storage.local.get(KEY);
  return migrateSettings(got[KEY] as Stored | undefined);
}

export async function setSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await getSettings()), ...patch };
  await browser.storage.local.set({ [KEY]: { ...next, version: SETTINGS_VERSION } });
  return next;
}

export function isConfigured(s: Settings): s is Settings & { user: User } {
  return Boolean(s.backendUrl && s.token && s.user);
}

/** Calls `listener` whenever the settings change in any context. Returns the unsubscribe function. */
export function onSettingsChanged(listener: (s: Settings) => void): () => void {
  const handler = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && KEY in changes) listener(migrateSettings(changes[KEY]?.newValue as Stored));
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}
