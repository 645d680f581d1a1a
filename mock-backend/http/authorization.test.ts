// The authorization matrix: every endpoint × every actor of docs/rules.md#actors × Auto Join on and off, every
// cell asserted. Generated from ONE table; the first test fails when the app has a route without a row.
import { describe, expect, it } from 'vitest';
import { firstState } from '../domain/thread.ts';
import { openapiDocument } from '../openapi.ts';
import { fixtureWith, type Harness, harness, IDS } from '../testing.ts';

// Outsiders (docs/rules.md#the-outsider-rule) at three depths:
// support / maintainer are in nothing; supportOrg / maintainerOrg are members of organization 10
// (which never makes them organization users); supportIn / maintainerIn are members of it and admin
// members of project 100 too. All see the project; only the members read its people, requests,
// invitations and history, and only those in the organization its users; the members work and make
// Storage tokens; none manages. supportNoMfa / maintainerNoMfa have MFA off: no standing anywhere
// (403 on every API route but tokens/verify).
type Actor =
  | 'support'
  | 'maintainer'
  | 'supportOrg'
  | 'maintainerOrg'
  | 'supportIn'
  | 'maintainerIn'
  | 'org'
  | 'admin'
  | 'share'
  | 'guest'
  | 'readOnly'
  | 'random'
  | 'supportNoMfa'
  | 'maintainerNoMfa';
const ACTORS: Actor[] = [
  'support',
  'maintainer',
  'supportOrg',
  'maintainerOrg',
  'supportIn',
  'maintainerIn',
  'org',
  'admin',
  'share',
  'guest',
  'readOnly',
  'random',
  'supportNoMfa',
  'maintainerNoMfa',
];
/** Support and maintainer accounts without MFA: refused everywhere but tokens/verify. */
const NO_STANDING: Actor[] = ['supportNoMfa', 'maintainerNoMfa'];
const MAINTAINER_NO_MFA = { id: 2005, email: 'nomfa@partner.test' };
const INSIDE_OUTSIDERS = [
  { actor: 'supportOrg', id: 2001, email: 'org@supportkit.test', isSuperAdmin: true, inProject: false },
  { actor: 'maintainerOrg', id: 2002, email: 'org@partner.test', isSuperAdmin: false, inProject: false },
  { actor: 'supportIn', id: 2003, email: 'inside@supportkit.test', isSuperAdmin: true, inProject: true },
  { actor: 'maintainerIn', id: 2004, email: 'inside@partner.test', isSuperAdmin: false, inProject: true },
] as const;
const TOKEN: Record<Actor, string> = {
  supportOrg: 'org-support-token',
  maintainerOrg: 'org-maintainer-token',
  supportIn: 'inside-support-token',
  maintainerIn: 'inside-maintainer-token',
  support: 'demo-support-token',
  maintainer: 'demo-maintainer-token',
  org: 'demo-org-token',
  admin: 'demo-admin-token',
  share: 'demo-share-token',
  guest: 'demo-guest-token',
  readOnly: 'demo-readonly-token',
  random: 'demo-random-token',
  supportNoMfa: 'demo-support-nomfa-token',
  maintainerNoMfa: 'nomfa-maintainer-token',
};
/** A user outside the matrix who owns the requests, invitations and tickets the rows act on. */
const OTHER = { id: 2000, email: 'other@supportkit.test', token: 'other-token' };

