// The contract's objects and request bodies, declared once as zod schemas. From these come the types
// api/types.ts exports (type-only imports: no schema code enters the widget's or the extension's
// bundles), the backend's request validation (mock-backend/http/declare.ts) and the components of the
// OpenAPI document (mock-backend/openapi.ts). The routes that take and answer them are declared in
// mock-backend/http/routes-*.ts.
import { z } from 'zod';
import {
  ACCESS_LIMITS,
  ACCESS_LOG_ACTIONS,
  GRANT_LIMITS,
  GRANT_STATUSES,
  MEMBER_KINDS,
  PAGE_LIMITS,
  PROJECT_ROLES,
  SETTABLE_TICKET_STATUSES,
  THREAD_ENTRY_KINDS,
  THREAD_LIMITS,
  THREAD_SIDES,
  THREAD_VIAS,
  TICKET_LIMITS,
  TICKET_SEVERITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  TICKET_VIEWS,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENTS,
  WEBHOOK_FORMATS,
  WEBHOOK_LIMITS,
} from './limits.ts';

/**
 * How the backend refuses a value when the generic message would not do (a role, a boolean): the
 * message for this input, the error body's code (default `manage.validationError`) and the message of
 * its `errors[]` entry (default the message); null for the generic refusal.
 */
export type Refusal = (
  input: unknown,
  key: string,
) => { message: string; code?: 'manage.badRequest' | 'manage.validationError'; detail?: string } | null;
/** Read by the backend's error mapping (mock-backend/http/declare.ts), which walks to the field's schema. */
export const REFUSALS = new WeakMap<z.ZodType, Refusal>();
function refused<S extends z.ZodType>(schema: S, refusal: Refusal): S {
  REFUSALS.set(schema, refusal);
  return schema;
}

/** The names the OpenAPI document gives the schemas (its components); the rest are written inline. */
export const COMPONENTS = z.registry<{ id: string }>();
const named = <S extends z.ZodType>(id: string, schema: S): S => {
  COMPONENTS.add(schema, { id });
  return schema;
};

// ---- Building blocks -------------------------------------------------------------------------------

const int = z.int();
const str = z.string();
const bool = z.boolean();
/** ISO-8601 with offset, e.g. `2026-11-27T10:50:00+0000`. */
export const timestamp = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/)
  .describe('ISO-8601 with offset, e.g. 2026-11-27T10:50:00+0000');
const text = (max: number) => z.string().max(max);
const seconds = (max: number) => z.int().min(1).max(max);

const ROLE_LIST = PROJECT_ROLES.join(', ');
/** A role to give: one of ours, else 400 with the allowed roles (as Keboola words it). */
export const projectRole = refused(z.enum(PROJECT_ROLES), (input, key) =>
  typeof input !== 'string'
    ? { message: `${key} must be a string.` }
    : input.length > 100
      ? { message: `${key} must be at most 100 characters long.` }
      : {
          message: `Role "${input}" is not valid. Allowed roles are: ${ROLE_LIST}`,
          code: 'manage.badRequest',
          detail: 'Invalid role',
        },
);
/**
 * A role as read from a stack: ours, Keboola's roles of projects with a protected default branch
 * (`developer`, `reviewer`, `productionManager`), or any other name a stack sends (shown as it is).
 */
export type AnyProjectRole =
  | z.output<typeof projectRole>
  | 'developer'
  | 'reviewer'
  | 'productionManager'
  | (string & {});
const anyRole = z.string().meta({ examples: [...PROJECT_ROLES] }) as unknown as z.ZodType<AnyProjectRole>;
/** Booleans in request bodies accept true/false and 0/1; the backend reads them as booleans. */
const boolInput = refused(
  z.literal([true, false, 0, 1]).transform((v) => v === true || v === 1),
  (_input, key) => ({ message: `${key} must be true, false, 0 or 1.` }),
);

// ---- Objects ---------------------------------------------------------------------------------------

