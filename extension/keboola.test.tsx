// The extension against Keboola-shaped answers: the mock backend's Keboola flavor behind MSW.
import { render, screen } from '@testing-library/preact';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockBackend } from '../mock-backend/msw.ts';
import { callWorker } from './messages.ts';
import { fakeBrowser } from './test-browser.ts';
import { App } from './ui/App.tsx';

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
      stack: BASE,
      projectId: 101,
      reason: 'Ticket SK-9',
      expirationSeconds: 3600,
    });
    expect(res.ok && res.value).toMatchObject({ kind: 'joined', projectId: 101 });
  });
});

describe('our extensions on a Keboola stack', () => {
  it('the Tickets tab says the stack has no tickets endpoint, never a bare 404', async () => {
    await callWorker('saveSettings', { backendUrl: BASE, token: 'demo-support-token' });
    const res = await callWorker('refreshTickets', {});
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('unsupported');
    expect(res.error.message).toMatch(/without our extensions: This stack has no support tickets/);
    expect(res.error.message).not.toMatch(/HTTP 404/);
  });
});

describe('a token that expired or was revoked', () => {
  it('shows on the badge and in the popup with the way to fix it; a new token clears it', async () => {
    await callWorker('saveSettings', { backendUrl: BASE, token: 'demo-support-token' });
    server.use(
      http.get(`${BASE}/manage/current-user/projects-join-requests`, () =>
        HttpResponse.json({ error: 'Invalid access token', code: 401, status: 'error' }, { status: 401 }),
      ),
    );
    const res = await callWorker('refresh', {});
    expect(res.ok || res.error.code).toBe('tokenRefused');
    expect(fakeBrowser.state.badge).toBe('!');
    render(<App mode="popup" />);
    const alert = await screen.findByTestId('token-refused');
    expect(alert.textContent).toMatch(/refused your token: it has expired or was revoked/);
    expect(alert.textContent).toMatch(/Create a new personal Manage API token/);
    expect(screen.getByRole('button', { name: 'Open options' })).toBeTruthy();
    server.resetHandlers();
    const again = await callWorker('saveSettings', { backendUrl: BASE, token: 'demo-support-token' });
    expect(again.ok).toBe(true);
    await callWorker('refresh', {});
    expect(fakeBrowser.state.badge).toBe('');
  });
});
