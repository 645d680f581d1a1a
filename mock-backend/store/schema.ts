// Rows of every table, and the column list both stores derive their layout from.
// Times are whole epoch seconds: the contract shows seconds, and expiry holds "to the second".

import type { ThreadEntryKind, ThreadSide, ThreadVia, TicketStatus } from '../../api/limits.ts';
import type {
  AccessLogAction,
  MemberKind,
  ProjectRole,
  SupportEvent,
  TicketContext,
  WebhookDeliveryStatus,
  WebhookEventType,
  WebhookFormat,
} from '../../api/types.ts';
import type { NewRequestJobFacts } from '../domain/emails.ts';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  mfaEnabled: boolean;
  isSuperAdmin: boolean;
  /** SHA-256 (hex) of the user's Manage API token: the token itself is never stored. */
  tokenHash: string | null;
  created: number;
}
export interface MaintainerRow {
  id: number;
  name: string;
  supportEmail: string | null;
}
export interface MaintainerMemberRow {
  id: number;
  maintainerId: number;
  userId: number;
}
export interface OrganizationRow {
  id: number;
  name: string;
  created: number;
  maintainerId: number;
  allowAutoJoin: boolean;
  mfaRequired: boolean;
}
export interface OrganizationMemberRow {
  id: number;
  organizationId: number;
  userId: number;
  created: number;
  invitorId: number | null;
}
export interface OrganizationInvitationRow {
  id: number;
  organizationId: number;
  userId: number;
  creatorId: number;
  created: number;
  expires: number | null;
}
export interface ProjectRow {
  id: number;
  name: string;
  created: number;
  organizationId: number;
  usersLimit: number | null;
  /** Soft delete: the time it was deleted, or null. */
  deleted: number | null;
}
export interface ProjectMemberRow {
  id: number;
  projectId: number;
  userId: number;
  role: ProjectRole;
  kind: MemberKind;
  reason: string | null;
  created: number;
  expires: number | null;
  invitorId: number | null;
  approverId: number | null;
  /** Set once the "expiring soon" event went out, so it goes out once. */
  expiringNotified: boolean;
  /** The grant it was made from (access for a ticket), which ends it when withdrawn; else null. */
  grantId: number | null;
  /**
   * The ticket it was made for (a grant's, or an approved request's made for a ticket): its report
   * goes into that ticket's thread when it ends. Else null.
   */
  ticketId: number | null;
}
export type JoinRequestStatus = 'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired';
export interface JoinRequestRow {
  id: number;
  projectId: number;
  userId: number;
  reason: string | null;
  created: number;
  expires: number | null;
  status: JoinRequestStatus;
  decidedBy: number | null;
  decided: number | null;
  /**
   * How long the membership lasts once approved, as asked (the membership runs from the approval);
   * null on a request made before it was stored, whose duration is `expires - created`.
   */
  durationSeconds: number | null;
  /** The ticket the request was made for (it shows in that ticket's thread), or null. */
  ticketId: number | null;
}
export interface ProjectInvitationRow {
  id: number;
  projectId: number;
  userId: number;
  creatorId: number;
  role: ProjectRole;
  reason: string | null;
  created: number;
  expires: number | null;
}
export interface StorageTokenRow {
  id: number;
  projectId: number;
  userId: number;
  /** SHA-256 (hex) of the Storage token: shown once when made, never stored. */
  tokenHash: string;
  description: string;
  created: number;
  expires: number | null;
  /**
   * The membership that made it, when an outsider (support or maintainer) made it: the token lives
   * only as long as that very row (ids are never reused), however the membership ends. Null for a
   * token of the customer's own people, which outlives nothing but its own expiry.
   */
  membershipId: number | null;
}
export interface TicketRow {
  id: number;
  number: string;
  reporterId: number;
  idempotencyKey: string;
  created: number;
  subject: string;
  description: string;
  type: string;
  severity: string | null;
  projectId: number | null;
  routedTo: string;
  context: TicketContext;
  attachments: { name: string; type: string; size: number }[];
  status: TicketStatus;
  /** The staff user who took it, or null. */
  assigneeId: number | null;
  /** The newest thread entry's time (or the creation's): lists sort by it. */
  lastActivity: number;
  /** When it was last solved (the sweeper closes it 7 days later), else null. */
  solvedAt: number | null;
  /** The closed ticket this one follows up. */
  followsId: number | null;
  /** Messages in the thread from each side: with a reader's marks (ticketReads), their unread. */
  customerMessages: number;
  staffMessages: number;
}
/** A thread entry: a message, or what happened to the ticket. Stored once, whoever reads it. */
export interface TicketMessageRow {
  id: number;
  ticketId: number;
  created: number;
  kind: ThreadEntryKind;
  authorId: number | null;
  side: ThreadSide;
  via: ThreadVia;
  body: string;
  attachments: { name: string; type: string; size: number }[];
  status: TicketStatus | null;
  assigneeId: number | null;
  requestId: number | null;
  grantId: number | null;
  /** A reply's key (Idempotency-Key, or `email:` + Message-ID): once per ticket, author and key. */
  idempotencyKey: string | null;
  /** The ticket's customerMessages and staffMessages counts once this entry was in: read marks copy them. */
  customerCount: number;
  staffCount: number;
}
/** How far a user read a ticket's thread, with the side counts at that entry (for unread). */
export interface TicketReadRow {
  id: number;
  ticketId: number;
  userId: number;
  lastReadId: number;
  customerCount: number;
  staffCount: number;
}
/**
 * Access a decider of a ticket's project allowed for that ticket (issue 23): the ticket's staff may
 * join the project until `expires`, unless withdrawn. Bound to its ticket and project for good.
 */
