// The extension on two stacks at once: two mock backends behind MSW with the same demo ids, so a

// project or request id means two different things depending on the stack.
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { Dexie } from 'dexie';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../api/types.ts';
import { createMockBackend, demoFixture } from '../mock-backend/msw.ts';
import { callApi } from '../test/api-call.ts';
import { db, SupportKitDb } from './db.ts';
import { callWorker } from './messages.ts';
import { notificationId, projectOfNotification } from './notify.ts';
import { getSettings } from './settings.ts';
import { syncStack } from './sync.ts';
import { fakeBrowser } from './test-browser.ts';
import { App } from './ui/App.tsx';
import { OptionsPage } from './ui/OptionsPage.tsx';

// Several lookups in a row on a shared, loaded machine: more than the default second each.
configure({ asyncUtilTimeout: 5000 });

const A = 'https://connection.a.test';
const B = 'https://connection.b.test';
/** Stack B: the same ids as A, but Auto Join the other way round (project 100 joins at once). */
const flipped: Fixture = {
  ...demoFixture,
  organizations: (demoFixture.organizations ?? []).map((o) => ({ ...o, allowAutoJoin: !o.allowAutoJoin })),
};
const a = createMockBackend({ baseUrl: A });
const b = createMockBackend({ baseUrl: B, fixture: flipped });
const server = setupServer(...a.handlers, ...b.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(async () => {
  await a.reset();
  await b.reset();
});

const SUPPORT = 'demo-support-token';

async function addStacks() {
  for (const backendUrl of [A, B]) {
    const res = await callWorker('saveSettings', { backendUrl, token: SUPPORT });
    if (!res.ok) throw new Error(res.error.message);
  }
}

const api = callApi;

const ask = (stack: string, projectId: number, reason = 'SK-7 two stacks') =>
  callWorker('getAccess', { stack, projectId, reason, expirationSeconds: 3600 });

describe('settings of several stacks', () => {
  it('adds a second stack without touching the first, each verified with its own token', async () => {
    await addStacks();
    const s = await getSettings();
    expect(s.stacks.map((x) => [x.url, x.user?.name])).toEqual([
      [A, 'Sam Support'],
      [B, 'Sam Support'],
    ]);
  });

  it('lists the stacks in the options, verifies one again and removes one with what it cached', async () => {
    await addStacks();
    await ask(B, 100);
    render(<OptionsPage />);
    const rows = await screen.findAllByTestId('stack-row');
    expect(rows.map((r) => r.getAttribute('data-stack'))).toEqual([A, B]);
    fireEvent.click(screen.getByRole('button', { name: 'Verify again the token for a.test' }));
    await waitFor(() =>
      expect(within(rows[0] as HTMLElement).getByTestId('stack-status').textContent).toMatch(/Verified/),
    );
    // B now refuses the token: verifying again says so, for B only.
    server.use(
      http.get(`${B}/manage/tokens/verify`, () =>
        HttpResponse.json({ error: 'Invalid access token', code: 401, status: 'error' }, { status: 401 }),
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Verify again the token for b.test' }));
    await waitFor(() =>
      expect(within(rows[1] as HTMLElement).getByTestId('stack-status').textContent).toMatch(
        /refused \(401\)/,
      ),
    );
    expect(fakeBrowser.state.badge).toBe('!');
    // Removing asks first (the safe answer has the focus); "Keep" keeps it.
    fireEvent.click(screen.getByRole('button', { name: 'Remove b.test' }));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep b.test' })),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Keep b.test' }));
    expect(screen.getAllByTestId('stack-row')).toHaveLength(2);
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove b.test' })),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Remove b.test' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove b.test now' }));
    await waitFor(() => expect(screen.getAllByTestId('stack-row')).toHaveLength(1));
    expect((await getSettings()).stacks.map((x) => x.url)).toEqual([A]);
    expect(await db.accesses.where('stack').equals(B).count()).toBe(0);
    await waitFor(() => expect(fakeBrowser.state.badge).toBe(''));
  });
});

