// The extension's cache (IndexedDB via Dexie): the popup paints from it at once, the worker keeps it
// current. Shared by the popup, side panel and worker (same extension origin). Every record names its
// stack (the stack's URL) and is keyed by it too: project 100 on one stack is not project 100 on another.
import { Dexie, type EntityTable, type Table } from 'dexie';
import type { Ticket, TicketAttachmentInput, TicketMessage, TicketStatus, UserRef } from '../api/types.ts';
import { getSettings } from './settings.ts';

export interface CachedProject {
  stack: string;
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
  stack: string;
  id: number;
  projectId: number;
  projectName: string;
  reason: string | null;
  created: string;
  /** When the requested access would end (ISO), or null. */
  expires: string | null;
  /** This machine's time when the extension first saw it (ms): the countdown's cap counts from it. */
  seenAt?: number;
  status: RequestStatus;
  /** When the status last changed (ms). */
  updatedAt: number;
}

export type AccessStatus = 'active' | 'expired' | 'left' | 'ended';

/** A membership this user got through the extension (joined or approved). Keyed by project. */
export interface TrackedAccess {
  stack: string;
  projectId: number;
  projectName: string;
  reason: string | null;
  expires: string | null;
  /** The membership's start (the server's, ISO), when known: with `expires`, what was granted. */
  created?: string | null;
  /** This machine's time when the extension first saw it (ms): the countdown's cap counts from it. */
  seenAt?: number;
  /** `grant`: joined with a customer's grant for a ticket (issue 23). */
  via: 'joined' | 'approved' | 'grant';
  status: AccessStatus;
  updatedAt: number;
  /** The "ending in 15 minutes" notification was raised for this expiry. */
  warnedFor: string | null;
}

export interface CachedTicket {
  stack: string;
  id: number;
  number: string;
  subject: string;
  created: string;
  projectId: number | null;
  projectName: string | null;
  reporterName: string;
  routedTo: string;
  status: TicketStatus;
  assignee: UserRef | null;
  /** Lists sort by it, newest first. */
  lastActivity: string;
  /** Messages from the customer side this user has not read. */
  unread: number;
  messages: number;
  description: string;
  context: Ticket['context'];
  attachments: Ticket['attachments'];
  /** The `lastActivity` a customer reply was last notified for: the stream and the poll notify once. */
  notifiedFor?: string;
  /**
   * The thread was read in full up to this entry: the next open asks only for what came after. The
   * stream's entries do not move it (a thread never opened may hold one entry of the stream, not all).
   */
  threadReadTo?: number;
}

/** One entry of a ticket's thread, as the server sent it (kept so a thread opens at once and live). */
export interface CachedEntry extends TicketMessage {
  stack: string;
}

/** A reply being typed: kept per stack, user and ticket until it is sent. */
export interface ReplyDraft {
  stack: string;
  userId: number;
  ticketId: number;
  body: string;
  attachments?: TicketAttachmentInput[];
  /** The Idempotency-Key of its sending: a retry after a lost answer is not a second message. */
  key: string;
  updatedAt: number;
}

export type NoticeKind = 'approved' | 'rejected' | 'expired' | 'expiring' | 'joined' | 'ended' | 'withdrawn';

/** Every notification raised, newest last (what the user was told, and when). */
export interface Notice {
  id?: number;
  /** `reply`: a customer answered a ticket assigned to this user (its `projectId` is 0 without a project). */
  kind: NoticeKind | 'reply';
  /** Empty for notices raised before the extension held several stacks. */
  stack?: string;
  projectId: number;
  title: string;
  message: string;
  at: number;
}

export interface SyncMeta {
  /** `sync:<stack URL>`: one per stack. */
  key: string;
  stack: string;
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

/** The stack of records written before version 2 (one stack only); see `adoptLegacyRecords`. */
export const LEGACY_STACK = '';

export class SupportKitDb extends Dexie {
  projects: Table<CachedProject, [string, number]>;
  requests: Table<TrackedRequest, [string, number]>;
  accesses: Table<TrackedAccess, [string, number]>;
  tickets: Table<CachedTicket, [string, number]>;
  entries: Table<CachedEntry, [string, number, number]>;
  drafts: Table<ReplyDraft, [string, number, number]>;
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
    // 2: several stacks. IndexedDB cannot change a primary key, so the keyed-by-stack tables are new
    // ones; requests and accesses move over (only this extension knows them), the caches are refetched.
    this.version(2)
      .stores({
        projects: null,
        requests: null,
        accesses: null,
        tickets: null,
        stackProjects: '[stack+id]',
        stackRequests: '[stack+id], stack, status, [stack+status]',
        stackAccesses: '[stack+projectId], stack, status, [stack+status]',
        stackTickets: '[stack+id], stack',
        notices: '++id, at',
        meta: 'key',
      })
      .upgrade(async (tx) => {
        const legacy = <T>(rows: T[]) => rows.map((r) => ({ ...r, stack: LEGACY_STACK }));
        await tx.table('stackRequests').bulkPut(legacy(await tx.table('requests').toArray()));
        await tx.table('stackAccesses').bulkPut(legacy(await tx.table('accesses').toArray()));
        await tx.table('meta').clear();
      });
    // 3: ticket conversations (status, assignee, thread entries, reply drafts). The tickets' cache
    // lacks the new fields: it goes, and is read again.
    this.version(3)
      .stores({
        stackTickets: '[stack+id], stack',
        ticketEntries: '[stack+ticketId+id], [stack+ticketId], stack',
        replyDrafts: '[stack+userId+ticketId], stack',
      })
      .upgrade((tx) => tx.table('stackTickets').clear());
    this.projects = this.table('stackProjects');
    this.requests = this.table('stackRequests');
    this.accesses = this.table('stackAccesses');
    this.tickets = this.table('stackTickets');
    this.entries = this.table('ticketEntries');
    this.drafts = this.table('replyDrafts');
    // Records from the one-stack days belong to the stack the settings migration kept. The settings
    // live in extension storage, which an IndexedDB upgrade cannot wait for: done once the db is open.
    this.on('ready', (vip) => adoptLegacyRecords(vip as SupportKitDb));
  }
}

