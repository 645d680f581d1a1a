// The extension against Keboola-shaped answers: the mock backend's Keboola flavor behind MSW.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockBackend } from '../mock-backend/msw.ts';
import { callWorker } from './messages.ts';

const BASE = 'https://keboola.test';
const mock = createMockBackend({ baseUrl: BASE, options: { flavor: 'keboola' } });
const server = setupServer(...mock.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => mock.reset());

describe('the extension on a Keboola stack', () => {
  it('accepts a support token from Keboola’s tokens/verify answer', async () => {
    const res = await callWorker('saveSettings', { backendUrl: BASE, token: 'demo-support-token' });
    expect(res.ok && res.value).toMatchObject({ kind: 'support', userName: 'Sam Support' });
  });

  it('says clearly that a token without a user (an application token) cannot be used', async () => {
    server.use(
      http.get(`${BASE}/manage/tokens/verify`, () =>
        HttpResponse.json({ id: 9, description: 'CI', type: 'application', scopes: ['projects:read'] }),
      ),
    );
    const res = await callWorker('saveSettings', { backendUrl: BASE, token: 'app-token' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('applicationToken');
    expect(res.error.message).toMatch(
      /belongs to no user \(an application token\).*personal Manage API token/,
    );
  });

  it('matches the server message of an error with an integer code: request-access → join still works', async () => {
    await callWorker('saveSettings', { backendUrl: BASE, token: 'demo-support-token' });
    // The organization cannot be read, so the extension asks for access; Auto Join is on, so Keboola
    // answers 400 (integer code) telling it to join, and the extension joins.
    server.use(
      http.get(`${BASE}/manage/organizations/11`, () =>
        HttpResponse.json({ error: 'Access denied', code: 403, status: 'error' }, { status: 403 }),
      ),
    );
    const res = await callWorker('getAccess', {
      projectId: 101,
      reason: 'Ticket SK-9',
      expirationSeconds: 3600,
    });
    expect(res.ok && res.value).toMatchObject({ kind: 'joined', projectId: 101 });
  });
});