export interface AccessGrantRow {
  id: number;
  ticketId: number;
  projectId: number;
  grantedBy: number;
  created: number;
  expires: number;
  withdrawn: number | null;
  withdrawnBy: number | null;
  /** Set once it ended (withdrawn, or expired and swept), so its end is logged and told once. */
  ended: boolean;
}
export interface AccessLogRow {
  id: number;
  projectId: number;
  created: number;
  action: AccessLogAction;
  actor: { id: number; name: string; email: string } | null;
  subject: { id: number; name: string; email: string } | null;
  reason: string | null;
  details: Record<string, string | number | boolean | null>;
}
/**
 * An event is stored once: for one user (`recipientId`), or for a project's audience (`projectId` +
 * `audience`), fanned out when read to whoever is in that audience at the time of reading.
 */
export type EventAudience = 'members' | 'deciders' | 'ticket';
export interface EventRow {
  id: number;
  recipientId: number | null;
  projectId: number | null;
  /**
   * `ticket`: everyone who may see the ticket `ticketId` (its project in `projectId`), judged when
   * read; its reporter, who always sees it, is the row's recipientId.
   */
  audience: EventAudience | null;
  ticketId: number | null;
  created: number;
  event: SupportEvent;
}
export interface OutboxRow {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The Reply-To header (a ticket's signed reply address), or null. */
  replyTo: string | null;
  created: number;
  /** The mail job it was expanded from, if any. */
  jobId: number | null;
  /** SMTP delivery state (wall-clock milliseconds): set once the server accepted the message. */
  smtpSentAt: number | null;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

/**
 * E-mails to many recipients as one job (a new join request to every member): the worker expands
 * it into outbox rows, `expanded` recipients at a time, so the change that queued it writes one row.
 */
export interface MailJobRow {
  id: number;
  created: number;
  template: 'newJoinRequest';
  facts: NewRequestJobFacts;
  recipients: string[];
  /** How many recipients already have their outbox row. */
  expanded: number;
  /** Every recipient has their row. */
  done: boolean;
  /** The newest outbox id when it was queued: where its e-mails sit in the outbox's order. */
  afterOutboxId: number;
}
/** How an outsider's membership ended, for its report. */
export type MembershipEndHow = 'expired' | 'left' | 'removed' | 'withdrawn';
/**
 * What support did (issue 23): one row per ended outsider membership (unique by membershipId, so a
 * membership is reported once, whichever instance noticed its end), a copy of what the report needs
 * (the membership row is gone by then), sent by the sweeper and then stamped `sent`.
 */
export interface ReportRow {
  id: number;
  membershipId: number;
  projectId: number;
  userId: number;
  kind: MemberKind;
  reason: string | null;
  /** When the membership began and ended. */
  started: number;
  ended: number;
  how: MembershipEndHow;
  /** Who ended it (the remover, the member who withdrew the grant); null for expiry. */
  endedBy: number | null;
  approverId: number | null;
  invitorId: number | null;
  /** The grant it came from (then its approver granted it), and the ticket it was for. */
  grantId: number | null;
  ticketId: number | null;
  /** When it was queued. */
  created: number;
  /** When its e-mails and thread entry were written; null while it waits. */
  sent: number | null;
}
/**
 * Secrets the server makes once and keeps (the key that signs reply-by-e-mail addresses): the same
 * after a restart and for every instance on one PostgreSQL database.
 */
export interface ServerSecretRow {
  id: number;
  name: string;
  /** Base64 of random bytes. */
  value: string;
}
/**
 * An organization's webhook endpoint. `secret` is the signing key (`whsec_` + base64), shown once
 * when made and kept only to sign. Times in seconds of the server's clock.
 */
export interface WebhookEndpointRow {
  id: number;
  organizationId: number;
  url: string;
  format: WebhookFormat;
  events: WebhookEventType[];
  secret: string;
  created: number;
  createdBy: number | null;
  /** When it was disabled (by hand, or failing for three days), else null. */
  disabled: number | null;
  /** The first failure since its last success, else null. */
  failingSince: number | null;
}
/**
 * One event for one endpoint: the durable queue the webhook worker delivers from. `payload` is the
 * exact body sent (every attempt sends the same bytes under the same `messageId`).
 */
export interface WebhookDeliveryRow {
  id: number;
  endpointId: number;
  organizationId: number;
  messageId: string;
  type: WebhookEventType | 'test';
  payload: string;
  created: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When it is due (pending only; a worker's claim pushes it past its lease), else null. */
  nextAttempt: number | null;
  lastAttempt: number | null;
  responseStatus: number | null;
  response: string | null;
  error: string | null;
}
export interface Tables {
  users: UserRow;
  maintainers: MaintainerRow;
  maintainerMembers: MaintainerMemberRow;
  organizations: OrganizationRow;
  organizationMembers: OrganizationMemberRow;
  organizationInvitations: OrganizationInvitationRow;
  projects: ProjectRow;
  projectMembers: ProjectMemberRow;
  joinRequests: JoinRequestRow;
  projectInvitations: ProjectInvitationRow;
  storageTokens: StorageTokenRow;
  tickets: TicketRow;
  ticketMessages: TicketMessageRow;
  ticketReads: TicketReadRow;
  accessGrants: AccessGrantRow;
  accessLog: AccessLogRow;
  events: EventRow;
  outbox: OutboxRow;
  mailJobs: MailJobRow;
  reports: ReportRow;
  serverSecrets: ServerSecretRow;
  webhookEndpoints: WebhookEndpointRow;
  webhookDeliveries: WebhookDeliveryRow;
}
export type TableName = keyof Tables;

export type ColumnType = 'int' | 'text' | 'bool' | 'json';
type Columns<R> = { [K in Exclude<keyof R, 'id'>]-?: ColumnType };

export interface TableDef<R> {
  columns: Columns<R>;
  /** Column groups to index in SQLite (the memory store scans). */
  indexes?: (keyof R & string)[][];
  unique?: (keyof R & string)[][];
}

export const SCHEMA: { [T in TableName]: TableDef<Tables[T]> } = {
  users: {
    columns: {
      email: 'text',
      name: 'text',
      mfaEnabled: 'bool',
      isSuperAdmin: 'bool',
      tokenHash: 'text',
      created: 'int',
    },
    unique: [['tokenHash'], ['email']],
  },
  maintainers: { columns: { name: 'text', supportEmail: 'text' } },
  maintainerMembers: {
    columns: { maintainerId: 'int', userId: 'int' },
    unique: [['userId', 'maintainerId']],
  },
  organizations: {
    columns: {
      name: 'text',
      created: 'int',
      maintainerId: 'int',
      allowAutoJoin: 'bool',
      mfaRequired: 'bool',
    },
  },
  organizationMembers: {
    columns: { organizationId: 'int', userId: 'int', created: 'int', invitorId: 'int' },
    unique: [['organizationId', 'userId']],
    indexes: [['userId']],
  },
  organizationInvitations: {
    columns: { organizationId: 'int', userId: 'int', creatorId: 'int', created: 'int', expires: 'int' },
    indexes: [['organizationId'], ['userId']],
  },
  projects: {
    columns: { name: 'text', created: 'int', organizationId: 'int', usersLimit: 'int', deleted: 'int' },
    indexes: [['organizationId']],
  },
  projectMembers: {
    columns: {
      projectId: 'int',
      userId: 'int',
      role: 'text',
      kind: 'text',
      reason: 'text',
      created: 'int',
      expires: 'int',
      invitorId: 'int',
      approverId: 'int',
      expiringNotified: 'bool',
      grantId: 'int',
      ticketId: 'int',
    },
    unique: [['projectId', 'userId']],
    // expires: the expiry timer reads only what is due; grantId: a withdrawal ends what it made.
    indexes: [['userId'], ['expires'], ['grantId']],
  },
  joinRequests: {
    columns: {
      projectId: 'int',
      userId: 'int',
      reason: 'text',
      created: 'int',
      expires: 'int',
      status: 'text',
      decidedBy: 'int',
      decided: 'int',
      durationSeconds: 'int',
      ticketId: 'int',
    },
    indexes: [
      ['projectId', 'status'],
      ['userId', 'status'],
      ['status', 'expires'],
    ],
  },
  projectInvitations: {
    columns: {
      projectId: 'int',
      userId: 'int',
      creatorId: 'int',
      role: 'text',
      reason: 'text',
      created: 'int',
      expires: 'int',
    },
    indexes: [['projectId'], ['userId'], ['expires']],
  },
  storageTokens: {
    columns: {
      projectId: 'int',
      userId: 'int',
      tokenHash: 'text',
      description: 'text',
      created: 'int',
      expires: 'int',
      membershipId: 'int',
    },
    // tokenHash: a token is looked up by its hash when used; projectId: the deciders' list;
    // membershipId: the tokens a membership's end takes with it; expires: the sweep.
    indexes: [['tokenHash'], ['projectId'], ['membershipId'], ['expires']],
  },
  tickets: {
    columns: {
      number: 'text',
      reporterId: 'int',
      idempotencyKey: 'text',
      created: 'int',
      subject: 'text',
      description: 'text',
      type: 'text',
      severity: 'text',
      projectId: 'int',
      routedTo: 'text',
      context: 'json',
      attachments: 'json',
      status: 'text',
      assigneeId: 'int',
      lastActivity: 'int',
      solvedAt: 'int',
      followsId: 'int',
      customerMessages: 'int',
      staffMessages: 'int',
    },
    unique: [['reporterId', 'idempotencyKey']],
    // Lists page by newest activity, of everything (support), a reporter's, a project's (deciders,
    // maintainer users) or an assignee's; solvedAt: the sweeper reads only what is due to close.
    indexes: [
      ['projectId', 'lastActivity'],
      ['lastActivity'],
      ['reporterId', 'lastActivity'],
      ['assigneeId', 'lastActivity'],
      ['solvedAt'],
    ],
  },
  ticketMessages: {
    columns: {
      ticketId: 'int',
      created: 'int',
      kind: 'text',
      authorId: 'int',
      side: 'text',
      via: 'text',
      body: 'text',
      attachments: 'json',
      status: 'text',
      assigneeId: 'int',
      requestId: 'int',
      grantId: 'int',
      idempotencyKey: 'text',
      customerCount: 'int',
      staffCount: 'int',
    },
    unique: [['ticketId', 'authorId', 'idempotencyKey']],
    // A thread pages by id within its ticket.
    indexes: [['ticketId', 'id']],
  },
  ticketReads: {
    columns: { ticketId: 'int', userId: 'int', lastReadId: 'int', customerCount: 'int', staffCount: 'int' },
    unique: [['ticketId', 'userId']],
    indexes: [['userId']],
  },
  accessGrants: {
    columns: {
      ticketId: 'int',
      projectId: 'int',
      grantedBy: 'int',
      created: 'int',
      expires: 'int',
      withdrawn: 'int',
      withdrawnBy: 'int',
      ended: 'bool',
    },
    // ticketId: a ticket's grants; projectId: a project's; (ended, expires): the sweep reads what is due.
    indexes: [['ticketId'], ['projectId'], ['ended', 'expires']],
  },
  accessLog: {
    columns: {
      projectId: 'int',
      created: 'int',
      action: 'text',
      actor: 'json',
      subject: 'json',
      reason: 'text',
      details: 'json',
    },
    // (projectId, action): the history filtered by action reads only that action's rows.
    indexes: [['projectId'], ['projectId', 'action']],
  },
  events: {
    columns: {
      recipientId: 'int',
      projectId: 'int',
      audience: 'text',
      created: 'int',
      event: 'json',
      ticketId: 'int',
    },
    // (audience, id): a support user reads every ticket event.
    indexes: [['recipientId'], ['projectId', 'audience'], ['created'], ['audience', 'id']],
  },
  outbox: {
    columns: {
      to: 'text',
      subject: 'text',
      text: 'text',
      html: 'text',
      created: 'int',
      jobId: 'int',
      smtpSentAt: 'int',
      attempts: 'int',
      nextAttemptAt: 'int',
      lastError: 'text',
      replyTo: 'text',
    },
    // (smtpSentAt, nextAttemptAt): the mail worker's claim (unsent and due, soonest first) and the
    // retention sweep (sent long ago) both read only what they take.
    indexes: [['smtpSentAt', 'nextAttemptAt'], ['jobId']],
  },
  mailJobs: {
    columns: {
      created: 'int',
      template: 'text',
      facts: 'json',
      recipients: 'json',
      expanded: 'int',
      done: 'bool',
      afterOutboxId: 'int',
    },
    indexes: [['done'], ['created']],
  },
  reports: {
    columns: {
      membershipId: 'int',
      projectId: 'int',
      userId: 'int',
      kind: 'text',
      reason: 'text',
      started: 'int',
      ended: 'int',
      how: 'text',
      endedBy: 'int',
      approverId: 'int',
      invitorId: 'int',
      grantId: 'int',
      ticketId: 'int',
      created: 'int',
      sent: 'int',
    },
    // membershipId: one report per membership; sent: the sweeper reads only those waiting.
    unique: [['membershipId']],
    indexes: [['sent']],
  },
  serverSecrets: { columns: { name: 'text', value: 'text' }, unique: [['name']] },
  webhookEndpoints: {
    columns: {
      organizationId: 'int',
      url: 'text',
      format: 'text',
      events: 'json',
      secret: 'text',
      created: 'int',
      createdBy: 'int',
      disabled: 'int',
      failingSince: 'int',
    },
    indexes: [['organizationId']],
  },
  webhookDeliveries: {
    columns: {
      endpointId: 'int',
      organizationId: 'int',
      messageId: 'text',
      type: 'text',
      payload: 'text',
      created: 'int',
      status: 'text',
      attempts: 'int',
      nextAttempt: 'int',
      lastAttempt: 'int',
      responseStatus: 'int',
      response: 'text',
      error: 'text',
    },
    // (status, nextAttempt): the worker's claim reads only what is due; (status, lastAttempt): the
    // retention sweep; endpointId: the panel's list.
    indexes: [['status', 'nextAttempt'], ['status', 'lastAttempt'], ['endpointId']],
  },
};

export const TABLE_NAMES = Object.keys(SCHEMA) as TableName[];