/** One field's problem in an error body. */
export const FieldError = z.strictObject({ key: str, message: str });
/** The body of every error response: `{ error, code, status: "error", exceptionId }`. */
export const ErrorBody = named(
  'Error',
  z.strictObject({
    error: str,
    code: z.string().describe('One of SERVER_ERROR_CODES (api/errors.ts).'),
    status: z.literal('error'),
    exceptionId: str,
    errors: z.array(FieldError).optional(),
  }),
);

export const UserRef = named('UserRef', z.strictObject({ id: int, name: str, email: str }));
export const IdName = named('IdName', z.strictObject({ id: int, name: str }));

export const User = named(
  'User',
  z.strictObject({
    id: int,
    name: str,
    email: str,
    mfaEnabled: bool,
    isSuperAdmin: bool,
    features: z.array(str),
  }),
);

export const TokenVerification = named(
  'TokenVerification',
  z.strictObject({
    id: int,
    description: str,
    user: User.nullable().describe(
      "Null for a token without a user (Keboola's application tokens): it cannot act as anyone.",
    ),
  }),
);

export const Organization = named(
  'Organization',
  z.strictObject({
    id: int,
    name: str,
    created: timestamp,
    allowAutoJoin: bool,
    mfaRequired: bool,
    maintainer: IdName.nullable().describe(
      "Null when the stack does not say (Keboola's PATCH answer has no maintainer).",
    ),
  }),
);

export const Project = named(
  'Project',
  z.strictObject({
    id: int,
    name: str,
    created: timestamp,
    organization: IdName,
    limits: z.strictObject({ users: int.nullable() }),
    usage: z.strictObject({ users: int }).describe('Counts members of kind "member" only.'),
  }),
);

const memberKind = z.enum(MEMBER_KINDS);

export const ProjectUser = named(
  'ProjectUser',
  z.strictObject({
    id: int,
    name: str,
    email: str,
    mfaEnabled: bool,
    created: timestamp,
    expires: timestamp.nullable(),
    reason: str.nullable(),
    role: anyRole,
    status: z.literal('active'),
    invitor: UserRef.nullable(),
    approver: UserRef.nullable(),
    kind: memberKind,
  }),
);

/** A ticket as other objects name it. */
export const TicketRef = named('TicketRef', z.strictObject({ id: int, number: str, subject: str }));

/** The ticket a request was made for: our extension (null: none, and always on Keboola). */
const requestTicket = TicketRef.nullable().describe(
  "Support Kit's extension: the ticket the request was made for (null: none, and always on Keboola).",
);

/** A join request as the project's users see it. */
export const ProjectJoinRequest = named(
  'ProjectJoinRequest',
  z.strictObject({
    id: int,
    created: timestamp,
    expires: timestamp.nullable(),
    reason: str.nullable(),
    user: UserRef,
    ticket: requestTicket,
  }),
);

/** A join request as its requester sees it. */
export const MyJoinRequest = named(
  'MyJoinRequest',
  z.strictObject({
    id: int,
    created: timestamp,
    expires: timestamp.nullable(),
    reason: str.nullable(),
    project: IdName,
    ticket: requestTicket,
  }),
);

export const ProjectInvitation = named(
  'ProjectInvitation',
  z.strictObject({
    id: int,
    created: timestamp,
    expires: timestamp.nullable(),
    reason: str.nullable(),
    role: anyRole,
    user: UserRef,
    creator: UserRef,
  }),
);

export const MyProjectInvitation = named(
  'MyProjectInvitation',
  z.strictObject({
    id: int,
    created: timestamp,
    expires: timestamp.nullable(),
    reason: str.nullable(),
    role: anyRole,
    project: IdName,
    creator: UserRef,
  }),
);

export const OrganizationUser = named(
  'OrganizationUser',
  z.strictObject({
    id: int,
    name: str,
    email: str,
    mfaEnabled: bool,
    created: timestamp,
    invitor: UserRef.nullable(),
  }),
);

export const OrganizationInvitation = named(
  'OrganizationInvitation',
  z.strictObject({
    id: int,
    created: timestamp,
    expires: timestamp.nullable(),
    user: UserRef,
    creator: UserRef,
  }),
);

