// CORS on what no route table row covers: preflights, unknown routes, the demo's pages.
import { describe, expect, it } from 'vitest';
import { BASE, harness, TOKENS } from '../testing.ts';

const origin = (res: Response) => res.headers.get('Access-Control-Allow-Origin');

describe('CORS', () => {
  it('answers a preflight on any path with 204 and the allowed headers and methods', async () => {
    const h = harness();
    for (const path of ['/manage/projects/100/users', '/manage/no-such-route', '/anything']) {
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

  it('unknown /manage routes want a token first (401), then say 404; both readable cross-origin', async () => {
    const h = harness();
    const anonymous = await h.fetch(`${BASE}/manage/no-such-route`);
    expect([anonymous.status, origin(anonymous)]).toEqual([401, '*']);
    const bare = await h.fetch(`${BASE}/manage`);
    expect(bare.status).toBe(401);
    const known = await h.fetch(`${BASE}/manage/no-such-route`, {
      headers: { 'X-KBC-ManageApiToken': TOKENS.admin },
    });
    expect([known.status, origin(known)]).toEqual([404, '*']);
    const elsewhere = await h.fetch(`${BASE}/no-such-page`);
    expect([elsewhere.status, origin(elsewhere)]).toEqual([404, '*']);
  });

  it('covers the routes outside /manage', async () => {
    const h = harness();
    for (const path of ['/openapi.json', '/mailbox', '/mailbox/999', '/__test__/outbox']) {
      const res = await h.fetch(`${BASE}${path}`);
      await res.body?.cancel();
      expect(origin(res), path).toBe('*');
    }
  });
});
