// The extension's cache (IndexedDB via Dexie): the popup paints from it at once, the worker keeps it
// current. Shared by the popup, side panel and worker (same extension origin).
import { Dexie, type EntityTable } from 'dexie';

export interface CachedProject {
  id: number;
  name: string;
  organizationId: number;
  organizationName: string;
  /** null when the organization could not be read. */
  allowAutoJoin: boolean | null;
  fetchedAt: number;
}

export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

/** A join request this user sent (tracked from creation to its outcome). */
export interface TrackedRequest {
  id: number;
  projectId: number;
  projectName: string;
  reason: string | null;
  created: string;
  /** When the requested access would end (ISO), or null. */
  expires: string | null;
  status: RequestStatus;
  /** When the status last changed (ms). */
  updatedAt: number;
}

export type AccessStatus = 'active' | 'expired' | 'left' | 'ended';

/** A membership this user got through the extension (joined or approved). Keyed by project. */
export interface TrackedAccess {
  projectId: number;
  projectName: string;
  reason: string | null;
  expires: string | null;
  via: 'joined' | 'approved';
  status: AccessStatus;
  updatedAt: number;
  /** The "ending in 15 minutes" notification was raised for this expiry. */
  warnedFor: string | null;
}

export interface CachedTicket {
  id: number;
  number: string;
  subject: string;
  created: string;
  projectId: number | null;
  projectName: string | null;
  reporterName: string;
  routedTo: string;
}

export type NoticeKind = 'approved' | 'rejected' | 'expired' | 'expiring' | 'joined' | 'ended';

/** Every notification raised, newest last (what the user was told, and when). */
export interface Notice {
  id?: number;
  kind: NoticeKind;
  projectId: number;
  title: string;
  message: string;
  at: number;
}

export interface SyncMeta {
  key: 'sync';
  /** Last successful sync with the server (ms), 0 when never. */
  at: number;
  /** Last failure, when the latest attempt failed. */
  error: string | null;
  ticketsAt: number;
  /** Server minus local time (ms), from the responses' `Date`: countdowns count from the server. */
  clockOffsetMs?: number;
  /** The stack refused the token (401): it expired or was revoked. Cleared by the next good sync. */
  tokenRefused?: boolean;
}

export class SupportKitDb extends Dexie {
  declare projects: EntityTable<CachedProject, 'id'>;
  declare requests: EntityTable<TrackedRequest, 'id'>;
  declare accesses: EntityTable<TrackedAccess, 'projectId'>;
  declare tickets: EntityTable<CachedTicket, 'id'>;
  declare notices: EntityTable<Notice, 'id'>;
  declare meta: EntityTable<SyncMeta, 'key'>;

  constructor(name = 'support-kit') {
    super(name);
    this.version(1).stores({
      projects: 'id',
      requests: 'id, projectId, status',
      accesses: 'projectId, status',
      tickets: 'id',
      notices: '++id, at',
      meta: 'key',
    });
  }
}

export const db = new SupportKitDb();

export async function getSyncMeta(): Promise<SyncMeta> {
  return (await db.meta.get('sync')) ?? { key: 'sync', at: 0, error: null, ticketsAt: 0 };
}

export async function patchSyncMeta(patch: Partial<Omit<SyncMeta, 'key'>>): Promise<void> {
  await db.meta.put({ ...(await getSyncMeta()), ...patch });
}

/** Forget everything cached: a different account or stack was configured. */
export async function clearCache(): Promise<void> {
  await db.transaction('rw', [db.projects, db.requests, db.accesses, db.tickets, db.notices, db.meta], () =>
    Promise.all([
      db.projects.clear(),
      db.requests.clear(),
      db.accesses.clear(),
      db.tickets.clear(),
      db.notices.clear(),
      db.meta.clear(),
    ]),
  );
}
