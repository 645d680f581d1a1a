// The client reads Keboola's documented answers (apiary.apib of keboola/kbc-manage-api-php-client)
// as the objects of types.ts. Bodies below are the blueprint's examples, trimmed to what matters.
import { describe, expect, it } from 'vitest';
import { createClient } from './client.ts';

function answering(status: number, body: unknown) {
  const urls: string[] = [];
  const tokens: (string | null)[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    urls.push(String(input));
    tokens.push(new Headers(init?.headers).get('X-KBC-ManageApiToken'));
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return { fetch, urls, tokens };
}

const client = (status: number, body: unknown, supportEmailDomains?: string[]) =>
  createClient({
    baseUrl: 'https://connection.keboola.com',
    token: 't',
    ...answering(status, body),
    supportEmailDomains,
  });

const KEBOOLA_PROJECT = {
  id: 4088,
  name: 'Martinšík',
  type: 'production',
  created: '2017-12-11T09:02:13+0100',
  limits: {
    'components.jobsParallelism': { name: 'components.jobsParallelism', value: 10 },
    'kbc.adminsCount': { name: 'kbc.adminsCount', value: 10 },
  },
  metrics: {
    'kbc.adminsCount': { name: 'kbc.adminsCount', value: 1 },
    'storage.rowsCount': { name: 'storage.rowsCount', value: 4295727047 },
  },
  organization: {
    id: 5,
    name: 'Martinovo',
    crmId: '',
    created: '2013-12-31T11:22:33+0100',
    allowAutoJoin: true,
  },
};

const keboolaUser = (over: Record<string, unknown>) => ({
  id: 123,
  name: 'test user',
  email: 'martin@customer.test',
  features: [],
  expires: null,
  created: '2016-02-29T08:01:13+0200',
  reason: '',
  role: 'admin',
  status: 'active',
  invitor: null,
  approver: null,
  ...over,
});

describe('reading Keboola shapes', () => {
  it('takes the user limit from limits["kbc.adminsCount"] and the usage from metrics', async () => {
    const res = await client(200, KEBOOLA_PROJECT).getProject(4088);
    expect(res.data).toEqual({
      id: 4088,
      name: 'Martinšík',
      created: '2017-12-11T09:02:13+0100',
      organization: { id: 5, name: 'Martinovo' },
      limits: { users: 10 },
      usage: { users: 1 },
    });
  });

  it('reads a project without the users limit as unlimited, and keeps our own shape as it is', async () => {
    const { 'kbc.adminsCount': _, ...other } = KEBOOLA_PROJECT.limits;
    const unlimited = await client(200, { ...KEBOOLA_PROJECT, limits: other, metrics: {} }).getProject(1);
    expect(unlimited.data?.limits).toEqual({ users: null });
    expect(unlimited.data?.usage).toEqual({ users: 0 });
    const ours = await client(200, {
      id: 1,
      name: 'Main',
      created: 'x',
      organization: { id: 2, name: 'O' },
      limits: { users: null },
      usage: { users: 3 },
    }).getProject(1);
    expect(ours.data).toMatchObject({ limits: { users: null }, usage: { users: 3 } });
  });

  it('finds support users by kind, else by isSuperAdmin, else by a support e-mail domain', async () => {
    const users = [
      keboolaUser({ id: 1, email: 'ann@customer.test' }),
      keboolaUser({ id: 2, email: 'sam@Keboola.com' }),
      keboolaUser({ id: 3, email: 'su@elsewhere.test', isSuperAdmin: true }),
      keboolaUser({ id: 4, email: 'x@keboola.com', kind: 'maintainer' }),
    ];
    const res = await client(200, users, ['keboola.com']).listProjectUsers(1);
    expect(res.data?.map((u) => [u.id, u.kind])).toEqual([
      [1, 'member'],
      [2, 'support'],
      [3, 'support'],
      [4, 'maintainer'],
    ]);
    const without = await client(200, users).listProjectUsers(1);
    expect(without.data?.map((u) => u.kind)).toEqual(['member', 'member', 'support', 'maintainer']);
  });

  it('reads reason "" as no reason everywhere a reason is', async () => {
    const u = await client(200, [
      keboolaUser({ reason: '' }),
      keboolaUser({ id: 2, reason: 'temporary test' }),
    ]).listProjectUsers(1);
    expect(u.data?.map((x) => x.reason)).toEqual([null, 'temporary test']);
    const r = await client(200, [
      { id: 1235, created: 'x', expires: null, reason: '', user: { id: 124, name: 'u', email: 'e' } },
    ]).listJoinRequests(1);
    expect(r.data?.[0]?.reason).toBeNull();
    const mine = await client(200, [
      {
        id: 127,
        crated: '2014-11-11T08:40:51.620Z',
        expires: null,
        reason: '  ',
        project: { id: 423, name: 'Development' },
      },
    ]).listMyJoinRequests();
    expect(mine.data?.[0]).toEqual({
      id: 127,
      created: '2014-11-11T08:40:51.620Z',
      expires: null,
      reason: null,
      project: { id: 423, name: 'Development' },
      // Keboola's requests name no ticket (ours may: read below).
      ticket: null,
    });
    const ours = await client(200, [
      {
        id: 128,
        created: 'x',
        expires: null,
        reason: 'SK-1001',
        project: { id: 423, name: 'Development' },
        ticket: { id: 5, number: 'SK-1001', subject: 'Jobs fail' },
      },
    ]).listMyJoinRequests();
    expect(ours.data?.[0]?.ticket).toEqual({ id: 5, number: 'SK-1001', subject: 'Jobs fail' });
    const inv = await client(200, [
      {
        id: 112,
        created: 'x',
        expires: null,
        reason: '',
        user: { id: 1, name: 'n', email: 'e' },
        creator: { id: 2, name: 'c', email: 'f' },
      },
    ]).listProjectInvitations(1);
    expect(inv.data?.[0]).toMatchObject({ reason: null, role: 'admin' });
  });

  it('keeps roles it does not know (developer, reviewer, productionManager, others) by name', async () => {
    const roles = ['developer', 'reviewer', 'productionManager', 'somethingNew'];
    const res = await client(
      200,
      roles.map((role, i) => keboolaUser({ id: i + 1, role })),
    ).listProjectUsers(1);
    expect(res.data?.map((u) => u.role)).toEqual(roles);
  });

  it('reads the organization PATCH answer without maintainer as maintainer null', async () => {
    const res = await client(200, {
      id: 123,
      name: 'POC',
      created: '2015-10-02T11:03:44+0200',
      allowAutoJoin: false,
      crmId: '123456',
      mfaRequired: false,
      projects: [{ id: 123, name: 'Demo', created: '2014-11-11T08:40:51.620Z' }],
    }).updateOrganization(123, { allowAutoJoin: false });
    expect(res.data).toEqual({
      id: 123,
      name: 'POC',
      created: '2015-10-02T11:03:44+0200',
      allowAutoJoin: false,
      mfaRequired: false,
      maintainer: null,
    });
    const got = await client(200, {
      id: 1,
      name: 'o',
      maintainer: { id: 4, name: 'MAPI', zendeskUrl: null },
    }).getOrganization(1);
    expect(got.data?.maintainer).toEqual({ id: 4, name: 'MAPI' });
  });

  it('reads tokens/verify of a token without a user (an application token) as user null', async () => {
    const res = await client(200, {
      id: 1,
      description: 'app',
      type: 'application',
      scopes: [],
    }).verifyToken();
    expect(res.error).toBeUndefined();
    expect(res.data?.user).toBeNull();
  });

  it.each([
    [
      'a string code',
      { error: 'Nope', code: 'manage.accessDenied', status: 'error', exceptionId: 'e1' },
      'manage.accessDenied',
    ],
    ['an integer code', { error: 'Nope', code: 403, status: 'error', exceptionId: 'e1' }, '403'],
    ['no code', { error: 'Nope', status: 'error' }, ''],
  ])('keeps the server message of an error body with %s, as an http error', async (_, body, code) => {
    const res = await client(403, body).getProject(1);
    expect(res.error).toMatchObject({ kind: 'http', httpStatus: 403, message: 'Nope', code });
  });

  it('turns a success it cannot read into an invalid response, not a crash', async () => {
    const res = await client(200, 'hello').getProject(1);
    expect(res.error).toMatchObject({ kind: 'invalidResponse', httpStatus: 200 });
    const list = await client(200, { not: 'a list' }).listProjectUsers(1);
    expect(list.error?.kind).toBe('invalidResponse');
  });
});

describe('tokens that expire', () => {
  it('on a 401 asks getToken once more and retries once with the new token', async () => {
    let n = 0;
    const seen: (string | null)[] = [];
    const fetch = (async (_: string | URL | Request, init?: RequestInit) => {
      const t = new Headers(init?.headers).get('X-KBC-ManageApiToken');
      seen.push(t);
      return t === 'fresh'
        ? new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } })
        : new Response(JSON.stringify({ error: 'Invalid access token', code: 401 }), { status: 401 });
    }) as typeof globalThis.fetch;
    const c = createClient({
      baseUrl: 'http://s.test',
      getToken: () => (++n === 1 ? 'expired' : 'fresh'),
      fetch,
    });
    const res = await c.listMyJoinRequests();
    expect(res.error).toBeUndefined();
    expect(seen).toEqual(['expired', 'fresh']);
  });

  it('does not retry when getToken gives the same token again, nor more than once', async () => {
    const seen: string[] = [];
    const fetch = (async (_: string | URL | Request, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get('X-KBC-ManageApiToken') ?? '');
      return new Response(JSON.stringify({ error: 'Invalid access token' }), { status: 401 });
    }) as typeof globalThis.fetch;
    const same = await createClient({
      baseUrl: 'http://s.test',
      getToken: () => 'same',
      fetch,
    }).verifyToken();
    expect(same.error).toMatchObject({ kind: 'http', httpStatus: 401, message: 'Invalid access token' });
    expect(seen).toEqual(['same']);
    seen.length = 0;
    let n = 0;
    await createClient({ baseUrl: 'http://s.test', getToken: () => `t${++n}`, fetch }).verifyToken();
    expect(seen).toEqual(['t1', 't2']);
  });
});
