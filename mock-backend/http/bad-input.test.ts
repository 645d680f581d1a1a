// Property-based bad input: whatever arrives, the answer is a JSON error body or a success, never a
// 5xx, and a refused request changes nothing in the store.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../store/schema.ts';
import { type Harness, harness, type Persona, TOKENS } from '../testing.ts';

type H = Harness;

const snapshot = async (h: H) =>
  JSON.stringify(await Promise.all(TABLE_NAMES.map((t) => h.store.find(t, {}))));

/** Routes with a body, each called by an actor who gets past authorization to the validation. */
const BODY_ROUTES: [string, string, Persona][] = [
  ['POST', '/manage/projects/{p}/join-project', 'support'],
  ['POST', '/manage/projects/{p}/request-access', 'maintainer'],
  ['PUT', '/manage/projects/{p}/join-requests/{id}', 'admin'],
  ['POST', '/manage/projects/{p}/users', 'admin'],
  ['PATCH', '/manage/projects/{p}/users/{id}', 'admin'],
  ['POST', '/manage/projects/{p}/invitations', 'org'],
  ['PUT', '/manage/current-user/projects-invitations/{id}', 'org'],
  ['PATCH', '/manage/organizations/{o}', 'org'],
  ['POST', '/manage/organizations/{o}/join-organization', 'support'],
  ['POST', '/manage/organizations/{o}/users', 'org'],
  ['POST', '/manage/organizations/{o}/invitations', 'org'],
  ['PUT', '/manage/current-user/organizations-invitations/{id}', 'org'],
  ['POST', '/manage/organizations/{o}/projects', 'org'],
  ['POST', '/manage/projects/{p}/tokens', 'admin'],
  ['POST', '/manage/support/tickets', 'guest'],
];

const GET_ROUTES = [
  '/manage/projects/{p}',
  '/manage/projects/{p}/users',
  '/manage/projects/{p}/join-requests/{id}',
  '/manage/projects/{p}/invitations/{id}',
  '/manage/projects/{p}/access-log?offset={id}&limit={id}',
  '/manage/organizations/{o}',
  '/manage/organizations/{o}/users',
  '/manage/support/tickets/{id}',
  '/manage/current-user/projects-join-requests/{id}',
  '/mailbox/{id}',
];

const idLike = fc.oneof(
  fc.constantFrom(
    '100',
    '10',
    '1',
    '1003',
    '0',
    '-1',
    '1.5',
    '1e3',
    'abc',
    '%20',
    '99999999999999999999',
    '١٠٠',
  ),
  fc.string({ maxLength: 30 }),
);

