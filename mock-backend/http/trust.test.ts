// Issue 22, trust second pass, on every store (memory, SQLite behind the read cache as the server
// runs it, PostgreSQL): a support or maintainer account without MFA has no standing anywhere (1);
// outsiders read only what they need to ask for access (2); no answer of the API may be cached (8).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../../test/postgres-db.ts';
import type { AppOptions } from '../app.ts';
import { withReadCache } from '../store/cached.ts';
import { createMemoryStore } from '../store/memory.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { createSqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/types.ts';
import { BASE, fixtureWith, type Harness, harness, IDS, TOKENS } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sk-trust-'));
let pgUrl = '';
let files = 0;
const opened: Store[] = [];
beforeAll(async () => {
  pgUrl = await createTestDatabase();
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});
afterAll(async () => {
  if (pgUrl) await dropTestDatabase(pgUrl);
  rmSync(dir, { recursive: true, force: true });
});

const STORES: [string, () => Promise<Store>][] = [
  ['memory', async () => createMemoryStore()],
  ['sqlite', async () => withReadCache(createSqliteStore(join(dir, `trust-${++files}.sqlite`)))],
  [
    'postgres',
    async () => {
      const s = await openPostgresStore(pgUrl, { max: 4 });
      await s.clear();
      return s;
    },
  ],
];

/** A maintainer's user (maintainer 1: organizations 10 and 11) with MFA off, and one with it on. */
const MAINTAINER_NO_MFA = { id: 3001, token: 'maintainer-nomfa-token', email: 'nomfa@partner.test' };
const fixture = fixtureWith((f) => {
  f.users.push({
    id: MAINTAINER_NO_MFA.id,
    email: MAINTAINER_NO_MFA.email,
    name: 'Max NoMFA',
    mfaEnabled: false,
    isSuperAdmin: false,
    token: MAINTAINER_NO_MFA.token,
  });
  f.maintainerMembers.push({ maintainerId: 1, userId: MAINTAINER_NO_MFA.id });
  // Also a member of organization 10 and an admin of project 100: still no standing without MFA.
  f.organizationMembers.push({ organizationId: 10, userId: MAINTAINER_NO_MFA.id });
  f.projectMembers.push({ projectId: 100, userId: MAINTAINER_NO_MFA.id, role: 'admin', reason: 'Upgrade' });
});

type H = Harness;
const reason = 'Investigating SK-1002';

interface Answer {
  status: number;
  code: unknown;
  message: unknown;
  text: string;
  headers: Headers;
}

