// The OpenAPI 3.1 document of every endpoint (Keboola's and ours), next to the contract types: the
// enums and limits come from api/types.ts, not typed out again. `npm run openapi` writes it to
// docs/openapi.json; openapi.test.ts fails when a route of the app is missing here or one here has no
// route, when docs/openapi.json is not current, or when the document is not valid OpenAPI 3.1; the
// contract suite (test/contract/openapi-walk.ts) holds every answer it gets to these schemas.
import {
  ACCESS_LIMITS,
  ACCESS_LOG_ACTIONS,
  BODY_LIMITS,
  MEMBER_KINDS,
  PAGE_LIMITS,
  PROJECT_ROLES,
  TICKET_LIMITS,
  TICKET_SEVERITIES,
  TICKET_TYPES,
} from '../api/types.ts';

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const ts: Schema = {
  type: 'string',
  pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}$',
  description: 'ISO-8601 with offset, e.g. 2026-11-27T10:50:00+0000',
};
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const boolInput: Schema = { anyOf: [bool, { enum: [0, 1] }] };
const role: Schema = { enum: [...PROJECT_ROLES] };
/** What a stack may send as a role: ours, or another name (Keboola's protected-branch roles), shown as it is. */
const anyRole: Schema = { type: 'string', examples: [...PROJECT_ROLES] };
const seconds = (max: number): Schema => ({ type: 'integer', minimum: 1, maximum: max });
const text = (maxLength: number): Schema => ({ type: 'string', maxLength });
function obj(properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

const userRef = obj({ id: int, name: str, email: str });
const idName = obj({ id: int, name: str });
const errorContext = obj({ message: str, exceptionId: str, status: int, requestId: str, url: str }, [
  'message',
]);
const ticketContext = obj(
  { pageUrl: str, browser: str, viewport: str, locale: str, appVersion: str, error: errorContext },
  [],
);

const schemas: Record<string, Schema> = {
  Error: obj(
    {
      error: str,
      code: { type: 'string', description: 'One of SERVER_ERROR_CODES (api/errors.ts).' },
      status: { const: 'error' },
      exceptionId: str,
      errors: arr(obj({ key: str, message: str })),
    },
    ['error', 'code', 'status', 'exceptionId'],
  ),
  UserRef: userRef,
  IdName: idName,
  User: obj({ id: int, name: str, email: str, mfaEnabled: bool, isSuperAdmin: bool, features: arr(str) }),
  TokenVerification: obj({ id: int, description: str, user: nullable(ref('User')) }),
  Organization: obj({
    id: int,
    name: str,
    created: ts,
    allowAutoJoin: bool,
    mfaRequired: bool,
    maintainer: nullable(idName),
  }),
  Project: obj({
    id: int,
    name: str,
    created: ts,
    organization: idName,
    limits: obj({ users: nullable(int) }),
    usage: obj({ users: int }),
  }),
  ProjectUser: obj({
    id: int,
    name: str,
    email: str,
    mfaEnabled: bool,
    created: ts,
    expires: nullable(ts),
    reason: nullable(str),
    role: anyRole,
    status: { const: 'active' },
    invitor: nullable(userRef),
    approver: nullable(userRef),
    kind: { enum: [...MEMBER_KINDS] },
  }),
  ProjectJoinRequest: obj({
    id: int,
    created: ts,
    expires: nullable(ts),
    reason: nullable(str),
    user: userRef,
  }),
  MyJoinRequest: obj({ id: int, created: ts, expires: nullable(ts), reason: nullable(str), project: idName }),
  ProjectInvitation: obj({
    id: int,
    created: ts,
    expires: nullable(ts),
    reason: nullable(str),
    role: anyRole,
    user: userRef,
    creator: userRef,
  }),
  MyProjectInvitation: obj({
    id: int,
    created: ts,
    expires: nullable(ts),
    reason: nullable(str),
    role: anyRole,
    project: idName,
    creator: userRef,
  }),
  OrganizationUser: obj({
    id: int,
    name: str,
    email: str,
    mfaEnabled: bool,
    created: ts,
    invitor: nullable(userRef),
  }),
  OrganizationInvitation: obj({
    id: int,
    created: ts,
    expires: nullable(ts),
    user: userRef,
    creator: userRef,
  }),
  MyOrganizationInvitation: obj({
    id: int,
    created: ts,
    expires: nullable(ts),
    organization: idName,
    creator: userRef,
  }),
  StorageToken: obj({ id: int, token: str, description: str, created: ts, expires: nullable(ts) }),
  OutsiderStorageToken: obj({
    id: int,
    description: str,
    created: ts,
    expires: nullable(ts),
    user: userRef,
    kind: { enum: ['member', 'support', 'maintainer'] },
  }),
  StorageTokenVerification: obj({
    id: int,
    description: str,
    created: ts,
    expires: nullable(ts),
    owner: idName,
  }),
  Ticket: obj({
    id: int,
    number: str,
    created: ts,
    subject: text(TICKET_LIMITS.subjectMax),
    description: text(TICKET_LIMITS.descriptionMax),
    type: { enum: [...TICKET_TYPES] },
    severity: nullable({ enum: [...TICKET_SEVERITIES] }),
    project: nullable(idName),
    reporter: userRef,
    routedTo: str,
    context: ticketContext,
    attachments: {
      ...arr(obj({ name: str, type: str, size: { type: 'integer', minimum: 0 } })),
      maxItems: TICKET_LIMITS.attachmentsMax,
    },
  }),
  AccessLogEntry: obj({
    id: int,
    created: ts,
    action: { enum: [...ACCESS_LOG_ACTIONS] },
    actor: nullable(userRef),
    subject: nullable(userRef),
    reason: nullable(str),
    details: {
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
    },
  }),
  SupportEventEnvelope: obj({
    id: int,
    created: ts,
    event: {
      type: 'object',
      required: ['type'],
      properties: {
        type: {
          enum: [
            'joinRequest.created',
            'joinRequest.decided',
            'membership.expiring',
            'membership.expired',
            'membership.changed',
            'organization.autoJoinChanged',
          ],
        },
      },
      description: 'SupportEvent of api/types.ts; docs/api.md#our-extensions lists the types.',
    },
  }),
  EntryBody: obj(
    {
      reason: nullable(text(ACCESS_LIMITS.reasonMax)),
      expirationSeconds: nullable(seconds(ACCESS_LIMITS.expirationMaxSeconds)),
    },
    [],
  ),
  NewMemberBody: obj(
    {
      email: str,
      role,
      reason: nullable(text(ACCESS_LIMITS.reasonMax)),
      expirationSeconds: nullable(seconds(ACCESS_LIMITS.expirationMaxSeconds)),
    },
    ['email'],
  ),
  RoleBody: obj({ role }),
  EmailBody: obj({ email: str }),
  NameBody: obj({ name: text(255) }),
  UpdateOrganizationBody: obj({ name: text(255), allowAutoJoin: boolInput, mfaRequired: boolInput }, []),
  CreateStorageTokenBody: obj(
    { description: text(255), expiresIn: nullable(seconds(ACCESS_LIMITS.expirationMaxSeconds)) },
    ['description'],
  ),
  CreateTicketBody: obj(
    {
      subject: text(TICKET_LIMITS.subjectMax),
      description: text(TICKET_LIMITS.descriptionMax),
      type: { enum: [...TICKET_TYPES] },
      severity: { enum: [...TICKET_SEVERITIES] },
      projectId: { type: 'integer', minimum: 1 },
      context: ticketContext,
      attachments: {
        ...arr(
          obj({
            name: { type: 'string', minLength: 1, maxLength: 255 },
            type: text(255),
            data: {
              type: 'string',
              contentEncoding: 'base64',
              description: `Base64 of at most ${TICKET_LIMITS.attachmentBytesMax} bytes.`,
            },
          }),
        ),
        maxItems: TICKET_LIMITS.attachmentsMax,
      },
    },
    ['subject', 'description', 'type'],
  ),
  Count: obj({ count: { type: 'integer', minimum: 0 } }),
  Empty: obj({}, []),
  Fixture: { type: 'object', description: 'See docs/api.md#the-fixture' },
  AdvanceClockBody: obj({
    advanceSeconds: { type: 'integer', minimum: 0, maximum: ACCESS_LIMITS.expirationMaxSeconds },
  }),
  ClockAnswer: obj({ now: ts }),
  OutboxMessage: obj({ to: str, subject: str, text: str, html: str, created: ts }),
};

interface Op {
  summary: string;
  tag: 'Keboola' | 'Support Kit' | 'Test mode' | 'Demo';
  body?: string;
  ok: number;
  response?: Schema | string;
  /** Not under /manage: no token. */
  public?: boolean;
  headers?: string[];
  query?: string[];
  contentType?: string;
  /** Refusals besides those that follow from the route's form (see `refusals`). */
  errors?: number[];
  /** Counts towards a per-user rate limit: 429 with Retry-After beyond it. */
  rateLimited?: boolean;
}

/** Keyed by `METHOD /path` with Hono's `:param` placeholders, exactly as the app registers them. */
export const OPERATIONS: Record<string, Op> = {
  'GET /manage/tokens/verify': {
    summary: 'Who the token belongs to',
    tag: 'Keboola',
    ok: 200,
    response: 'TokenVerification',
  },
  'GET /manage/projects/:projectId': {
    summary: 'Read a project',
    tag: 'Keboola',
    ok: 200,
    response: 'Project',
  },
  'DELETE /manage/projects/:projectId': { summary: 'Delete a project (soft)', tag: 'Keboola', ok: 204 },
  'POST /manage/organizations/:organizationId/projects': {
    summary: 'Create a project (organization members)',
    tag: 'Keboola',
    body: 'NameBody',
    ok: 201,
    response: 'Project',
  },
  'POST /manage/projects/:projectId/tokens': {
    summary:
      "Create a Storage token to enter the project (at most 20 a minute per user, then 429 with Retry-After). A token made by a support or maintainer member lives only as long as the membership that made it (Support Kit's rule).",
    tag: 'Keboola',
    body: 'CreateStorageTokenBody',
    ok: 201,
    response: 'StorageToken',
  },
  'GET /manage/projects/:projectId/tokens': {
    summary:
      "The live Storage tokens the project's support and maintainer members made, newest first, one page (offset, limit: default 100, at most 1000); never the token itself. Only the project's deciders (admin/share members of the customer's own people); anyone else 403.",
    tag: 'Support Kit',
    ok: 200,
    response: arr(ref('OutsiderStorageToken')),
    query: ['offset', 'limit'],
  },
  'DELETE /manage/projects/:projectId/tokens/:tokenId': {
    summary:
      "Revoke a live Storage token a support or maintainer member of the project made (the project's deciders; 404 for any other token). Recorded in the access history.",
    tag: 'Support Kit',
    ok: 204,
  },
  'GET /v2/storage/tokens/verify': {
    summary:
      "Use a Storage token (Keboola's Storage API, the fields we keep): 401 when it is missing, unknown, expired, or its outsider's membership has ended. The token goes in X-StorageApi-Token, no Manage API token.",
    tag: 'Keboola',
    ok: 200,
    response: 'StorageTokenVerification',
    public: true,
    headers: ['X-StorageApi-Token'],
  },
  'POST /manage/projects/:projectId/join-project': {
    summary: 'Join a project directly (Auto Join on; organization users always)',
    tag: 'Keboola',
    body: 'EntryBody',
    ok: 204,
    rateLimited: true,
  },
  'POST /manage/projects/:projectId/request-access': {
    summary: 'Ask for access (support and maintainer users, Auto Join off)',
    tag: 'Keboola',
    body: 'EntryBody',
    ok: 201,
    response: 'MyJoinRequest',
    rateLimited: true,
  },
  'GET /manage/projects/:projectId/join-requests': {
    summary: 'Pending join requests of a project',
    tag: 'Keboola',
    ok: 200,
    response: arr(ref('ProjectJoinRequest')),
  },
  'GET /manage/projects/:projectId/join-requests/count': {
    summary:
      "How many join requests wait (Support Kit's extension, for the launcher's dot: one small answer instead of the whole list). Only members who may decide (admin/share) may ask; anyone else 403. The launcher asks only when the host says the user's role is admin or share.",
    tag: 'Support Kit',
    ok: 200,
    response: 'Count',
  },
  'GET /manage/projects/:projectId/join-requests/:requestId': {
    summary: 'One pending join request',
    tag: 'Keboola',
    ok: 200,
    response: 'ProjectJoinRequest',
  },
  'PUT /manage/projects/:projectId/join-requests/:requestId': {
    summary: 'Approve a join request (admin/share members)',
    tag: 'Keboola',
    body: 'Empty',
    ok: 202,
    errors: [409],
  },
  'DELETE /manage/projects/:projectId/join-requests/:requestId': {
    summary: 'Reject a join request (admin/share members)',
    tag: 'Keboola',
    ok: 204,
    errors: [409],
  },
  'GET /manage/current-user/projects-join-requests': {
    summary: 'My pending join requests',
    tag: 'Keboola',
    ok: 200,
    response: arr(ref('MyJoinRequest')),
  },
  'GET /manage/current-user/projects-join-requests/:requestId': {
    summary: 'One of my pending join requests',
    tag: 'Keboola',
    ok: 200,
    response: 'MyJoinRequest',
  },
  'DELETE /manage/current-user/projects-join-requests/:requestId': {
    summary: 'Cancel my join request',
    tag: 'Keboola',
    ok: 204,
  },
  'GET /manage/projects/:projectId/users': {
    summary: 'Active members of a project',
    tag: 'Keboola',
    ok: 200,
    response: arr(ref('ProjectUser')),
  },
  'GET /manage/projects/:projectId/users/:userId': {
    summary:
      "One active member (Support Kit's extension; Keboola has only PATCH and DELETE on this path): the extension reads its own membership without the whole list. The same readers as the list, and anyone who may see the project asking for their own row (a support or maintainer user checking whether they are in yet); 404 when the user is no active member.",
    tag: 'Support Kit',
    ok: 200,
    response: ref('ProjectUser'),
  },
  'POST /manage/projects/:projectId/users': {
    summary: 'Add a user',
    tag: 'Keboola',
    body: 'NewMemberBody',
    ok: 204,
    errors: [422],
  },
  'PATCH /manage/projects/:projectId/users/:userId': {
    summary: "Change a member's role",
    tag: 'Keboola',
    body: 'RoleBody',
    ok: 200,
    response: 'ProjectUser',
  },
  'DELETE /manage/projects/:projectId/users/:userIdOrEmail': {
    summary: 'Remove a member, or leave',
    tag: 'Keboola',
    ok: 204,
  },
  'GET /manage/projects/:projectId/invitations': {
    summary: 'Pending invitations of a project',
    tag: 'Keboola',
    ok: 200,
    response: arr(ref('ProjectInvitation')),
  },
  'POST /manage/projects/:projectId/invitations': {
    summary: 'Invite a user',
    tag: 'Keboola',
    body: 'NewMemberBody',
    ok: 201,
    response: 'ProjectInvitation',
    errors: [422],
  },
  'GET /manage/projects/:projectId/invitations/:invitationId': {
    summary: 'One invitation',
    tag: 'Keboola',
    ok: 200,
    response: 'ProjectInvitation',
  },
  'DELETE /manage/projects/:projectId/invitations/:invitationId': {
    summary: 'Cancel an invitation',
    tag: 'Keboola',
    ok: 204,
  },
  'GET /manage/current-user/projects-invitations': {
    summary: 'My project invitations',
    tag: 'Keboola',
    ok: 200,
    response: arr(ref('MyProjectInvitation')),
  },
  'GET /manage/current-user/projects-invitations/:invitationId': {
    summary: 'One of my project invitations',
    tag: 'Keboola',
    ok: 200,
    response: 'MyProjectInvitation',
  },
  'PUT /manage/current-user/projects-invitations/:invitationId': {
    summary: 'Accept a project invitation',
    tag: 'Keboola',
    body: 'Empty',
    ok: 202,
  },
  'DELETE /manage/current-user/projects-invitations/:invitationId': {
    summary: 'Decline a project invitation',
    tag: 'Keboola',
    ok: 204,
  },
  'GET /manage/organizations/:organizationId': {
    summary: 'Read an organization',
    tag: 'Keboola',
    ok: 200,
    response: 'Organization',
  },
  'PATCH /manage/organizations/:organizationId': {
    summary: 'Change name, Auto Join or MFA requirement (organization members)',
    tag: 'Keboola',
    body: 'UpdateOrganizationBody',
    ok: 200,
    response: 'Organization',
  },
  'POST /manage/organizations/:organizationId/join-organization': {
    summary: 'Join the organization (support/maintainer users, Auto Join on)',
    tag: 'Keboola',
    body: 'Empty',
    ok: 204,
    rateLimited: true,
  },
  'GET /manage/organizations/:organizationId/users': {
    summary: 'Organization members',
    tag: 'Keboola',
    ok: 200,
    response: arr(ref('OrganizationUser')),
  },
  'POST /manage/organizations/:organizationId/users': {
    summary: 'Add an organization member',
    tag: 'Keboola',
    body: 'EmailBody',
    ok: 204,
    errors: [422],
  },
  'DELETE /manage/organizations/:organizationId/users/:userId': {
    summary: 'Remove an organization member',
    tag: 'Keboola',
    ok: 204,
  },
  'GET /manage/organizations/:organizationId/invitations': {
    summary: 'Pending organization invitations',
    tag: 'Keboola',
    ok: 200,
    response: arr(ref('OrganizationInvitation')),
  },
  'POST /manage/organizations/:organizationId/invitations': {
    summary: 'Invite to the organization (its members)',
    tag: 'Keboola',
    body: 'EmailBody',
    ok: 201,
    response: 'OrganizationInvitation',
    errors: [422],
  },
  'DELETE /manage/organizations/:organizationId/invitations/:invitationId': {
    summary: 'Cancel an organization invitation',
    tag: 'Keboola',
    ok: 204,
  },
  'GET /manage/current-user/organizations-invitations': {
    summary: 'My organization invitations',
    tag: 'Keboola',
    ok: 200,
    response: arr(ref('MyOrganizationInvitation')),
  },
  'PUT /manage/current-user/organizations-invitations/:invitationId': {
    summary: 'Accept an organization invitation',
    tag: 'Keboola',
    body: 'Empty',
    ok: 202,
  },
  'DELETE /manage/current-user/organizations-invitations/:invitationId': {
    summary: 'Decline an organization invitation',
    tag: 'Keboola',
    ok: 204,
  },
  'POST /manage/support/tickets': {
    summary: `File a support ticket (idempotent per key and user; at most 10 a minute per user, then 429 with Retry-After; body at most ${BODY_LIMITS.ticket} bytes)`,
    tag: 'Support Kit',
    body: 'CreateTicketBody',
    ok: 201,
    response: 'Ticket',
    headers: ['Idempotency-Key'],
    rateLimited: true,
    errors: [404],
  },
  'GET /manage/support/tickets': {
    summary: `Tickets I may see, newest first, one page (offset, limit: default ${PAGE_LIMITS.default}, at most ${PAGE_LIMITS.max})`,
    tag: 'Support Kit',
    ok: 200,
    response: arr(ref('Ticket')),
    query: ['offset', 'limit'],
  },
  'GET /manage/support/tickets/:ticketId': {
    summary: 'One ticket',
    tag: 'Support Kit',
    ok: 200,
    response: 'Ticket',
  },
  'GET /manage/projects/:projectId/access-log': {
    summary: `Access history of a project, newest first (append-only), one page (offset, limit: default ${PAGE_LIMITS.default}, at most ${PAGE_LIMITS.max}), all actions or only \`action\` (one of the actions it records; anything else 400)`,
    tag: 'Support Kit',
    ok: 200,
    response: arr(ref('AccessLogEntry')),
    query: ['offset', 'limit', 'action'],
  },
  'GET /manage/current-user/events': {
    summary:
      'Live events (Server-Sent Events: id = envelope id, event = type, data = SupportEventEnvelope). Resume with Last-Event-ID or ?lastEventId. The token only in the X-KBC-ManageApiToken header (read the stream with fetch); ?token is a 401. At most 10 open streams per user, then 429 with Retry-After. Events are stored once per project audience and fanned out when read; they are kept 7 days by default (the retention option), which is the Last-Event-ID window: a client away longer resumes without what it missed.',
    tag: 'Support Kit',
    ok: 200,
    response: 'SupportEventEnvelope',
    contentType: 'text/event-stream',
    headers: ['Last-Event-ID'],
    query: ['lastEventId'],
    errors: [429],
  },
  'GET /openapi.json': {
    summary: 'This document',
    tag: 'Support Kit',
    ok: 200,
    public: true,
    response: { type: 'object', description: 'This OpenAPI document.' },
  },
  'GET /docs': {
    summary: 'This document as a page to read (HTML)',
    tag: 'Support Kit',
    ok: 200,
    public: true,
    contentType: 'text/html',
    response: str,
  },
  'GET /mailbox': {
    summary: 'Demo mailbox (HTML; only with --mailbox, to this machine only)',
    tag: 'Demo',
    ok: 200,
    public: true,
    contentType: 'text/html',
  },
  'GET /mailbox/:messageId': {
    summary: 'One message of the demo mailbox (HTML; only with --mailbox, to this machine only)',
    tag: 'Demo',
    ok: 200,
    public: true,
    contentType: 'text/html',
  },
  'POST /__test__/reset': {
    summary: `Empty the store, clear the rate limits' counters and load a fixture (body at most ${BODY_LIMITS.fixture} bytes; --test-mode only)`,
    tag: 'Test mode',
    body: 'Fixture',
    ok: 204,
    public: true,
  },
  'POST /__test__/clock': {
    summary: 'Move the clock forward; returns once everything due has happened (--test-mode only)',
    tag: 'Test mode',
    body: 'AdvanceClockBody',
    ok: 200,
    response: 'ClockAnswer',
    public: true,
  },
  'GET /__test__/outbox': {
    summary: 'Every e-mail queued, oldest first (--test-mode only)',
    tag: 'Test mode',
    ok: 200,
    response: arr(ref('OutboxMessage')),
    public: true,
  },
};
/** Paging of our extensions' lists (docs/api.md#our-extensions). */
const QUERY: Record<string, Schema> = {
  offset: { type: 'integer', minimum: 0, default: 0, description: 'Entries to skip (newest first).' },
  limit: {
    type: 'integer',
    minimum: 0,
    maximum: PAGE_LIMITS.max,
    default: PAGE_LIMITS.default,
    description: 'Entries in the page.',
  },
  lastEventId: { type: 'integer', minimum: 0, description: 'Resume after this event id.' },
  action: { enum: [...ACCESS_LOG_ACTIONS], description: "Only this action's entries." },
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request: a body, a path id or a parameter that is not valid, or a rule that refuses it (docs/rules.md)',
  401: 'Missing, unknown or over-long token, or a token in the query string',
  403: 'The caller may not do this (docs/rules.md)',
  404: 'No such object, or not one the caller may see',
  409: 'Decided already',
  413: 'The body is larger than the limit (counted while it streams in)',
  415: 'The body is not application/json',
  422: 'The e-mail address is not valid',
  429: 'Too many requests: try again after Retry-After seconds',
};

/**
 * The refusals a route can answer: those that follow from its form (a token, a path id, a body, a
 * query, a rate limit, the project's or the organization's access check), and its own.
 */
function refusals(method: string, path: string, op: Op): number[] {
  const out = new Set<number>(op.errors);
  if (!op.public) out.add(401);
  if (/:[A-Za-z]+/.test(path)) {
    out.add(400);
    out.add(404);
  }
  if (/^\/manage\/(projects|organizations)\/:/.test(path)) out.add(403);
  if (op.body) for (const status of [400, 413, 415]) out.add(status);
  if (method === 'DELETE') out.add(415);
  if (op.query) out.add(400);
  if (op.rateLimited) out.add(429);
  return [...out].sort((a, b) => a - b);
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

const TAGS = [
  {
    name: 'Keboola',
    description: "Routes of Keboola's Manage API (docs/api.md#routes; the differences: docs/keboola.md).",
  },
  { name: 'Support Kit', description: 'Our extensions (docs/api.md#our-extensions).' },
  { name: 'Test mode', description: 'Only with --test-mode (docs/api.md#test-mode).' },
  { name: 'Demo', description: "The demo's mailbox." },
];

function operation(method: string, path: string, op: Op): Record<string, unknown> {
  const parameters = [
    ...[...path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: m[1] === 'userIdOrEmail' ? str : { type: 'integer', minimum: 1 },
    })),
    ...(op.headers ?? []).map((name) => ({
      name,
      in: 'header',
      required: name === 'Idempotency-Key' || name === 'X-StorageApi-Token',
      schema: name === 'Idempotency-Key' ? { type: 'string', minLength: 1, maxLength: 200 } : str,
    })),
    ...(op.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: QUERY[name] ?? int })),
  ];
  const response = typeof op.response === 'string' ? ref(op.response) : op.response;
  const content = response ? { [op.contentType ?? 'application/json']: { schema: response } } : undefined;
  const responses: Record<string, unknown> = {
    [String(op.ok)]: { description: 'Success', ...(content ? { content } : {}) },
  };
  for (const status of refusals(method, path, op))
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? 'Refused',
      content: { 'application/json': { schema: ref('Error') } },
    };
  responses.default = {
    description: 'Anything else (an internal error: 500)',
    content: { 'application/json': { schema: ref('Error') } },
  };
  return {
    operationId: `${method.toLowerCase()}${toOpenApiPath(path)
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]?.toUpperCase() + w.slice(1))
      .join('')}`,
    summary: op.summary,
    tags: [op.tag],
    ...(op.public ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            // An empty body reads as `{}`: bodies whose fields are all optional may be left out.
            required: !['EntryBody', 'Empty'].includes(op.body),
            content: { 'application/json': { schema: ref(op.body) } },
          },
        }
      : {}),
    responses,
  };
}

