// Contract tests: a real Keboola stack and our mock backend are interchangeable behind the typed client.
// The REAL client (api/client.ts) talks real HTTP to the mock backend (test mode, demo data reset
// before every test; each flavor on the memory store and on PostgreSQL) and every answer is held to docs/api.md: the status code of the endpoint,
// the exact shape of every object (shapes.ts: every field, the right JSON type, nothing extra), the
// error body `{ error, code, status: "error", exceptionId }` and how the client maps it. A last test
// fails when a client method has no contract test that called it successfully.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AccessLogAction,
  type ApiResult,
  type Client,
  createClient,
  type ErrorBody,
  type MyJoinRequest,
  type ProjectRole,
  type ProjectUser,
} from '../../api/index.ts';
import { FLAVORS, type Flavor } from '../../mock-backend/app.ts';
import { openapiDocument } from '../../mock-backend/openapi.ts';
import { type RunningServer, startServer } from '../../mock-backend/server.ts';
import { DEMO, IDS, type Persona, TOKENS } from '../../mock-backend/testing.ts';
import { createTestDatabase, dropTestDatabase } from '../postgres-db.ts';
import { type Answer, walkAnswers } from './openapi-walk.ts';
import {
  AccessGrantShape,
  AccessLogEntryShape,
  arrayOf,
  assertShape,
  ErrorBodyShape,
  IdNameShape,
  MyJoinRequestShape,
  MyOrganizationInvitationShape,
  MyProjectInvitationShape,
  nullable,
  OrganizationInvitationShape,
  OrganizationShape,
  OrganizationUserShape,
  OutsiderStorageTokenShape,
  optional,
  ProjectInvitationShape,
  ProjectJoinRequestShape,
  ProjectShape,
  ProjectUserShape,
  type Shape,
  StorageTokenShape,
  SupportBadgeShape,
  TicketMessageShape,
  TicketShape,
  TokenVerificationShape,
  UserRefShape,
} from './shapes.ts';

// ---- The backend, the recorded clients ---------------------------------------------------------------

// Every test runs against both flavors of the mock backend: ours, and Keboola's wire shapes
// (mock-backend/flavors/keboola.ts) read through the same client.
let server: RunningServer;
let current: Flavor = 'default';

/** Keboola's project users carry no `kind`: the client finds support users by their e-mail domain. */
const SUPPORT_DOMAINS = ['supportkit.test'];

/** The stores every flavor runs on: the whole suite passes on each. */
const STORES = ['memory', 'postgres'] as const;
type StoreName = (typeof STORES)[number];