export const MyOrganizationInvitation = named(
  'MyOrganizationInvitation',
  z.strictObject({
    id: int,
    created: timestamp,
    expires: timestamp.nullable(),
    organization: IdName,
    creator: UserRef,
  }),
);

export const StorageToken = named(
  'StorageToken',
  z.strictObject({
    id: int,
    token: str,
    description: str,
    created: timestamp,
    expires: timestamp.nullable(),
  }),
);

/**
 * A live Storage token made by a support or maintainer member, as the project's deciders list it
 * (ours): who made it and until when, never the token itself. It lives only as long as the
 * membership that made it (`kind` is that membership's).
 */
export const OutsiderStorageToken = named(
  'OutsiderStorageToken',
  z.strictObject({
    id: int,
    description: str,
    created: timestamp,
    expires: timestamp.nullable(),
    user: UserRef,
    kind: memberKind,
  }),
);

/** What a Storage token's verification answers (Keboola's Storage API, the fields we keep). */
export const StorageTokenVerification = named(
  'StorageTokenVerification',
  z.strictObject({
    id: int,
    description: str,
    created: timestamp,
    expires: timestamp.nullable(),
    owner: IdName.describe('The project the token enters.'),
  }),
);

/** The server error a ticket was filed about, as the host app saw it. */
const ErrorContext = z.strictObject({
  message: str,
  exceptionId: str.optional(),
  status: int.optional(),
  requestId: str.optional(),
  url: str.optional(),
});

/** Captured automatically by the widget and shown to the user before sending. */
const TicketContext = z.strictObject({
  pageUrl: str.optional(),
  browser: str.optional(),
  viewport: str.optional(),
  locale: str.optional(),
  appVersion: str.optional(),
  error: ErrorContext.optional(),
});

const TicketAttachment = z.strictObject({ name: str, type: str, size: z.int().min(0) });
const ticketType = z.enum(TICKET_TYPES);
const ticketSeverity = z.enum(TICKET_SEVERITIES);

export const Ticket = named(
  'Ticket',
  z.strictObject({
    id: int,
    number: str.describe('Human-facing number, e.g. "SK-1001".'),
    created: timestamp,
    subject: text(TICKET_LIMITS.subjectMax),
    description: text(TICKET_LIMITS.descriptionMax),
    type: ticketType,
    severity: ticketSeverity.nullable(),
    project: IdName.nullable(),
    reporter: UserRef,
    routedTo: str.describe(
      "Where the ticket was e-mailed: the maintainer's support address or vendor support.",
    ),
    context: TicketContext,
    attachments: z.array(TicketAttachment).max(TICKET_LIMITS.attachmentsMax),
    status: z.enum(TICKET_STATUSES),
    assignee: UserRef.nullable().describe('The staff user who took the ticket, or null while unassigned.'),
    lastActivity: timestamp.describe('The newest entry of its thread (or its creation): lists sort by it.'),
    solved: timestamp.nullable().describe('When it was last solved (it closes 7 days later), else null.'),
    messages: z.int().min(0).describe('Messages in its thread (the description is not one).'),
    unread: z
      .int()
      .min(0)
      .describe('Messages from the other side the caller has not read (0 for anyone not on either side).'),
    follows: TicketRef.nullable().describe('The closed ticket this one follows up, if any.'),
  }),
);

/**
 * An access request as a ticket's thread shows it (issue 23): as it is now, so the users list and
 * the thread show the same request, and a decision made in either shows in both.
 */
export const ThreadRequest = named(
  'ThreadRequest',
  z.strictObject({
    id: int,
    project: IdName,
    user: UserRef.describe('Who asked.'),
    reason: str.nullable(),
    created: timestamp,
    expires: timestamp.nullable(),
    status: z
      .enum(['pending', 'approved', 'rejected', 'cancelled', 'expired'])
      .describe('Now: a pending request past its expiry is `expired`. Only `pending` can be decided.'),
    decidedBy: UserRef.nullable().describe('Who approved, rejected or cancelled it; null otherwise.'),
    decided: timestamp.nullable(),
  }),
);