async function call(
  h: H,
  token: string | null,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (token) headers['X-KBC-ManageApiToken'] = token;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await h.fetch(`${BASE}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  // The event stream never ends: read nothing of it.
  let text = '';
  if (res.headers.get('Content-Type')?.startsWith('text/event-stream')) await res.body?.cancel();
  else text = await res.text();
  let parsed: { code?: unknown; error?: unknown } = {};
  try {
    parsed = text ? (JSON.parse(text) as typeof parsed) : {};
  } catch {}
  return { status: res.status, code: parsed.code, message: parsed.error, text, headers: res.headers };
}

const ticketBody = {
  subject: 'Help',
  description: 'Our password is hunter2',
  type: 'problem',
  projectId: 100,
};

describe.each(STORES)('%s store', (_name, makeStore) => {
  const make = async (options?: AppOptions): Promise<H> => {
    const store = await makeStore();
    opened.push(store);
    return harness({ store, fixture, options });
  };

  describe('1. no MFA, no support power: reads included', () => {
    const noStanding = [
      ['support without MFA (Nora)', TOKENS.supportNoMfa],
      ['maintainer user without MFA, even as org member and project admin', MAINTAINER_NO_MFA.token],
    ] as const;

    it.each(noStanding)(
      '%s: every route but tokens/verify is 403 manage.mfaRequired, saying to enable MFA',
      async (_who, token) => {
        const h = await make();
        const tries: [string, string, unknown?][] = [
          ['GET', '/manage/projects/100/users'],
          ['GET', `/manage/projects/100/users/${IDS.admin}`],
          ['GET', '/manage/projects/100/access-log'],
          ['GET', '/manage/projects/100/join-requests'],
          ['GET', '/manage/projects/100/invitations'],
          ['GET', '/manage/projects/100'],
          ['GET', '/manage/organizations/10'],
          ['GET', '/manage/organizations/10/users'],
          ['GET', '/manage/support/tickets'],
          ['GET', '/manage/current-user/projects-join-requests'],
          ['GET', '/manage/current-user/events'],
          ['HEAD', '/manage/projects/100/users'],
          // Path variations reach no route, and are refused the same way rather than answered 404.
          ['GET', '/manage/projects/100/users/'],
          ['GET', '/manage/PROJECTS/100/users'],
          ['GET', '/manage/no-such-route'],
          ['POST', '/manage/support/tickets', ticketBody],
          ['POST', '/manage/projects/101/join-project', { reason }],
          ['POST', '/manage/projects/100/request-access', { reason }],
          ['POST', '/manage/projects/100/tokens', { description: 'enter' }],
          ['DELETE', `/manage/projects/100/users/${MAINTAINER_NO_MFA.id}`],
        ];
        for (const [method, path, body] of tries) {
          const headers = method === 'POST' ? { 'Idempotency-Key': 'k1' } : undefined;
          const a = await call(h, token, path, { method, body, headers });
          const label = `${method} ${path}`;
          expect(a.status, label).toBe(403);
          if (method !== 'HEAD') {
            expect(a.code, label).toBe('manage.mfaRequired');
            expect(String(a.message), label).toMatch(/enable MFA/);
            expect(a.text, label).not.toContain('alice@acme.test');
          }
        }
        // Nothing was written: no ticket, no e-mail, no request, no membership change, no token.
        expect(await h.store.count('tickets', {})).toBe(0);
        expect(await h.outbox()).toEqual([]);
        expect(await h.store.count('joinRequests', {})).toBe(0);
        expect(await h.store.count('storageTokens', {})).toBe(0);
        expect(await h.store.count('projectMembers', { userId: MAINTAINER_NO_MFA.id })).toBe(1);
        // tokens/verify still answers, so the extension can say what is wrong.
        const v = await call(h, token, '/manage/tokens/verify');
        expect(v.status).toBe(200);
        expect(JSON.parse(v.text)).toMatchObject({ user: { mfaEnabled: false } });
      },
    );

    it('a support member whose MFA is switched off loses the project they are in, at once', async () => {
      const h = await make();
      expect((await h.client('support').joinProject(101, { reason })).response?.status).toBe(204);
      expect((await call(h, TOKENS.support, '/manage/projects/101/users')).status).toBe(200);
      await h.store.update('users', IDS.support, { mfaEnabled: false });
      for (const path of [
        '/manage/projects/101/users',
        '/manage/projects/101/access-log',
        '/manage/support/tickets',
      ])
        expect(await call(h, TOKENS.support, path), path).toMatchObject({
          status: 403,
          code: 'manage.mfaRequired',
        });
      await h.store.update('users', IDS.support, { mfaEnabled: true });
      expect((await call(h, TOKENS.support, '/manage/projects/101/users')).status).toBe(200);
    });

    it("customers without MFA keep their standing: only outsiders' accounts need it", async () => {
      const h = await make();
      await h.store.update('users', IDS.admin, { mfaEnabled: false });
      await h.store.update('users', IDS.org, { mfaEnabled: false });
      expect((await call(h, TOKENS.admin, '/manage/projects/100/users')).status).toBe(200);
      expect((await call(h, TOKENS.org, '/manage/organizations/10/users')).status).toBe(200);
    });

    it('the Keboola flavor refuses the same, with the string code Keboola uses for MFA', async () => {
      const h = await make({ flavor: 'keboola' });
      const a = await call(h, TOKENS.supportNoMfa, '/manage/projects/100/users');
      expect(a).toMatchObject({ status: 403, code: 'manage.mfaRequired' });
      expect((await call(h, TOKENS.supportNoMfa, '/manage/tokens/verify')).status).toBe(200);
    });
  });

  describe('2. outsiders read only what they need to ask for access', () => {
    const outsiders = [
      ['support (Sam)', TOKENS.support, IDS.support],
      ['maintainer (Mark)', TOKENS.maintainer, IDS.maintainer],
    ] as const;

    it.each(outsiders)(
      '%s, not a member: sees the project and its Auto Join, their own requests and (missing) row, nothing of its people',
      async (_who, token, me) => {
        const h = await make();
        // What a customer's project holds: a pending request of someone else, an invitation.
        await h.client('admin').createProjectInvitation(100, { email: 'new@acme.test', role: 'guest' });
        const others = await h
          .client(token === TOKENS.support ? 'maintainer' : 'support')
          .requestAccess(100, { reason });
        const othersId = others.data?.id ?? 0;
        expect(othersId).toBeGreaterThan(0);
        const invitationId = (await h.store.find('projectInvitations', { projectId: 100 }))[0]?.id ?? 0;

        const project = await call(h, token, '/manage/projects/100');
        expect(project.status).toBe(200);
        expect(JSON.parse(project.text)).toMatchObject({ name: 'Acme Main', organization: { id: 10 } });
        const org = await call(h, token, '/manage/organizations/10');
        expect(JSON.parse(org.text)).toMatchObject({ allowAutoJoin: false });
        expect((await call(h, token, `/manage/projects/100/users/${me}`)).status).toBe(404);

        const refused = [
          '/manage/projects/100/users',
          `/manage/projects/100/users/${IDS.admin}`,
          '/manage/projects/100/access-log',
          '/manage/projects/100/join-requests',
          `/manage/projects/100/join-requests/${othersId}`,
          '/manage/projects/100/invitations',
          `/manage/projects/100/invitations/${invitationId}`,
          '/manage/organizations/10/users',
          '/manage/organizations/10/invitations',
          // Encoded ids and leading zeros name the same project: refused the same.
          '/manage/projects/%31%30%30/users',
        ];
        for (const path of refused) {
          const a = await call(h, token, path);
          expect(a.status, path).toBe(403);
          expect(a.text, path).not.toMatch(/alice@acme\.test|new@acme\.test/);
        }
        for (const path of ['/manage/projects/100/users', '/manage/projects/100/access-log'])
          expect((await call(h, token, path, { method: 'HEAD' })).status, `HEAD ${path}`).toBe(403);

        // Their own request: listed as theirs, and readable by its id in the project.
        const mine = await h.client(token === TOKENS.support ? 'support' : 'maintainer').requestAccess(100, {
          reason,
        });
        expect((await call(h, token, '/manage/current-user/projects-join-requests')).status).toBe(200);
        const own = await call(h, token, `/manage/projects/100/join-requests/${mine.data?.id}`);
        expect(own.status).toBe(200);
        expect(JSON.parse(own.text)).toMatchObject({ user: { id: me } });
        expect((await call(h, token, `/manage/projects/100/join-requests/${othersId}`)).status).toBe(403);
      },
    );

    it.each(outsiders)(
      '%s: a member (reason, MFA, expiry) reads what a member reads; expired or removed, nothing again',
      async (_who, token, me) => {
        const h = await make();
        const persona = token === TOKENS.support ? 'support' : 'maintainer';
        const req = await h.client(persona).requestAccess(100, { reason, expirationSeconds: 3600 });
        expect((await h.client('admin').approveJoinRequest(100, req.data?.id ?? 0)).response?.status).toBe(
          202,
        );
        const inside = [
          '/manage/projects/100/users',
          `/manage/projects/100/users/${IDS.admin}`,
          '/manage/projects/100/access-log',
          '/manage/projects/100/join-requests',
          '/manage/projects/100/invitations',
        ];
        for (const path of inside) expect((await call(h, token, path)).status, path).toBe(200);
        // Membership of the project is not membership of the organization: its users stay closed.
        expect((await call(h, token, '/manage/organizations/10/users')).status).toBe(403);

        await h.advance(3600);
        for (const path of inside) expect((await call(h, token, path)).status, `expired: ${path}`).toBe(403);

        // In again, then removed by the admin: closed again.
        const again = await h.client(persona).requestAccess(100, { reason });
        await h.client('admin').approveJoinRequest(100, again.data?.id ?? 0);
        expect((await call(h, token, '/manage/projects/100/users')).status).toBe(200);
        expect((await h.client('admin').removeProjectUser(100, me)).response?.status).toBe(204);
        for (const path of inside) expect((await call(h, token, path)).status, `removed: ${path}`).toBe(403);
      },
    );

    it("outsiders read an organization's users only as its members; a member of one organization never another's", async () => {
      const h = await make();
      expect((await call(h, TOKENS.support, '/manage/organizations/11/users')).status).toBe(403);
      expect((await h.client('support').joinOrganization(11)).response?.status).toBe(204);
      expect((await call(h, TOKENS.support, '/manage/organizations/11/users')).status).toBe(200);
      expect((await call(h, TOKENS.support, '/manage/organizations/11/invitations')).status).toBe(200);
      expect((await call(h, TOKENS.support, '/manage/organizations/10/users')).status).toBe(403);
      // Olga (organization 10) and Bob (organization 11) read only their own organization's people.
      expect((await call(h, TOKENS.org, '/manage/organizations/11/users')).status).toBe(403);
      expect((await call(h, TOKENS.betaAdmin, '/manage/organizations/10/users')).status).toBe(403);
      expect((await call(h, TOKENS.betaAdmin, '/manage/organizations/10/invitations')).status).toBe(403);
    });

    it("members of every role and the organization's users read as before; staff still read the tickets routed to them", async () => {
      const h = await make();
      for (const token of [TOKENS.guest, TOKENS.readOnly, TOKENS.org])
        for (const path of ['/manage/projects/100/users', '/manage/projects/100/access-log'])
          expect((await call(h, token, path)).status, `${token} ${path}`).toBe(200);
      const filed = await h
        .client('admin')
        .createTicket(
          { subject: 'Broken', description: 'It fails', type: 'problem', projectId: 100 },
          'trust-1',
        );
      const id = filed.data?.id ?? 0;
      expect(id).toBeGreaterThan(0);
      for (const token of [TOKENS.support, TOKENS.maintainer]) {
        expect((await call(h, token, `/manage/support/tickets/${id}`)).status).toBe(200);
        expect(JSON.parse((await call(h, token, '/manage/support/tickets')).text)).toHaveLength(1);
      }
      // An outsider may still file a ticket about a project they can see.
      const own = await call(h, TOKENS.support, '/manage/support/tickets', {
        method: 'POST',
        body: { ...ticketBody, description: 'Seen from outside' },
        headers: { 'Idempotency-Key': 'trust-2' },
      });
      expect(own.status).toBe(201);
    });
  });

  describe('8. private answers are not cacheable', () => {
    it('success and error answers, the stream and preflights, on this store: private, no-store, Vary on the token', async () => {
      const h = await make();
      const answers = [
        await call(h, TOKENS.admin, '/manage/projects/100/users'),
        await call(h, TOKENS.admin, '/manage/projects/100/users', { method: 'HEAD' }),
        await call(h, null, '/manage/projects/100/users'),
        await call(h, TOKENS.random, '/manage/projects/100/users'),
        await call(h, TOKENS.admin, '/manage/projects/999/users'),
        await call(h, TOKENS.supportNoMfa, '/manage/support/tickets'),
        await call(h, TOKENS.admin, '/manage/current-user/events'),
        await call(h, null, '/manage/projects/100/users', {
          method: 'OPTIONS',
          headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
        }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 403, 404, 403, 200, 204]);
      for (const a of answers) assertPrivate(a);
    });
  });
});

/** `Cache-Control` says private and no-store; `Vary` names the token header and the Origin. */
function assertPrivate(a: Answer, label = String(a.status)): void {
  const cc = (a.headers.get('Cache-Control') ?? '').split(',').map((d) => d.trim().toLowerCase());
  expect(cc, label).toEqual(expect.arrayContaining(['private', 'no-store']));
  const vary = (a.headers.get('Vary') ?? '').split(',').map((d) => d.trim().toLowerCase());
  expect(vary, label).toEqual(expect.arrayContaining(['x-kbc-manageapitoken', 'origin']));
}

describe('8. every route of the app, every kind of answer (both flavors)', () => {
  describe.each(['default', 'keboola'] as const)('%s flavor', (flavor) => {
    it('every /manage route answers private, whoever asks and whatever the outcome', async () => {
      const h = await harness({ fixture, options: { flavor } });
      const routes = h.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/manage/'));
      expect(routes.length).toBeGreaterThan(30);
      for (const r of routes) {
        const path = r.path.replace(/:[A-Za-z]+/g, '100');
        const body = ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined;
        for (const token of [TOKENS.admin, TOKENS.random, TOKENS.supportNoMfa, null]) {
          const a = await call(h, token, path, {
            method: r.method,
            body,
            headers: { Origin: 'https://x.example' },
          });
          assertPrivate(a, `${r.method} ${path} (${token ?? 'no token'}): ${a.status}`);
        }
      }
    });

    it('415, 413, 429 and a token in the query are private too; the OpenAPI document stays public', async () => {
      const h = await harness({ fixture, options: { flavor } });
      const unsupported = await h.fetch(`${BASE}/manage/projects/100/request-access`, {
        method: 'POST',
        headers: { 'X-KBC-ManageApiToken': TOKENS.support, 'Content-Type': 'text/plain' },
        body: '{}',
      });
      const tooLarge = await h.fetch(`${BASE}/manage/projects/100/request-access`, {
        method: 'POST',
        headers: { 'X-KBC-ManageApiToken': TOKENS.support, 'Content-Type': 'application/json' },
        body: JSON.stringify({ reason: 'x'.repeat(70 * 1024) }),
      });
      const inQuery = await h.fetch(`${BASE}/manage/projects/100/users?token=${TOKENS.admin}`);
      // The entry limit (join-project and request-access together), which both flavors have.
      let limited: Response | undefined;
      for (let i = 0; i < 25 && limited?.status !== 429; i++)
        limited = await h.fetch(`${BASE}/manage/projects/100/request-access`, {
          method: 'POST',
          headers: { 'X-KBC-ManageApiToken': TOKENS.support, 'Content-Type': 'application/json' },
          body: JSON.stringify({ reason: 'x' }),
        });
      const got = [unsupported, tooLarge, inQuery, limited];
      expect(got.map((r) => r?.status)).toEqual([415, 413, 401, 429]);
      for (const r of got)
        if (r) assertPrivate({ status: r.status, code: null, message: null, text: '', headers: r.headers });
      if (flavor === 'default') {
        const doc = await h.fetch(`${BASE}/openapi.json`);
        expect(doc.headers.get('Cache-Control')).toBeNull();
        expect(doc.headers.get('Access-Control-Allow-Origin')).toBe('*');
      }
    });
  });
});
