// The popup against the real backend rules (MSW forwards to the mock backend's HTTP app).
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMockBackend } from '../../mock-backend/msw.ts';
import { callWorker } from '../messages.ts';
import { fakeBrowser } from '../test-browser.ts';
import { App } from './App.tsx';
import { OptionsPage } from './OptionsPage.tsx';

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

  it('requires a reason', async () => {
    await signIn();
    render(<App mode="popup" />);
    fireEvent.input(await screen.findByLabelText('Project'), { target: { value: '100' } });
    fireEvent.click(screen.getByRole('button', { name: /Get access/ }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/reason/i);
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
});