/** A thread entry: a message, or what happened to the ticket (status, assignment, access). */
export const TicketMessage = named(
  'TicketMessage',
  z.strictObject({
    id: int,
    ticketId: int,
    created: timestamp,
    kind: z.enum(THREAD_ENTRY_KINDS),
    author: UserRef.nullable().describe('Who wrote or did it; null for the server (the sweeper, a report).'),
    side: z.enum(THREAD_SIDES),
    badge: z
      .literal('support')
      .nullable()
      .describe(
        "'support' when the author is a support user (the octopus badge); maintainer users have none.",
      ),
    via: z.enum(THREAD_VIAS),
    body: text(THREAD_LIMITS.bodyMax).describe('Plain text; empty for status and assignment entries.'),
    attachments: z.array(TicketAttachment).max(TICKET_LIMITS.attachmentsMax),
    status: z.enum(TICKET_STATUSES).nullable().describe('kind `status`: the new status.'),
    assignee: UserRef.nullable().describe('kind `assigned`: the new assignee (null: unassigned).'),
    requestId: int.nullable().describe('kind `accessRequest`: the join request it shows.'),
    grantId: int.nullable().describe('kind `grant`: the grant it shows.'),
    request: ThreadRequest.nullable()
      .optional()
      .describe(
        'kind `accessRequest`: the request as it is now (Approve / Reject while `pending`, for those who may decide); null for other kinds.',
      ),
  }),
);

/** Access a customer's decider allowed for one ticket (issue 23). */
export const AccessGrant = named(
  'AccessGrant',
  z.strictObject({
    id: int,
    ticket: TicketRef,
    project: IdName,
    grantedBy: UserRef,
    created: timestamp,
    expires: timestamp,
    status: z.enum(GRANT_STATUSES),
    withdrawn: timestamp.nullable(),
    withdrawnBy: UserRef.nullable(),
  }),
);

/** What the launcher asks once before intent: the dot's two reasons in one small answer. */
export const SupportBadge = named(
  'SupportBadge',
  z.strictObject({
    pendingRequests: z
      .int()
      .min(0)
      .nullable()
      .describe("The project's pending join requests, for its deciders; null for anyone else."),
    unreadTickets: z.int().min(0).describe('Tickets the caller takes part in with an unread staff reply.'),
  }),
);

const webhookEvent = z.enum(WEBHOOK_EVENTS);
export const WebhookEndpoint = named(
  'WebhookEndpoint',
  z.strictObject({
    id: int,
    organization: IdName,
    url: str,
    format: z.enum(WEBHOOK_FORMATS),
    events: z.array(webhookEvent),
    created: timestamp,
    createdBy: UserRef.nullable(),
    disabled: timestamp
      .nullable()
      .describe('When it was disabled (failing for 3 days, or by hand), else null.'),
    failingSince: timestamp.nullable(),
  }),
);
/** The answer to creating an endpoint: the only time its signing secret is shown. */
export const NewWebhookEndpoint = named(
  'NewWebhookEndpoint',
  WebhookEndpoint.extend({ secret: str.describe('`whsec_` + base64: shown once.') }),
);
export const WebhookDelivery = named(
  'WebhookDelivery',
  z.strictObject({
    id: int,
    endpointId: int,
    messageId: str.describe('The `webhook-id` header: the same for every attempt of one event.'),
    type: z.union([webhookEvent, z.literal('test')]),
    created: timestamp,
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.int().min(0),
    nextAttempt: timestamp.nullable(),
    lastAttempt: timestamp.nullable(),
    responseStatus: int.nullable(),
    response: str.nullable().describe('At most 1 KB of the last answer.'),
    error: str.nullable(),
  }),
);

export const AccessLogEntry = named(
  'AccessLogEntry',
  z.strictObject({
    id: int,
    created: timestamp,
    action: z.enum(ACCESS_LOG_ACTIONS),
    actor: UserRef.nullable(),
    subject: UserRef.nullable(),
    reason: str.nullable(),
    details: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .describe('Extra facts of the action, e.g. `{ allowAutoJoin: false }` or `{ role: "guest" }`.'),
  }),
);