const OUTSIDERS: Actor[] = [
  'support',
  'maintainer',
  'supportOrg',
  'maintainerOrg',
  'supportIn',
  'maintainerIn',
];
/** Outsiders who are members of organization 10 (join-organization: already a member). */
const IN_ORG: Actor[] = ['supportOrg', 'maintainerOrg', 'supportIn', 'maintainerIn'];
/** See the project itself (name, organization, Auto Join): everyone but random users. */
const VIEWERS: Actor[] = [...OUTSIDERS, 'org', 'admin', 'share', 'guest', 'readOnly'];
const MEMBERS: Actor[] = ['admin', 'share', 'guest', 'readOnly', 'supportIn', 'maintainerIn'];
/** Read what is inside the project (users, requests, invitations, history): members and org users. */
const READERS: Actor[] = [...MEMBERS, 'org'];
const DECIDERS: Actor[] = ['admin', 'share'];
/** See every ticket of project 100: staff (docs/rules.md#tickets) and its deciders. */
const TICKET_SEERS: Actor[] = [...OUTSIDERS, ...DECIDERS];
const MANAGERS: Actor[] = ['admin', 'share', 'org'];
/** May enter the project with a Storage token: admin/share members (outsiders too) and org users. */
const ENTERERS: Actor[] = [...MANAGERS, 'supportIn', 'maintainerIn'];
/** See the organization itself (its Auto Join): org users, outsiders, members of its projects. */
const ORG_VIEWERS: Actor[] = ['org', ...OUTSIDERS];
/** Read its users and invitations: org users, and outsiders only while members of it. */
const ORG_READERS: Actor[] = ['org', ...IN_ORG];
/** Outsiders who are not members of project 100: they join (Auto Join on) or request (off). */
const OUTSIDE: Actor[] = ['support', 'maintainer', 'supportOrg', 'maintainerOrg'];

type Expect = (actor: Actor, autoJoin: boolean) => number;
const only =
  (ok: number, who: Actor[], otherwise = 403): Expect =>
  (a) =>
    who.includes(a) ? ok : otherwise;
const all =
  (status: number): Expect =>
  () =>
    status;

type H = Harness;
interface Row {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Creates what the request acts on; returns the id substituted for `{id}`. */
  setup?: (h: H) => Promise<number>;
  expect: Expect;
  /** No token needed (public or test-mode routes). */
  public?: boolean;
}

const reason = 'Matrix reason';
const pendingRequest = (h: H) =>
  h.store.insert('joinRequests', {
    projectId: 100,
    userId: OTHER.id,
    reason,
    created: 1,
    expires: null,
    status: 'pending',
    decidedBy: null,
    decided: null,
    ticketId: null,
    durationSeconds: null,
  });
const projectInvitation = (h: H) =>
  h.store.insert('projectInvitations', {
    projectId: 100,
    userId: OTHER.id,
    creatorId: IDS.admin,
    role: 'guest',
    reason: null,
    created: 1,
    expires: null,
  });
const orgInvitation = (h: H) =>
  h.store.insert('organizationInvitations', {
    organizationId: 10,
    userId: OTHER.id,
    creatorId: IDS.org,
    created: 1,
    expires: null,
  });
/** A webhook of organization 10 (id 900), made by its organization user. */
const webhook = (h: H) =>
  h.store.insert('webhookEndpoints', {
    id: 900,
    organizationId: 10,
    url: 'https://hooks.example.com/matrix',
    format: 'standard',
    events: ['member.joined'],
    secret: 'whsec_bWF0cml4LW1hdHJpeC1tYXRyaXgtbWF0cml4',
    created: 1,
    createdBy: IDS.org,
    disabled: null,
    failingSince: null,
  });
/** A failed delivery of webhook 900. */
const failedDelivery = async (h: H) => {
  await webhook(h);
  return h.store.insert('webhookDeliveries', {
    endpointId: 900,
    organizationId: 10,
    messageId: 'msg_matrix',
    type: 'member.joined',
    payload: '{}',
    created: 1,
    status: 'failed',
    attempts: 7,
    nextAttempt: null,
    lastAttempt: 2,
    responseStatus: 500,
    response: null,
    error: 'Answered 500.',
  });
};
/** A Storage token the admin member supportIn made in project 100 (`matrix-storage-token`). */
const outsiderToken = async (h: H) => {
  const m = await h.store.first('projectMembers', { projectId: 100, userId: 2003 });
  return h.store.insert('storageTokens', {
    projectId: 100,
    userId: 2003,
    tokenHash: h.ctx.hashToken('matrix-storage-token'),
    description: 'Matrix token',
    created: 1,
    expires: null,
    membershipId: m?.id ?? null,
  });
};
const ticket = (h: H) =>
  h.store.insert('tickets', {
    number: 'SK-1',
    reporterId: OTHER.id,
    idempotencyKey: 'k',
    created: 1,
    subject: 's',
    description: 'd',
    type: 'question',
    severity: null,
    projectId: 100,
    routedTo: 'support@partner.test',
    context: {},
    attachments: [],
    ...firstState(1),
  });