async function adoptLegacyRecords(vip: SupportKitDb): Promise<void> {
  const requests = vip.table<TrackedRequest>('stackRequests');
  const accesses = vip.table<TrackedAccess>('stackAccesses');
  const [r, a] = await Promise.all([
    requests.where('stack').equals(LEGACY_STACK).toArray(),
    accesses.where('stack').equals(LEGACY_STACK).toArray(),
  ]);
  if (!r.length && !a.length) return;
  const stack = (await getSettings()).stacks[0]?.url;
  await vip.transaction('rw', [requests, accesses], async () => {
    await requests.where('stack').equals(LEGACY_STACK).delete();
    await accesses.where('stack').equals(LEGACY_STACK).delete();
    // No stack kept (none was set up): the records cannot be followed anywhere, so they go.
    if (!stack) return;
    await requests.bulkPut(r.map((x) => ({ ...x, stack })));
    await accesses.bulkPut(a.map((x) => ({ ...x, stack })));
  });
}

export const db = new SupportKitDb();

const metaKey = (stack: string) => `sync:${stack}`;

export async function getSyncMeta(stack: string): Promise<SyncMeta> {
  return (
    (await db.meta.get(metaKey(stack))) ?? {
      key: metaKey(stack),
      stack,
      at: 0,
      error: null,
      ticketsAt: 0,
    }
  );
}

/**
 * Changes some fields of a stack's sync state, keeping the others. Read and write are one transaction:
 * the worker, the popup and the options page patch the same row at once (a sync's time beside the
 * clock's offset beside the tickets' time), and a read-then-write outside one lost the other's field.
 * `when` sees the stored state and may decline (answer false) to write at all.
 */
export async function patchSyncMeta(
  stack: string,
  patch: Partial<Omit<SyncMeta, 'key' | 'stack'>>,
  when: (stored: SyncMeta) => boolean = () => true,
): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const stored = await getSyncMeta(stack);
    if (when(stored)) await db.meta.put({ ...stored, ...patch });
  });
}

/** Every stack's sync state (the popup shows a refused token or stale data per stack). */
export function allSyncMeta(): Promise<SyncMeta[]> {
  return db.meta.where('key').startsWith('sync:').toArray();
}

/** Requests pending on every stack: the badge's number. */
export function pendingCount(): Promise<number> {
  return db.requests.where('status').equals('pending').count();
}

/** Forget what is cached for one stack: it was removed, or now holds another account's token. */
export async function clearStack(stack: string): Promise<void> {
  const tables = [
    db.projects,
    db.requests,
    db.accesses,
    db.tickets,
    db.entries,
    db.drafts,
    db.notices,
    db.meta,
  ];
  await db.transaction('rw', tables, () =>
    Promise.all([
      db.projects.where('[stack+id]').between([stack, Dexie.minKey], [stack, Dexie.maxKey]).delete(),
      db.requests.where('stack').equals(stack).delete(),
      db.accesses.where('stack').equals(stack).delete(),
      db.tickets.where('stack').equals(stack).delete(),
      db.entries.where('stack').equals(stack).delete(),
      db.drafts.where('stack').equals(stack).delete(),
      db.notices.filter((n) => n.stack === stack).delete(),
      db.meta.delete(metaKey(stack)),
    ]),
  );
}

/** Forget everything cached. */
export async function clearCache(): Promise<void> {
  const tables = [
    db.projects,
    db.requests,
    db.accesses,
    db.tickets,
    db.entries,
    db.drafts,
    db.notices,
    db.meta,
  ];
  await db.transaction('rw', tables, () =>
    Promise.all([
      db.projects.clear(),
      db.requests.clear(),
      db.accesses.clear(),
      db.tickets.clear(),
      db.entries.clear(),
      db.drafts.clear(),
      db.notices.clear(),
      db.meta.clear(),
    ]),
  );
}