// ---- Live events (Server-Sent Events) ----------------------------------------------------------------

export const JoinRequestOutcome = z.enum(['approved', 'rejected', 'cancelled', 'expired']);
const projectEvent = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), project: IdName, ...shape });

/** What happened, by `type` (docs/api.md#our-extensions). */
export const SupportEvent = z.discriminatedUnion('type', [
  projectEvent('joinRequest.created', { request: ProjectJoinRequest }),
  projectEvent('joinRequest.decided', {
    requestId: int,
    user: UserRef,
    outcome: JoinRequestOutcome,
    by: UserRef.nullable(),
  }),
  projectEvent('membership.expiring', { user: UserRef, expires: timestamp }),
  projectEvent('membership.expired', { user: UserRef }),
  projectEvent('membership.changed', { user: UserRef }),
  // Tickets: to every participant of the ticket (its reporter, its project's deciders, its staff).
  z.strictObject({
    type: z.literal('ticket.message'),
    ticket: TicketRef,
    project: IdName.nullable(),
    message: TicketMessage,
  }),
  z.strictObject({
    type: z.literal('ticket.updated'),
    ticket: TicketRef,
    project: IdName.nullable(),
    status: z.enum(TICKET_STATUSES),
    assignee: UserRef.nullable(),
    by: UserRef.nullable(),
  }),
  // Grants: to the project's deciders and the ticket's staff.
  z.strictObject({
    type: z.literal('grant.changed'),
    project: IdName,
    grant: AccessGrant,
  }),
  z.strictObject({
    type: z.literal('organization.autoJoinChanged'),
    organization: IdName,
    allowAutoJoin: bool,
    by: UserRef,
  }),
]);

/** One event as delivered: `id` is what a reconnecting client sends back as `Last-Event-ID`. */
export const SupportEventEnvelope = named(
  'SupportEventEnvelope',
  z.strictObject({ id: int, created: timestamp, event: SupportEvent }),
);

export const Count = named('Count', z.strictObject({ count: z.int().min(0) }));

// ---- Request bodies --------------------------------------------------------------------------------
// What the backend checks before any rule: the JSON types, the fields, and the limits that need no
// state. The rules that do (who must give a reason, how long a support user's access may last, the
// text rule, e-mail addresses) stay in mock-backend/domain.

/**
 * A reason: the rule (mock-backend/domain/inputs.ts) counts its characters (code points, as JSON
 * Schema's maxLength does) and words the refusal; this cap stops only absurd input.
 */
const reason = z.string().max(10_000).meta({ maxLength: ACCESS_LIMITS.reasonMax });
/** Seconds as a whole number; the rule checks the range (a support user's is shorter) with its own words. */
const expirationSeconds = z.int().meta({ minimum: 1, maximum: ACCESS_LIMITS.expirationMaxSeconds });

/** Joining a project or asking for access; absent and null mean "not given". */
export const EntryBody = named(
  'EntryBody',
  z.strictObject({ reason: reason.nullish(), expirationSeconds: expirationSeconds.nullish() }),
);

/** Asking for access: an entry, and the ticket it is for (ours; it then shows in that ticket's thread). */
export const RequestAccessBody = named(
  'RequestAccessBody',
  z.strictObject({
    reason: reason.nullish(),
    expirationSeconds: expirationSeconds.nullish(),
    ticketId: z
      .int()
      .min(1)
      .nullish()
      .describe(
        "Support Kit's extension: the ticket this access is for (one of this project's tickets the requester may see). The request shows in its thread, and the report of what was done when the access ends goes there too.",
      ),
  }),
);

export const NewMemberBody = named(
  'NewMemberBody',
  z.strictObject({
    email: text(1000),
    role: projectRole.optional(),
    reason: reason.nullish(),
    expirationSeconds: expirationSeconds.nullish(),
  }),
);

