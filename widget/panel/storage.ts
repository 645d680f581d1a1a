// Drafts and the outbox, in IndexedDB through idb-keyval: a database of our own ("support-kit"), so a
// host page using idb-keyval's default store never sees our keys. One browser may be shared by several
// people: a draft is keyed by backend, user and project, and each queued ticket names its backend and
// user, so nobody sees (or sends) another user's text.
import { createStore, del, get, keys, set } from 'idb-keyval';
import type {
  CreateTicketBody,
  ErrorContext,
  TicketAttachmentInput,
  TicketSeverity,
  TicketType,
} from '../../api/types.ts';

export interface DraftData {
  subject: string;
  description: string;
  type: TicketType;
  severity: TicketSeverity;
  attachments: TicketAttachmentInput[];
  error?: ErrorContext;
}

export interface OutboxItem {
  /** The Idempotency-Key: the same for every attempt, so the server creates one ticket. */
  key: string;
  body: CreateTicketBody;
  created: number;
  /** Stack root the ticket is for. */
  backend: string;
  /** Who queued it (an identity key, see identity.ts): it is sent only with that user's token. */
  who: string;
}

export interface WidgetStorage {
  /** `key`: backend, user and project (draftKey in identity.ts). */
  loadDraft(key: string): Promise<DraftData | undefined>;
  saveDraft(key: string, draft: DraftData): Promise<void>;
  clearDraft(key: string): Promise<void>;
  loadOutbox(): Promise<OutboxItem[]>;
  saveOutbox(items: OutboxItem[]): Promise<void>;
  /** The user id a token (by its hash) was last verified as, for knowing who is signed in offline. */
  loadWho(tokenKey: string): Promise<number | undefined>;
  saveWho(tokenKey: string, userId: number): Promise<void>;
}

/** Drafts stored before they were keyed by user have keys like `draft:100` (no `|`). */
const isLegacyDraftKey = (k: IDBValidKey) =>
  typeof k === 'string' && k.startsWith('draft:') && !k.includes('|');

/** A queued ticket stored before tickets named their user: nobody can tell whose it is. */
const isOwned = (i: Partial<OutboxItem>): i is OutboxItem =>
  typeof i.backend === 'string' && typeof i.who === 'string' && typeof i.key === 'string';

export function createIdbStorage(): WidgetStorage {
  let store: ReturnType<typeof createStore> | undefined;
  // Opened on first use, not at import: the panel may load where IndexedDB is blocked.
  const db = () => (store ??= createStore('support-kit', 'kv'));
  const quiet = async <T>(run: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      console.warn('[SupportKit] storage unavailable', e);
      return fallback;
    }
  };
  let migrated: Promise<void> | undefined;
  /**
   * Once per page: drafts and queued tickets from before they were keyed by user are dropped. Whose
   * they were cannot be known, and showing or sending them as the current user is the leak this closes.
   */
  const migrate = () =>
    (migrated ??= quiet(async () => {
      const legacy = (await keys(db())).filter(isLegacyDraftKey);
      for (const k of legacy) await del(k, db());
      const items = (await get<Partial<OutboxItem>[]>('outbox', db())) ?? [];
      const owned = items.filter(isOwned);
      if (owned.length !== items.length) await set('outbox', owned, db());
      if (legacy.length || owned.length !== items.length)
        console.warn(
          `[SupportKit] dropped ${legacy.length} draft(s) and ${items.length - owned.length} queued ticket(s) saved before they were kept per user`,
        );
    }, undefined));
  const after = <T>(run: () => Promise<T>) => migrate().then(run);
  return {
    loadDraft: (key) => after(() => quiet(() => get<DraftData>(`draft:${key}`, db()), undefined)),
    saveDraft: (key, draft) => after(() => quiet(() => set(`draft:${key}`, draft, db()), undefined)),
    clearDraft: (key) => after(() => quiet(() => del(`draft:${key}`, db()), undefined)),
    loadOutbox: () =>
      after(() =>
        quiet(async () => ((await get<Partial<OutboxItem>[]>('outbox', db())) ?? []).filter(isOwned), []),
      ),
    saveOutbox: (items) => after(() => quiet(() => set('outbox', items, db()), undefined)),
    loadWho: (tokenKey) => after(() => quiet(() => get<number>(`who:${tokenKey}`, db()), undefined)),
    saveWho: (tokenKey, userId) => after(() => quiet(() => set(`who:${tokenKey}`, userId, db()), undefined)),
  };
}