/** A ticket (as above) with one staff message, id 1 in the fresh store of each call. */
const ticketWithMessage = async (h: H) => {
  const ticketId = await ticket(h);
  await h.store.insert('ticketMessages', {
    ticketId,
    created: 1,
    kind: 'message',
    authorId: IDS.support,
    side: 'staff',
    via: 'extension',
    body: 'Hello',
    attachments: [],
    status: null,
    assigneeId: null,
    requestId: null,
    grantId: null,
    idempotencyKey: null,
    customerCount: 0,
    staffCount: 1,
  });
  return ticketId;
};

/** A grant of the admin's for a new ticket of OTHER's on project 100, with the ticket's id as its own. */
const grantOn = async (h: H) => {
  const id = await ticket(h);
  const now = Math.floor(h.clock.now() / 1000);
  await h.store.insert('accessGrants', {
    id,
    ticketId: id,
    projectId: 100,
    grantedBy: IDS.admin,
    created: now,
    expires: now + 3600,
    withdrawn: null,
    withdrawnBy: null,
    ended: false,
  });
  return id;
};
/** Staff who are not yet members of project 100: they join with a grant. */
const seeOr404 =
  (ok: number, who: Actor[], seers = TICKET_SEERS): Expect =>
  (a) =>
    who.includes(a) ? ok : NO_STANDING.includes(a) || seers.includes(a) ? 403 : 404;

