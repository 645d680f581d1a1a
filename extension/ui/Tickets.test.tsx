// The Tickets tab as an inbox, against the real backend rules (MSW forwards to the mock backend):
// filters, the thread, reply, assignment, status, access shown, drafts kept, the Keboola fallback.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket, TicketMessage } from '../../api/types.ts';
import { offsetClock } from '../../mock-backend/clock.ts';
import { createMockBackend } from '../../mock-backend/msw.ts';
import { callApi } from '../../test/api-call.ts';
import { db } from '../db.ts';
import { callWorker } from '../messages.ts';
import { App } from './App.tsx';

const BASE = 'https://inbox.test';
const KEBOOLA = 'https://keboola-inbox.test';
// The server's clock moves on between steps: activity times are whole seconds.
const clock = offsetClock();
const mock = createMockBackend({ baseUrl: BASE, clock });
const keboola = createMockBackend({ baseUrl: KEBOOLA, options: { flavor: 'keboola' } });
const server = setupServer(...mock.handlers, ...keboola.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(async () => {
  await mock.reset();
  await keboola.reset();
});

const ADMIN = 'demo-admin-token';
const BETA_ADMIN = 'demo-beta-admin-token';
const SUPPORT = 'demo-support-token';
const SAM = 1006;

async function signIn(base = BASE) {
  const res = await callWorker('saveSettings', { backendUrl: base, token: SUPPORT });
  if (!res.ok) throw new Error(res.error.message);
}

async function ticket(subject: string, token = ADMIN, projectId = 100): Promise<Ticket> {
  const res = await callApi(BASE, 'POST', '/support/tickets', token, {
    subject,
    description: `About ${subject}.`,
    type: 'problem',
    projectId,
    context: { pageUrl: 'https://app.example/flows/7', browser: 'Firefox 128', viewport: '1280x800' },
  });
  expect(res.status).toBe(201);
  return res.json as Ticket;
}

async function patch(id: number, body: unknown, token = SUPPORT) {
  const res = await callApi(BASE, 'PATCH', `/support/tickets/${id}`, token, body);
  expect(res.status).toBe(200);
  return res.json as Ticket;
}

async function post(id: number, body: string, token = ADMIN) {
  const res = await callApi(BASE, 'POST', `/support/tickets/${id}/messages`, token, { body });
  expect(res.status).toBe(201);
  return res.json as TicketMessage;
}

async function read(id: number, token = SUPPORT) {
  return (await callApi(BASE, 'GET', `/support/tickets/${id}`, token)).json as Ticket;
}

async function messages(id: number, token = SUPPORT) {
  return (await callApi(BASE, 'GET', `/support/tickets/${id}/messages`, token)).json as TicketMessage[];
}

async function openTickets() {
  render(<App mode="popup" />);
  fireEvent.click(await screen.findByRole('tab', { name: 'Tickets' }));
}

const rowNames = async () =>
  (await screen.findAllByTestId('ticket-row')).map((r) => within(r).getAllByRole('button')[0]?.textContent);

async function openThread(name: RegExp) {
  const button = await screen.findByRole('button', { name });
  fireEvent.click(button);
  await screen.findByTestId('thread');
  return button;
}

describe('the inbox', () => {
  it('filters by mine, unassigned, waiting and all, newest activity first, with status, assignee and unread', async () => {
    const a = await ticket('Export stuck');
    const b = await ticket('Flow fails');
    const c = await ticket('Slow dashboard');
    await patch(a.id, { assigneeId: SAM });
    clock.advance(2000);
    await patch(b.id, { status: 'waiting' });
    // The customer answers on A: it becomes the newest activity, one unread for Sam.
    clock.advance(2000);
    await post(a.id, 'Still stuck today.');
    await signIn();
    await openTickets();
    await waitFor(async () => expect(await rowNames()).toHaveLength(3));
    expect(await rowNames()).toEqual([
      expect.stringMatching(/Export stuck, 1 unread$/),
      expect.stringContaining('Flow fails'),
      expect.stringContaining('Slow dashboard'),
    ]);
    const first = (await screen.findAllByTestId('ticket-row'))[0];
    if (!first) throw new Error('no row');
    expect(within(first).getByTestId('ticket-assignee').textContent).toBe('Assigned to Sam Support');
    expect(within(first).getByTestId('unread').textContent).toBe('1');
    expect(screen.getByRole('button', { name: 'All' }).getAttribute('aria-pressed')).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: 'Mine' }));
    await waitFor(async () => expect(await rowNames()).toEqual([expect.stringContaining('Export stuck')]));
    fireEvent.click(screen.getByRole('button', { name: 'Unassigned' }));
    await waitFor(async () =>
      expect(await rowNames()).toEqual([
        expect.stringContaining('Flow fails'),
        expect.stringContaining('Slow dashboard'),
      ]),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Waiting' }));
    await waitFor(async () => expect(await rowNames()).toEqual([expect.stringContaining('Flow fails')]));
    const waiting = (await screen.findAllByTestId('ticket-row'))[0];
    expect(waiting && within(waiting).getByTestId('ticket-status').textContent).toBe('Waiting on customer');
    expect(c.id).toBeGreaterThan(0);
  });

  it('on a Keboola stack keeps the plain fallback: what the stack lacks, and no inbox', async () => {
    await signIn(KEBOOLA);
    await openTickets();
    expect((await screen.findByRole('alert')).textContent).toMatch(/no support tickets/);
    expect(screen.queryByRole('button', { name: 'Mine' })).toBeNull();
    expect(screen.queryByRole('group')).toBeNull();
    expect((await screen.findByTestId('tickets-empty')).textContent).toBe('No tickets routed to you.');
  });
});

