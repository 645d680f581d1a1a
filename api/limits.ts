// The numbers and names of the contract, in one place: the backend enforces them, the widget and the
// extension check them before sending, and the schemas of api/schemas.ts (and so the OpenAPI
// document) state them. Plain constants with no import, so a bundle keeps only those it reads and no
// schema code comes with them. api/types.ts re-exports them; docs/api.md#limits lists them.

/** The roles a member may be given (Keboola's roles of projects without a protected default branch). */
export const PROJECT_ROLES = ['admin', 'guest', 'readOnly', 'share'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** How a member relates to the project: support and maintainer members never count towards the limit. */
export const MEMBER_KINDS = ['member', 'support', 'maintainer'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

export const TICKET_TYPES = ['question', 'problem', 'incident'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const TICKET_SEVERITIES = ['low', 'normal', 'high', 'critical'] as const;
export type TicketSeverity = (typeof TICKET_SEVERITIES)[number];

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
  // Access for a ticket (issue 23): a decider's grant, its withdrawal, its end by time. Joining with
  // a grant is `joined` (details name the grant); a membership a withdrawal ends is `removed`.
  'grantGiven',
  'grantWithdrawn',
  'grantExpired',
] as const;
export type AccessLogAction = (typeof ACCESS_LOG_ACTIONS)[number];

// ---- Conversations (tickets as threads) ------------------------------------------------------------

/**
 * A ticket's life: `new` until staff answer or take it, `open` while staff work on it, `waiting` for
 * the customer after a staff answer, `solved` by staff or the reporter, `closed` by the sweeper
 * `THREAD_LIMITS.closeAfterSolvedSeconds` after solved. A reply to a solved ticket reopens it;
 * a closed ticket takes no reply.
 */
export const TICKET_STATUSES = ['new', 'open', 'waiting', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** The statuses a person may set by hand (`closed` is the sweeper's, `new` only the start). */
export const SETTABLE_TICKET_STATUSES = ['open', 'waiting', 'solved'] as const;
export type SettableTicketStatus = (typeof SETTABLE_TICKET_STATUSES)[number];

/** Staff's inbox filters; `project` is a project's tickets for its deciders (needs `projectId`). */
export const TICKET_VIEWS = ['all', 'mine', 'unassigned', 'waiting', 'project'] as const;
export type TicketView = (typeof TICKET_VIEWS)[number];

/** What a thread entry is: a message, or something that happened to the ticket. */
export const THREAD_ENTRY_KINDS = [
  'message',
  'status',
  'assigned',
  'accessRequest',
  'grant',
  'report',
] as const;
export type ThreadEntryKind = (typeof THREAD_ENTRY_KINDS)[number];
/** Which side wrote an entry; `system` for the sweeper and reports. */
export const THREAD_SIDES = ['customer', 'staff', 'system'] as const;
export type ThreadSide = (typeof THREAD_SIDES)[number];
/** The way an entry came: `email` is set only by the inbound SMTP listener, `system` only by the server. */
export const THREAD_VIAS = ['widget', 'extension', 'email', 'system'] as const;
export type ThreadVia = (typeof THREAD_VIAS)[number];

export const THREAD_LIMITS = {
  /** A message's text, as a ticket's description. */
  bodyMax: 20_000,
  /** A solved ticket closes this long after it was solved: 7 days. */
  closeAfterSolvedSeconds: 7 * 24 * 3600,
  /** A reply-by-e-mail address works this long after the e-mail that carried it: 90 days. */
  replyAddressSeconds: 90 * 24 * 3600,
  /** The largest e-mail the inbound SMTP listener takes (the attachments of a message, base64, plus text). */
  inboundMessageBytesMax: 5 * 1024 * 1024,
} as const;

// ---- Access for a ticket, webhooks ----------------------------------------------------------------

export const GRANT_LIMITS = {
  minSeconds: 3600,
  defaultSeconds: 48 * 3600,
  maxSeconds: 7 * 24 * 3600,
} as const;
export const GRANT_STATUSES = ['active', 'withdrawn', 'expired'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** The access events an organization's webhooks may receive. */
export const WEBHOOK_EVENTS = [
  'request.created',
  'request.approved',
  'request.rejected',
  'request.cancelled',
  'request.expired',
  'member.joined',
  'member.left',
  'member.removed',
  'member.expired',
  'grant.given',
  'grant.withdrawn',
  'grant.expired',
  'organization.autoJoinChanged',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_FORMATS = ['standard', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
export const WEBHOOK_LIMITS = {
  endpointsPerOrganization: 10,
  urlMax: 2000,
  timeoutMs: 5000,
  /** Of an endpoint's answer, at most this much is kept. */
  responseKeptBytes: 1024,
  /** Retries with back-off for a day; an endpoint failing this long is disabled. */
  retryForSeconds: 24 * 3600,
  disableAfterFailingSeconds: 3 * 24 * 3600,
  /** The deliveries listed per endpoint. */
  deliveriesListed: 100,
} as const;