const nasty = fc.oneof(
  fc.constantFrom(
    'x'.repeat(1001),
    '   ',
    '<script>alert(1)</script>',
    -1,
    0,
    1.5,
    2 ** 53,
    1e308,
    -604_801,
    604_801,
    null,
    true,
    [],
    {},
    'not-an-email',
    'a@b',
    'owner',
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
const knownKeys = fc.constantFrom(
  'reason',
  'expirationSeconds',
  'email',
  'role',
  'name',
  'allowAutoJoin',
  'mfaRequired',
  'description',
  'expiresIn',
  'subject',
  'type',
  'severity',
  'projectId',
  'context',
  'attachments',
  'unknownField',
  '__proto__',
  'constructor',
);
const body = fc.oneof(
  fc.dictionary(knownKeys, nasty, { maxKeys: 5 }).map((d) => JSON.stringify(d)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 50 }),
  fc.constantFrom('{', '{"reason":', '[1,2', 'null', '""', '\u0000', '{"a":1}{"b":2}'),
);

function fill(path: string, p: string, o: string, id: string): string {
  return path
    .replace('{p}', encodeURIComponent(p))
    .replace('{o}', encodeURIComponent(o))
    .replaceAll('{id}', encodeURIComponent(id));
}

async function send(h: H, method: string, url: string, persona: Persona, text?: string) {
  const res = await h.fetch(`http://backend.test${url}`, {
    method,
    headers: {
      'X-KBC-ManageApiToken': TOKENS[persona],
      'Idempotency-Key': 'fuzz',
      ...(text === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: text,
  });
  const type = res.headers.get('content-type') ?? '';
  const payload = await res.text();
  return { status: res.status, type, payload };
}

describe('bad input', () => {
  it('bodies of every shape: never a 5xx, errors as JSON bodies, and a refusal changes nothing', async () => {
    const h = await harness();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES),
        fc.constantFrom('100', '101'),
        fc.constantFrom('10', '11'),
        fc.constantFrom('1', '1003', '1006'),
        body,
        async ([method, path, persona], p, o, id, text) => {
          const before = await snapshot(h);
          const r = await send(h, method, fill(path, p, o, id), persona, text);
          expect(r.status, r.payload).toBeLessThan(500);
          if (r.status >= 400) {
            expect(r.type).toContain('application/json');
            expect(JSON.parse(r.payload)).toMatchObject({ status: 'error', code: expect.any(String) });
            expect(r.payload).not.toMatch(/\bat .+:\d+:\d+/);
            expect(await snapshot(h)).toBe(before);
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it('ids of every shape in paths and queries: 400/404 bodies, never a 5xx, no change', async () => {
    const h = await harness();
    const before = await snapshot(h);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...GET_ROUTES),
        idLike,
        idLike,
        idLike,
        fc.constantFrom<Persona>('admin', 'support', 'random'),
        async (path, p, o, id, persona) => {
          const r = await send(h, 'GET', fill(path, p, o, id), persona);
          expect(r.status, `${path} ${r.payload}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
    for (const [method, path, persona] of BODY_ROUTES) {
      const r = await send(h, method, fill(path, 'abc', '-1', '1.5'), persona, '{}');
      expect(r.status).toBe(400);
    }
    expect(await snapshot(h)).toBe(before);
  });

  it('refuses unknown fields, wrong types and over-long reasons with 400 and the error body', async () => {
    const h = await harness();
    const cases: [string, string, Persona, unknown, string][] = [
      ['POST', '/manage/projects/100/request-access', 'support', { reason: 'ok', extra: 1 }, 'extra'],
      ['POST', '/manage/projects/100/request-access', 'support', { reason: 5 }, 'reason'],
      ['POST', '/manage/projects/100/request-access', 'support', { reason: 'x'.repeat(1001) }, 'reason'],
      [
        'POST',
        '/manage/projects/100/request-access',
        'support',
        { reason: 'ok', expirationSeconds: '60' },
        'expirationSeconds',
      ],
      [
        'POST',
        '/manage/projects/100/request-access',
        'support',
        { reason: 'ok', expirationSeconds: -1 },
        'expirationSeconds',
      ],
      ['PATCH', '/manage/organizations/10', 'org', { allowAutoJoin: 2 }, 'allowAutoJoin'],
      ['PATCH', '/manage/organizations/10', 'org', { allowAutoJoin: 'true' }, 'allowAutoJoin'],
      ['POST', '/manage/projects/100/users', 'admin', { email: 7 }, 'email'],
      ['PATCH', '/manage/projects/100/users/1003', 'admin', { role: 'owner' }, 'role'],
    ];
    for (const [method, url, persona, payload, key] of cases) {
      const r = await send(h, method, url, persona, JSON.stringify(payload));
      expect(r.status, url).toBe(400);
      expect(JSON.parse(r.payload).errors?.[0]?.key, JSON.stringify(payload)).toBe(key);
    }
    const role = await send(h, 'PATCH', '/manage/projects/100/users/1003', 'admin', '{"role":"owner"}');
    expect(JSON.parse(role.payload).error).toBe(
      'Role "owner" is not valid. Allowed roles are: admin, guest, readOnly, share',
    );
    const email = await send(h, 'POST', '/manage/projects/100/invitations', 'admin', '{"email":"nope"}');
    expect([email.status, JSON.parse(email.payload).error]).toEqual([422, 'Email address is not valid.']);
  });

  it('answers malformed JSON with 400 manage.malformedJson and bodies too large with 413', async () => {
    const h = await harness();
    const bad = await send(h, 'POST', '/manage/projects/100/request-access', 'support', '{"reason":');
    expect([bad.status, JSON.parse(bad.payload).code]).toEqual([400, 'manage.malformedJson']);
    const huge = await send(
      h,
      'POST',
      '/manage/projects/100/request-access',
      'support',
      JSON.stringify({ reason: 'x'.repeat(100_000) }),
    );
    expect([huge.status, JSON.parse(huge.payload).code]).toEqual([413, 'manage.payloadTooLarge']);
  });
});
