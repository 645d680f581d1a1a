// Issue 22, point 4: every write under /manage counts towards a per-user limit (120 a minute): 80,000
// role changes from one admin in 43 s must not go through. 429 with Retry-After and the contract's
// error body; the same count through every instance (PostgreSQL); a server option, never a request,
// raises it (the bench).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../../test/postgres-db.ts';
import { createBackend } from '../app.ts';
import { manualClock } from '../clock.ts';
import { loadFixture } from '../domain/fixture.ts';
import { openPostgresStore, type PostgresStore } from '../store/postgres.ts';
import { postgresRateLimitStore } from '../store/postgres-rate-limit.ts';
import { BASE, DEMO, type Harness, harness, IDS, T0, TOKENS } from '../testing.ts';
import { RATE_LIMITS } from './rate-limit.ts';

const WRITES = RATE_LIMITS.writes;
type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const send = (fetch: Fetch, method: string, path: string, token: string, body?: unknown) =>
  fetch(`${BASE}${path}`, {
    method,
    headers: {
      'X-KBC-ManageApiToken': token,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A write that changes nothing (no such invitation): it still counts. */
const cheapWrite = (fetch: Fetch, token: string = TOKENS.admin) =>
  send(fetch, 'DELETE', '/manage/projects/100/invitations/999999', token);

async function expectRefused(res: Response, label: string): Promise<void> {
  expect(res.status, label).toBe(429);
  const retryAfter = Number(res.headers.get('Retry-After'));
  expect(retryAfter, label).toBeGreaterThanOrEqual(1);
  expect(retryAfter, label).toBeLessThanOrEqual(60);
  // Keboola's error shape, readable by the widget on any origin.
  expect(await res.json(), label).toMatchObject({
    error: expect.stringMatching(/Too many requests: at most 120 a minute/),
    code: 'manage.tooManyRequests',
    status: 'error',
    exceptionId: expect.any(String),
  });
  expect(res.headers.get('Access-Control-Allow-Origin'), label).toBe('*');
}

const roleChange = (h: Harness, role: 'guest' | 'readOnly') =>
  send(h.fetch, 'PATCH', `/manage/projects/100/users/${IDS.guest}`, TOKENS.admin, { role });

describe('every write under /manage is limited per user', () => {
  it('role changes: 120 in a minute go through, the 121st is 429 and changes nothing; the next minute they go on', async () => {
    const h = await harness();
    for (let i = 0; i < WRITES; i++) {
      const res = await roleChange(h, i % 2 === 0 ? 'readOnly' : 'guest');
      expect(res.status, `change ${i + 1}`).toBe(200);
    }
    const before = await h.store.find('projectMembers', { projectId: 100, userId: IDS.guest });
    await expectRefused(await roleChange(h, 'readOnly'), 'the 121st');
    expect(await h.store.find('projectMembers', { projectId: 100, userId: IDS.guest })).toEqual(before);
    expect(await h.store.count('accessLog', { projectId: 100, action: 'roleChanged' })).toBe(WRITES);
    // Others write on; reads are never counted.
    expect(
      (await send(h.fetch, 'PATCH', '/manage/organizations/10', TOKENS.org, { name: 'Acme' })).status,
    ).toBe(200);
    for (let i = 0; i < 200; i++)
      expect((await send(h.fetch, 'GET', '/manage/projects/100/users', TOKENS.admin)).status).toBe(200);
    h.clock.advance(60_000);
    expect((await roleChange(h, 'readOnly')).status).toBe(200);
  });

  it('every write route (POST, PUT, PATCH, DELETE under /manage) counts towards the same limit', async () => {
    const probe = await harness();
    const writes = probe.app.routes.filter(
      (r) => r.path.startsWith('/manage/') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method),
    );
    expect(writes.length).toBeGreaterThan(20);
    const ids: Record<string, string> = {
      projectId: '100',
      organizationId: '10',
      userId: String(IDS.guest),
      userIdOrEmail: String(IDS.guest),
    };
    for (const route of writes) {
      const h = await harness();
      for (let i = 0; i < WRITES; i++) await cheapWrite(h.fetch);
      const path = route.path.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? '1');
      const body = route.method === 'DELETE' ? undefined : {};
      await expectRefused(
        await send(h.fetch, route.method, path, TOKENS.admin, body),
        `${route.method} ${route.path}`,
      );
      // Nothing was done: the guest is still a guest of 100, the project still there.
      expect(await h.store.count('projectMembers', { projectId: 100 }), route.path).toBe(4);
      expect((await h.store.get('projects', 100))?.deleted, route.path).toBeNull();
    }
  });

  it('a refused write is refused before its body is read or any rule runs (a flood of bad bodies counts too)', async () => {
    const h = await harness();
    for (let i = 0; i < WRITES; i++)
      expect(
        (await send(h.fetch, 'POST', '/manage/projects/100/users', TOKENS.admin, { email: 'bad' })).status,
      ).toBe(422);
    await expectRefused(
      await send(h.fetch, 'POST', '/manage/projects/100/users', TOKENS.admin, { email: 'new@acme.test' }),
      'valid after the flood',
    );
    expect(await h.store.first('users', { email: 'new@acme.test' })).toBeUndefined();
  });

  it('a server option raises it (the bench does); a bad figure stops the server at start', async () => {
    const h = await harness({ options: { rateLimits: { writes: 1000 } } });
    for (let i = 0; i < 300; i++) expect((await cheapWrite(h.fetch)).status).toBe(404);
    const store = h.store;
    for (const writes of [0, -1, 1.5, Number.NaN])
      expect(() =>
        createBackend({ store, clock: manualClock(T0), options: { rateLimits: { writes } } }),
      ).toThrow(/rate limit writes/);
  });
});

describe('counted across instances (PostgreSQL)', () => {
  let url = '';
  const stores: PostgresStore[] = [];
  beforeAll(async () => {
    url = await createTestDatabase();
  });
  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => {});
    if (url) await dropTestDatabase(url);
  });

  it('60 writes through one instance and 60 through the other use up one limit', async () => {
    const clock = manualClock(T0);
    const instance = async () => {
      const store = await openPostgresStore(url, { max: 4 });
      stores.push(store);
      const backend = createBackend({
        store,
        clock,
        options: { testMode: true, publicUrl: BASE },
        limits: postgresRateLimitStore(store.sql, () => clock.now()),
      });
      const fetch: Fetch = async (input, init) => backend.app.fetch(new Request(input, init));
      return { store, fetch, backend };
    };
    const a = await instance();
    const b = await instance();
    await a.store.clear();
    await loadFixture(a.store, DEMO, Math.floor(T0 / 1000));
    await a.backend.resetLimits();
    for (let i = 0; i < WRITES / 2; i++) {
      expect((await cheapWrite(a.fetch)).status).toBe(404);
      expect((await cheapWrite(b.fetch)).status).toBe(404);
    }
    await expectRefused(await cheapWrite(a.fetch), 'through A');
    await expectRefused(await cheapWrite(b.fetch), 'through B');
    // Per user: the share member is not held back.
    expect((await cheapWrite(b.fetch, TOKENS.share)).status).toBe(404);
  });
});
