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
] as const;
export type AccessLogAction = (typeof ACCESS_LOG_ACTIONS)[number];
