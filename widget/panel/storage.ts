// Drafts and the outbox, in IndexedDB through idb-keyval: a database of our own ("support-kit"), so a
// host page using idb-keyval's default store never sees our keys. One browser may be shared by several
// people: a draft is keyed by backend, user and project, and each queued ticket names its backend and
// user, so nobody sees (or sends) another user's text.
import { createStore, del, get, set } from 'idb-keyval';
import type {
  CreateTicketBody,
  ErrorContext,
  PostMessageBody,
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
  /** The closed ticket this one follows up ("New ticket" under a closed thread). */
  follows?: { id: number; number: string };
}

/** A new ticket, or (with `ticketId`) a reply in a ticket's thread. */
export type OutboxItem = OutboxBase &
  (
    | { ticketId?: undefined; body: CreateTicketBody }
    | {
        ticketId: number;
        body: PostMessageBody /** Its reply draft's key, for a refused one. */;
        draft: string;
      }
  );

interface OutboxBase {
  /** The Idempotency-Key: the same for every attempt, so the server creates one ticket (or reply). */
  key: string;
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

/** A queued ticket stored before tickets named their user: nobody can tell whose it is, so it is dropped. */
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
  const read = <T>(key: string) => quiet(() => get<T>(key, db()), undefined);
  const write = (key: string, value: unknown) => quiet(() => set(key, value, db()), undefined);
  return {
    loadDraft: (key) => read<DraftData>(`draft:${key}`),
    saveDraft: (key, draft) => write(`draft:${key}`, draft),
    clearDraft: (key) => quiet(() => del(`draft:${key}`, db()), undefined),
    async loadOutbox() {
      const all = (await read<Partial<OutboxItem>[]>('outbox')) ?? [];
      const owned = all.filter(isOwned);
      if (owned.length < all.length) await write('outbox', owned);
      return owned;
    },
    saveOutbox: (items) => write('outbox', items),
    loadWho: (tokenKey) => read<number>(`who:${tokenKey}`),
    saveWho: (tokenKey, userId) => write(`who:${tokenKey}`, userId),
  };
}
