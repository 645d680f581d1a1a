// The worker on two stacks: one event stream per stack that has our events endpoint while a UI is
// open, and the poll alarm for the stack that has none (Keboola's). MSW forwards to two mock backends.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMockBackend } from '../mock-backend/msw.ts';
import { db } from './db.ts';
import { callWorker, LIVE_PORT } from './messages.ts';
import { notificationId } from './notify.ts';
import { fakeBrowser } from './test-browser.ts';

const A = 'https://connection.a.test'; // ours: has the events stream
const B = 'https://connection.b.test'; // Keboola-flavored: no events endpoint
const a = createMockBackend({ baseUrl: A });
const b = createMockBackend({ baseUrl: B, options: { flavor: 'keboola' } });
const eventRequests: string[] = [];
const server = setupServer(...a.handlers, ...b.handlers);
server.events.on('request:start', ({ request }) => {
  if (new URL(request.url).pathname === '/manage/current-user/events') eventRequests.push(request.url);
});

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  await import('./background.ts');
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(async () => {
  await a.reset();
  await b.reset();
  eventRequests.length = 0;
});

const ADMIN = 'demo-admin-token';

async function approveOn(base: string, projectId: number) {
  const headers = { 'X-KBC-ManageApiToken': ADMIN, 'Content-Type': 'application/json' };
  const list = await fetch(`${base}/manage/projects/${projectId}/join-requests`, { headers });
  const [req] = (await list.json()) as { id: number }[];
  const res = await fetch(`${base}/manage/projects/${projectId}/join-requests/${req?.id}`, {
    method: 'PUT',
    headers,
    body: '{}',
  });
  expect(res.status).toBe(202);
}

function fireAlarm() {
  for (const l of fakeBrowser.alarms.onAlarm.listeners)
    (l as (alarm: { name: string }) => void)({ name: 'support-kit-poll' });
}

const statusOf = async (stack: string) => (await db.requests.where('stack').equals(stack).first())?.status;

describe('the worker on two stacks', () => {
  it('follows the stack with events by its stream and polls the one without', async () => {
    for (const backendUrl of [A, B])
      expect((await callWorker('saveSettings', { backendUrl, token: 'demo-support-token' })).ok).toBe(true);
    for (const stack of [A, B]) {
      const sent = await callWorker('getAccess', {
        stack,
        projectId: 100,
        reason: 'SK-9 two stacks',
        expirationSeconds: 3600,
      });
      expect(sent.ok && sent.value.kind).toBe('requested');
    }
    const port = fakeBrowser.runtime.connect({ name: LIVE_PORT });
    try {
      // One stream asked of each stack; B answers 404 and is not asked again.
      await vi.waitFor(() =>
        expect(new Set(eventRequests)).toEqual(
          new Set([`${A}/manage/current-user/events`, `${B}/manage/current-user/events`]),
        ),
      );

      // A's approval arrives by its stream: nothing polls or refreshes. The sync it starts asks for
      // the project's membership beside the list of requests, not after the list has answered.
      const asked: string[] = [];
      const record = ({ request }: { request: Request }) => {
        const path = new URL(request.url).pathname;
        if (
          request.url.startsWith(A) &&
          /^\/manage\/(current-user\/projects-join-requests$|projects\/100\/users\/)/.test(path)
        )
          asked.push(path);
      };
      server.events.on('request:start', record);
      await approveOn(A, 100);
      await vi.waitFor(() => expect(statusOf(A)).resolves.toBe('approved'), { timeout: 5000 });
      server.events.removeListener('request:start', record);
      expect(asked.slice(0, 2)).toEqual([
        expect.stringMatching(/\/projects\/100\/users\/\d+$/),
        '/manage/current-user/projects-join-requests',
      ]);

      // B's approval waits for the poll: the alarm syncs B (A, streaming, is left to its stream).
      await approveOn(B, 100);
      await new Promise((r) => setTimeout(r, 300));
      expect(await statusOf(B)).toBe('pending');
      fireAlarm();
      await vi.waitFor(() => expect(statusOf(B)).resolves.toBe('approved'), { timeout: 5000 });
      expect(eventRequests.filter((u) => u.startsWith(B))).toHaveLength(1);
      // The notification is raised after the sync has written the status: waited for, not read at once.
      await vi.waitFor(() =>
        expect(fakeBrowser.state.notifications.map((n) => n.id.split(':').slice(0, 3).join(':'))).toEqual([
          'sk:approved:100',
          'sk:approved:100',
        ]),
      );
    } finally {
      port.disconnect();
      // No UI and no stacks: every stream ends.
      for (const stack of [A, B]) await callWorker('removeStack', { stack });
    }
  });

  it('lists the tickets of the stack that has them, and says (not as an error) which stack has none', async () => {
    for (const backendUrl of [A, B])
      expect((await callWorker('saveSettings', { backendUrl, token: 'demo-support-token' })).ok).toBe(true);
    const res = await callWorker('refreshTickets', {});
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.value.problems).toEqual([]);
    expect(res.value.notes).toEqual([
      "b.test has no support tickets (a Keboola stack without our extensions): only the other stacks' tickets are listed.",
    ]);
    for (const stack of [A, B]) await callWorker('removeStack', { stack });
  });

  it('a notification click opens the project on the notification’s own stack, and nothing for a stack removed', async () => {
    for (const backendUrl of [A, B])
      expect((await callWorker('saveSettings', { backendUrl, token: 'demo-support-token' })).ok).toBe(true);
    const click = (id: string) => {
      for (const l of fakeBrowser.notifications.onClicked.listeners) (l as (id: string) => void)(id);
    };
    click(notificationId({ kind: 'approved', stack: B, projectId: 100, projectName: 'Acme Main' }, 1));
    await vi.waitFor(() => expect(fakeBrowser.state.created).toEqual([{ url: `${B}/admin/projects/100` }]));
    await callWorker('removeStack', { stack: B });
    click(notificationId({ kind: 'approved', stack: B, projectId: 100, projectName: 'Acme Main' }, 2));
    await new Promise((r) => setTimeout(r, 100));
    expect(fakeBrowser.state.created).toHaveLength(1);
    await callWorker('removeStack', { stack: A });
  });

  it('an unreachable stack does not keep the other from syncing on the alarm', async () => {
    for (const backendUrl of [A, B])
      expect((await callWorker('saveSettings', { backendUrl, token: 'demo-support-token' })).ok).toBe(true);
    await callWorker('getAccess', { stack: B, projectId: 100, reason: 'SK-10', expirationSeconds: 3600 });
    server.use(http.all(`${A}/*`, () => HttpResponse.error()));
    await approveOn(B, 100);
    fireAlarm();
    await vi.waitFor(() => expect(statusOf(B)).resolves.toBe('approved'), { timeout: 5000 });
    const metaA = await db.meta.get(`sync:${A}`);
    expect(metaA?.error).toMatch(/Could not reach/);
    for (const stack of [A, B]) await callWorker('removeStack', { stack });
  });
});