export const RoleBody = named('RoleBody', z.strictObject({ role: projectRole }));
export const EmailBody = named('EmailBody', z.strictObject({ email: text(1000) }));
export const NameBody = named('NameBody', z.strictObject({ name: text(255) }));
export const UpdateOrganizationBody = named(
  'UpdateOrganizationBody',
  z.strictObject({
    name: text(255).optional(),
    allowAutoJoin: boolInput.optional(),
    mfaRequired: boolInput.optional(),
  }),
);
export const CreateStorageTokenBody = named(
  'CreateStorageTokenBody',
  z.strictObject({
    description: text(255),
    expiresIn: seconds(ACCESS_LIMITS.expirationMaxSeconds).nullish(),
  }),
);

const ticketAttachmentsInput = z
  .array(
    z.strictObject({
      name: z.string().min(1).max(255),
      type: text(255),
      // Base64 of at most attachmentBytesMax bytes is ≤ 4/3 of it; larger is refused with 413 by the rule.
      data: z.string().meta({
        contentEncoding: 'base64',
        description: `Base64 of at most ${TICKET_LIMITS.attachmentBytesMax} bytes.`,
      }),
    }),
  )
  .max(TICKET_LIMITS.attachmentsMax);

/** A reply in a ticket's thread (idempotent per Idempotency-Key and user, as a new ticket). */
export const PostMessageBody = named(
  'PostMessageBody',
  z.strictObject({
    body: text(THREAD_LIMITS.bodyMax),
    attachments: ticketAttachmentsInput.optional(),
    via: z.enum(['widget', 'extension']).optional().describe('Where it was written (default widget).'),
  }),
);

/** Staff change status and assignee; the reporter (and the project's deciders) may only solve. */
export const UpdateTicketBody = named(
  'UpdateTicketBody',
  z.strictObject({
    status: z.enum(SETTABLE_TICKET_STATUSES).optional(),
    assigneeId: z.int().min(1).nullable().optional().describe('A staff user of the same side, or null.'),
  }),
);

/** Read up to and including this entry of the thread. */
export const MarkReadBody = named('MarkReadBody', z.strictObject({ messageId: z.int().min(1) }));

export const CreateGrantBody = named(
  'CreateGrantBody',
  z.strictObject({
    expirationSeconds: z
      .int()
      .min(GRANT_LIMITS.minSeconds)
      .max(GRANT_LIMITS.maxSeconds)
      .optional()
      .describe(`How long support may come in for this ticket (default ${GRANT_LIMITS.defaultSeconds}).`),
  }),
);

export const CreateWebhookBody = named(
  'CreateWebhookBody',
  z.strictObject({
    url: text(WEBHOOK_LIMITS.urlMax),
    format: z.enum(WEBHOOK_FORMATS).optional(),
    events: z.array(webhookEvent).min(1).max(WEBHOOK_EVENTS.length),
  }),
);
export const UpdateWebhookBody = named(
  'UpdateWebhookBody',
  z.strictObject({
    url: text(WEBHOOK_LIMITS.urlMax).optional(),
    events: z.array(webhookEvent).min(1).max(WEBHOOK_EVENTS.length).optional(),
    enabled: boolInput.optional(),
  }),
);

const ticketContextInput = z.strictObject({
  pageUrl: text(2000).optional(),
  browser: text(500).optional(),
  viewport: text(50).optional(),
  locale: text(50).optional(),
  appVersion: text(100).optional(),
  error: z
    .strictObject({
      message: text(5000),
      exceptionId: text(200).optional(),
      status: z.int().min(0).max(999).optional(),
      requestId: text(200).optional(),
      url: text(2000).optional(),
    })
    .optional(),
});

export const CreateTicketBody = named(
  'CreateTicketBody',
  z.strictObject({
    subject: text(TICKET_LIMITS.subjectMax),
    description: text(TICKET_LIMITS.descriptionMax),
    type: ticketType,
    severity: ticketSeverity.optional(),
    projectId: z.int().min(1).optional(),
    context: ticketContextInput.optional(),
    attachments: ticketAttachmentsInput.optional(),
    followsTicketId: z.int().min(1).optional().describe('A closed ticket of the caller this one follows up.'),
    grantAccess: CreateGrantBody.optional().describe(
      "A decider of the project allows support in for this ticket (issue 23's grant), with the ticket.",
    ),
  }),
);