describe('the same ids on two stacks', () => {
  it('keeps project 100 of each stack apart: a request on A, a membership on B', async () => {
    await addStacks();
    const onA = await ask(A, 100);
    const onB = await ask(B, 100);
    expect(onA.ok && onA.value.kind).toBe('requested');
    expect(onB.ok && onB.value).toMatchObject({ kind: 'joined', stack: B, projectId: 100 });
    expect(await db.requests.toArray()).toEqual([expect.objectContaining({ stack: A, projectId: 100 })]);
    expect(await db.accesses.toArray()).toEqual([
      expect.objectContaining({ stack: B, projectId: 100, status: 'active' }),
    ]);
    // Syncing A does not end B's membership (A says Sam is no member of its project 100).
    expect((await syncStack(A)).ok).toBe(true);
    expect(await db.accesses.get([B, 100])).toMatchObject({ status: 'active' });
    expect(fakeBrowser.state.notifications).toEqual([]);
    await callWorker('refresh', {});
    expect(await db.accesses.get([B, 100])).toMatchObject({ status: 'active' });
    expect(await db.requests.where('status').equals('pending').count()).toBe(1);
  });

  it('tracks two requests with the same id on two stacks, and cancels only the one asked', async () => {
    await addStacks();
    const onA = await ask(A, 100);
    const onB = await ask(B, 101);
    if (!onA.ok || onA.value.kind !== 'requested' || !onB.ok || onB.value.kind !== 'requested')
      throw new Error('both should be requests');
    expect(onA.value.request.id).toBe(onB.value.request.id);
    expect(await db.requests.count()).toBe(2);
    expect(fakeBrowser.state.badge).toBe('2');
    expect((await callWorker('cancelRequest', { stack: B, requestId: onB.value.request.id })).ok).toBe(true);
    expect(await db.requests.get([A, onA.value.request.id])).toMatchObject({ status: 'pending' });
    expect(await db.requests.get([B, onB.value.request.id])).toMatchObject({ status: 'cancelled' });
    const leftOnA = (await api(A, 'GET', '/current-user/projects-join-requests', SUPPORT)).json as unknown[];
    expect(leftOnA).toHaveLength(1);
    expect(fakeBrowser.state.badge).toBe('1');
  });

  it('notifications carry their stack, so "Open project" opens the right one', () => {
    const id = notificationId({ kind: 'approved', stack: B, projectId: 100, projectName: 'Acme Main' }, 5);
    expect(id.startsWith('sk:approved:100:')).toBe(true);
    expect(projectOfNotification(id)).toEqual({ stack: B, projectId: 100 });
    expect(projectOfNotification('sk:approved:100:5')).toBeNull();
  });
});

