// Drafts (one per project) and the outbox, in IndexedDB through idb-keyval: a database of our own
// ("support-kit"), so a host page using idb-keyval's default store never sees our keys.
import { createStore, del, get, set } from 'idb-keyval';
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
}

export interface WidgetStorage {
  loadDraft(project: string): Promise<DraftData | undefined>;
  saveDraft(project: string, draft: DraftData): Promise<void>;
  clearDraft(project: string): Promise<void>;
  loadOutbox(): Promise<OutboxItem[]>;
  saveOutbox(items: OutboxItem[]): Promise<void>;
}

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
  return {
    loadDraft: (project) => quiet(() => get<DraftData>(`draft:${project}`, db()), undefined),
    saveDraft: (project, draft) => quiet(() => set(`draft:${project}`, draft, db()), undefined),
    clearDraft: (project) => quiet(() => del(`draft:${project}`, db()), undefined),
    loadOutbox: () => quiet(async () => (await get<OutboxItem[]>('outbox', db())) ?? [], []),
    saveOutbox: (items) => quiet(() => set('outbox', items, db()), undefined),
  };
}
