// Every message between the UI (popup, side panel, options) and the background worker: one typed map,
// one function to call it. The worker implements `Handlers` in handlers.ts.

import type { AccessGrant, TicketAttachmentInput, TicketMessage, UserRef } from '../api/types.ts';
import { browser, isContextInvalidated } from './browser.ts';
import type { CachedProject, TrackedRequest } from './db.ts';
import type { InboxView } from './inbox.ts';

export interface UserError {
  code: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: UserError };

export type AccountKind = 'support' | 'maybeMaintainer';

export interface SaveSettingsOutcome {
  kind: AccountKind;
  userName: string;
  email: string;
  warning: string | null;
}

export type AccessOutcome =
  | {
      kind: 'joined';
      stack: string;
      projectId: number;
      projectName: string;
      expires: string | null;
      /** The membership's start (the server's) and when the worker saw it: the "until" is capped by them. */
      created: string | null;
      seenAt: number;
      why: string;
    }
  | { kind: 'requested'; request: TrackedRequest; why: string };

export interface SyncSummary {
  pending: number;
  active: number;
  changes: number;
}

export interface TicketsSummary {
  count: number;
  /** A stack listed a full page: older tickets of the view are not shown. */
  cut?: boolean;
  /** One message per stack whose tickets could not be read (the others' are shown). */
  problems: string[];
  /** Stacks that have no tickets endpoint (Keboola's own): said, not as an error. */
  notes: string[];
}

/** Every message that acts on a project names its stack (the stack's URL, as in the settings). */
export interface Messages {
  /**
   * Verify the token with tokens/verify and store it when the account may be used: adds the stack,
   * or replaces the token of a stack already set up.
   */
  saveSettings: { input: { backendUrl: string; token: string }; output: SaveSettingsOutcome };
  /** Verify a saved stack's token again (it may have expired or been revoked). */
  verifyStack: { input: { stack: string }; output: SaveSettingsOutcome };
  /** Forget a stack: its token and everything cached of it. */
  removeStack: { input: { stack: string }; output: null };
  /** Project name, organization and its Auto Join (cached, with a max age). */
  lookupProject: { input: { stack: string; projectId: number; maxAgeMs?: number }; output: CachedProject };
  /** Join when Auto Join allows it, otherwise request access. */
  getAccess: {
    /** `ticketId`: the ticket the access is for (from "Request access for this ticket"). */
    input: { stack: string; projectId: number; reason: string; expirationSeconds: number; ticketId?: number };
    output: AccessOutcome;
  };
  cancelRequest: { input: { stack: string; requestId: number }; output: null };
  /** The active grants (access for a ticket) of a project that this user may use. */
  listGrants: { input: { stack: string; projectId: number }; output: AccessGrant[] };
  /** Join a project with a customer's grant for a ticket: no reason asked, the grant sets the end. */
  joinWithGrant: { input: { stack: string; grant: AccessGrant }; output: AccessOutcome };
  leaveProject: { input: { stack: string; projectId: number }; output: null };
  /** Bring requests and accesses of every stack up to date now. */
  refresh: { input: Record<string, never>; output: SyncSummary };
  /** The tickets of one inbox view (default all) on every stack, into the cache. */
  refreshTickets: { input: { view?: InboxView }; output: TicketsSummary };
  /** A ticket and its thread into the cache; `live`: its stack's stream is open (else the thread polls). */
  openThread: { input: { stack: string; ticketId: number }; output: { live: boolean } };
  sendReply: {
    input: {
      stack: string;
      ticketId: number;
      body: string;
      attachments: TicketAttachmentInput[];
      key: string;
    };
    output: TicketMessage;
  };
  /** Status and assignee (null: unassigned). */
  updateTicket: {
    input: {
      stack: string;
      ticketId: number;
      status?: 'open' | 'waiting' | 'solved';
      assigneeId?: number | null;
    };
    output: null;
  };
  listAssignees: { input: { stack: string; ticketId: number }; output: UserRef[] };
  markRead: { input: { stack: string; ticketId: number; messageId: number }; output: null };
  openProject: { input: { stack: string; projectId: number }; output: null };
  /** Open the options with the add-a-stack form filled with this URL. */
  openOptionsToAdd: { input: { url: string }; output: null };
}

export type MessageType = keyof Messages;
export type Input<K extends MessageType> = Messages[K]['input'];
export type Output<K extends MessageType> = Messages[K]['output'];

export type Handlers = { [K in MessageType]: (input: Input<K>) => Promise<Result<Output<K>>> };

export type Message = { [K in MessageType]: { type: K; input: Input<K> } }[MessageType];

export const MESSAGE_TYPES: readonly MessageType[] = [
  'saveSettings',
  'verifyStack',
  'removeStack',
  'lookupProject',
  'getAccess',
  'cancelRequest',
  'listGrants',
  'joinWithGrant',
  'leaveProject',
  'refresh',
  'refreshTickets',
  'openThread',
  'sendReply',
  'updateTicket',
  'listAssignees',
  'markRead',
  'openProject',
  'openOptionsToAdd',
];

export function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; input?: unknown };
  return (
    typeof v.type === 'string' &&
    (MESSAGE_TYPES as readonly string[]).includes(v.type) &&
    typeof v.input === 'object' &&
    v.input !== null
  );
}

export function fail(code: string, message: string): { ok: false; error: UserError } {
  return { ok: false, error: { code, message } };
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** The one way the UI talks to the worker. Never throws: a dead worker is a typed error too. */
export async function callWorker<K extends MessageType>(
  type: K,
  input: Input<K>,
): Promise<Result<Output<K>>> {
  try {
    const answer: unknown = await browser.runtime.sendMessage({ type, input });
    if (typeof answer === 'object' && answer !== null && 'ok' in answer) return answer as Result<Output<K>>;
    return fail('noAnswer', 'The extension did not answer. Close and reopen this window.');
  } catch (error) {
    if (isContextInvalidated(error))
      return fail(
        'contextInvalidated',
        'The extension was updated or reloaded. Close and reopen this window.',
      );
    return fail('internal', error instanceof Error ? error.message : String(error));
  }
}

/** Name of the port the UI keeps open so the worker streams live events meanwhile. */
export const LIVE_PORT = 'support-kit-live';

/** Where the next popup or side panel opens a thread: a reply notification was clicked (storage key). */
export const OPEN_TICKET_KEY = 'openTicket';
/** How long after the click the next open still goes to that thread. */
export const OPEN_TICKET_MS = 10 * 60_000;