describe('the popup on two stacks', () => {
  it('merges My access of both stacks, each row saying which, and acts on the row’s stack', async () => {
    await addStacks();
    await ask(A, 100);
    await ask(B, 100);
    render(<App mode="popup" />);
    expect((await screen.findByTestId('identity')).textContent).toContain('2 stacks');
    fireEvent.click(screen.getByRole('tab', { name: /My access/ }));
    const request = await screen.findByTestId('request-row');
    const access = await screen.findByTestId('access-row');
    expect(request.getAttribute('data-stack')).toBe(A);
    expect(within(request).getByTestId('row-stack').textContent).toContain('a.test');
    expect(access.getAttribute('data-stack')).toBe(B);
    expect(within(access).getByTestId('row-stack').textContent).toContain('b.test');

    fireEvent.click(within(access).getByRole('button', { name: 'Open project Acme Main on b.test' }));
    await waitFor(() => expect(fakeBrowser.state.created).toEqual([{ url: `${B}/admin/projects/100` }]));

    // An admin of A approves; the next sync shows it on A's row, B's stays as it was.
    const [req] = (await api(A, 'GET', '/projects/100/join-requests', 'demo-admin-token')).json as {
      id: number;
    }[];
    expect(
      (await api(A, 'PUT', `/projects/100/join-requests/${req?.id}`, 'demo-admin-token', {})).status,
    ).toBe(202);
    await callWorker('refresh', {});
    await waitFor(() => expect(screen.getAllByTestId('access-row')).toHaveLength(2));
    const rows = screen
      .getAllByTestId('access-row')
      .map((r) => [r.getAttribute('data-stack'), within(r).getByTestId('status').textContent]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [A, 'approved'],
        [B, 'joined'],
      ]),
    );
    expect(fakeBrowser.state.notifications.map((n) => n.options.message)).toContainEqual(
      expect.stringContaining('Acme Main (#100 on a.test)'),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Leave project Acme Main on b.test' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('Acme Main (#100 on b.test) ends now');
    // B's organization has Auto Join on (A's is off): the dialog reads the row's own stack.
    expect(dialog.textContent).toContain('join again at once');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Leave project' }));
    await waitFor(() => expect(screen.getAllByTestId('access-row')).toHaveLength(1));
    const usersOnA = (await api(A, 'GET', '/projects/100/users', 'demo-admin-token')).json as {
      id: number;
    }[];
    expect(usersOnA.some((u) => u.id === 1006)).toBe(true);
  });

  it('takes the stack from a pasted project URL, and a bare id asks which stack (the last used first)', async () => {
    await addStacks();
    render(<App mode="popup" />);
    const project = await screen.findByLabelText('Project');
    fireEvent.input(project, { target: { value: `${B}/admin/projects/100/dashboard` } });
    expect((await screen.findByTestId('project-info')).textContent).toContain('on b.test');
    expect(screen.getByTestId('project-info').textContent).toContain('Auto Join is on');
    expect(screen.queryByLabelText('Stack')).toBeNull();

    fireEvent.input(project, { target: { value: `${A}/admin/projects/100` } });
    await waitFor(() => expect(screen.getByTestId('project-info').textContent).toContain('Auto Join is off'));

    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'SK-8 on B' } });
    fireEvent.input(project, { target: { value: `${B}/admin/projects/101` } });
    await screen.findByText(/on b\.test/);
    fireEvent.click(screen.getByRole('button', { name: /Get access/ }));
    await screen.findByTestId('access-result');
    // B was used last: a bare id now defaults to B; picking A looks the project up there.
    fireEvent.input(project, { target: { value: '100' } });
    const picker = (await screen.findByLabelText('Stack')) as HTMLSelectElement;
    expect(picker.value).toBe(B);
    await waitFor(() => expect(screen.getByTestId('project-info').textContent).toContain('Auto Join is on'));
    fireEvent.change(picker, { target: { value: A } });
    await waitFor(() => expect(screen.getByTestId('project-info').textContent).toContain('Auto Join is off'));
  });

  it('says a pasted URL is of a stack that is not set up, and offers to add it', async () => {
    await addStacks();
    render(<App mode="popup" />);
    fireEvent.input(await screen.findByLabelText('Project'), {
      target: { value: 'https://connection.eu-central-1.keboola.com/admin/projects/9' },
    });
    expect((await screen.findByText(/not set up in the extension/)).textContent).toContain(
      'https://connection.eu-central-1.keboola.com',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add eu-central-1.keboola.com in the options' }));
    await waitFor(() =>
      expect(fakeBrowser.state.created).toEqual([
        {
          url: `chrome-extension://test-extension-id/extension/options.html#add=${encodeURIComponent('https://connection.eu-central-1.keboola.com')}`,
        },
      ]),
    );
  });

  it('shows a refused token for that stack only; the other stack keeps syncing', async () => {
    await addStacks();
    await ask(B, 101);
    server.use(
      http.get(`${A}/manage/current-user/projects-join-requests`, () =>
        HttpResponse.json({ error: 'Invalid access token', code: 401, status: 'error' }, { status: 401 }),
      ),
    );
    const res = await callWorker('refresh', {});
    expect(res.ok).toBe(true);
    expect(fakeBrowser.state.badge).toBe('!');
    render(<App mode="popup" />);
    const alerts = await screen.findAllByTestId('token-refused');
    expect(alerts.map((x) => x.getAttribute('data-stack'))).toEqual([A]);
    expect(alerts[0]?.textContent).toContain(`${A} refused your token`);
    fireEvent.click(screen.getByRole('tab', { name: /My access/ }));
    expect((await screen.findByTestId('request-row')).getAttribute('data-stack')).toBe(B);
  });

  it('merges the tickets of both stacks, each saying which, and a ticket fills its own stack', async () => {
    await addStacks();
    for (const [base, subject] of [
      [A, 'Export stuck on A'],
      [B, 'Flow broken on B'],
    ] as const)
      expect(
        (
          await api(base, 'POST', '/support/tickets', 'demo-admin-token', {
            subject,
            description: 'Since Monday.',
            type: 'problem',
            projectId: 100,
          })
        ).status,
      ).toBe(201);
    const res = await callWorker('refreshTickets', {});
    expect(res.ok && res.value).toEqual({ count: 2, problems: [], notes: [] });
    render(<App mode="popup" />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Tickets' }));
    const rows = await screen.findAllByTestId('ticket-row');
    expect(
      rows.map((r) => [r.getAttribute('data-stack'), within(r).getByTestId('row-stack').textContent]),
    ).toEqual(
      expect.arrayContaining([
        [A, ' · a.test'],
        [B, ' · b.test'],
      ]),
    );
    const onB = rows.find((r) => r.getAttribute('data-stack') === B);
    if (!onB) throw new Error('no ticket of B');
    fireEvent.click(within(onB).getByRole('button', { name: /Request access for this ticket SK-/ }));
    const picker = (await screen.findByLabelText('Stack')) as HTMLSelectElement;
    expect(picker.value).toBe(B);
    await waitFor(() => expect(screen.getByTestId('project-info').textContent).toContain('on b.test'));
  });
});

