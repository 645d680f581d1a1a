// The inbox live: with the worker loaded (background.ts), a customer's reply reaches the open thread
// by the event stream within a second, and notifies the engineer the ticket is assigned to; with no
// UI open, the alarm's poll notifies instead, once per reply.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ticket } from '../api/types.ts';
import { createMockBackend } from '../mock-backend/msw.ts';
import { callApi } from '../test/api-call.ts';
import { db } from './db.ts';
import { callWorker } from './messages.ts';
import { fakeBrowser } from './test-browser.ts';
import { App } from './ui/App.tsx';

const BASE = 'https://live-inbox.test';
const mock = createMockBackend({ baseUrl: BASE });
const server = setupServer(...mock.handlers);

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  await import('./background.ts');
});
afterEach(async () => {
  server.resetHandlers();
  // No stack: every stream of the worker ends before the next test's backend reset.
  await callWorker('removeStack', { stack: BASE });
});
afterAll(() => server.close());
beforeEach(() => mock.reset());

const ADMIN = 'demo-admin-token';
const SUPPORT = 'demo-support-token';
const SAM = 1006;

async function ticket(subject: string): Promise<Ticket> {
  const res = await callApi(BASE, 'POST', '/support/tickets', ADMIN, {
    subject,
    description: 'Since Monday.',
    type: 'problem',
    projectId: 100,
  });
  expect(res.status).toBe(201);
  return res.json as Ticket;
}

const assign = async (id: number) =>
  expect((await callApi(BASE, 'PATCH', `/support/tickets/${id}`, SUPPORT, { assigneeId: SAM })).status).toBe(
    200,
  );
const customerSays = async (id: number, body: string) =>
  expect((await callApi(BASE, 'POST', `/support/tickets/${id}/messages`, ADMIN, { body })).status).toBe(201);

function fireAlarm() {
  for (const l of fakeBrowser.alarms.onAlarm.listeners)
    (l as (alarm: { name: string }) => void)({ name: 'support-kit-poll' });
}

const replyNotices = () => fakeBrowser.state.notifications.filter((n) => n.id.startsWith('skt:'));

describe('the inbox live', () => {
  it('a customer reply reaches the open thread within a second, is announced, and notifies the assignee', async () => {
    const t = await ticket('Export stuck');
    await assign(t.id);
    expect((await callWorker('saveSettings', { backendUrl: BASE, token: SUPPORT })).ok).toBe(true);
    render(<App mode="sidepanel" />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Tickets' }));
    fireEvent.click(await screen.findByRole('button', { name: /Export stuck/ }));
    await screen.findByTestId('thread');
    // The stream is open (the thread's first load said so, or the worker's stream has opened since).
    await vi.waitFor(async () => {
      const r = await callWorker('openThread', { stack: BASE, ticketId: t.id });
      expect(r.ok && r.value.live).toBe(true);
    });
    const sent = Date.now();
    await customerSays(t.id, 'It failed again at 10:02.');
    const message = await screen.findByText('It failed again at 10:02.', {}, { timeout: 1000 });
    const took = Date.now() - sent;
    console.log(`[extension] a customer reply reached the open thread in ${took} ms`);
    expect(took).toBeLessThan(1000);
    expect(message.closest('li')?.textContent).toContain('Alice Admin');
    await waitFor(() => expect(screen.getByTestId('thread-live').textContent).toMatch(/Alice Admin/));
    await waitFor(() =>
      expect(replyNotices().map((n) => n.options)).toEqual([
        expect.objectContaining({
          title: expect.stringMatching(/^SK-\d+: Alice Admin replied$/),
          message: expect.stringContaining('It failed again at 10:02.'),
        }),
      ]),
    );
    // A status set by someone else reaches the open thread too.
    expect(
      (await callApi(BASE, 'PATCH', `/support/tickets/${t.id}`, SUPPORT, { status: 'waiting' })).status,
    ).toBe(200);
    await waitFor(() => expect(screen.getByTestId('thread-status').textContent).toBe('Waiting on customer'), {
      timeout: 1000,
    });
    const thread = screen.getByTestId('thread');
    expect(within(thread).getAllByTestId('thread-message')).toHaveLength(1);
  });

  it('with no UI open, the poll notifies a customer reply on my ticket once, and not on a ticket of nobody', async () => {
    const mine = await ticket('Export stuck');
    const other = await ticket('Flow fails');
    await assign(mine.id);
    expect((await callWorker('saveSettings', { backendUrl: BASE, token: SUPPORT })).ok).toBe(true);
    // The first look stores what is there, and says nothing of it.
    fireAlarm();
    await vi.waitFor(async () => expect(await db.tickets.get([BASE, mine.id])).toBeTruthy());
    await customerSays(mine.id, 'Any news?');
    await customerSays(other.id, 'Hello?');
    fireAlarm();
    await vi.waitFor(() => expect(replyNotices()).toHaveLength(1));
    expect(replyNotices()[0]?.options.title).toMatch(/^SK-\d+: new customer reply$/);
    fireAlarm();
    await new Promise((r) => setTimeout(r, 300));
    expect(replyNotices()).toHaveLength(1);

    // Its click: the next popup opens on that ticket's thread.
    const id = replyNotices()[0]?.id ?? '';
    for (const l of fakeBrowser.notifications.onClicked.listeners) (l as (id: string) => void)(id);
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get('openTicket')).not.toEqual({}));
    render(<App mode="popup" />);
    expect(await screen.findByRole('heading', { name: /Export stuck/ })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Tickets' }).getAttribute('aria-selected')).toBe('true');
    expect(await fakeBrowser.storage.local.get('openTicket')).toEqual({});
  });
});