// Keys are the app's routes exactly as registered (`METHOD /path/:param`).
const TABLE: Record<string, Row> = {
  'GET /manage/tokens/verify': { path: '/manage/tokens/verify', expect: all(200) },
  'GET /manage/projects/:projectId': { path: '/manage/projects/100', expect: only(200, VIEWERS) },
  'DELETE /manage/projects/:projectId': { path: '/manage/projects/100', expect: only(204, MANAGERS) },
  'POST /manage/organizations/:organizationId/projects': {
    path: '/manage/organizations/10/projects',
    body: { name: 'New' },
    expect: only(201, ['org']),
  },
  'POST /manage/projects/:projectId/tokens': {
    path: '/manage/projects/100/tokens',
    body: { description: 'enter' },
    expect: only(201, ENTERERS),
  },
  // Only the project's deciders see and revoke the Storage tokens its outsiders made.
  'GET /manage/projects/:projectId/tokens': {
    path: '/manage/projects/100/tokens',
    expect: only(200, DECIDERS),
  },
  'DELETE /manage/projects/:projectId/tokens/:tokenId': {
    path: '/manage/projects/100/tokens/{id}',
    setup: outsiderToken,
    expect: only(204, DECIDERS),
  },
  // Using a Storage token: its own header, no Manage API token, the same answer whoever asks.
  'GET /v2/storage/tokens/verify': {
    path: '/v2/storage/tokens/verify',
    headers: { 'X-StorageApi-Token': 'matrix-storage-token' },
    setup: outsiderToken,
    expect: all(200),
    public: true,
  },
  'POST /manage/projects/:projectId/join-project': {
    path: '/manage/projects/100/join-project',
    body: { reason },
    expect: (a, on) =>
      MEMBERS.includes(a) ? 400 : a === 'org' ? 204 : OUTSIDE.includes(a) ? (on ? 204 : 403) : 403,
  },
  'POST /manage/projects/:projectId/request-access': {
    path: '/manage/projects/100/request-access',
    body: { reason },
    expect: (a, on) =>
      MEMBERS.includes(a) || a === 'org' ? 400 : OUTSIDE.includes(a) ? (on ? 400 : 201) : 403,
  },
  'GET /manage/projects/:projectId/join-requests': {
    path: '/manage/projects/100/join-requests',
    expect: only(200, READERS),
  },
  // Ours: the launcher's dot, for those who may decide only.
  'GET /manage/projects/:projectId/join-requests/count': {
    path: '/manage/projects/100/join-requests/count',
    setup: pendingRequest,
    expect: only(200, DECIDERS),
  },
  'GET /manage/projects/:projectId/join-requests/:requestId': {
    path: '/manage/projects/100/join-requests/{id}',
    setup: pendingRequest,
    expect: only(200, READERS),
  },
  'PUT /manage/projects/:projectId/join-requests/:requestId': {
    path: '/manage/projects/100/join-requests/{id}',
    body: {},
    setup: pendingRequest,
    expect: only(202, DECIDERS),
  },
  'DELETE /manage/projects/:projectId/join-requests/:requestId': {
    path: '/manage/projects/100/join-requests/{id}',
    setup: pendingRequest,
    expect: only(204, DECIDERS),
  },
  'GET /manage/current-user/projects-join-requests': {
    path: '/manage/current-user/projects-join-requests',
    expect: all(200),
  },
  // Someone else's request: nobody but its requester sees or cancels it.
  'GET /manage/current-user/projects-join-requests/:requestId': {
    path: '/manage/current-user/projects-join-requests/{id}',
    setup: pendingRequest,
    expect: all(404),
  },
  'DELETE /manage/current-user/projects-join-requests/:requestId': {
    path: '/manage/current-user/projects-join-requests/{id}',
    setup: pendingRequest,
    expect: all(404),
  },
  'GET /manage/projects/:projectId/users': { path: '/manage/projects/100/users', expect: only(200, READERS) },
  // Ours: one member's row (the admin's), for the same readers as the list (one's own row: trust.test.ts).
  'GET /manage/projects/:projectId/users/:userId': {
    path: `/manage/projects/100/users/${IDS.admin}`,
    expect: only(200, READERS),
  },
  'POST /manage/projects/:projectId/users': {
    path: '/manage/projects/100/users',
    body: { email: 'new@acme.test', role: 'guest' },
    expect: only(204, MANAGERS),
  },
  'PATCH /manage/projects/:projectId/users/:userId': {
    path: `/manage/projects/100/users/${IDS.readOnly}`,
    body: { role: 'guest' },
    expect: only(200, MANAGERS),
  },
  // Rita (readOnly) removing herself is leaving, which a member may always do.
  'DELETE /manage/projects/:projectId/users/:userIdOrEmail': {
    path: `/manage/projects/100/users/${IDS.readOnly}`,
    expect: only(204, [...MANAGERS, 'readOnly']),
  },
  'GET /manage/projects/:projectId/invitations': {
    path: '/manage/projects/100/invitations',
    expect: only(200, READERS),
  },
  'POST /manage/projects/:projectId/invitations': {
    path: '/manage/projects/100/invitations',
    body: { email: 'new@acme.test', role: 'guest' },
    expect: only(201, MANAGERS),
  },
  'GET /manage/projects/:projectId/invitations/:invitationId': {
    path: '/manage/projects/100/invitations/{id}',
    setup: projectInvitation,
    expect: only(200, READERS),
  },
  'DELETE /manage/projects/:projectId/invitations/:invitationId': {
    path: '/manage/projects/100/invitations/{id}',
    setup: projectInvitation,
    expect: only(204, MANAGERS),
  },
  'GET /manage/current-user/projects-invitations': {
    path: '/manage/current-user/projects-invitations',
    expect: all(200),
  },
  'GET /manage/current-user/projects-invitations/:invitationId': {
    path: '/manage/current-user/projects-invitations/{id}',
    setup: projectInvitation,
    expect: all(404),
  },
  'PUT /manage/current-user/projects-invitations/:invitationId': {
    path: '/manage/current-user/projects-invitations/{id}',
    body: {},
    setup: projectInvitation,
    expect: all(404),
  },
  'DELETE /manage/current-user/projects-invitations/:invitationId': {
    path: '/manage/current-user/projects-invitations/{id}',
    setup: projectInvitation,
    expect: all(404),
  },
  'GET /manage/organizations/:organizationId': {
    path: '/manage/organizations/10',
    expect: only(200, [...ORG_VIEWERS, ...MEMBERS]),
  },
  'PATCH /manage/organizations/:organizationId': {
    path: '/manage/organizations/10',
    body: { allowAutoJoin: 0, mfaRequired: false },
    expect: only(200, ['org']),
  },
  'POST /manage/organizations/:organizationId/join-organization': {
    path: '/manage/organizations/10/join-organization',
    expect: (a, on) =>
      a === 'org' || IN_ORG.includes(a) ? 400 : OUTSIDE.includes(a) ? (on ? 204 : 403) : 403,
  },
  'GET /manage/organizations/:organizationId/users': {
    path: '/manage/organizations/10/users',
    expect: only(200, ORG_READERS),
  },
  'POST /manage/organizations/:organizationId/users': {
    path: '/manage/organizations/10/users',
    body: { email: 'new@acme.test' },
    // Outsiders never add organization users, Auto Join on or off.
    expect: only(204, ['org']),
  },
  'DELETE /manage/organizations/:organizationId/users/:userId': {
    path: `/manage/organizations/10/users/${IDS.org}`,
    expect: only(204, ['org']),
  },
  'GET /manage/organizations/:organizationId/invitations': {
    path: '/manage/organizations/10/invitations',
    expect: only(200, ORG_READERS),
  },
  'POST /manage/organizations/:organizationId/invitations': {
    path: '/manage/organizations/10/invitations',
    body: { email: 'new@acme.test' },
    expect: only(201, ['org']),
  },
  'DELETE /manage/organizations/:organizationId/invitations/:invitationId': {
    path: '/manage/organizations/10/invitations/{id}',
    setup: orgInvitation,
    expect: only(204, ['org']),
  },
  'GET /manage/current-user/organizations-invitations': {
    path: '/manage/current-user/organizations-invitations',
    expect: all(200),
  },
  'PUT /manage/current-user/organizations-invitations/:invitationId': {
    path: '/manage/current-user/organizations-invitations/{id}',
    body: {},
    setup: orgInvitation,
    expect: all(404),
  },
  'DELETE /manage/current-user/organizations-invitations/:invitationId': {
    path: '/manage/current-user/organizations-invitations/{id}',
    setup: orgInvitation,
    expect: all(404),
  },
  'POST /manage/support/tickets': {
    path: '/manage/support/tickets',
    headers: { 'Idempotency-Key': 'matrix' },
    body: { subject: 'Help', description: 'Broken', type: 'problem' },
    expect: all(201),
  },
  'GET /manage/support/tickets': { path: '/manage/support/tickets', expect: all(200) },
  // Someone else's ticket on project 100: support staff and the maintainer's users see it.
  // Someone else's ticket on project 100: support staff, the maintainer's users and the project's
  // deciders see it (issue 20); anyone else gets 404, as if it did not exist.
  'GET /manage/support/tickets/:ticketId': {
    path: '/manage/support/tickets/{id}',
    setup: ticket,
    expect: only(200, TICKET_SEERS, 404),
  },
  'PATCH /manage/support/tickets/:ticketId': {
    path: '/manage/support/tickets/{id}',
    setup: ticket,
    body: { status: 'solved' },
    expect: only(200, TICKET_SEERS, 404),
  },
  'GET /manage/support/tickets/:ticketId/messages': {
    path: '/manage/support/tickets/{id}/messages',
    setup: ticket,
    expect: only(200, TICKET_SEERS, 404),
  },
  'POST /manage/support/tickets/:ticketId/messages': {
    path: '/manage/support/tickets/{id}/messages',
    setup: ticket,
    headers: { 'Idempotency-Key': 'matrix' },
    body: { body: 'Hello' },
    expect: only(201, TICKET_SEERS, 404),
  },
  'POST /manage/support/tickets/:ticketId/read': {
    path: '/manage/support/tickets/{id}/read',
    setup: ticketWithMessage,
    body: { messageId: 1 },
    expect: only(204, TICKET_SEERS, 404),
  },
  // Staff only; the deciders see the ticket but assign nothing.
  'GET /manage/support/tickets/:ticketId/assignees': {
    path: '/manage/support/tickets/{id}/assignees',
    setup: ticket,
    expect: (a) => (OUTSIDERS.includes(a) ? 200 : DECIDERS.includes(a) ? 403 : 404),
  },
  'GET /manage/projects/:projectId/support-badge': {
    path: '/manage/projects/100/support-badge',
    expect: only(200, VIEWERS),
  },
  'GET /manage/projects/:projectId/access-log': {
    path: '/manage/projects/100/access-log?limit=10',
    expect: only(200, READERS),
  },
  'GET /manage/current-user/events': { path: '/manage/current-user/events', expect: all(200) },
  // Webhooks: the organization's own users only; never an outsider, even one inside it.
  'GET /manage/organizations/:organizationId/webhooks': {
    path: '/manage/organizations/10/webhooks',
    expect: only(200, ['org']),
  },
  'POST /manage/organizations/:organizationId/webhooks': {
    path: '/manage/organizations/10/webhooks',
    body: { url: 'https://hooks.example.com/new', events: ['member.joined'] },
    expect: only(201, ['org']),
  },
  'PATCH /manage/organizations/:organizationId/webhooks/:webhookId': {
    path: '/manage/organizations/10/webhooks/{id}',
    body: { enabled: false },
    setup: webhook,
    expect: only(200, ['org']),
  },
  'DELETE /manage/organizations/:organizationId/webhooks/:webhookId': {
    path: '/manage/organizations/10/webhooks/{id}',
    setup: webhook,
    expect: only(204, ['org']),
  },
  'GET /manage/organizations/:organizationId/webhooks/:webhookId/deliveries': {
    path: '/manage/organizations/10/webhooks/{id}/deliveries',
    setup: webhook,
    expect: only(200, ['org']),
  },
  'POST /manage/organizations/:organizationId/webhooks/:webhookId/test': {
    path: '/manage/organizations/10/webhooks/{id}/test',
    body: {},
    setup: webhook,
    expect: only(201, ['org']),
  },
  'POST /manage/organizations/:organizationId/webhooks/:webhookId/deliveries/:deliveryId/retry': {
    path: '/manage/organizations/10/webhooks/900/deliveries/{id}/retry',
    body: {},
    setup: failedDelivery,
    expect: only(200, ['org']),
  },
  // Access for a ticket: the customer's deciders grant and withdraw; staff see the ticket (403);
  // those who may not see it, 404.
  'POST /manage/support/tickets/:ticketId/grants': {
    path: '/manage/support/tickets/{id}/grants',
    setup: ticket,
    body: {},
    expect: seeOr404(201, DECIDERS),
  },
  'GET /manage/support/tickets/:ticketId/grants': {
    path: '/manage/support/tickets/{id}/grants',
    setup: ticket,
    expect: seeOr404(200, TICKET_SEERS),
  },
  'DELETE /manage/support/tickets/:ticketId/grants/:grantId': {
    path: '/manage/support/tickets/{id}/grants/{id}',
    setup: grantOn,
    expect: seeOr404(204, DECIDERS),
  },
  'GET /manage/support/grants': { path: '/manage/support/grants', expect: all(200) },
  // Staff outside the project join (those inside already are members: 400); deciders see the ticket
  // but are no staff (403).
  'POST /manage/support/grants/:grantId/join': {
    path: '/manage/support/grants/{id}/join',
    setup: grantOn,
    body: {},
    expect: (a) =>
      OUTSIDE.includes(a) ? 204 : ['supportIn', 'maintainerIn'].includes(a) ? 400 : seeOr404(0, [])(a, false),
  },
  'GET /openapi.json': { path: '/openapi.json', expect: all(200), public: true },
  'GET /docs': { path: '/docs', expect: all(200), public: true },
  'GET /mailbox': { path: '/mailbox', expect: all(200), public: true },
  'GET /mailbox/:messageId': {
    path: '/mailbox/{id}',
    setup: (h) =>
      h.store.insert('outbox', {
        to: 'a@b.test',
        subject: 's',
        text: 't',
        html: 'h',
        created: 1,
        jobId: null,
        replyTo: null,
        smtpSentAt: null,
        attempts: 0,
        nextAttemptAt: 0,
        lastError: null,
      }),
    expect: all(200),
    public: true,
  },
  'POST /__test__/reset': { path: '/__test__/reset', body: {}, expect: all(204), public: true },
  'POST /__test__/clock': {
    path: '/__test__/clock',
    body: { advanceSeconds: 1 },
    expect: all(200),
    public: true,
  },
  'GET /__test__/outbox': { path: '/__test__/outbox', expect: all(200), public: true },
};

