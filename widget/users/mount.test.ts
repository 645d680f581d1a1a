import { waitFor } from '@testing-library/preact';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { mountUsers } from './panel.tsx';
import { fetchPendingCount } from './pending.ts';
import { as, BASE, TOKENS, useBackend } from './test-backend.ts';

const { server } = useBackend();
afterEach(() => {
  document.body.innerHTML = '';
});

describe('mountUsers', () => {
  it('renders into a shadow root with its own stylesheet, and destroy removes both', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    const handle = mountUsers(el, {
      apiBaseUrl: BASE,
      getToken: async () => TOKENS.admin,
      projectId: 100,
      live: false,
    });
    const root = el.shadowRoot;
    if (!root) throw new Error('no shadow root');
    await waitFor(() => expect(root.textContent).toContain('Gary Guest'));
    expect(root.adoptedStyleSheets).toHaveLength(1);
    expect(document.body.textContent).not.toContain('Gary Guest');

    await as('support').requestAccess(100, { reason: 'Refresh me' });
    await handle.refresh();
    await waitFor(() => expect(root.textContent).toContain('Refresh me'));

    handle.destroy();
    expect(root.textContent).toBe('');
    expect(root.adoptedStyleSheets).toHaveLength(0);
  });
});

describe('fetchPendingCount', () => {
  const BADGE = `${BASE}/manage/projects/100/support-badge`;
  const options = {
    apiBaseUrl: `${BASE}/`,
    token: TOKENS.admin,
    projectId: 100,
    fetch: (i: RequestInfo | URL, r?: RequestInit) => fetch(i, r),
  };

  it('counts pending requests and tickets with an unread reply with one request to support-badge', async () => {
    expect(await fetchPendingCount(options)).toBe(0);
    await as('support').requestAccess(100, { reason: 'Count me' });
    await as('maintainer').requestAccess(100, { reason: 'Me too' });
    const ticket = await as('admin').createTicket(
      { subject: 'Help', description: 'Please', type: 'question', projectId: 100 },
      'count-key-1',
    );
    await as('support').postMessage(
      ticket.data?.id ?? 0,
      { body: 'Answer', via: 'extension' },
      'count-key-2',
    );
    const urls: string[] = [];
    server.events.on('request:start', ({ request }) => urls.push(new URL(request.url).pathname));
    expect(await fetchPendingCount({ ...options, token: undefined, getToken: () => TOKENS.admin })).toBe(3);
    expect(urls).toEqual(['/manage/projects/100/support-badge']);
    server.events.removeAllListeners();
  });

  it('falls back to the count of pending requests for deciders where support-badge is missing', async () => {
    await as('support').requestAccess(100, { reason: 'Count me' });
    server.use(
      http.get(BADGE, () =>
        HttpResponse.json({ error: 'Route not found', code: 'manage.routeNotFound' }, { status: 404 }),
      ),
    );
    const urls: string[] = [];
    server.events.on('request:start', ({ request }) => urls.push(new URL(request.url).pathname));
    const decider = { ...options, usersPanel: true, user: { role: 'admin' } };
    expect(await fetchPendingCount(decider)).toBe(1);
    expect(urls).toEqual(['/manage/projects/100/support-badge', '/manage/projects/100/join-requests/count']);
    urls.length = 0;
    // Without the users panel, or for a role that may not decide: no second request.
    expect(await fetchPendingCount({ ...decider, usersPanel: false })).toBe(0);
    expect(await fetchPendingCount({ ...decider, token: TOKENS.guest, user: { role: 'guest' } })).toBe(0);
    expect(urls).toEqual(['/manage/projects/100/support-badge', '/manage/projects/100/support-badge']);
    server.events.removeAllListeners();
  });

  it('resolves to 0 without a token, without the right to decide, or offline', async () => {
    await as('support').requestAccess(100, { reason: 'Count me' });
    expect(await fetchPendingCount({ apiBaseUrl: BASE, projectId: 100, fetch })).toBe(0);
    expect(await fetchPendingCount({ apiBaseUrl: BASE, token: TOKENS.random, projectId: 100, fetch })).toBe(
      0,
    );
    expect(await fetchPendingCount({ apiBaseUrl: BASE, token: TOKENS.guest, projectId: 100, fetch })).toBe(0);
    server.use(http.get(BADGE, () => HttpResponse.error()));
    expect(await fetchPendingCount({ apiBaseUrl: BASE, token: TOKENS.admin, projectId: 100, fetch })).toBe(0);
  });
});
