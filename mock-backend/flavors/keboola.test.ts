// The Keboola flavor on the wire: raw bodies held to the shapes of Keboola's API Blueprint
// (apiary.apib, keboola/kbc-manage-api-php-client at 1f2a759); README.md here cites each section.
import { describe, expect, it } from 'vitest';
import { arrayOf, assertShape, nullable, oneOf, optional } from '../../test/contract/shapes.ts';
import { BASE, type Harness, harness, IDS, type Persona, TOKENS } from '../testing.ts';

const kbc = () => harness({ options: { flavor: 'keboola' } });

async function raw(h: Harness, persona: Persona, method: string, path: string, body?: unknown) {
  const r = await h.fetch(`${BASE}${path}`, {
    method,
    headers: {
      'X-KBC-ManageApiToken': TOKENS[persona],
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const Ref = { id: 'integer', name: 'string', email: 'string' } as const;
const LimitEntry = { name: 'string', value: 'integer' } as const;
// apiary "List project users": no kind, no mfaEnabled, features [], reason "" for none.
const KeboolaProjectUser = {
  id: 'integer',
  name: 'string',
  email: 'string',
  features: arrayOf('string'),
  expires: 'timestamp|null',
  created: 'timestamp',
  reason: 'string',
  role: 'string',
  status: oneOf('active'),
  invitor: nullable(Ref),
  approver: nullable(Ref),
} as const;

describe('the Keboola flavor on the wire', () => {
  it('a project has limits and metrics maps keyed by kbc.adminsCount, no limits.users or usage', async () => {
    const h = await kbc();
    const { status, body } = await raw(h, 'admin', 'GET', '/manage/projects/100');
    expect(status).toBe(200);
    assertShape(body, {
      id: 'integer',
      name: 'string',
      type: 'string',
      created: 'timestamp',
      expires: 'null',
      features: arrayOf('string'),
      limits: { 'kbc.adminsCount': LimitEntry },
      metrics: { 'kbc.adminsCount': LimitEntry },
      isDisabled: 'boolean',
      organization: { id: 'integer', name: 'string', crmId: 'string', activityCenterProjectId: 'string' },
    });
    expect(body).toMatchObject({
      limits: { 'kbc.adminsCount': { name: 'kbc.adminsCount', value: 5 } },
      metrics: { 'kbc.adminsCount': { name: 'kbc.adminsCount', value: 4 } },
    });
  });

  it('project users carry no kind and say reason "" when there is none', async () => {
    const h = await kbc();
    expect(
      (await raw(h, 'support', 'POST', '/manage/projects/101/join-project', { reason: 'SK-1' })).status,
    ).toBe(204);
    const { body } = await raw(h, 'betaAdmin', 'GET', '/manage/projects/101/users');
    assertShape(body, arrayOf(KeboolaProjectUser));
    const users = body as { id: number; reason: string }[];
    expect(users.find((u) => u.id === IDS.betaAdmin)?.reason).toBe('');
    expect(users.find((u) => u.id === IDS.support)?.reason).toBe('SK-1');
  });

  it('the organization PATCH answer has no maintainer; GET has it with a zendeskUrl', async () => {
    const h = await kbc();
    const got = await raw(h, 'org', 'GET', '/manage/organizations/10');
    expect(got.body).toMatchObject({ maintainer: { id: 1, zendeskUrl: null } });
    const patched = await raw(h, 'org', 'PATCH', '/manage/organizations/10', { allowAutoJoin: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: 10, allowAutoJoin: true });
    expect(patched.body).not.toHaveProperty('maintainer');
  });

  it('join requests, invitations and my requests say reason "" for none', async () => {
    const h = await kbc();
    const inv = await raw(h, 'admin', 'POST', '/manage/projects/100/invitations', { email: 'new@acme.test' });
    expect(inv.status).toBe(201);
    expect(inv.body).toMatchObject({ reason: '' });
    const list = await raw(h, 'admin', 'GET', '/manage/projects/100/invitations');
    expect((list.body as { reason: unknown }[]).map((i) => i.reason)).toEqual(['']);
  });

  it('tokens/verify answers with Keboola’s token fields', async () => {
    const { body } = await raw(await kbc(), 'support', 'GET', '/manage/tokens/verify');
    expect(body).toMatchObject({
      isSessionToken: false,
      type: 'admin',
      scopes: [],
      user: { isSuperAdmin: true },
    });
  });

  it('error bodies: Keboola’s named codes stay strings, others carry the status as an integer code', async () => {
    const h = await kbc();
    const shape = {
      error: 'string',
      code: optional('string|integer'),
      status: oneOf('error'),
      exceptionId: 'string',
      errors: optional(arrayOf({ key: 'string', message: 'string' })),
    } as const;
    const denied = await raw(h, 'random', 'GET', '/manage/projects/100');
    assertShape(denied.body, shape);
    expect(denied).toMatchObject({ status: 403, body: { code: 403 } });
    const unknown = await h.fetch(`${BASE}/manage/tokens/verify`, {
      headers: { 'X-KBC-ManageApiToken': 'nope' },
    });
    expect(await unknown.json()).toMatchObject({ code: 401, status: 'error' });
    const perm = await raw(h, 'support', 'PATCH', '/manage/organizations/10', { allowAutoJoin: true });
    expect(perm.body).toMatchObject({ code: 'manage.updateOrganizationPermissionDenied' });
  });

  it.each([
    ['POST', '/manage/support/tickets'],
    ['GET', '/manage/support/tickets'],
    ['GET', '/manage/support/tickets/1'],
    ['POST', '/manage/support/tickets/1/grants'],
    ['GET', '/manage/support/grants'],
    ['POST', '/manage/support/grants/1/join'],
    ['GET', '/manage/current-user/events'],
    ['GET', '/manage/projects/100/access-log'],
    ['GET', '/manage/projects/100/tokens'],
    ['DELETE', '/manage/projects/100/tokens/1'],
    ['GET', '/openapi.json'],
  ])('our extension %s %s is a 404 without a code', async (method, path) => {
    const h = await kbc();
    const res = await raw(h, 'admin', method, path, method === 'POST' ? { subject: 's' } : undefined);
    expect(res.status).toBe(404);
    assertShape(res.body, { error: 'string', status: oneOf('error'), exceptionId: 'string' });
  });

  it("Keboola's own POST tokens stays on the path whose GET (listing outsiders' tokens) is ours", async () => {
    const h = await kbc();
    const made = await raw(h, 'admin', 'POST', '/manage/projects/100/tokens', { description: 'Enter' });
    expect(made.status).toBe(201);
  });

  it('the default flavor keeps our shapes and extensions', async () => {
    const h = await harness();
    const p = await raw(h, 'admin', 'GET', '/manage/projects/100');
    expect(p.body).toMatchObject({ limits: { users: 5 }, usage: { users: 4 } });
    expect((await raw(h, 'admin', 'GET', '/manage/support/tickets')).status).toBe(200);
  });
});