function matrixHarness(autoJoin: boolean): Promise<H> {
  return harness({
    fixture: fixtureWith((f) => {
      for (const o of f.organizations) if (o.id === 10) o.allowAutoJoin = autoJoin;
      f.users.push({
        id: OTHER.id,
        email: OTHER.email,
        name: 'Other',
        mfaEnabled: true,
        isSuperAdmin: true,
        token: OTHER.token,
      });
      for (const o of INSIDE_OUTSIDERS) {
        f.users.push({
          id: o.id,
          email: o.email,
          name: o.actor,
          mfaEnabled: true,
          isSuperAdmin: o.isSuperAdmin,
          token: TOKEN[o.actor],
        });
        if (!o.isSuperAdmin) f.maintainerMembers.push({ maintainerId: 1, userId: o.id });
        f.organizationMembers.push({ organizationId: 10, userId: o.id });
        if (o.inProject)
          f.projectMembers.push({ projectId: 100, userId: o.id, role: 'admin', reason: 'Matrix' });
      }
      f.users.push({
        id: MAINTAINER_NO_MFA.id,
        email: MAINTAINER_NO_MFA.email,
        name: 'maintainerNoMfa',
        mfaEnabled: false,
        isSuperAdmin: false,
        token: TOKEN.maintainerNoMfa,
      });
      f.maintainerMembers.push({ maintainerId: 1, userId: MAINTAINER_NO_MFA.id });
    }),
  });
}