describe('a ticket’s thread', () => {
  it('shows every entry, the context and the badge; marks it read; Back returns focus to the ticket', async () => {
    const t = await ticket('Export stuck');
    await patch(t.id, { assigneeId: SAM });
    await post(t.id, 'Here is the <b>log</b>.');
    await signIn();
    await openTickets();
    await openThread(/Export stuck/);
    const heading = screen.getByRole('heading', { name: /SK-\d+ Export stuck/ });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByTestId('thread-description').textContent).toContain('About Export stuck.');
    const message = await screen.findByTestId('thread-message');
    // Markup is text.
    expect(within(message).getByText('Here is the <b>log</b>.')).toBeTruthy();
    expect(message.textContent).toContain('Alice Admin');
    expect(message.textContent).toContain('customer');
    expect(message.textContent).toContain('in the widget');
    expect(screen.getAllByTestId('thread-event').map((e) => e.textContent)).toEqual(
      expect.arrayContaining([expect.stringContaining('Sam Support took the ticket.')]),
    );
    const context = screen.getByTestId('thread-context');
    expect(context.textContent).toContain('https://app.example/flows/7');
    expect(context.textContent).toContain('Firefox 128');
    // Shown: read up to its last entry on the server.
    await waitFor(async () => expect((await read(t.id)).unread).toBe(0));

    // The staff reply carries the octopus badge.
    await post(t.id, 'On it.', SUPPORT);
    await callWorker('openThread', { stack: BASE, ticketId: t.id });
    const staff = await waitFor(() => {
      const all = screen.getAllByTestId('thread-message');
      const last = all[all.length - 1];
      if (!last?.textContent?.includes('On it.')) throw new Error('not yet');
      return last;
    });
    expect(within(staff).getByRole('img', { name: 'Support team' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Back to tickets' }));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: /Export stuck/ })),
    );
    expect(screen.queryByTestId('thread')).toBeNull();
  });

  it('sends a reply with an attachment; a file over the limit is refused and named', async () => {
    const t = await ticket('Export stuck');
    await signIn();
    await openTickets();
    await openThread(/Export stuck/);
    const files = screen.getByLabelText('Attach files');
    const small = new File(['a,b\n1,2\n'], 'data.csv', { type: 'text/csv' });
    const big = new File([new Uint8Array(1_048_577)], 'huge.bin');
    fireEvent.change(files, { target: { files: [small, big] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /huge\.bin is 1025 KB: a file may be at most 1 MB/,
    );
    await screen.findByRole('button', { name: 'Remove data.csv' });
    fireEvent.input(screen.getByLabelText('Reply'), { target: { value: 'Please try again now.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }));
    await waitFor(async () => {
      const thread = await messages(t.id, ADMIN);
      expect(thread.filter((m) => m.kind === 'message')).toEqual([
        expect.objectContaining({
          body: 'Please try again now.',
          side: 'staff',
          via: 'extension',
          attachments: [{ name: 'data.csv', type: 'text/csv', size: 8 }],
        }),
      ]);
    });
    await waitFor(() =>
      expect(screen.getAllByTestId('thread-message').map((m) => m.textContent)).toEqual([
        expect.stringContaining('Please try again now.'),
      ]),
    );
    await waitFor(() => expect((screen.getByLabelText('Reply') as HTMLTextAreaElement).value).toBe(''));
    expect(await db.drafts.count()).toBe(0);
  });

  it('keeps a reply typed as a draft for this stack, user and ticket until it is sent', async () => {
    await ticket('Export stuck');
    await ticket('Flow fails');
    await signIn();
    await openTickets();
    await openThread(/Export stuck/);
    fireEvent.input(await screen.findByLabelText('Reply'), { target: { value: 'Half a thought' } });
    // Back, and the popup closed and opened again.
    fireEvent.click(screen.getByRole('button', { name: 'Back to tickets' }));
    await waitFor(async () =>
      expect((await db.drafts.toArray()).map((d) => d.body)).toEqual(['Half a thought']),
    );
    await openThread(/Flow fails/);
    await waitFor(() => expect(screen.getByLabelText('Reply').getAttribute('disabled')).toBeNull());
    expect((screen.getByLabelText('Reply') as HTMLTextAreaElement).value).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Back to tickets' }));
    await openThread(/Export stuck/);
    await waitFor(() =>
      expect((screen.getByLabelText('Reply') as HTMLTextAreaElement).value).toBe('Half a thought'),
    );
  });

  it('assigns to me and back to nobody, and changes the status, each shown in the thread', async () => {
    const t = await ticket('Export stuck');
    await signIn();
    await openTickets();
    await openThread(/Export stuck/);
    fireEvent.click(await screen.findByRole('button', { name: 'Assign to me' }));
    await waitFor(() =>
      expect(screen.getByTestId('thread-assignee').textContent).toBe('Assigned to Sam Support'),
    );
    expect((await read(t.id)).assignee?.id).toBe(SAM);
    expect(screen.queryByRole('button', { name: 'Assign to me' })).toBeNull();
    // Taking it opened it; the status picker follows what the ticket says.
    await waitFor(() => expect(screen.getByTestId('thread-status').textContent).toBe('Open'));

    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'waiting' } });
    const change = screen.getByRole('button', { name: 'Change status' }) as HTMLButtonElement;
    // One change at a time: the button waits for the assignment to finish.
    await waitFor(() => expect(change.disabled).toBe(false));
    fireEvent.click(change);
    await waitFor(() => expect(screen.getByTestId('thread-status').textContent).toBe('Waiting on customer'));
    expect((await read(t.id)).status).toBe('waiting');
    await waitFor(() =>
      expect(screen.getAllByTestId('thread-event').map((e) => e.textContent)).toEqual(
        expect.arrayContaining([expect.stringContaining('set the status to waiting on customer')]),
      ),
    );

    const assignee = screen.getByLabelText('Assignee') as HTMLSelectElement;
    await waitFor(() =>
      expect([...assignee.options].map((o) => o.textContent)).toContain('Sam Support (me)'),
    );
    fireEvent.change(assignee, { target: { value: '' } });
    const assign = screen.getByRole('button', { name: 'Assign' }) as HTMLButtonElement;
    await waitFor(() => expect(assign.disabled).toBe(false));
    fireEvent.click(assign);
    await waitFor(() => expect(screen.getByTestId('thread-assignee').textContent).toBe('Unassigned'));
    expect((await read(t.id)).assignee).toBeNull();
  });

  it('says whether I can get into the ticket’s project now and until when, or offers to ask', async () => {
    await ticket('Beta report', BETA_ADMIN, 101);
    await ticket('Acme report');
    await signIn();
    // Beta Sandbox allows Auto Join: joined for an hour.
    const joined = await callWorker('getAccess', {
      stack: BASE,
      projectId: 101,
      reason: 'SK-1 look',
      expirationSeconds: 3600,
    });
    expect(joined.ok && joined.value.kind).toBe('joined');
    await openTickets();
    await openThread(/Beta report/);
    const line = await screen.findByTestId('thread-access');
    expect(line.textContent).toMatch(/You have access to Beta Sandbox now until .+ \((59 min|1 h) left\)/);
    fireEvent.click(screen.getByRole('button', { name: 'Back to tickets' }));

    await openThread(/Acme report/);
    expect((await screen.findByTestId('thread-access')).textContent).toContain(
      'You have no access to Acme Main now.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Request access for this ticket' }));
    expect(((await screen.findByLabelText('Reason')) as HTMLTextAreaElement).value).toMatch(
      /SK-\d+: Acme report/,
    );
  });
  it("offers the ticket's own grant on its thread: Join with Auto Join off, then the access line says it (issue 23)", async () => {
    const t = await ticket('Orders job fails');
    const other = await ticket('Another one');
    // Acme Main has Auto Join off; the admin allows support in for the first ticket only.
    const given = await callApi(BASE, 'POST', `/support/tickets/${t.id}/grants`, ADMIN, {
      expirationSeconds: 7200,
    });
    expect(given.status).toBe(201);
    await signIn();
    await openTickets();

    // Another ticket of the same project: its grant is not this ticket's, so no Join there.
    await openThread(/Another one/);
    expect((await screen.findByTestId('thread-access')).textContent).toContain(
      'You have no access to Acme Main now.',
    );
    await screen.findByRole('button', { name: 'Request access for this ticket' });
    expect(screen.queryByTestId('grant-offer')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Back to tickets' }));
    expect(other.number).not.toBe(t.number);

    await openThread(/Orders job fails/);
    const offer = await screen.findByTestId('grant-offer');
    expect(offer.textContent).toContain(`Access allowed for ${t.number} until`);
    expect(offer.textContent).toContain('Alice Admin');
    fireEvent.click(within(offer).getByRole('button', { name: `Join Acme Main for ${t.number}` }));
    await waitFor(() =>
      expect(screen.getByTestId('thread-access').textContent).toMatch(
        /You have access to Acme Main now until .+ \((1 h 59 min|2 h) left\)/,
      ),
    );
    expect(screen.queryByTestId('grant-offer')).toBeNull();
    // The thread tells the grant and the join apart: who gave it, who joined.
    await waitFor(() =>
      expect(screen.getAllByTestId('thread-event').map((e) => e.firstChild?.textContent)).toEqual([
        expect.stringMatching(/^Alice Admin: Support may come into Acme Main for this ticket until /),
        expect.stringMatching(/^Sam Support joined Acme Main for this ticket, until /),
      ]),
    );
    // The server agrees: the engineer is a member now, for this ticket.
    const users = await callApi(BASE, 'GET', '/projects/100/users', ADMIN);
    expect(JSON.stringify(users.json)).toContain(t.number);
  });
});

describe('the cache of tickets', () => {
  it('a thread whose entries the cache lost is read whole again, not after the old mark', async () => {
    const t = await ticket('Export stuck');
    await post(t.id, 'First answer');
    await signIn();
    const stack = (await db.tickets.toArray())[0]?.stack ?? BASE;
    expect((await callWorker('openThread', { stack, ticketId: t.id })).ok).toBe(true);
    expect((await db.entries.toArray()).map((e) => e.body)).toEqual(['First answer']);
    // What a read that ended after the cache was dropped leaves: the ticket with its mark, no entries.
    await db.entries.clear();
    expect((await db.tickets.get([stack, t.id]))?.threadReadTo).toBeGreaterThan(0);
    expect((await callWorker('openThread', { stack, ticketId: t.id })).ok).toBe(true);
    expect((await db.entries.toArray()).map((e) => e.body)).toEqual(['First answer']);
  });

  it('a list answered after a newer change does not undo it', async () => {
    const t = await ticket('Export stuck');
    await signIn();
    expect((await callWorker('refreshTickets', { view: 'all' })).ok).toBe(true);
    const cached = await db.tickets.get([BASE, t.id]);
    if (!cached) throw new Error('not cached');
    // What a later answer (the PATCH's, the stream's) wrote: newer activity than the list will say.
    const later = new Date(Date.parse(cached.lastActivity.replace(/(\d\d)(\d\d)$/, '$1:$2')) + 60_000);
    await db.tickets.put({
      ...cached,
      status: 'waiting',
      lastActivity: later.toISOString().replace(/\.\d+Z$/, '+0000'),
    });
    expect((await callWorker('refreshTickets', { view: 'all' })).ok).toBe(true);
    expect((await db.tickets.get([BASE, t.id]))?.status).toBe('waiting');
  });
});