describe('the upgrade from one stack', () => {
  it('moves requests and accesses of Dexie version 1 to the stack the settings migration kept', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({
      projects: 'id',
      requests: 'id, projectId, status',
      accesses: 'projectId, status',
      tickets: 'id',
      notices: '++id, at',
      meta: 'key',
    });
    await v1.table('requests').add({ id: 7, projectId: 100, projectName: 'Acme Main', status: 'pending' });
    await v1.table('accesses').add({ projectId: 101, projectName: 'Beta Sandbox', status: 'active' });
    await v1.table('meta').put({ key: 'sync', at: 1, error: null, ticketsAt: 0 });
    v1.close();
    await fakeBrowser.storage.local.set({
      settings: { version: 2, backendUrl: A, token: SUPPORT, user: null, verifiedAt: 0 },
    });
    const v2 = new SupportKitDb(name);
    expect(await v2.requests.toArray()).toEqual([
      expect.objectContaining({ stack: A, id: 7, projectId: 100, status: 'pending' }),
    ]);
    expect(await v2.accesses.get([A, 101])).toMatchObject({ projectName: 'Beta Sandbox' });
    expect(await v2.meta.toArray()).toEqual([]);
    v2.close();
  });

  it('drops version 1 records when no stack was set up (they cannot be followed anywhere)', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ requests: 'id, projectId, status', accesses: 'projectId, status', meta: 'key' });
    await v1.table('requests').add({ id: 7, projectId: 100, projectName: 'Acme Main', status: 'pending' });
    v1.close();
    const v2 = new SupportKitDb(name);
    expect(await v2.requests.count()).toBe(0);
    v2.close();
  });
});