/** A body of no fields (approving, accepting, joining an organization): `{}` or none. */
export const Empty = named('Empty', z.strictObject({}));

// ---- Query parameters --------------------------------------------------------------------------------

/** A paging parameter: a whole number from 0 to `max` as the query string spells it, else 400. */
const whole = (max: number, description: string, fallback?: number) =>
  refused(
    z
      .string()
      .regex(/^[0-9]{1,9}$/)
      .transform(Number)
      .pipe(
        z
          .int()
          .min(0)
          .max(max)
          .meta({ description, ...(fallback === undefined ? {} : { default: fallback }) }),
      ),
    (_input, key) => ({
      message: `${key} must be a whole number from 0 to ${max}.`,
      code: 'manage.badRequest',
      detail: 'Invalid value',
    }),
  );

/** One page of our lists (tickets, the access log, outsiders' tokens); Keboola's lists are not paged. */
export const PageQuery = z.object({
  offset: whole(1_000_000_000, 'Entries to skip (newest first).', 0).optional(),
  limit: whole(PAGE_LIMITS.max, 'Entries in the page.', PAGE_LIMITS.default).optional(),
});

const ACTION_LIST = ACCESS_LOG_ACTIONS.join(', ');
/** The access history's page, optionally only the entries of one action. */
export const AccessLogQuery = PageQuery.extend({
  action: refused(z.enum(ACCESS_LOG_ACTIONS).meta({ description: "Only this action's entries." }), () => ({
    message: `action must be one of: ${ACTION_LIST}.`,
    code: 'manage.badRequest',
    detail: 'Invalid value',
  })).optional(),
});

const VIEW_LIST = TICKET_VIEWS.join(', ');
/** The ticket list's page and view (newest activity first). */
export const TicketListQuery = PageQuery.extend({
  view: refused(
    z.enum(TICKET_VIEWS).meta({ description: 'Which tickets (default all the caller may see).' }),
    () => ({
      message: `view must be one of: ${VIEW_LIST}.`,
      code: 'manage.badRequest',
      detail: 'Invalid value',
    }),
  ).optional(),
  projectId: whole(1_000_000_000, "Only this project's tickets (needed by view=project).").optional(),
});
/** The active grants the caller may use or decides on, optionally of one project. */
export const GrantListQuery = z.object({
  projectId: whole(1_000_000_000, "Only this project's grants.").optional(),
});
/** A thread's page, oldest first; `afterId` for what came after the last entry the caller has. */
export const ThreadQuery = PageQuery.extend({
  afterId: whole(1_000_000_000, 'Only entries after this one.').optional(),
});

// ---- Request headers ---------------------------------------------------------------------------------

/** A ticket's idempotency key: the same key and user again answer the first ticket. */
export const IdempotencyKey = refused(z.string().trim().min(1).max(200), () => ({
  message: 'The Idempotency-Key header is required (1 to 200 characters).',
  code: 'manage.badRequest',
  detail: 'Required',
}));
/** A Storage token as Keboola's Storage API takes it; without one (or a dead one) the answer is 401. */
export const StorageApiToken = z
  .string()
  .optional()
  .meta({ description: 'The token to verify: without one, or with a dead one, the answer is 401.' });

// ---- Test mode ---------------------------------------------------------------------------------------

/** Any object: the test reset's rule (mock-backend/domain/fixture.ts) checks every part of it. */
export const Fixture = named(
  'Fixture',
  z.looseObject({}).meta({ description: 'See docs/api.md#the-fixture' }),
);
export const AdvanceClockBody = named(
  'AdvanceClockBody',
  z.strictObject({ advanceSeconds: z.int().min(0).max(ACCESS_LIMITS.expirationMaxSeconds) }),
);
export const ClockAnswer = named('ClockAnswer', z.strictObject({ now: timestamp }));
export const OutboxMessage = named(
  'OutboxMessage',
  z.strictObject({
    to: str,
    subject: str,
    text: str,
    html: str,
    replyTo: str.nullable().describe("The Reply-To header (a ticket's reply-by-e-mail address), or null."),
    created: timestamp,
  }),
);
