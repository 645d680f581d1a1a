// CORS belongs to the API (/manage/*, /openapi.json) only: the mailbox, the demo pages and the test
// routes send none, so a page of another origin can neither read them nor preflight a post to them.
import { describe, expect, it } from 'vitest';
import { BASE, harness, TOKENS } from '../testing.ts';

const origin = (res: Response) => res.headers.get('Access-Control-Allow-Origin');

describe('CORS', () => {
  it('answers a preflight on any API path with 204 and the allowed headers and methods', async () => {
    const h = await harness();
    for (const path of ['/manage/projects/100/users', '/manage/no-such-route', '/openapi.json']) {
      const res = await h.fetch(`${BASE}${path}`, { method: 'OPTIONS' });
      expect(res.status).toBe(204);
      expect(origin(res)).toBe('*');
      expect(res.headers.get('Access-Control-Allow-Headers')).toBe(
        'X-KBC-ManageApiToken, Content-Type, Idempotency-Key, Last-Event-ID',
      );
      expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET, POST, PUT, PATCH, DELETE, OPTIONS');
      expect(res.headers.get('Access-Control-Max-Age')).toBe('600');
    }
  });

  it('gives no preflight outside the API: test routes, mailbox, anything else', async () => {
    const h = await harness();
    for (const path of ['/__test__/reset', '/__test__/clock', '/mailbox', '/anything']) {
      const res = await h.fetch(`${BASE}${path}`, { method: 'OPTIONS' });
      await res.body?.cancel();
      expect([res.status, origin(res)], path).toEqual([404, null]);
      expect(res.headers.get('Access-Control-Allow-Methods'), path).toBeNull();
    }
  });

  it('unknown /manage routes want a token first (401), then say 404; both readable cross-origin', async () => {
    const h = await harness();
    const anonymous = await h.fetch(`${BASE}/manage/no-such-route`);
    expect([anonymous.status, origin(anonymous)]).toEqual([401, '*']);
    const bare = await h.fetch(`${BASE}/manage`);
    expect(bare.status).toBe(401);
    const known = await h.fetch(`${BASE}/manage/no-such-route`, {
      headers: { 'X-KBC-ManageApiToken': TOKENS.admin },
    });
    expect([known.status, origin(known)]).toEqual([404, '*']);
    const elsewhere = await h.fetch(`${BASE}/no-such-page`);
    expect([elsewhere.status, origin(elsewhere)]).toEqual([404, null]);
  });

  it('sends no CORS headers on the mailbox, the reference page and the test routes, successes and errors alike', async () => {
    const h = await harness();
    for (const path of ['/mailbox', '/mailbox/999', '/__test__/outbox', '/docs']) {
      const res = await h.fetch(`${BASE}${path}`);
      await res.body?.cancel();
      expect(origin(res), path).toBeNull();
    }
    const clock = await h.fetch(`${BASE}/__test__/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"advanceSeconds":-1}',
    });
    expect([clock.status, origin(clock)]).toEqual([400, null]);
    expect(origin(await h.fetch(`${BASE}/openapi.json`))).toBe('*');
  });
});
