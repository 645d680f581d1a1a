// The contract of docs/api.md: every object, request body and error, once.
// The mock backend, the widget and the extension all import these types.

/** ISO-8601 with offset, e.g. `2026-11-27T10:50:00+0000`. */
export type Timestamp = string;

export type ProjectRole = 'admin' | 'share' | 'guest' | 'readOnly';
export const PROJECT_ROLES: readonly ProjectRole[] = ['admin', 'guest', 'readOnly', 'share'];
/**
 * A role as read from a stack: ours, Keboola's roles of projects with a protected default branch
 * (`developer`, `reviewer`, `productionManager`), or any other name a stack sends (shown as it is).
 */
export type AnyProjectRole = ProjectRole | 'developer' | 'reviewer' | 'productionManager' | (string & {});

/** How a member relates to the project: support and maintainer members never count towards the limit. */
export const MEMBER_KINDS = ['member', 'support', 'maintainer'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

export interface UserRef {
  id: number;
  name: string;
  email: string;
}

export interface IdName {
  id: number;
  name: string;
}

export interface User {
  id: number;
  name: string;
  email: string;
  mfaEnabled: boolean;
  isSuperAdmin: boolean;
  features: string[];
}

export interface TokenVerification {
  id: number;
  description: string;
  /** Null for a token without a user (Keboola's application tokens): it cannot act as anyone. */
  user: User | null;
}

export interface Organization {
  id: number;
  name: string;
  created: Timestamp;
  allowAutoJoin: boolean;
  mfaRequired: boolean;
  /** Null when the stack does not say (Keboola's PATCH answer has no maintainer). */
  maintainer: IdName | null;
}

export interface Project {
  id: number;
  name: string;
  created: Timestamp;
  organization: IdName;
  limits: { users: number | null };
  /** Counts members of kind "member" only. */
  usage: { users: number };
}

export interface ProjectUser {
  id: number;
  name: string;
  email: string;
  mfaEnabled: boolean;
  created: Timestamp;
  expires: Timestamp | null;
  reason: string | null;
  role: AnyProjectRole;
  status: 'active';
  invitor: UserRef | null;
  approver: UserRef | null;
  kind: MemberKind;
}

/** A join request as the project's users see it. */
export interface ProjectJoinRequest {
  id: number;
  created: Timestamp;
  expires: Timestamp | null;
  reason: string | null;
  user: UserRef;
}

/** A join request as its requester sees it. */
export interface MyJoinRequest {
  id: number;
  created: Timestamp;
  expires: Timestamp | null;
  reason: string | null;
  project: IdName;
}

export interface ProjectInvitation {
  id: number;
  created: Timestamp;
  expires: Timestamp | null;
  reason: string | null;
  role: AnyProjectRole;
  user: UserRef;
  creator: UserRef;
}

export interface MyProjectInvitation {
  id: number;
  created: Timestamp;
  expires: Timestamp | null;
  reason: string | null;
  role: AnyProjectRole;
  project: IdName;
  creator: UserRef;
}

export interface OrganizationUser {
  id: number;
  name: string;
  email: string;
  mfaEnabled: boolean;
  created: Timestamp;
  invitor: UserRef | null;
}

export interface OrganizationInvitation {
  id: number;
  created: Timestamp;
  expires: Timestamp | null;
  user: UserRef;
  creator: UserRef;
}

export interface MyOrganizationInvitation {
  id: number;
  created: Timestamp;
  expires: Timestamp | null;
  organization: IdName;
  creator: UserRef;
}

export interface StorageToken {
  id: number;
  token: string;
  description: string;
  created: Timestamp;
  expires: Timestamp | null;
}

/**
 * A live Storage token made by a support or maintainer member, as the project's deciders list it
 * (ours): who made it and until when, never the token itself. It lives only as long as the
 * membership that made it (`kind` is that membership's).
 */
export interface OutsiderStorageToken {
  id: number;
  description: string;
  created: Timestamp;
  expires: Timestamp | null;
  user: UserRef;
  kind: MemberKind;
}

// ---- Request bodies -------------------------------------------------------------------------------

/** Booleans in request bodies accept true/false and 0/1. */
export type BoolInput = boolean | 0 | 1;

export interface JoinProjectBody {
  reason?: string;
  expirationSeconds?: number;
}
export type RequestAccessBody = JoinProjectBody;

export interface AddProjectUserBody {
  email: string;
  role?: ProjectRole;
  reason?: string;
  expirationSeconds?: number;
}
export type CreateProjectInvitationBody = AddProjectUserBody;

export interface UpdateProjectUserBody {
  role: ProjectRole;
}

export interface UpdateOrganizationBody {
  name?: string;
  allowAutoJoin?: BoolInput;
  mfaRequired?: BoolInput;
}

export interface EmailBody {
  email: string;
}

export interface CreateProjectBody {
  name: string;
}

export interface CreateStorageTokenBody {
  description: string;
  expiresIn?: number;
}

// ---- Our extensions: support tickets --------------------------------------------------------------

export type TicketType = 'question' | 'problem' | 'incident';
export const TICKET_TYPES: readonly TicketType[] = ['question', 'problem', 'incident'];
export type TicketSeverity = 'low' | 'normal' | 'high' | 'critical';
export const TICKET_SEVERITIES: readonly TicketSeverity[] = ['low', 'normal', 'high', 'critical'];

// ---- Limits ----------------------------------------------------------------------------------------
// The numbers of the contract, in one place: the backend enforces them, the widget and the extension
// check them before sending, and the OpenAPI document (mock-backend/openapi.ts) states them. Plain
// constants, so a bundle keeps only those it reads. docs/api.md#limits lists them.

/** Reasons and how long access lasts (docs/rules.md#reasons, docs/rules.md#expiry). */
export const ACCESS_LIMITS = {
  /** A reason's length in characters (code points). */
  reasonMax: 1000,
  /** A support or maintainer user's access when they ask for no expiry: 48 hours. */
  outsiderDefaultSeconds: 48 * 3600,
  /** The longest a support or maintainer user's access may last: 7 days. */
  outsiderMaxSeconds: 7 * 24 * 3600,
  /** The longest `expirationSeconds` or `expiresIn` anyone may ask for: ten years (longer is a mistake, not a plan). */
  expirationMaxSeconds: 10 * 365 * 24 * 3600,
} as const;

/** Tickets: checked by the widget before sending and enforced by the backend. */
export const TICKET_LIMITS = {
  subjectMax: 200,
  descriptionMax: 20_000,
  attachmentsMax: 3,
  attachmentBytesMax: 1_048_576,
} as const;

/** Request bodies in bytes, counted while they stream in (413 beyond). */
export const BODY_LIMITS = {
  default: 64 * 1024,
  /** Room for the attachments (three of 1 MiB, as base64 4/3 of that) plus the text. */
  ticket: 5 * 1024 * 1024,
  /** The test reset's fixture. */
  fixture: 32 * 1024 * 1024,
} as const;

/** Paging of our lists (tickets, the access log); Keboola's lists are not paged. */
export const PAGE_LIMITS = { default: 100, max: 1000 } as const;

/** The server error a ticket was filed about, as the host app saw it. */
export interface ErrorContext {
  message: string;
  exceptionId?: string;
  status?: number;
  requestId?: string;
  url?: string;
}

/** Captured automatically by the widget and shown to the user before sending. */
export interface TicketContext {
  pageUrl?: string;
  browser?: string;
  viewport?: string;
  locale?: string;
  appVersion?: string;
  error?: ErrorContext;
}

export interface TicketAttachmentInput {
  name: string;
  type: string;
  /** Base64 of the file's bytes. */
  data: string;
}

export interface TicketAttachment {
  name: string;
  type: string;
  size: number;
}

export interface CreateTicketBody {
  subject: string;
  description: string;
  type: TicketType;
  severity?: TicketSeverity;
  projectId?: number;
  context?: TicketContext;
  attachments?: TicketAttachmentInput[];
}

export interface Ticket {
  id: number;
  /** Human-facing number, e.g. "SK-1001". */
  number: string;
  created: Timestamp;
  subject: string;
  description: string;
  type: TicketType;
  severity: TicketSeverity | null;
  project: IdName | null;
  reporter: UserRef;
  /** Where the ticket was e-mailed: the maintainer's support address or vendor support. */
  routedTo: string;
  context: TicketContext;
  attachments: TicketAttachment[];
}

// ---- Our extensions: access history ---------------------------------------------------------------

/** Every action the access history records (the `action` filter of the access log takes these). */
export const ACCESS_LOG_ACTIONS = [
  'requested',
  'joined',
  'approved',
  'rejected',
  'cancelled',
  'expired',
  'left',
  'removed',
  'roleChanged',
  'added',
  'autoJoinChanged',
  'invited',
  'invitationCancelled',
  'invitationAccepted',
  'invitationDeclined',
  // A support or maintainer user joining or leaving the project's organization (logged on each of
  // its projects), a Storage token made by one or revoked by a decider, and the project's deletion.
  'organizationJoined',
  'organizationLeft',
  'storageTokenCreated',
  'storageTokenRevoked',
  'projectDeleted',
] as const;
export type AccessLogAction = (typeof ACCESS_LOG_ACTIONS)[number];

export interface AccessLogEntry {
  id: number;
  created: Timestamp;
  action: AccessLogAction;
  actor: UserRef | null;
  subject: UserRef | null;
  reason: string | null;
  /** Extra facts of the action, e.g. `{ allowAutoJoin: false }` or `{ role: "guest" }`. */
  details: Record<string, string | number | boolean | null>;
}

export interface PageQuery {
  offset?: number;
  limit?: number;
}

/** The access history's page, optionally only the entries of one action. */
export interface AccessLogQuery extends PageQuery {
  action?: AccessLogAction;
}

// ---- Our extensions: live events (Server-Sent Events) ---------------------------------------------

export type JoinRequestOutcome = 'approved' | 'rejected' | 'cancelled' | 'expired';

export type SupportEvent =
  | { type: 'joinRequest.created'; project: IdName; request: ProjectJoinRequest }
  | {
      type: 'joinRequest.decided';
      project: IdName;
      requestId: number;
      user: UserRef;
      outcome: JoinRequestOutcome;
      by: UserRef | null;
    }
  | { type: 'membership.expiring'; project: IdName; user: UserRef; expires: Timestamp }
  | { type: 'membership.expired'; project: IdName; user: UserRef }
  | { type: 'membership.changed'; project: IdName; user: UserRef }
  | { type: 'organization.autoJoinChanged'; organization: IdName; allowAutoJoin: boolean; by: UserRef };

/** One event as delivered: `id` is what a reconnecting client sends back as `Last-Event-ID`. */
export interface SupportEventEnvelope {
  id: number;
  created: Timestamp;
  event: SupportEvent;
}

// ---- Test mode -------------------------------------------------------------------------------------

export interface OutboxMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  created: Timestamp;
}

export interface Fixture {
  maintainers?: { id: number; name: string; supportEmail?: string | null }[];
  organizations?: {
    id: number;
    name: string;
    maintainerId: number;
    allowAutoJoin?: boolean;
    mfaRequired?: boolean;
  }[];
  projects?: { id: number; name: string; organizationId: number; limits?: { users: number | null } }[];
  users?: {
    id: number;
    email: string;
    name: string;
    mfaEnabled?: boolean;
    isSuperAdmin?: boolean;
    token?: string;
  }[];
  maintainerMembers?: { maintainerId: number; userId: number }[];
  organizationMembers?: { organizationId: number; userId: number }[];
  projectMembers?: {
    projectId: number;
    userId: number;
    role?: ProjectRole;
    reason?: string | null;
    expires?: Timestamp | null;
  }[];
}