function serve(flavor: Flavor, storeName: StoreName): void {
  let database: string | undefined;
  beforeAll(async () => {
    current = flavor;
    called.clear();
    succeeded.clear();
    answers.length = 0;
    database = storeName === 'postgres' ? await createTestDatabase() : undefined;
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      db: database ?? ':memory:',
      testMode: true,
      smtpUrl: null,
      flavor,
    });
    expect(server.store.kind).toBe(storeName);
  });
  afterAll(async () => {
    await server?.close();
    if (database) await dropTestDatabase(database);
  });
  beforeEach(async () => {
    const r = await fetch(`${server.url}/__test__/reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(DEMO),
    });
    expect(r.status).toBe(204);
  });
}

/** The client reads each body once; this keeps the raw text so error bodies can be checked as sent. */
const rawBodies = new WeakMap<Response, string>();
/** Every answer the client got, for the walk through the OpenAPI document (the last test). */
const answers: Answer[] = [];
async function recordingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const body = await response.clone().text();
  rawBodies.set(response, body);
  const request = input instanceof Request ? input : null;
  answers.push({
    method: init?.method ?? request?.method ?? 'GET',
    url: request?.url ?? String(input),
    status: response.status,
    contentType: response.headers.get('content-type'),
    body,
  });
  return response;
}

/** Client methods called, and those that got a success answer at least once (for the last test). */
const called = new Set<string>();
const succeeded = new Set<string>();
const NOT_ENDPOINTS = ['baseUrl', 'request', 'eventsUrl', 'capabilities', 'supports'];
/** Our extensions: on the Keboola flavor they are 404 and never succeed. */
const EXTENSION_METHODS = [
  'createTicket',
  'listTickets',
  'getTicket',
  'listAccessLog',
  'getProjectUser',
  'countPendingJoinRequests',
  'listOutsiderStorageTokens',
  'revokeStorageToken',
  'listTicketsIn',
  'listMessages',
  'postMessage',
  'updateTicket',
  'markRead',
  'listAssignees',
  'getSupportBadge',
  'grantAccess',
  'listTicketGrants',
  'withdrawGrant',
  'listGrants',
  'joinWithGrant',
];

function isSuccess(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'error' in value && value.error === undefined;
}

function recorded(client: Client): Client {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        called.add(prop);
        const out: unknown = Reflect.apply(value, target, args);
        if (!(out instanceof Promise)) return out;
        return out.then((res: unknown) => {
          if (isSuccess(res)) succeeded.add(prop);
          return res;
        });
      };
    },
  });
}

function clientWith(getToken: () => string): Client {
  return recorded(
    createClient({
      baseUrl: server.url,
      getToken,
      fetch: recordingFetch,
      timeoutMs: 5000,
      ...(current === 'keboola' ? { supportEmailDomains: SUPPORT_DOMAINS } : {}),
    }),
  );
}
const as = (persona: Persona): Client => clientWith(() => TOKENS[persona]);

// ---- Assertions --------------------------------------------------------------------------------------

function rawBody(response: Response | undefined): string {
  if (!response) throw new Error('no HTTP response');
  const text = rawBodies.get(response);
  if (text === undefined) throw new Error('response was not recorded');
  return text;
}

/** Success with a JSON body of this shape and status; returns the data. */
async function expectJson<T>(
  call: Promise<ApiResult<T>>,
  status: number,
  shape: Shape,
  label: string,
): Promise<T> {
  const res = await call;
  if (res.error !== undefined)
    throw new Error(`${label}: expected HTTP ${status}, got error ${JSON.stringify(res.error)}`);
  expect(res.response.status, label).toBe(status);
  expect(res.response.headers.get('content-type'), label).toMatch(/^application\/json/);
  assertShape(res.data, shape, label);
  return res.data;
}

/** A 200 list of this item shape with at least one item (an empty list would leave the items unchecked). */
async function expectList<T>(call: Promise<ApiResult<T[]>>, item: Shape, label: string): Promise<T[]> {
  const data = await expectJson(call, 200, arrayOf(item), label);
  expect(data.length, `${label}: needs an item to check its shape`).toBeGreaterThan(0);
  return data;
}

/** Success with no body (204, and 202 where docs/api.md names no object). */
async function expectEmpty(call: Promise<ApiResult<void>>, status: 202 | 204, label: string): Promise<void> {
  const res = await call;
  if (res.error !== undefined)
    throw new Error(`${label}: expected HTTP ${status}, got error ${JSON.stringify(res.error)}`);
  expect(res.response.status, label).toBe(status);
  expect(rawBody(res.response), `${label}: body`).toBe('');
  expect(res.data).toBeUndefined();
}

interface ExpectedError {
  status: number;
  code?: string;
  message?: string | RegExp;
  /** `errors[0].key` */
  key?: string;
}

/** The docs/api.md error body as sent, and the client's `{ kind: 'http', … }` made of exactly that body. */
async function expectError(
  call: Promise<ApiResult<unknown>>,
  expected: ExpectedError,
  label: string,
): Promise<ErrorBody> {
  const res = await call;
  expect(res.data, label).toBeUndefined();
  expect(res.response?.status, `${label}: status`).toBe(expected.status);
  expect(res.response?.headers.get('content-type'), label).toMatch(/^application\/json/);
  const body: unknown = JSON.parse(rawBody(res.response));
  assertShape(body, current === 'keboola' ? KeboolaErrorBodyShape : ErrorBodyShape, `${label} error body`);
  const b = body as Omit<ErrorBody, 'code'> & { code?: string | number };
  const sent: ErrorBody = { ...b, code: b.code === undefined ? '' : String(b.code) };
  expect(b.exceptionId, label).not.toBe('');
  expect(res.error, label).toEqual({
    kind: 'http',
    httpStatus: expected.status,
    code: sent.code,
    message: b.error,
    exceptionId: b.exceptionId,
    errors: b.errors ?? [],
  });
  if (expected.code !== undefined)
    expect(b.code, `${label}: code`).toBe(wireCode(expected.code, expected.status));
  if (typeof expected.message === 'string') expect(b.error, `${label}: message`).toBe(expected.message);
  else if (expected.message) expect(b.error, `${label}: message`).toMatch(expected.message);
  if (expected.key !== undefined) expect(b.errors?.[0]?.key, `${label}: errors[0].key`).toBe(expected.key);
  return sent;
}

/** Keboola's error body: `code` a string, an integer or missing (mock-backend/flavors/README.md). */
const KeboolaErrorBodyShape = { ...ErrorBodyShape, code: optional('string|integer') };
/** The string codes Keboola's own tests assert; others go as the HTTP status, route-not-found with none. */
const KEBOOLA_NAMED_CODES = [
  'manage.mfaRequired',
  'manage.updateOrganizationPermissionDenied',
  'manage.joinOrganizationPermissionDenied',
  'manage.projectUserLimitReached',
];
function wireCode(code: string, status: number): string | number | undefined {
  if (current !== 'keboola' || KEBOOLA_NAMED_CODES.includes(code)) return code;
  return code === 'manage.routeNotFound' || code === 'manage.internalError' ? undefined : status;
}

/** `2026-11-27T10:50:00+0000` → epoch ms (Date.parse wants the offset as `+00:00`). */
const ms = (t: string): number => Date.parse(t.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

function member(users: ProjectUser[], id: number): ProjectUser {
  const u = users.find((x) => x.id === id);
  if (!u) throw new Error(`user ${id} is not in the list`);
  return u;
}

const ref = (persona: Persona) => {
  const u = DEMO.users?.find((x) => x.id === IDS[persona]);
  if (!u) throw new Error(`no demo user ${persona}`);
  return { id: u.id, name: u.name, email: u.email };
};

async function requestAccessAsSupport(
  reason = 'Ticket SK-1001: failing orchestration',
): Promise<MyJoinRequest> {
  return expectJson(
    as('support').requestAccess(100, { reason, expirationSeconds: 7200 }),
    201,
    MyJoinRequestShape,
    'request-access',
  );
}

// ---- Success paths -----------------------------------------------------------------------------------

const RUNS = FLAVORS.flatMap((flavor) => STORES.map((storeName) => [flavor, storeName] as const));
describe.each(RUNS)('%s flavor on %s', (flavor, storeName) => {
  const keboola = flavor === 'keboola';
  serve(flavor, storeName);
  // Keboola's PATCH answer has no maintainer; its organization users are `{ id, name, email }` only.
  const PatchedOrganization = keboola
    ? { ...OrganizationShape, maintainer: nullable(IdNameShape) }
    : OrganizationShape;
  const OrgUser = keboola ? { ...OrganizationUserShape, created: 'string' as const } : OrganizationUserShape;

  describe('tokens', () => {
    it('GET /tokens/verify answers 200 with the token and its user', async () => {
      const v = await expectJson(as('support').verifyToken(), 200, TokenVerificationShape, 'tokens/verify');
      expect(v.user).toEqual({ ...ref('support'), mfaEnabled: true, isSuperAdmin: true, features: [] });
    });
  });

  describe('projects', () => {
    it('a member reads a project (200); usage counts members, limits come from the project', async () => {
      const p = await expectJson(as('admin').getProject(100), 200, ProjectShape, 'GET project');
      expect(p).toMatchObject({
        id: 100,
        name: 'Acme Main',
        organization: { id: 10, name: 'Acme Analytics' },
        limits: { users: 5 },
        usage: { users: 4 },
      });
    });

    it('an organization member creates a project (201) and is its first member; deleting it answers 204, then 404', async () => {
      const p = await expectJson(
        as('org').createProject(10, { name: 'Acme Lab' }),
        201,
        ProjectShape,
        'POST organizations/projects',
      );
      expect(p).toMatchObject({ name: 'Acme Lab', organization: { id: 10 }, usage: { users: 1 } });
      await expectEmpty(as('org').deleteProject(p.id), 204, 'DELETE project');
      await expectError(as('org').getProject(p.id), { status: 404, code: 'manage.notFound' }, 'GET deleted');
    });

    it('deleting a project takes its pending join requests away for good', async () => {
      await requestAccessAsSupport();
      await expectEmpty(as('admin').deleteProject(100), 204, 'DELETE project');
      const mine = await expectJson(
        as('support').listMyJoinRequests(),
        200,
        arrayOf(MyJoinRequestShape),
        'mine',
      );
      expect(mine).toEqual([]);
    });

    it('an admin member gets a Storage token (201), with an expiry only when asked for', async () => {
      const t = await expectJson(
        as('admin').createStorageToken(100, { description: 'Enter from the widget', expiresIn: 3600 }),
        201,
        StorageTokenShape,
        'POST tokens',
      );
      expect(t.description).toBe('Enter from the widget');
      expect(t.expires === null ? null : ms(t.expires) - ms(t.created)).toBe(3600_000);
      const permanent = await expectJson(
        as('org').createStorageToken(100, { description: 'Org user' }),
        201,
        StorageTokenShape,
        'POST tokens (organization user)',
      );
      expect(permanent.expires).toBeNull();
    });
  });

  describe('support access: join-project, request-access and the decisions', () => {
    it('support and maintainer users who are not members see the project they ask for (200), not its people (403)', async () => {
      await expectJson(as('support').getProject(100), 200, ProjectShape, 'GET project (support)');
      await expectJson(as('maintainer').getProject(100), 200, ProjectShape, 'GET project (maintainer)');
      for (const p of ['support', 'maintainer'] as const) {
        await expectError(as(p).listProjectUsers(100), { status: 403 }, `GET users (${p})`);
        await expectError(as(p).listJoinRequests(100), { status: 403 }, `GET join-requests (${p})`);
        await expectError(as(p).listProjectInvitations(100), { status: 403 }, `GET invitations (${p})`);
        await expectError(as(p).listOrganizationUsers(10), { status: 403 }, `GET organization users (${p})`);
      }
    });

    it('a membership is gone from the list the second it expires', async () => {
      await expectEmpty(
        as('support').joinProject(101, { reason: 'Short look', expirationSeconds: 60 }),
        204,
        'join',
      );
      const before = await expectList(as('betaAdmin').listProjectUsers(101), ProjectUserShape, 'GET users');
      expect(before.map((u) => u.id)).toContain(IDS.support);
      const r = await fetch(`${server.url}/__test__/clock`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: 60 }),
      });
      expect(r.status).toBe(200);
      const after = await expectList(as('betaAdmin').listProjectUsers(101), ProjectUserShape, 'GET users');
      expect(after.map((u) => u.id)).toEqual([IDS.betaAdmin]);
    });

    it('with Auto Join on, support joins directly (204): a badged member, approved by themselves, expiring', async () => {
      await expectEmpty(
        as('support').joinProject(101, { reason: 'Investigating SK-1002', expirationSeconds: 3600 }),
        204,
        'join-project',
      );
      const users = await expectList(as('betaAdmin').listProjectUsers(101), ProjectUserShape, 'GET users');
      const sam = member(users, IDS.support);
      expect(sam).toMatchObject({
        role: 'admin',
        kind: 'support',
        status: 'active',
        reason: 'Investigating SK-1002',
        invitor: null,
        approver: ref('support'),
      });
      expect(sam.expires === null ? null : ms(sam.expires) - ms(sam.created)).toBe(3600_000);
      const p = await expectJson(as('betaAdmin').getProject(101), 200, ProjectShape, 'GET project');
      expect(p.usage.users).toBe(1);
    });

    it('a maintainer joining without expirationSeconds gets the 48-hour default', async () => {
      await expectEmpty(as('maintainer').joinProject(101, { reason: 'Upgrade check' }), 204, 'join-project');
      const users = await expectList(as('betaAdmin').listProjectUsers(101), ProjectUserShape, 'GET users');
      const mark = member(users, IDS.maintainer);
      // Keboola's project users carry no kind, and nothing on them tells a maintainer user apart.
      expect(mark.kind).toBe(keboola ? 'member' : 'maintainer');
      expect(mark.expires === null ? null : ms(mark.expires) - ms(mark.created)).toBe(48 * 3600_000);
    });

    it('with Auto Join off, support requests access (201) and both sides see the pending request (200)', async () => {
      const mine = await requestAccessAsSupport('Quarterly audit');
      expect(mine).toMatchObject({ reason: 'Quarterly audit', project: { id: 100, name: 'Acme Main' } });
      expect(mine.expires === null ? null : ms(mine.expires) - ms(mine.created)).toBe(7200_000);

      const list = await expectList(
        as('admin').listJoinRequests(100),
        ProjectJoinRequestShape,
        'GET join-requests',
      );
      expect(list).toEqual([
        {
          id: mine.id,
          created: mine.created,
          expires: mine.expires,
          reason: mine.reason,
          user: ref('support'),
          ticket: null,
        },
      ]);
      const one = await expectJson(
        as('guest').getJoinRequest(100, mine.id),
        200,
        ProjectJoinRequestShape,
        'GET join-requests/{id}',
      );
      expect(one).toEqual(list[0]);

      const myList = await expectList(
        as('support').listMyJoinRequests(),
        MyJoinRequestShape,
        'GET current-user/projects-join-requests',
      );
      expect(myList).toEqual([mine]);
      const myOne = await expectJson(
        as('support').getMyJoinRequest(mine.id),
        200,
        MyJoinRequestShape,
        'GET current-user/projects-join-requests/{id}',
      );
      expect(myOne).toEqual(mine);
    });

    it('an admin approves (202): the requester is an admin member with the request reason, expiry and approver; the request is gone', async () => {
      const mine = await requestAccessAsSupport('Fix the failing flow');
      await expectEmpty(as('admin').approveJoinRequest(100, mine.id), 202, 'PUT join-requests/{id}');

      const users = await expectList(as('admin').listProjectUsers(100), ProjectUserShape, 'GET users');
      expect(member(users, IDS.support)).toMatchObject({
        role: 'admin',
        kind: 'support',
        reason: 'Fix the failing flow',
        expires: mine.expires,
        invitor: null,
        approver: ref('admin'),
      });
      expect(
        await expectJson(as('admin').listJoinRequests(100), 200, arrayOf(ProjectJoinRequestShape), 'list'),
      ).toEqual([]);
      expect(
        await expectJson(as('support').listMyJoinRequests(), 200, arrayOf(MyJoinRequestShape), 'mine'),
      ).toEqual([]);
    });

    it('a share member rejects (204): no membership, the request is gone', async () => {
      const mine = await requestAccessAsSupport();
      await expectEmpty(as('share').rejectJoinRequest(100, mine.id), 204, 'DELETE join-requests/{id}');
      const users = await expectList(as('admin').listProjectUsers(100), ProjectUserShape, 'GET users');
      expect(users.map((u) => u.id)).not.toContain(IDS.support);
      expect(
        await expectJson(as('admin').listJoinRequests(100), 200, arrayOf(ProjectJoinRequestShape), 'list'),
      ).toEqual([]);
    });

    it('the requester cancels their request (204); deciding it afterwards answers 404 or 409', async () => {
      const mine = await requestAccessAsSupport();
      await expectEmpty(
        as('support').cancelMyJoinRequest(mine.id),
        204,
        'DELETE current-user/projects-join-requests',
      );
      const b = await as('admin').approveJoinRequest(100, mine.id);
      expect([404, 409]).toContain(b.response?.status);
    });
  });

  describe('project users', () => {
    it('the list (200) shows every member with the exact ProjectUser shape', async () => {
      const users = await expectList(as('readOnly').listProjectUsers(100), ProjectUserShape, 'GET users');
      expect(users.map((u) => [u.id, u.role, u.kind]).sort()).toEqual([
        [IDS.admin, 'admin', 'member'],
        [IDS.share, 'share', 'member'],
        [IDS.guest, 'guest', 'member'],
        [IDS.readOnly, 'readOnly', 'member'],
      ]);
    });

    it('an admin adds a user by e-mail (204): a member invited by the admin, not approved by anyone', async () => {
      await expectEmpty(
        as('admin').addProjectUser(100, { email: 'dana@acme.test', role: 'guest', reason: 'New analyst' }),
        204,
        'POST users',
      );
      const users = await expectList(as('admin').listProjectUsers(100), ProjectUserShape, 'GET users');
      const dana = users.find((u) => u.email === 'dana@acme.test');
      expect(dana).toMatchObject({
        role: 'guest',
        kind: 'member',
        reason: 'New analyst',
        expires: null,
        invitor: ref('admin'),
        approver: null,
      });
    });

    it('an admin changes a role (200 ProjectUser)', async () => {
      const u = await expectJson(
        as('admin').updateProjectUser(100, IDS.guest, { role: 'readOnly' }),
        200,
        ProjectUserShape,
        'PATCH users/{id}',
      );
      expect(u).toMatchObject({ id: IDS.guest, role: 'readOnly' });
    });

    it('an admin removes a member by id or by e-mail (204), and a member may always leave (204)', async () => {
      await expectEmpty(as('admin').removeProjectUser(100, IDS.guest), 204, 'DELETE users/{id}');
      await expectEmpty(as('admin').removeProjectUser(100, 'sean@acme.test'), 204, 'DELETE users/{email}');
      await expectEmpty(as('readOnly').removeProjectUser(100, IDS.readOnly), 204, 'DELETE users/{me}');
      const users = await expectList(as('admin').listProjectUsers(100), ProjectUserShape, 'GET users');
      expect(users.map((u) => u.id)).toEqual([IDS.admin]);
    });
  });

  describe('project invitations', () => {
    it('an admin invites (201), reads (200) and lists (200) the invitation; the invited user sees theirs (200)', async () => {
      const inv = await expectJson(
        as('admin').createProjectInvitation(100, {
          email: 'randy@example.test',
          role: 'guest',
          reason: 'Read the dashboards',
          expirationSeconds: 86_400,
        }),
        201,
        ProjectInvitationShape,
        'POST invitations',
      );
      expect(inv).toMatchObject({
        role: 'guest',
        reason: 'Read the dashboards',
        user: ref('random'),
        creator: ref('admin'),
      });
      expect(
        await expectJson(
          as('admin').getProjectInvitation(100, inv.id),
          200,
          ProjectInvitationShape,
          'GET inv',
        ),
      ).toEqual(inv);
      expect(
        await expectList(as('guest').listProjectInvitations(100), ProjectInvitationShape, 'GET invs'),
      ).toEqual([inv]);

      const mine = await expectList(
        as('random').listMyProjectInvitations(),
        MyProjectInvitationShape,
        'GET current-user/projects-invitations',
      );
      const expected = {
        id: inv.id,
        created: inv.created,
        expires: inv.expires,
        reason: inv.reason,
        role: 'guest',
        project: { id: 100, name: 'Acme Main' },
        creator: ref('admin'),
      };
      expect(mine).toEqual([expected]);
      expect(
        await expectJson(
          as('random').getMyProjectInvitation(inv.id),
          200,
          MyProjectInvitationShape,
          'GET current-user/projects-invitations/{id}',
        ),
      ).toEqual(expected);
    });

    it('accepting (202) makes a member with the invitation role, reason and expiry, invitor = creator, approver = null', async () => {
      const inv = await expectJson(
        as('admin').createProjectInvitation(100, {
          email: 'randy@example.test',
          role: 'guest',
          reason: 'Read the dashboards',
          expirationSeconds: 86_400,
        }),
        201,
        ProjectInvitationShape,
        'POST invitations',
      );
      await expectEmpty(
        as('random').acceptProjectInvitation(inv.id),
        202,
        'PUT current-user/projects-invitations',
      );
      const users = await expectList(as('admin').listProjectUsers(100), ProjectUserShape, 'GET users');
      expect(member(users, IDS.random)).toMatchObject({
        role: 'guest',
        kind: 'member',
        reason: 'Read the dashboards',
        expires: inv.expires,
        invitor: ref('admin'),
        approver: null,
      });
    });

    it('the invited user declines (204) and the creator cancels another (204): both are gone', async () => {
      const a = await expectJson(
        as('betaAdmin').createProjectInvitation(101, { email: 'randy@example.test' }),
        201,
        ProjectInvitationShape,
        'POST invitations',
      );
      expect(a.role).toBe('admin');
      await expectEmpty(
        as('random').declineProjectInvitation(a.id),
        204,
        'DELETE current-user/projects-invitations',
      );
      const b = await expectJson(
        as('admin').createProjectInvitation(100, { email: 'temp@acme.test', role: 'readOnly' }),
        201,
        ProjectInvitationShape,
        'POST invitations',
      );
      await expectEmpty(as('admin').cancelProjectInvitation(100, b.id), 204, 'DELETE invitations/{id}');
      expect(
        await expectJson(
          as('random').listMyProjectInvitations(),
          200,
          arrayOf(MyProjectInvitationShape),
          'mine',
        ),
      ).toEqual([]);
      expect(
        await expectJson(
          as('admin').listProjectInvitations(100),
          200,
          arrayOf(ProjectInvitationShape),
          'list',
        ),
      ).toEqual([]);
    });
  });

  describe('organizations', () => {
    it('a member of a project of the organization reads it (200 Organization)', async () => {
      const o = await expectJson(as('admin').getOrganization(10), 200, OrganizationShape, 'GET organization');
      expect(o).toMatchObject({
        id: 10,
        name: 'Acme Analytics',
        allowAutoJoin: false,
        mfaRequired: false,
        maintainer: { id: 1, name: 'Keboola Partner' },
      });
    });

    it('an organization member switches Auto Join with 0/1 and gets JSON booleans back (200 Organization)', async () => {
      const o = await expectJson(
        as('org').updateOrganization(10, { allowAutoJoin: 1, mfaRequired: 0 }),
        200,
        PatchedOrganization,
        'PATCH organization',
      );
      expect(o).toMatchObject({ allowAutoJoin: true, mfaRequired: false });
    });

    it('with Auto Join on, support joins the organization (204) and is listed as an organization user (200)', async () => {
      await expectEmpty(as('support').joinOrganization(11), 204, 'POST join-organization');
      const users = await expectList(as('betaAdmin').listOrganizationUsers(11), OrgUser, 'GET users');
      expect(users.find((u) => u.id === IDS.support)).toMatchObject({ ...ref('support'), invitor: null });
    });

    it('an organization member adds a user (204) and removes them (204)', async () => {
      await expectEmpty(
        as('betaAdmin').addOrganizationUser(11, { email: 'carl@beta.test' }),
        204,
        'POST users',
      );
      const users = await expectList(as('betaAdmin').listOrganizationUsers(11), OrgUser, 'GET users');
      const carl = users.find((u) => u.email === 'carl@beta.test');
      // Keboola's organization user carries no invitor.
      expect(carl?.invitor).toEqual(keboola ? null : ref('betaAdmin'));
      await expectEmpty(as('betaAdmin').removeOrganizationUser(11, carl?.id ?? 0), 204, 'DELETE users/{id}');
      const after = await expectList(as('betaAdmin').listOrganizationUsers(11), OrgUser, 'GET users');
      expect(after.map((u) => u.id)).toEqual([IDS.betaAdmin]);
    });

    it('organization invitations: created (201), listed (200), seen by the invitee (200), accepted (202)', async () => {
      const inv = await expectJson(
        as('org').createOrganizationInvitation(10, { email: 'randy@example.test' }),
        201,
        OrganizationInvitationShape,
        'POST organization invitations',
      );
      expect(inv).toMatchObject({ user: ref('random'), creator: ref('org') });
      expect(
        await expectList(
          as('org').listOrganizationInvitations(10),
          OrganizationInvitationShape,
          'GET invitations',
        ),
      ).toEqual([inv]);
      const mine = await expectList(
        as('random').listMyOrganizationInvitations(),
        MyOrganizationInvitationShape,
        'GET current-user/organizations-invitations',
      );
      expect(mine).toEqual([
        {
          id: inv.id,
          created: inv.created,
          expires: inv.expires,
          organization: { id: 10, name: 'Acme Analytics' },
          creator: ref('org'),
        },
      ]);
      await expectEmpty(
        as('random').acceptOrganizationInvitation(inv.id),
        202,
        'PUT organizations-invitations',
      );
      const users = await expectList(as('org').listOrganizationUsers(10), OrgUser, 'GET users');
      expect(users.find((u) => u.id === IDS.random)?.invitor).toEqual(keboola ? null : ref('org'));
    });

    it('organization invitations: declined by the invitee (204), cancelled by a member (204)', async () => {
      const a = await expectJson(
        as('betaAdmin').createOrganizationInvitation(11, { email: 'randy@example.test' }),
        201,
        OrganizationInvitationShape,
        'POST invitations',
      );
      await expectEmpty(
        as('random').declineOrganizationInvitation(a.id),
        204,
        'DELETE organizations-invitations',
      );
      const b = await expectJson(
        as('org').createOrganizationInvitation(10, { email: 'newbie@acme.test' }),
        201,
        OrganizationInvitationShape,
        'POST invitations',
      );
      await expectEmpty(as('org').cancelOrganizationInvitation(10, b.id), 204, 'DELETE invitations/{id}');
      expect(
        await expectJson(
          as('org').listOrganizationInvitations(10),
          200,
          arrayOf(OrganizationInvitationShape),
          'list',
        ),
      ).toEqual([]);
    });
  });

  describe.skipIf(keboola)('our extensions: tickets and the access log', () => {
    it("our extensions: one member read alone (the caller's own row), 404 for a non-member; the pending count for deciders only", async () => {
      const list = await expectList(as('admin').listProjectUsers(100), ProjectUserShape, 'GET users');
      const own = await expectJson(
        as('guest').getProjectUser(100, IDS.guest),
        200,
        ProjectUserShape,
        'GET users/{id}',
      );
      expect(own).toEqual(list.find((u) => u.id === IDS.guest));
      await expectError(
        as('admin').getProjectUser(100, IDS.support),
        { status: 404 },
        'GET users/{id} (no member)',
      );
      await expectError(
        as('random').getProjectUser(100, IDS.admin),
        { status: 403 },
        'GET users/{id} (random)',
      );

      expect(
        await expectJson(as('share').countPendingJoinRequests(100), 200, { count: 'integer' }, 'count'),
      ).toEqual({ count: 0 });
      await requestAccessAsSupport('Counted');
      expect((await as('admin').countPendingJoinRequests(100)).data).toEqual({ count: 1 });
      for (const persona of ['guest', 'readOnly', 'support', 'org'] as const)
        await expectError(as(persona).countPendingJoinRequests(100), { status: 403 }, `count (${persona})`);
    });

    it('a ticket is created once per Idempotency-Key (201), listed (200) and read (200)', async () => {
      const body = {
        subject: 'Orchestration fails',
        description: 'Since this morning the nightly run fails.',
        type: 'problem' as const,
        severity: 'high' as const,
        projectId: 100,
        context: {
          pageUrl: 'https://app.acme.test/flows/7',
          locale: 'en',
          error: { message: 'Internal error', exceptionId: 'exception-abc', status: 500 },
        },
        attachments: [{ name: 'log.txt', type: 'text/plain', data: 'aGVsbG8=' }],
      };
      const t = await expectJson(as('admin').createTicket(body, 'key-1'), 201, TicketShape, 'POST tickets');
      expect(t).toMatchObject({
        subject: body.subject,
        type: 'problem',
        severity: 'high',
        project: { id: 100, name: 'Acme Main' },
        reporter: ref('admin'),
        routedTo: 'support@partner.test',
        context: body.context,
        attachments: [{ name: 'log.txt', type: 'text/plain', size: 5 }],
      });
      const again = await as('admin').createTicket(body, 'key-1');
      expect(again.data?.id).toBe(t.id);

      const bare = await expectJson(
        as('admin').createTicket({ subject: 'Question', description: 'How?', type: 'question' }, 'key-2'),
        201,
        TicketShape,
        'POST tickets (no project)',
      );
      expect(bare).toMatchObject({ severity: null, project: null, context: {}, attachments: [] });

      const list = await expectList(as('admin').listTickets(), TicketShape, 'GET tickets');
      expect(list.map((x) => x.id).sort()).toEqual([t.id, bare.id].sort());
      expect(await expectJson(as('support').getTicket(t.id), 200, TicketShape, 'GET tickets/{id}')).toEqual(
        t,
      );
    });

    it('a ticket is a conversation: replies (201), the thread (200), status and assignee (200), read marks (204), assignees and the badge (200)', async () => {
      const t = await expectJson(
        as('guest').createTicket(
          { subject: 'Export', description: 'Fails', type: 'problem', projectId: 100 },
          'c1',
        ),
        201,
        TicketShape,
        'POST tickets',
      );
      const reply = await expectJson(
        as('support').postMessage(t.id, { body: 'Which export?', via: 'extension' }, 'r1'),
        201,
        TicketMessageShape,
        'POST messages',
      );
      expect(reply).toMatchObject({
        kind: 'message',
        side: 'staff',
        badge: 'support',
        author: ref('support'),
      });
      const thread = await expectList(as('guest').listMessages(t.id), TicketMessageShape, 'GET messages');
      expect(thread).toEqual([reply]);
      expect(
        await expectList(as('guest').listTicketsIn({ view: 'mine' }), TicketShape, 'GET tickets?view=mine'),
      ).toEqual([expect.objectContaining({ id: t.id, status: 'waiting', unread: 1, messages: 1 })]);
      expect(
        await expectJson(as('guest').getSupportBadge(100), 200, SupportBadgeShape, 'GET support-badge'),
      ).toEqual({ pendingRequests: null, unreadTickets: 1 });
      await expectEmpty(as('guest').markRead(t.id, reply.id), 204, 'POST read');
      expect((await as('guest').getSupportBadge(100)).data).toEqual({
        pendingRequests: null,
        unreadTickets: 0,
      });
      const staff = await expectJson(
        as('maintainer').listAssignees(t.id),
        200,
        arrayOf(UserRefShape),
        'GET assignees',
      );
      expect(staff).toEqual([ref('maintainer')]);
      const taken = await expectJson(
        as('maintainer').updateTicket(t.id, { assigneeId: IDS.maintainer }),
        200,
        TicketShape,
        'PATCH tickets/{id}',
      );
      expect(taken).toMatchObject({ assignee: ref('maintainer') });
      const solved = await expectJson(
        as('guest').updateTicket(t.id, { status: 'solved' }),
        200,
        TicketShape,
        'PATCH solved',
      );
      expect(solved.status).toBe('solved');
      await expectError(
        as('guest').updateTicket(t.id, { status: 'open' }),
        { status: 403, code: 'manage.accessDenied' },
        'PATCH status by the customer',
      );
      await expectError(
        as('readOnly').postMessage(t.id, { body: 'x' }, 'x'),
        { status: 404, code: 'manage.notFound' },
        'POST messages (not a participant)',
      );
      await expectError(
        as('guest').listAssignees(t.id),
        { status: 403, code: 'manage.accessDenied' },
        'GET assignees (customer)',
      );
    });

    it('access for a ticket: grant (201), lists (200), join (204), withdraw (204), refusals', async () => {
      const t = await expectJson(
        as('guest').createTicket(
          { subject: 'Let us in', description: 'Please', type: 'problem', projectId: 100 },
          'g1',
        ),
        201,
        TicketShape,
        'POST tickets',
      );
      const g = await expectJson(as('admin').grantAccess(t.id, {}), 201, AccessGrantShape, 'POST grants');
      expect(g).toMatchObject({ status: 'active', grantedBy: ref('admin'), project: { id: 100 } });
      expect(await expectList(as('guest').listTicketGrants(t.id), AccessGrantShape, 'GET grants')).toEqual([
        g,
      ]);
      expect(
        await expectList(
          as('support').listGrants({ projectId: 100 }),
          AccessGrantShape,
          'GET support/grants',
        ),
      ).toEqual([g]);
      await expectError(
        as('guest').grantAccess(t.id, {}),
        { status: 403, code: 'manage.accessDenied' },
        'POST grants (a guest)',
      );
      await expectEmpty(as('support').joinWithGrant(g.id), 204, 'POST join with a grant');
      await expectEmpty(as('share').withdrawGrant(t.id, g.id), 204, 'DELETE grants/{id}');
      await expectError(
        as('support').joinWithGrant(g.id),
        { status: 409, code: 'manage.conflict' },
        'POST join (withdrawn)',
      );
    });

    it('the access log lists what happened, newest first, and pages (200 AccessLogEntry[])', async () => {
      const mine = await requestAccessAsSupport('Audit');
      await expectEmpty(as('share').rejectJoinRequest(100, mine.id), 204, 'reject');
      const log = await expectList(as('guest').listAccessLog(100), AccessLogEntryShape, 'GET access-log');
      expect(log.map((e) => e.action)).toEqual(['rejected', 'requested']);
      expect(log[0]).toMatchObject({ actor: ref('share'), subject: ref('support'), reason: 'Audit' });
      const page = await expectList(
        as('guest').listAccessLog(100, { offset: 1, limit: 1 }),
        AccessLogEntryShape,
        'page',
      );
      expect(page.map((e) => e.action)).toEqual(['requested']);
      const only = await expectList(
        as('guest').listAccessLog(100, { action: 'rejected' }),
        AccessLogEntryShape,
        'GET access-log?action=',
      );
      expect(only.map((e) => e.action)).toEqual(['rejected']);
      await expectError(
        as('guest').listAccessLog(100, { action: 'nonsense' as AccessLogAction }),
        { status: 400, code: 'manage.badRequest' },
        'GET access-log?action=nonsense',
      );
    });

    it("the deciders list the outsiders' Storage tokens (200 OutsiderStorageToken[]) and revoke one (204)", async () => {
      const mine = await requestAccessAsSupport('Debugging');
      await expectEmpty(as('admin').approveJoinRequest(100, mine.id), 202, 'approve');
      const made = await expectJson(
        as('support').createStorageToken(100, { description: 'Support session' }),
        201,
        StorageTokenShape,
        'POST tokens (support member)',
      );
      const list = await expectList(
        as('share').listOutsiderStorageTokens(100),
        OutsiderStorageTokenShape,
        'GET tokens',
      );
      expect(list).toEqual([
        expect.objectContaining({
          id: made.id,
          description: 'Support session',
          user: ref('support'),
          kind: 'support',
        }),
      ]);
      await expectError(
        as('guest').listOutsiderStorageTokens(100),
        { status: 403, code: 'manage.accessDenied' },
        'GET tokens (guest)',
      );
      await expectError(
        as('support').revokeStorageToken(100, made.id),
        { status: 403, code: 'manage.accessDenied' },
        'DELETE tokens/{id} (support)',
      );
      await expectEmpty(as('share').revokeStorageToken(100, made.id), 204, 'DELETE tokens/{id}');
      await expectError(
        as('share').revokeStorageToken(100, made.id),
        { status: 404, code: 'manage.notFound' },
        'DELETE tokens/{id} again',
      );
    });
  });

  describe('capabilities: which of our extensions the stack has', () => {
    it('the client learns them from /openapi.json: all on our backend, none on Keboola', async () => {
      const caps = await as('admin').capabilities();
      const has = !keboola;
      expect(caps).toEqual({ tickets: has, conversations: has, events: has, accessLog: has });
    });

    it.runIf(keboola)(
      'our extensions answer unsupported, never a bare 404, and are not asked again',
      async () => {
        const c = as('admin');
        await c.capabilities();
        for (const res of [
          await c.listTickets(),
          await c.listAccessLog(100),
          await c.listMessages(1),
          await c.getSupportBadge(100),
        ]) {
          expect(res.error).toMatchObject({ kind: 'unsupported', code: 'unsupported', httpStatus: 404 });
          expect(res.error?.message).toMatch(/^This stack has no /);
          // Known from /openapi.json: no request was sent.
          expect(res.response).toBeUndefined();
        }
      },
    );

    it.runIf(keboola)('without /openapi.json known, the endpoint’s own 404 teaches the client', async () => {
      const { forgetCapabilities } = await import('../../api/capabilities.ts');
      forgetCapabilities();
      const c = as('admin');
      const first = await c.createTicket({ subject: 's', description: 'd', type: 'question' }, 'k');
      expect(first.error?.kind).toBe('unsupported');
      expect(first.response?.status).toBe(404);
      expect(c.supports('tickets')).toBe(false);
      const second = await c.listTickets();
      expect(second.error?.kind).toBe('unsupported');
      expect(second.response).toBeUndefined();
    });
  });

  // ---- Errors: one or more per endpoint family ---------------------------------------------------------

  describe('errors', () => {
    const bad = () => clientWith(() => 'bad');

    it.each<[string, (c: Client) => Promise<ApiResult<unknown>>]>([
      ['tokens', (c) => c.verifyToken()],
      ['projects', (c) => c.getProject(100)],
      ['join requests', (c) => c.listJoinRequests(100)],
      ['my join requests', (c) => c.listMyJoinRequests()],
      ['project users', (c) => c.listProjectUsers(100)],
      ['project invitations', (c) => c.listProjectInvitations(100)],
      ['my project invitations', (c) => c.listMyProjectInvitations()],
      ['organizations', (c) => c.getOrganization(10)],
      ['organization users', (c) => c.listOrganizationUsers(10)],
      ['organization invitations', (c) => c.listOrganizationInvitations(10)],
      ['my organization invitations', (c) => c.listMyOrganizationInvitations()],
      ...(keboola
        ? []
        : ([
            ['tickets', (c) => c.listTickets()],
            ['access log', (c) => c.listAccessLog(100)],
          ] satisfies [string, (c: Client) => Promise<ApiResult<unknown>>][])),
    ])('%s: an unknown token gets 401', async (family, call) => {
      await expectError(call(bad()), { status: 401, code: 'manage.unauthorized' }, family);
    });

    it('without any token the client sends nothing and says noToken', async () => {
      const c = createClient({ baseUrl: server.url, getToken: () => null, fetch: recordingFetch });
      const res = await c.verifyToken();
      expect(res.response).toBeUndefined();
      expect(res.error).toEqual({ kind: 'noToken', code: 'noToken', message: 'No token' });
    });

    interface Case {
      name: string;
      persona: Persona;
      call: (c: Client) => Promise<ApiResult<unknown>>;
      expected: ExpectedError;
    }
    const RESTRICTED = 'Action is restricted for your role';
    const cases: Case[] = [
      // projects
      {
        name: 'projects: a random user cannot read a project (403)',
        persona: 'random',
        call: (c) => c.getProject(100),
        expected: { status: 403, code: 'manage.accessDenied' },
      },
      {
        name: 'projects: an unknown project is 404',
        persona: 'admin',
        call: (c) => c.getProject(999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      {
        name: "projects: a guest cannot enter the project (403 You don't have access to project)",
        persona: 'guest',
        call: (c) => c.createStorageToken(100, { description: 'x' }),
        expected: { status: 403, message: "You don't have access to project" },
      },
      {
        name: 'projects: only organization members create projects (403)',
        persona: 'admin',
        call: (c) => c.createProject(10, { name: 'Nope' }),
        expected: { status: 403 },
      },
      {
        name: 'projects: a guest cannot delete the project (403)',
        persona: 'guest',
        call: (c) => c.deleteProject(100),
        expected: { status: 403, message: RESTRICTED },
      },
      // join-project / request-access
      {
        name: 'join-project: support without a reason gets 400 with errors[0].key "reason"',
        persona: 'support',
        call: (c) => c.joinProject(101, {}),
        expected: { status: 400, key: 'reason' },
      },
      {
        name: 'join-project: a white-space reason counts as missing (400, key "reason")',
        persona: 'maintainer',
        call: (c) => c.joinProject(101, { reason: '   ' }),
        expected: { status: 400, key: 'reason' },
      },
      {
        name: 'join-project: with Auto Join off, support gets 403',
        persona: 'support',
        call: (c) => c.joinProject(100, { reason: 'x' }),
        expected: { status: 403 },
      },
      {
        name: 'join-project: an existing member gets 400',
        persona: 'admin',
        call: (c) => c.joinProject(100, {}),
        expected: { status: 400 },
      },
      {
        name: 'request-access: support without a reason gets 400 with errors[0].key "reason"',
        persona: 'support',
        call: (c) => c.requestAccess(100, {}),
        expected: { status: 400, key: 'reason' },
      },
      {
        name: 'request-access: support without MFA gets 403 manage.mfaRequired (no standing)',
        persona: 'supportNoMfa',
        call: (c) => c.requestAccess(100, { reason: 'x' }),
        expected: { status: 403, code: 'manage.mfaRequired' },
      },
      {
        name: 'request-access: an organization user is told to use join-project (400)',
        persona: 'org',
        call: (c) => c.requestAccess(100, { reason: 'x' }),
        expected: { status: 400, message: /use join-project method/ },
      },
      {
        name: 'request-access: more than 7 days is a 400',
        persona: 'support',
        call: (c) => c.requestAccess(100, { reason: 'x', expirationSeconds: 7 * 86_400 + 1 }),
        expected: { status: 400 },
      },
      {
        name: 'request-access: a random user gets 403',
        persona: 'random',
        call: (c) => c.requestAccess(100, { reason: 'x' }),
        expected: { status: 403 },
      },
      // join requests
      {
        name: 'join requests: an unknown request is 404',
        persona: 'admin',
        call: (c) => c.getJoinRequest(100, 999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      {
        name: 'join requests: a guest member cannot decide (403 Action is restricted for your role)',
        persona: 'guest',
        call: (c) => c.rejectJoinRequest(100, 999_999),
        expected: { status: 403, message: RESTRICTED },
      },
      {
        name: 'join requests: approving an unknown request is 404',
        persona: 'admin',
        call: (c) => c.approveJoinRequest(100, 999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      {
        name: 'my join requests: an unknown request is 404',
        persona: 'support',
        call: (c) => c.getMyJoinRequest(999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      {
        name: 'my join requests: cancelling an unknown request is 404',
        persona: 'support',
        call: (c) => c.cancelMyJoinRequest(999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      // project users
      {
        name: 'project users: a random user cannot list them (403)',
        persona: 'random',
        call: (c) => c.listProjectUsers(100),
        expected: { status: 403 },
      },
      {
        name: 'project users: an invalid e-mail is 422 Email address is not valid.',
        persona: 'admin',
        call: (c) => c.addProjectUser(100, { email: 'not-an-email' }),
        expected: { status: 422, message: 'Email address is not valid.' },
      },
      {
        name: 'project users: an unknown role is 400 with the allowed roles',
        persona: 'admin',
        call: (c) => c.updateProjectUser(100, IDS.guest, { role: 'owner' as string as ProjectRole }),
        expected: {
          status: 400,
          message: 'Role "owner" is not valid. Allowed roles are: admin, guest, readOnly, share',
        },
      },
      {
        name: 'project users: only an organization member may grant "share" (400)',
        persona: 'admin',
        call: (c) => c.updateProjectUser(100, IDS.guest, { role: 'share' }),
        expected: {
          status: 400,
          message: 'Only member of the project\'s organization can grant "share" role to other users.',
        },
      },
      {
        name: 'project users: a guest cannot add users (403 Action is restricted for your role)',
        persona: 'guest',
        call: (c) => c.addProjectUser(100, { email: 'x@acme.test' }),
        expected: { status: 403, message: RESTRICTED },
      },
      {
        name: 'project users: removing a non-member is 404',
        persona: 'admin',
        call: (c) => c.removeProjectUser(100, IDS.random),
        expected: { status: 404 },
      },
      // project invitations
      {
        name: 'project invitations: an invalid e-mail is 422 Email address is not valid.',
        persona: 'admin',
        call: (c) => c.createProjectInvitation(100, { email: 'a@b' }),
        expected: { status: 422, message: 'Email address is not valid.' },
      },
      {
        name: 'project invitations: inviting an existing member is 400 (already … member)',
        persona: 'admin',
        call: (c) => c.createProjectInvitation(100, { email: 'gary@acme.test' }),
        expected: { status: 400, message: /already.*member/ },
      },
      {
        name: 'project invitations: support who is not an organization user cannot invite (403)',
        persona: 'support',
        call: (c) => c.createProjectInvitation(100, { email: 'x@acme.test' }),
        expected: { status: 403 },
      },
      {
        name: 'project invitations: an unknown invitation is 404',
        persona: 'admin',
        call: (c) => c.getProjectInvitation(100, 999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      {
        name: 'my project invitations: accepting an unknown invitation is 404',
        persona: 'random',
        call: (c) => c.acceptProjectInvitation(999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      // organizations
      {
        name: 'organizations: an unknown organization is 404',
        persona: 'org',
        call: (c) => c.getOrganization(999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      {
        name: 'organizations: a non-member cannot change settings (manage.updateOrganizationPermissionDenied)',
        persona: 'admin',
        call: (c) => c.updateOrganization(10, { allowAutoJoin: true }),
        expected: { status: 403, code: 'manage.updateOrganizationPermissionDenied' },
      },
      {
        name: 'organizations: with Auto Join off, support cannot join the organization (403)',
        persona: 'support',
        call: (c) => c.joinOrganization(10),
        expected: { status: 403 },
      },
      {
        name: 'organization users: with Auto Join off, support cannot add users (manage.joinOrganizationPermissionDenied)',
        persona: 'support',
        call: (c) => c.addOrganizationUser(10, { email: 'x@acme.test' }),
        expected: { status: 403, code: 'manage.joinOrganizationPermissionDenied' },
      },
      {
        name: 'organization users: an invalid e-mail is 422 Email address is not valid.',
        persona: 'org',
        call: (c) => c.addOrganizationUser(10, { email: 'nope' }),
        expected: { status: 422, message: 'Email address is not valid.' },
      },
      {
        name: 'organization invitations: an invalid e-mail is 422 Email address is not valid.',
        persona: 'org',
        call: (c) => c.createOrganizationInvitation(10, { email: 'nope@' }),
        expected: { status: 422, message: 'Email address is not valid.' },
      },
      {
        name: 'organization invitations: cancelling an unknown invitation is 404',
        persona: 'org',
        call: (c) => c.cancelOrganizationInvitation(10, 999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      {
        name: 'my organization invitations: declining an unknown invitation is 404',
        persona: 'random',
        call: (c) => c.declineOrganizationInvitation(999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      // our extensions
      {
        name: 'tickets: an unknown ticket is 404',
        persona: 'support',
        call: (c) => c.getTicket(999_999),
        expected: { status: 404, code: 'manage.notFound' },
      },
      {
        name: 'tickets: an empty subject is 400 with errors[0].key "subject"',
        persona: 'admin',
        call: (c) => c.createTicket({ subject: ' ', description: 'd', type: 'question' }, 'k'),
        expected: { status: 400, key: 'subject' },
      },
      {
        name: 'access log: a random user cannot read it (403)',
        persona: 'random',
        call: (c) => c.listAccessLog(100),
        expected: { status: 403 },
      },
    ];

    it.each(keboola ? cases.filter((c) => !/^(tickets|access log):/.test(c.name)) : cases)(
      '$name',
      async ({ name, persona, call, expected }) => {
        await expectError(call(as(persona)), expected, name);
      },
    );

    it('request-access: a second pending request gets 400 (already … sent)', async () => {
      await requestAccessAsSupport();
      await expectError(
        as('support').requestAccess(100, { reason: 'again' }),
        { status: 400, message: /already.*sent/ },
        'second request',
      );
    });

    it('join requests: a decided request cannot be decided again (404 or 409)', async () => {
      const mine = await requestAccessAsSupport();
      await expectEmpty(as('admin').approveJoinRequest(100, mine.id), 202, 'approve');
      const res = await as('share').rejectJoinRequest(100, mine.id);
      const status = res.response?.status;
      expect([404, 409]).toContain(status);
      await expectError(Promise.resolve(res), { status: status ?? 0 }, 'second decision');
    });

    it('project users: adding a member beyond the user limit is 400 manage.projectUserLimitReached', async () => {
      await expectEmpty(as('admin').addProjectUser(100, { email: 'fifth@acme.test' }), 204, 'fifth');
      await expectError(
        as('admin').addProjectUser(100, { email: 'sixth@acme.test' }),
        { status: 400, code: 'manage.projectUserLimitReached' },
        'sixth',
      );
    });
  });

  // ---- Every client method has a contract test ---------------------------------------------------------

  describe('coverage', () => {
    it('every endpoint method of the client was called on a success path by a test above', () => {
      const methods = Object.keys(createClient({ baseUrl: 'http://unused.test' })).filter(
        (k) => !NOT_ENDPOINTS.includes(k),
      );
      expect(methods.length).toBeGreaterThan(40);
      const expected = keboola ? methods.filter((m) => !EXTENSION_METHODS.includes(m)) : methods;
      expect(expected.filter((m) => !succeeded.has(m))).toEqual([]);
      // Nothing called that is not a method of the client (a renamed method would show here).
      expect([...called].filter((m) => !methods.includes(m) && !NOT_ENDPOINTS.includes(m))).toEqual([]);
    });

    it('every answer above is documented in the OpenAPI document (route and status) and validates against it', () => {
      const { problems, checked } = walkAnswers(openapiDocument(), answers, flavor);
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(100);
    });
  });
});
