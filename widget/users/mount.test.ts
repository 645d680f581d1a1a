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
  it('counts the pending requests with one request to the count endpoint, never the list', async () => {
    const options = {
      apiBaseUrl: `${BASE}/`,
      token: TOKENS.admin,
      projectId: 100,
      fetch: (i: RequestInfo | URL, r?: RequestInit) => fetch(i, r),
    };
    expect(await fetchPendingCount(options)).toBe(0);
    await as('support').requestAccess(100, { reason: 'Count me' });
    await as('maintainer').requestAccess(100, { reason: 'Me too' });
    const urls: string[] = [];
    server.events.on('request:start', ({ request }) => urls.push(new URL(request.url).pathname));
    expect(await fetchPendingCount({ ...options, token: undefined, getToken: () => TOKENS.admin })).toBe(2);
    expect(urls).toEqual(['/manage/projects/100/join-requests/count']);
    server.events.removeAllListeners();
  });

  it('resolves to 0 without a token, without the right to decide, or offline', async () => {
    await as('support').requestAccess(100, { reason: 'Count me' });
    expect(await fetchPendingCount({ apiBaseUrl: BASE, projectId: 100, fetch })).toBe(0);
    expect(await fetchPendingCount({ apiBaseUrl: BASE, token: TOKENS.random, projectId: 100, fetch })).toBe(
      0,
    );
    expect(await fetchPendingCount({ apiBaseUrl: BASE, token: TOKENS.guest, projectId: 100, fetch })).toBe(0);
    server.use(http.get(`${BASE}/manage/projects/100/join-requests/count`, () => HttpResponse.error()));
    expect(await fetchPendingCount({ apiBaseUrl: BASE, token: TOKENS.admin, projectId: 100, fetch })).toBe(0);
  });
});
