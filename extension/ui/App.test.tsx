// The popup against the real backend rules (MSW forwards to the mock backend's HTTP app).
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createMockBackend } from '../../mock-backend/msw.ts';
import { callWorker } from '../messages.ts';
import { fakeBrowser } from '../test-browser.ts';
import { App } from './App.tsx';
import { OptionsPage } from './OptionsPage.tsx';
import {
  APP_READY_ATTR,
  type BootEnv,
  bootSnapshot,
  SNAPSHOT_CLASS,
  SNAPSHOT_ID,
  storageKey,
} from './snapshot.ts';

const BASE = 'https://backend.test';
const mock = createMockBackend({ baseUrl: BASE });
const server = setupServer(...mock.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => mock.reset());

async function signIn(token = 'demo-support-token') {
  const res = await callWorker('saveSettings', { backendUrl: BASE, token });
  if (!res.ok) throw new Error(res.error.message);
}

async function asAdmin(method: string, path: string, token = 'demo-admin-token') {
  const r = await fetch(`${BASE}/manage${path}`, {
    method,
    headers: { 'X-KBC-ManageApiToken': token, 'Content-Type': 'application/json' },
    body: method === 'PUT' ? '{}' : undefined,
  });
  return r;
}

describe('options', () => {
  it('accepts the demo support token and says who it is', async () => {
    render(<OptionsPage />);
    fireEvent.input(screen.getByLabelText('Backend URL'), { target: { value: BASE } });
    fireEvent.input(screen.getByLabelText('Manage API token'), { target: { value: 'demo-support-token' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and verify' }));
    expect(await screen.findByTestId('options-saved')).toHaveProperty(
      'textContent',
      expect.stringContaining('Sam Support'),
    );
    // Said once: the saved notice, not also the "Signed in as" line above the form.
    expect(screen.getAllByText(/Signed in as/)).toHaveLength(1);
  });

  it('refuses a support account without MFA and explains why', async () => {
    render(<OptionsPage />);
    fireEvent.input(screen.getByLabelText('Backend URL'), { target: { value: BASE } });
    fireEvent.input(screen.getByLabelText('Manage API token'), {
      target: { value: 'demo-support-nomfa-token' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save and verify' }));
    const error = await screen.findByTestId('options-error');
    expect(error.textContent).toMatch(/multi-factor/);
  });

  it('says when the token is wrong', async () => {
    render(<OptionsPage />);
    fireEvent.input(screen.getByLabelText('Backend URL'), { target: { value: BASE } });
    fireEvent.input(screen.getByLabelText('Manage API token'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and verify' }));
    expect((await screen.findByTestId('options-error')).textContent).toMatch(/refused \(401\)/);
  });

  it('warns that a non-support account can only reach its maintainer’s projects', async () => {
    const res = await callWorker('saveSettings', { backendUrl: BASE, token: 'demo-maintainer-token' });
    expect(res.ok && res.value.kind).toBe('maybeMaintainer');
    expect(res.ok && res.value.warning).toMatch(/maintainer/);
    render(<App mode="popup" />);
    const identity = await screen.findByTestId('identity');
    expect(identity.textContent).toContain('Maintainer');
    expect(identity.textContent).not.toContain('Not support');
  });

  it('does not save when the browser refuses the host permission', async () => {
    fakeBrowser.state.permissionGranted = false;
    render(<OptionsPage />);
    fireEvent.input(screen.getByLabelText('Backend URL'), { target: { value: BASE } });
    fireEvent.input(screen.getByLabelText('Manage API token'), { target: { value: 'demo-support-token' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and verify' }));
    expect((await screen.findByTestId('options-error')).textContent).toMatch(/permission/);
  });
});

describe('popup', () => {
  it('asks to set up when no token is saved', async () => {
    render(<App mode="popup" />);
    expect(await screen.findByText('Not set up yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open options' }));
    expect(fakeBrowser.state.optionsOpened).toBe(1);
  });

  it('holds the live port only while visible, and takes it again when shown', async () => {
    await signIn();
    const ports: { name: string; open: boolean }[] = [];
    const connect = fakeBrowser.runtime.connect;
    fakeBrowser.runtime.connect = (info: { name: string }) => {
      const port = connect(info);
      const entry = { name: info.name, open: true };
      ports.push(entry);
      port.onDisconnect.addListener(() => {
        entry.open = false;
      });
      return port;
    };
    let state: DocumentVisibilityState = 'visible';
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => state);
    try {
      render(<App mode="popup" />);
      await waitFor(() => expect(ports).toHaveLength(1));
      expect(ports[0]?.open).toBe(true);
      state = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
      expect(ports.map((p) => p.open)).toEqual([false]);
      state = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      expect(ports.map((p) => p.open)).toEqual([false, true]);
    } finally {
      visibility.mockRestore();
      fakeBrowser.runtime.connect = connect;
    }
  });

  it('shows the identity and picks the project from the current tab', async () => {
    await signIn();
    fakeBrowser.state.tabs = [{ id: 1, active: true, url: `${BASE}/admin/projects/101/dashboard` }];
    render(<App mode="popup" />);
    expect((await screen.findByTestId('identity')).textContent).toContain('Sam Support');
    expect(screen.getByTestId('identity').textContent).not.toContain('Not support');
    const info = await screen.findByTestId('project-info');
    expect(info.textContent).toContain('Beta Sandbox');
    expect(info.textContent).toContain('from the current tab');
    expect(info.textContent).toContain('Auto Join is on');
  });

  it('joins at once when Auto Join is on, and says why', async () => {
    await signIn();
    render(<App mode="popup" />);
    fireEvent.input(await screen.findByLabelText('Project'), {
      target: { value: `${BASE}/admin/projects/101` },
    });
    await screen.findByTestId('project-info');
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'SK-1001 broken flow' } });
    fireEvent.click(screen.getByRole('radio', { name: '1 h' }));
    fireEvent.click(screen.getByRole('button', { name: /Get access/ }));
    const result = await screen.findByTestId('access-result');
    expect(result.textContent).toContain('Joined Beta Sandbox');
    expect(result.textContent).toContain('allows Auto Join');
    fireEvent.click(within(result).getByRole('button', { name: 'Open project' }));
    await waitFor(() => expect(fakeBrowser.state.created).toEqual([{ url: `${BASE}/admin/projects/101` }]));
  });

  it("offers a customer's grant for a ticket on Get access: Join with Auto Join off, no reason asked (issue 23)", async () => {
    const filed = await fetch(`${BASE}/manage/support/tickets`, {
      method: 'POST',
      headers: {
        'X-KBC-ManageApiToken': 'demo-admin-token',
        'Content-Type': 'application/json',
        'Idempotency-Key': 'grant-popup',
      },
      body: JSON.stringify({
        subject: 'Orders job fails',
        description: 'Please look',
        type: 'problem',
        projectId: 100,
        grantAccess: { expirationSeconds: 7200 },
      }),
    });
    const ticket = (await filed.json()) as { id: number; number: string };
    await signIn();
    render(<App mode="popup" />);
    fireEvent.input(await screen.findByLabelText('Project'), { target: { value: '100' } });
    const offer = await screen.findByTestId('grant-offer');
    expect(offer.textContent).toContain(`Access allowed for ${ticket.number} until`);
    expect(offer.textContent).toContain('Alice Admin');
    fireEvent.click(within(offer).getByRole('button', { name: `Join Acme Main for ${ticket.number}` }));
    const joined = await screen.findByTestId('grant-joined');
    expect(joined.textContent).toContain('Joined Acme Main');
    fireEvent.click(screen.getByRole('tab', { name: /My access/ }));
    const row = await screen.findByTestId('access-row', {}, { timeout: 3000 });
    expect(row.textContent).toContain(`Ticket ${ticket.number}: Orders job fails`);

    // The admin withdraws it: the next sync says the access ended.
    const [grant] = (await (await asAdmin('GET', `/support/tickets/${ticket.id}/grants`)).json()) as {
      id: number;
    }[];
    expect((await asAdmin('DELETE', `/support/tickets/${ticket.id}/grants/${grant?.id}`)).status).toBe(204);
    await callWorker('refresh', {});
    const ended = await screen.findByTestId('recent-row', {}, { timeout: 3000 });
    expect(within(ended).getByTestId('status').textContent).toBe('ended');
    expect(screen.queryByTestId('access-row')).toBeNull();
  });

  it('requires a reason', async () => {
    await signIn();
    render(<App mode="popup" />);
    fireEvent.input(await screen.findByLabelText('Project'), { target: { value: '100' } });
    fireEvent.click(screen.getByRole('button', { name: /Get access/ }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/reason/i);
  });

  it("shows the backend's own message when the text rule refuses the reason (a right-to-left override)", async () => {
    await signIn();
    render(<App mode="popup" />);
    fireEvent.input(await screen.findByLabelText('Project'), { target: { value: '101' } });
    await screen.findByTestId('project-info');
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'SK-1001 \u202Ewolf nekorb' } });
    fireEvent.click(screen.getByRole('button', { name: /Get access/ }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Reason must not contain control characters or bidirectional overrides.',
    );
  });

  it('requests access when Auto Join is off; approval shows as approved with a notification', async () => {
    await signIn();
    render(<App mode="popup" />);
    fireEvent.input(await screen.findByLabelText('Project'), { target: { value: '100' } });
    await screen.findByTestId('project-info');
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'SK-1002 pipeline fails' } });
    fireEvent.click(screen.getByRole('button', { name: /Get access/ }));
    const result = await screen.findByTestId('access-result');
    expect(result.textContent).toContain('Request sent for Acme Main');
    expect(result.textContent).toContain('Auto Join off');
    expect(fakeBrowser.state.badge).toBe('1');
    // While it waits, no form invites a second request; the result offers Cancel.
    await waitFor(() => expect(screen.queryByLabelText('Reason')).toBeNull());
    expect(within(result).getByRole('button', { name: 'Cancel request' })).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: /My access/ }));
    const pending = await screen.findByTestId('request-row');
    expect(within(pending).getByTestId('status').textContent).toBe('pending');

    const [request] = (await (await asAdmin('GET', '/projects/100/join-requests')).json()) as {
      id: number;
    }[];
    expect((await asAdmin('PUT', `/projects/100/join-requests/${request?.id}`)).status).toBe(202);
    await callWorker('refresh', {});

    const row = await screen.findByTestId('access-row');
    expect(within(row).getByTestId('status').textContent).toBe('approved');
    expect(row.textContent).toMatch(/h \d+ min left|h left/);
    expect(fakeBrowser.state.notifications.map((n) => n.options.title)).toContain('Access approved');
    expect(fakeBrowser.state.notifications[0]?.options.buttons).toEqual([{ title: 'Open project' }]);
    expect(fakeBrowser.state.badge).toBe('');
  });

  it('cancels a pending request', async () => {
    await signIn();
    const sent = await callWorker('getAccess', {
      stack: BASE,
      projectId: 100,
      reason: 'SK-3',
      expirationSeconds: 3600,
    });
    expect(sent.ok && sent.value.kind).toBe('requested');
    render(<App mode="popup" />);
    fireEvent.click(await screen.findByRole('tab', { name: /My access/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel request for Acme Main' }));
    const recent = await screen.findByTestId('recent-row');
    expect(within(recent).getByTestId('status').textContent).toBe('cancelled');
  });

  it('offers "Request again" on an expired access: Get access with its project and reason filled in', async () => {
    await signIn();
    const joined = await callWorker('getAccess', {
      stack: BASE,
      projectId: 101,
      reason: 'SK-7: the export is stuck',
      expirationSeconds: 3600,
    });
    expect(joined.ok && joined.value.kind).toBe('joined');
    // An hour and a second later, on both clocks (the mock backend's counts from Date.now too).
    const real = Date.now.bind(Date);
    const jump = 3601_000;
    const later = vi.spyOn(Date, 'now').mockImplementation(() => real() + jump);
    onTestFinished(() => later.mockRestore());
    await callWorker('refresh', {});
    render(<App mode="popup" />);
    fireEvent.click(await screen.findByRole('tab', { name: /My access/ }));
    const recent = await screen.findByTestId('recent-row');
    expect(within(recent).getByTestId('status').textContent).toBe('expired');
    fireEvent.click(within(recent).getByRole('button', { name: 'Request again for Beta Sandbox' }));
    const tab = screen.getByRole('tab', { name: 'Get access' });
    expect(tab.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab);
    expect((screen.getByLabelText('Project', { exact: true }) as HTMLInputElement).value).toBe('101');
    expect((screen.getByLabelText('Reason', { exact: true }) as HTMLTextAreaElement).value).toBe(
      'SK-7: the export is stuck',
    );
    await screen.findByTestId('project-info');
  });

  it('refuses actions offline and queues nothing', async () => {
    await signIn();
    const online = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine');
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const res = await callWorker('getAccess', {
        stack: BASE,
        projectId: 101,
        reason: 'SK-4',
        expirationSeconds: 3600,
      });
      expect(res.ok).toBe(false);
      expect(!res.ok && res.error.message).toMatch(/offline.*nothing is queued/i);
    } finally {
      if (online) Object.defineProperty(navigator, 'onLine', online);
      else Reflect.deleteProperty(navigator, 'onLine');
    }
    const users = (await (await asAdmin('GET', '/projects/101/users', 'demo-beta-admin-token')).json()) as {
      id: number;
    }[];
    expect(users.some((u) => u.id === 1006)).toBe(false);
  });

  it('paints from cache and says the data is stale when the server cannot be reached', async () => {
    await signIn();
    await callWorker('getAccess', { stack: BASE, projectId: 101, reason: 'SK-5', expirationSeconds: 3600 });
    server.use(http.all(`${BASE}/*`, () => HttpResponse.error()));
    render(<App mode="popup" />);
    fireEvent.click(await screen.findByRole('tab', { name: /My access/ }));
    expect(await screen.findByTestId('access-row')).toBeTruthy();
    expect((await screen.findByTestId('stale')).textContent).toMatch(/Could not reach/);
  });

  it('a repeat request is never sent: the worker says so and the popup shows the pending one with Cancel', async () => {
    await signIn();
    const first = await callWorker('getAccess', {
      stack: BASE,
      projectId: 100,
      reason: 'SK-6',
      expirationSeconds: 3600,
    });
    expect(first.ok && first.value.kind).toBe('requested');
    let posts = 0;
    server.events.on('request:start', ({ request }) => {
      if (request.method === 'POST') posts++;
    });
    const again = await callWorker('getAccess', {
      stack: BASE,
      projectId: 100,
      reason: 'SK-6 again',
      expirationSeconds: 3600,
    });
    server.events.removeAllListeners();
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.code).toBe('alreadyRequested');
    expect(!again.ok && again.error.message).toMatch(/already asked for access to Acme Main/);
    expect(!again.ok && again.error.message).not.toMatch(/refused|Auto Join/);
    // Decided from the server's list of my requests: no second request-access, no join attempt.
    expect(posts).toBe(0);

    render(<App mode="popup" />);
    fireEvent.input(await screen.findByLabelText('Project'), { target: { value: '100' } });
    const card = await screen.findByTestId('pending-request');
    expect(card.textContent).toContain('You already asked for access to Acme Main');
    expect(screen.queryByLabelText('Reason')).toBeNull();
    expect(screen.queryByRole('button', { name: /Get access/ })).toBeNull();
    fireEvent.click(within(card).getByRole('button', { name: 'Cancel request' }));
    // Once cancelled, the form is back.
    expect(await screen.findByLabelText('Reason')).toBeTruthy();
  });

  it('takes Keboola\'s "already sent" message as a pending request, not as advice to join', async () => {
    await signIn();
    const first = await callWorker('getAccess', {
      stack: BASE,
      projectId: 100,
      reason: 'SK-7',
      expirationSeconds: 3600,
    });
    expect(first.ok).toBe(true);
    // A stack that lists no requests for the user (so only the message tells).
    server.use(http.get(`${BASE}/manage/current-user/projects-join-requests`, () => HttpResponse.json([])));
    let joins = 0;
    server.events.on('request:start', ({ request }) => {
      if (request.url.endsWith('/join-project')) joins++;
    });
    const again = await callWorker('getAccess', {
      stack: BASE,
      projectId: 100,
      reason: 'SK-7 again',
      expirationSeconds: 3600,
    });
    server.events.removeAllListeners();
    expect(!again.ok && again.error.code).toBe('alreadyRequested');
    expect(joins).toBe(0);
  });

  it('asks before leaving and says that getting back needs approval where Auto Join is off', async () => {
    await signIn();
    await callWorker('getAccess', { stack: BASE, projectId: 100, reason: 'SK-8', expirationSeconds: 3600 });
    const [request] = (await (await asAdmin('GET', '/projects/100/join-requests')).json()) as {
      id: number;
    }[];
    await asAdmin('PUT', `/projects/100/join-requests/${request?.id}`);
    await callWorker('refresh', {});
    render(<App mode="popup" />);
    fireEvent.click(await screen.findByRole('tab', { name: /My access/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Leave project Acme Main' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Leave Acme Main?' });
    expect(dialog.textContent).toMatch(/Auto Join off: getting back needs a new request/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    let users = (await (await asAdmin('GET', '/projects/100/users')).json()) as { id: number }[];
    expect(users.some((u) => u.id === 1006)).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Leave project Acme Main' }));
    fireEvent.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Leave project' }),
    );
    await waitFor(async () => {
      users = (await (await asAdmin('GET', '/projects/100/users')).json()) as { id: number }[];
      expect(users.some((u) => u.id === 1006)).toBe(false);
    });
  });

  it('finds a project by name among recent projects and those named in tickets', async () => {
    await signIn();
    await callWorker('lookupProject', { stack: BASE, projectId: 101 });
    render(<App mode="popup" />);
    const input = await screen.findByLabelText('Project');
    fireEvent.input(input, { target: { value: 'beta' } });
    const list = await screen.findByTestId('project-matches');
    const pick = within(list).getByRole('button', { name: /Beta Sandbox #101/ });
    expect(within(list).queryByRole('button', { name: /Acme/ })).toBeNull();
    expect(screen.queryByText(/Enter a project id/)).toBeNull();
    fireEvent.click(pick);
    expect((await screen.findByTestId('project-info')).textContent).toContain('Beta Sandbox');
    fireEvent.input(input, { target: { value: 'Nothing like it' } });
    expect((await screen.findByText(/No known project is named “Nothing like it”/)).textContent).toMatch(
      /id/,
    );
  });

  it("counts the reason's characters and warns before the limit", async () => {
    await signIn();
    render(<App mode="popup" />);
    const reason = await screen.findByLabelText('Reason');
    fireEvent.input(reason, { target: { value: 'SK-9' } });
    const count = screen.getByTestId('reason-count');
    expect(count.textContent).toBe('4 / 1000 characters');
    expect(reason.getAttribute('aria-describedby')).toBe('reason-count');
    fireEvent.input(reason, { target: { value: 'x'.repeat(950) } });
    expect(count.textContent).toBe('950 / 1000 characters');
    expect(count.classList.contains('warn-text')).toBe(true);
  });

  it('clamps a 1,000-character reason in My access until Show more', async () => {
    await signIn();
    const reason = `SK-10: ${'checking the nightly export; '.repeat(40)}`.slice(0, 1000).trim();
    await callWorker('getAccess', { stack: BASE, projectId: 100, reason, expirationSeconds: 3600 });
    render(<App mode="popup" />);
    fireEvent.click(await screen.findByRole('tab', { name: /My access/ }));
    const row = await screen.findByTestId('request-row');
    const more = within(row).getByRole('button', { name: 'Show more' });
    const text = row.querySelector(`#${more.getAttribute('aria-controls')}`);
    expect(text?.classList.contains('clamped')).toBe(true);
    expect(text?.textContent).toBe(reason);
    fireEvent.click(more);
    expect(text?.classList.contains('clamped')).toBe(false);
    expect(within(row).getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
  });
});

describe('first view snapshot (issue 12)', () => {
  const stored = () => localStorage.getItem(storageKey('popup'));
  const nextOpen = (): BootEnv => ({
    doc: document,
    storage: localStorage,
    readSettings: async () => (await fakeBrowser.storage.local.get('settings')).settings,
    now: Date.now,
    afterNextFrame: (cb) => cb(),
    setTimeout: () => {},
    mark: () => {},
    hasMark: () => false,
    startApp: () => {},
  });
  function openPage(): HTMLElement {
    document.documentElement.removeAttribute(APP_READY_ATTR);
    const app = document.createElement('div');
    app.id = 'app';
    document.body.append(app);
    return app;
  }

  it('stores the first view; the next open paints it at once, and the app replaces it', async () => {
    await signIn();
    await callWorker('getAccess', {
      stack: BASE,
      projectId: 100,
      reason: 'SK-1 <b>x</b>',
      expirationSeconds: 3600,
    });
    render(<App mode="popup" />);
    await waitFor(() => expect(stored()).not.toBeNull());
    cleanup();

    const app = openPage();
    expect(await bootSnapshot(nextOpen(), 'popup')).toBe('painted');
    const snap = document.getElementById(SNAPSHOT_ID);
    // What the popup shows from its cache: who, the pending count, the projects to pick from.
    expect(snap?.textContent).toContain('Sam Support');
    expect(snap?.querySelector('[role="tab"][aria-selected="true"]')?.textContent).toBe('Get access');
    expect(snap?.querySelector('.count')?.textContent).toBe('1 pending');
    expect(snap?.textContent).toContain('Acme Main');
    expect(snap?.querySelector('[data-testid], [id]')).toBeNull();

    render(<App mode="popup" />, { container: app });
    await waitFor(() => expect(document.getElementById(SNAPSHOT_ID)).toBeNull());
    expect(document.documentElement.classList.contains(SNAPSHOT_CLASS)).toBe(false);
    expect(await screen.findByTestId('identity')).toBeTruthy();
    app.remove();
  });

  it('is not painted for another account, and signing out forgets it', async () => {
    await signIn();
    render(<App mode="popup" />);
    await waitFor(() => expect(stored()).not.toBeNull());
    // Another token (another user) for the same stack, saved while the popup is closed.
    cleanup();
    await signIn('demo-maintainer-token');
    const app = openPage();
    expect(await bootSnapshot(nextOpen(), 'popup')).toBe('dropped');
    expect(document.getElementById(SNAPSHOT_ID)).toBeNull();
    expect(stored()).toBeNull();
    app.remove();

    render(<App mode="popup" />);
    await waitFor(() => expect(stored()).not.toBeNull());
    await callWorker('removeStack', { stack: BASE });
    expect(await screen.findByText('Not set up yet')).toBeTruthy();
    await waitFor(() => expect(stored()).toBeNull());
  });

  it('the options page forgets it when the token changes', async () => {
    await signIn();
    render(<App mode="popup" />);
    await waitFor(() => expect(stored()).not.toBeNull());
    cleanup();
    render(<OptionsPage />);
    await screen.findByText(/Signed in as|Sam Support/);
    expect(stored()).not.toBeNull();
    await signIn('demo-maintainer-token');
    await waitFor(() => expect(stored()).toBeNull());
  });

  it('keeps the view as it opens, not what the user typed into it', async () => {
    await signIn();
    render(<App mode="popup" />);
    await waitFor(() => expect(stored()).not.toBeNull());
    fireEvent.input(await screen.findByLabelText('Project'), { target: { value: 'Acme' } });
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'secret plan' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(stored()).not.toContain('secret plan');
    expect(stored()).not.toContain('"value":"Acme"');
  });
});
