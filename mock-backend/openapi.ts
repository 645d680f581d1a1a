// The OpenAPI document of every endpoint (Keboola's and ours). Written by hand next to the contract
// types; openapi.test.ts fails when a route of the app is missing here or one here has no route.

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const ts: Schema = { type: 'string', description: 'ISO-8601 with offset, e.g. 2026-11-27T10:50:00+0000' };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const boolInput: Schema = { anyOf: [bool, { enum: [0, 1] }] };
const role: Schema = { enum: ['admin', 'share', 'guest', 'readOnly'] };
function obj(properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

const userRef = obj({ id: int, name: str, email: str });
const idName = obj({ id: int, name: str });

const schemas: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['error', 'code', 'status', 'exceptionId'],
    properties: {
      error: str,
      code: str,
      status: { const: 'error' },
      exceptionId: str,
      errors: arr(obj({ key: str, message: str })),
    },
  },
  UserRef: userRef,
  IdName: idName,
  TokenVerification: obj({
    id: int,
    description: str,
    user: obj({ id: int, name: str, email: str, mfaEnabled: bool, isSuperAdmin: bool, features: arr(str) }),
  }),
  Organization: obj({
    id: int,
    name: str,
    created: ts,
    allowAutoJoin: bool,
    mfaRequired: bool,
    maintainer: idName,
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
    role,
    status: { const: 'active' },
    invitor: nullable(userRef),
    approver: nullable(userRef),
    kind: { enum: ['member', 'support', 'maintainer'] },
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
    role,
    user: userRef,
    creator: userRef,
  }),
  MyProjectInvitation: obj({
    id: int,
    created: ts,
    expires: nullable(ts),
    reason: nullable(str),
    role,
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
  Ticket: obj({
    id: int,
    number: str,
    created: ts,
    subject: str,
    description: str,
    type: { enum: ['question', 'problem', 'incident'] },
    severity: nullable({ enum: ['low', 'normal', 'high', 'critical'] }),
    project: nullable(idName),
    reporter: userRef,
    routedTo: str,
    context: { type: 'object' },
    attachments: arr(obj({ name: str, type: str, size: int })),
  }),
  AccessLogEntry: obj({
    id: int,
    created: ts,
    action: str,
    actor: nullable(userRef),
    subject: nullable(userRef),
    reason: nullable(str),
    details: { type: 'object' },
  }),
  SupportEventEnvelope: obj({ id: int, created: ts, event: { type: 'object', required: ['type'] } }),
  EntryBody: obj(
    {
      reason: nullable({ type: 'string', maxLength: 1000 }),
      expirationSeconds: nullable({ type: 'integer', minimum: 1 }),
    },
    [],
  ),
  NewMemberBody: obj(
    { email: str, role, reason: nullable(str), expirationSeconds: nullable({ type: 'integer', minimum: 1 }) },
    ['email'],
  ),
  RoleBody: obj({ role }),
  EmailBody: obj({ email: str }),
  NameBody: obj({ name: str }),
  UpdateOrganizationBody: obj({ name: str, allowAutoJoin: boolInput, mfaRequired: boolInput }, []),
  CreateStorageTokenBody: obj({ description: str, expiresIn: nullable(int) }, ['description']),
  CreateTicketBody: obj(
    {
      subject: { type: 'string', maxLength: 200 },
      description: { type: 'string', maxLength: 20000 },
      type: { enum: ['question', 'problem', 'incident'] },
      severity: { enum: ['low', 'normal', 'high', 'critical'] },
      projectId: int,
      context: { type: 'object' },
      attachments: arr(obj({ name: str, type: str, data: { type: 'string', contentEncoding: 'base64' } })),
    },
    ['subject', 'description', 'type'],
  ),
  Empty: obj({}, []),
  Fixture: { type: 'object', description: 'See docs/api.md#the-fixture' },
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
    summary: 'Create a Storage token to enter the project',
    tag: 'Keboola',
    body: 'CreateStorageTokenBody',
    ok: 201,
    response: 'StorageToken',
  },
  'POST /manage/projects/:projectId/join-project': {
    summary: 'Join a project directly (Auto Join on; organization users always)',
    tag: 'Keboola',
    body: 'EntryBody',
    ok: 204,
  },
  'POST /manage/projects/:projectId/request-access': {
    summary: 'Ask for access (support and maintainer users, Auto Join off)',
    tag: 'Keboola',
    body: 'EntryBody',
    ok: 201,
    response: 'MyJoinRequest',
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
    response: obj({ count: int }),
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
  },
  'DELETE /manage/projects/:projectId/join-requests/:requestId': {
    summary: 'Reject a join request (admin/share members)',
    tag: 'Keboola',
    ok: 204,
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
      "One active member (Support Kit's extension; Keboola has only PATCH and DELETE on this path): the extension reads its own membership without the whole list. The same readers as the list; 404 when the user is no active member.",
    tag: 'Support Kit',
    ok: 200,
    response: ref('ProjectUser'),
  },
  'POST /manage/projects/:projectId/users': {
    summary: 'Add a user',
    tag: 'Keboola',
    body: 'NewMemberBody',
    ok: 204,
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
    ok: 204,
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
    summary:
      'File a support ticket (idempotent per key and user; at most 10 a minute per user, then 429 with Retry-After; body at most 5 MiB)',
    tag: 'Support Kit',
    body: 'CreateTicketBody',
    ok: 201,
    response: 'Ticket',
    headers: ['Idempotency-Key'],
  },
  'GET /manage/support/tickets': {
    summary: 'Tickets I may see, newest first, one page (offset, limit: default 100, at most 1000)',
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
    summary:
      'Access history of a project, newest first (append-only), one page (offset, limit: default 100, at most 1000)',
    tag: 'Support Kit',
    ok: 200,
    response: arr(ref('AccessLogEntry')),
    query: ['offset', 'limit'],
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
  },
  'GET /openapi.json': { summary: 'This document', tag: 'Support Kit', ok: 200, public: true },
  'GET /mailbox': {
    summary: 'Demo mailbox (HTML)',
    tag: 'Demo',
    ok: 200,
    public: true,
    contentType: 'text/html',
  },
  'GET /mailbox/:messageId': {
    summary: 'One message of the demo mailbox (HTML)',
    tag: 'Demo',
    ok: 200,
    public: true,
    contentType: 'text/html',
  },
  'POST /__test__/reset': {
    summary:
      "Empty the store, clear the rate limits' counters and load a fixture (body at most 32 MiB; --test-mode only)",
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
schemas.AdvanceClockBody = obj({ advanceSeconds: { type: 'integer', minimum: 0 } });

/** Paging of our extensions' lists (docs/api.md#our-extensions). */
const QUERY: Record<string, Schema> = {
  offset: { type: 'integer', minimum: 0, default: 0, description: 'Entries to skip (newest first).' },
  limit: { type: 'integer', minimum: 0, maximum: 1000, default: 100, description: 'Entries in the page.' },
  lastEventId: { type: 'integer', minimum: 0, description: 'Resume after this event id.' },
};

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

export function openapiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, op] of Object.entries(OPERATIONS)) {
    const [method = 'GET', path = '/'] = key.split(' ');
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
        required: name === 'Idempotency-Key',
        schema: str,
      })),
      ...(op.query ?? []).map((name) => ({
        name,
        in: 'query',
        required: false,
        schema: QUERY[name] ?? int,
      })),
    ];
    const response =
      op.response === undefined
        ? undefined
        : typeof op.response === 'string'
          ? ref(op.response)
          : op.response;
    const content = response ? { [op.contentType ?? 'application/json']: { schema: response } } : undefined;
    const errorResponse = { description: 'Error', content: { 'application/json': { schema: ref('Error') } } };
    const item = paths[toOpenApiPath(path)] ?? {};
    paths[toOpenApiPath(path)] = item;
    item[method.toLowerCase()] = {
      summary: op.summary,
      tags: [op.tag],
      ...(op.public ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: op.body !== 'EntryBody',
              content: { 'application/json': { schema: ref(op.body) } },
            },
          }
        : {}),
      responses: {
        [String(op.ok)]: { description: 'Success', ...(content ? { content } : {}) },
        default: errorResponse,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Support Kit Manage API (mock backend)',
      version: '0.1.0',
      description:
        "A subset of Keboola's Manage API plus Support Kit's extensions (tickets, access log, live events). See docs/api.md. Request bodies are JSON only (415 otherwise) and limited while they stream in (413): 64 KiB unless an operation says otherwise. join-project and request-access together: at most 20 a minute per user (429 with Retry-After).",
    },
    components: {
      schemas,
      securitySchemes: { manageToken: { type: 'apiKey', in: 'header', name: 'X-KBC-ManageApiToken' } },
    },
    security: [{ manageToken: [] }],
    paths,
  };
}
