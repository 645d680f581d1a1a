// The MSW handlers forward to the same app: the typed client over plain fetch reaches the real rules.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../api/client.ts';
import { manualClock } from './clock.ts';
import { createMockBackend } from './msw.ts';

const mock = createMockBackend({ baseUrl: 'https://connection.mock.test' });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('MSW handlers', () => {
  it('serve the real rules behind fetch, with the demo data and the error bodies', async () => {
    const support = createClient({ baseUrl: 'https://connection.mock.test', token: 'demo-support-token' });
    const req = await support.requestAccess(100, { reason: 'via msw' });
    expect(req.response?.status).toBe(201);
    const admin = createClient({ baseUrl: 'https://connection.mock.test', token: 'demo-admin-token' });
    expect((await admin.listJoinRequests(100)).data?.map((r) => r.reason)).toEqual(['via msw']);
    const anon = await fetch('https://connection.mock.test/manage/projects/100');
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ status: 'error', code: 'manage.unauthorized' });
  });

  it('reset() brings back the demo data', async () => {
    await mock.reset();
    const admin = createClient({ baseUrl: 'https://connection.mock.test', token: 'demo-admin-token' });
    expect((await admin.listJoinRequests(100)).data).toEqual([]);
  });

  it('send the expiry notice on the next request, with no server timer to send it', async () => {
    const clock = manualClock(Date.parse('2026-12-01T10:00:00Z'));
    const base = 'https://timerless.mock.test';
    const timerless = createMockBackend({ baseUrl: base, clock });
    server.use(...timerless.handlers);
    const support = createClient({ baseUrl: base, token: 'demo-support-token' });
    expect(
      (await support.requestAccess(100, { reason: 'expires', expirationSeconds: 60 })).response?.status,
    ).toBe(201);
    clock.advance(61_000);
    await support.listMyJoinRequests();
    const outbox = (await (await fetch(`${base}/__test__/outbox`)).json()) as {
      to: string;
      subject: string;
    }[];
    expect(outbox.filter((m) => m.to === 'sam@supportkit.test' && /expired/i.test(m.subject))).toHaveLength(
      1,
    );
  });
});