export function openapiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, op] of Object.entries(OPERATIONS)) {
    const [method = 'GET', path = '/'] = key.split(' ');
    const item = paths[toOpenApiPath(path)] ?? {};
    paths[toOpenApiPath(path)] = item;
    item[method.toLowerCase()] = operation(method, path, op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Support Kit Manage API (mock backend)',
      version: '0.1.0',
      description: [
        "A part of Keboola's Manage API plus Support Kit's extensions (tickets, access log, live events).",
        'The conventions (errors, times, booleans) are in docs/api.md#conventions, who may call what in',
        'docs/rules.md, where we differ from Keboola in docs/keboola.md.',
        `Request bodies are JSON only (415 otherwise) and limited while they stream in (413): ${BODY_LIMITS.default} bytes unless an operation says otherwise.`,
        'join-project, request-access and join-organization together: at most 20 a minute per user (429 with Retry-After).',
      ].join(' '),
    },
    tags: TAGS,
    components: {
      schemas,
      securitySchemes: { manageToken: { type: 'apiKey', in: 'header', name: 'X-KBC-ManageApiToken' } },
    },
    security: [{ manageToken: [] }],
    paths,
  };
}

/** Where `npm run openapi` writes the document, from the repository's root. */
export const OPENAPI_FILE = 'docs/openapi.json';

/** The document as `npm run openapi` writes it (and as the test expects to find it). */
export function openapiFileText(): string {
  return `${JSON.stringify(openapiDocument(), null, 2)}\n`;
}