async function call(h: H, method: string, row: Row, token: string | null): Promise<number> {
  const id = row.setup ? await row.setup(h) : 0;
  const headers: Record<string, string> = { ...row.headers };
  if (token) headers['X-KBC-ManageApiToken'] = token;
  if (row.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await h.fetch(`http://backend.test${row.path.replaceAll('{id}', String(id))}`, {
    method,
    headers,
    body: row.body === undefined ? undefined : JSON.stringify(row.body),
  });
  await res.body?.cancel();
  // Every answer of the API, success or error, is readable cross-origin; the mailbox and the test
  // routes are not.
  const api = row.path.startsWith('/manage/') || row.path === '/openapi.json';
  expect(res.headers.get('Access-Control-Allow-Origin'), `${method} ${row.path}`).toBe(api ? '*' : null);
  return res.status;
}

// Every status this matrix expects (each actor, Auto Join on and off, and no token) is one the OpenAPI
// document names for that route: a refusal the rules give must be in the contract.
it('expects only statuses the OpenAPI document names for each route', () => {
  const paths = openapiDocument().paths as Record<
    string,
    Record<string, { responses: Record<string, unknown> }>
  >;
  const missing: string[] = [];
  for (const [key, row] of Object.entries(TABLE)) {
    const [method = 'GET', path = '/'] = key.split(' ');
    const responses = paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]?.responses ?? {};
    const statuses = new Set(ACTORS.flatMap((a) => [row.expect(a, true), row.expect(a, false)]));
    if (!row.public) statuses.add(401);
    for (const status of statuses) if (!(String(status) in responses)) missing.push(`${key} ${status}`);
  }
  expect(missing).toEqual([]);
});

it('has a row for every route of the app, and a route for every row', async () => {
  const h = await harness();
  const routes = new Set(h.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
  expect([...routes].sort()).toEqual(Object.keys(TABLE).sort());
});

describe.each([true, false])('Auto Join %s', (autoJoin) => {
  for (const [key, row] of Object.entries(TABLE)) {
    const method = key.split(' ')[0] ?? 'GET';
    it(`${key}: every actor gets the status of the table`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const actor of ACTORS) {
        const h = await matrixHarness(autoJoin);
        got[actor] = await call(h, method, row, TOKEN[actor]);
        want[actor] =
          NO_STANDING.includes(actor) && !row.public && key !== 'GET /manage/tokens/verify'
            ? 403
            : row.expect(actor, autoJoin);
      }
      const anonymous = await matrixHarness(autoJoin);
      got.none = await call(anonymous, method, row, null);
      want.none = row.public ? row.expect('random', autoJoin) : 401;
      expect(got).toEqual(want);
    });
  }
});
