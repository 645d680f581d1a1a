import { fireEvent, waitFor } from '@testing-library/preact';
import { createStore, get, set } from 'idb-keyval';
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { TICKET_LIMITS } from '../../api/types.ts';
import { createIdbStorage } from './storage.ts';
import { as, BASE, PROJECT, reload, setOnline, startWidget, TOKENS, useBackend } from './test-kit.ts';

const { server } = useBackend();
const TICKETS = `${BASE}/manage/support/tickets`;

type Widget = ReturnType<typeof startWidget>;

async function openForm(w: Widget) {
  fireEvent.click(w.button());
  fireEvent.click(await w.ui.findByRole('button', { name: /Contact support/ }));
  return w.ui.findByRole('textbox', { name: 'Subject' });
}

async function fill(w: Widget, subject = 'Cannot run job', description = 'The job fails at step 2.') {
  fireEvent.input(await openForm(w), { target: { value: subject } });
  fireEvent.input(w.ui.getByRole('textbox', { name: 'Description' }), { target: { value: description } });
}

/**
 * The panel reads the draft from IndexedDB without a visible sign of being done: give that read time
 * before asserting an empty form (else the assertion passes before any draft could arrive).
 */
const draftLoaded = () => new Promise((r) => setTimeout(r, 100));

/** Where a draft of `userId` for `project` is stored on the test backend (Alice Admin is 1000). */
const draftOf = (project: number, userId = 1000) =>
  createIdbStorage().loadDraft(`${BASE}|u${userId}|${project}`);
const rawStore = () => createStore('support-kit', 'kv');

/** The network is down: every request fails as fetch does offline. */
function networkDown(): void {
  setOnline(false);
  server.use(http.all(`${BASE}/*`, () => HttpResponse.error()));
}
function networkUp(): void {
  server.resetHandlers();
  setOnline(true);
}

const send = (w: Widget) => fireEvent.click(w.ui.getByRole('button', { name: 'Send' }));

async function myTickets() {
  const r = await as('admin').listTickets();
  return r.data ?? [];
}

/** Records the Idempotency-Key of every ticket POST, then lets it through to the backend. */
function recordKeys(): string[] {
  const keys: string[] = [];
  server.events.on('request:start', ({ request }) => {
    if (request.method === 'POST' && request.url === TICKETS)
      keys.push(request.headers.get('Idempotency-Key') ?? '');
  });
  return keys;
}

describe('ticket form', () => {
  it('creates a ticket and shows its number only after the 2xx', async () => {
    const w = startWidget();
    const created = vi.fn();
    w.kit.on('ticketCreated', created);
    await fill(w);
    send(w);
    const title = await w.ui.findByText(/^Ticket SK-\d+ created$/);
    const [ticket] = await myTickets();
    expect(title.textContent).toBe(`Ticket ${ticket?.number} created`);
    expect(ticket).toMatchObject({
      subject: 'Cannot run job',
      description: 'The job fails at step 2.',
      type: 'question',
      project: { id: 100 },
      context: { locale: 'en', appVersion: '2.4.1', viewport: expect.stringMatching(/^\d+×\d+$/) },
    });
    expect(created).toHaveBeenCalledWith({ id: ticket?.id, number: ticket?.number, queued: false });
  });

  it('shows the context that will be sent before sending', async () => {
    const w = startWidget();
    await openForm(w);
    const context = w.ui.getByRole('region', { name: 'Sent with your ticket' });
    expect(context.textContent).toContain('Acme Main (100)');
    expect(context.textContent).toContain('Ada Admin, admin@acme.test');
    expect(context.textContent).toContain('2.4.1');
    expect(context.textContent).toContain(location.href);
  });

  it('asks for a severity only for incidents and sends it', async () => {
    const w = startWidget();
    await fill(w);
    expect(w.ui.queryByRole('combobox', { name: 'Severity' })).toBeNull();
    fireEvent.change(w.ui.getByRole('combobox', { name: 'Type' }), { target: { value: 'incident' } });
    fireEvent.change(await w.ui.findByRole('combobox', { name: 'Severity' }), {
      target: { value: 'critical' },
    });
    send(w);
    await w.ui.findByText(/created$/);
    expect((await myTickets())[0]).toMatchObject({ type: 'incident', severity: 'critical' });
  });

  it('lets a decider allow support in with the ticket, for the time they pick (issue 23)', async () => {
    const w = startWidget({ user: { name: 'Ada Admin', email: 'admin@acme.test', role: 'admin' } });
    await fill(w);
    const allow = w.ui.getByRole('checkbox', { name: 'Allow support into this project for this ticket' });
    expect(w.ui.queryByRole('combobox', { name: 'For how long' })).toBeNull();
    fireEvent.click(allow);
    const length = await w.ui.findByRole('combobox', { name: 'For how long' });
    expect((length as HTMLSelectElement).value).toBe('172800');
    fireEvent.change(length, { target: { value: String(24 * 3600) } });
    send(w);
    await w.ui.findByText(/created$/);
    const [ticket] = await myTickets();
    const grants = (await as('admin').listTicketGrants(ticket?.id ?? 0)).data ?? [];
    expect(grants).toMatchObject([{ status: 'active', project: { id: 100 }, grantedBy: { id: 1000 } }]);
    expect(Date.parse(grants[0]?.expires ?? '') - Date.parse(grants[0]?.created ?? '')).toBe(24 * 3600_000);
  });

  it('offers no grant to anyone the host does not call admin or share, and sends none unchecked', async () => {
    const guest = startWidget({ user: { name: 'Gary', role: 'guest' } });
    await openForm(guest);
    expect(guest.ui.queryByRole('checkbox', { name: /Allow support/ })).toBeNull();
    guest.kit.destroy();
    const w = startWidget({ user: { name: 'Ada Admin', role: 'share' } });
    await fill(w);
    expect(w.ui.getByRole('checkbox', { name: /Allow support/ })).toBeTruthy();
    send(w);
    await w.ui.findByText(/created$/);
    const [ticket] = await myTickets();
    expect((await as('admin').listTicketGrants(ticket?.id ?? 0)).data).toEqual([]);
  });

  it('names the missing fields and sends nothing', async () => {
    const keys = recordKeys();
    const w = startWidget();
    await openForm(w);
    send(w);
    expect(await w.ui.findByText('Enter a subject.')).toBeTruthy();
    expect(w.ui.getByText('Describe what you need.')).toBeTruthy();
    expect(w.ui.getByRole('textbox', { name: 'Subject' }).getAttribute('aria-invalid')).toBe('true');
    expect(keys).toEqual([]);
  });

  it('sends with Ctrl+Enter or Cmd+Enter from the description, not with a plain Enter', async () => {
    const w = startWidget();
    await fill(w);
    const description = w.ui.getByRole('textbox', { name: 'Description' });
    fireEvent.keyDown(description, { key: 'Enter' });
    await new Promise((r) => setTimeout(r, 50));
    expect(await myTickets()).toHaveLength(0);
    fireEvent.keyDown(description, { key: 'Enter', ctrlKey: true });
    await w.ui.findByText(/^Ticket .* created$/);
    expect(await myTickets()).toHaveLength(1);
    expect(w.ui.queryByRole('button', { name: 'Send' })).toBeNull();
  });

  it('keeps Send in view: the form footer is sticky and names its shortcut', async () => {
    const w = startWidget();
    await openForm(w);
    const sendButton = w.ui.getByRole('button', { name: 'Send' });
    expect(sendButton.getAttribute('aria-keyshortcuts')).toBe('Control+Enter Meta+Enter');
    expect(getComputedStyle(sendButton.parentElement as HTMLElement).position).toBe('sticky');
  });

  it('attaches files within the limits and refuses the rest with a message', async () => {
    const w = startWidget();
    await fill(w);
    const input = w.root.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) throw new Error('no file input');
    const big = new File([new Uint8Array(TICKET_LIMITS.attachmentBytesMax + 1)], 'huge.bin');
    const small = (n: number) => new File([`log ${n}`], `log-${n}.txt`, { type: 'text/plain' });
    fireEvent.change(input, { target: { files: [small(1), big] } });
    expect(await w.ui.findByText('huge.bin (1 MB) is larger than 1 MB: not attached.')).toBeTruthy();
    expect(w.ui.getByText('5 B')).toBeTruthy();
    // Five at once, one of them too big: each one left out is named with its reason.
    const big2 = new File([new Uint8Array(1_258_291)], 'dump.csv');
    fireEvent.change(input, { target: { files: [small(2), small(3), big2, small(4), small(5)] } });
    expect(await w.ui.findByText('dump.csv (1.2 MB) is larger than 1 MB: not attached.')).toBeTruthy();
    expect(
      w.ui.getByText('At most 3 files can be attached: log-4.txt, log-5.txt not attached.'),
    ).toBeTruthy();
    expect(w.ui.getAllByRole('button', { name: /^Remove log-/ })).toHaveLength(3);
    send(w);
    await w.ui.findByText(/created$/);
    expect((await myTickets())[0]?.attachments.map((a) => a.name)).toEqual([
      'log-1.txt',
      'log-2.txt',
      'log-3.txt',
    ]);
  });

  it('takes a pasted image as an attachment', async () => {
    const w = startWidget();
    await fill(w);
    const image = new File([new Uint8Array([137, 80, 78, 71])], 'image.png', { type: 'image/png' });
    const paste = new Event('paste', { bubbles: true, cancelable: true });
    Object.defineProperty(paste, 'clipboardData', { value: { files: [image] } });
    w.ui.getByRole('textbox', { name: 'Description' }).dispatchEvent(paste);
    expect(await w.ui.findByRole('button', { name: /^Remove pasted-/ })).toBeTruthy();
  });
});

describe('draft', () => {
  it('survives closing the panel and reloading the page', async () => {
    const w = startWidget();
    await fill(w, 'Half-written', 'Some details');
    await w.ui.findByText('Draft saved');
    fireEvent.keyDown(w.ui.getByRole('dialog'), { key: 'Escape' });
    const again = reload(w);
    const subject = (await openForm(again)) as HTMLInputElement;
    await waitFor(() => expect(subject.value).toBe('Half-written'));
    expect((again.ui.getByRole('textbox', { name: 'Description' }) as HTMLTextAreaElement).value).toBe(
      'Some details',
    );
  });

  it('is kept per project', async () => {
    const w = startWidget();
    await fill(w, 'For project 100', 'x');
    await w.ui.findByText('Draft saved');
    expect(await draftOf(101)).toBeUndefined();
    const other = reload(w, { project: { id: 101, name: 'Beta Sandbox' }, token: TOKENS.admin });
    const empty = (await openForm(other)) as HTMLInputElement;
    await draftLoaded();
    expect(empty.value).toBe('');
    const back = reload(other, { project: PROJECT });
    const subject = (await openForm(back)) as HTMLInputElement;
    await waitFor(() => expect(subject.value).toBe('For project 100'));
  });

  it('is cleared once the ticket is sent', async () => {
    const w = startWidget();
    await fill(w);
    // Saved first: a draft that never reached IndexedDB would leave nothing to clear.
    await w.ui.findByText('Draft saved');
    expect((await draftOf(100))?.subject).toBe('Cannot run job');
    send(w);
    await w.ui.findByText(/created$/);
    expect(await draftOf(100)).toBeUndefined();
    const again = reload(w);
    const subject = (await openForm(again)) as HTMLInputElement;
    await draftLoaded();
    expect(subject.value).toBe('');
  });
});

describe('one browser, several users', () => {
  it('never shows the next user the draft of the previous one, and gives it back to its owner', async () => {
    const w = startWidget();
    await fill(w, 'Alice private subject', 'Alice private details');
    await w.ui.findByText('Draft saved');
    const sean = reload(w, { token: TOKENS.share, user: { name: 'Sean Share' } });
    const subject = (await openForm(sean)) as HTMLInputElement;
    await draftLoaded();
    expect(subject.value).toBe('');
    expect((sean.ui.getByRole('textbox', { name: 'Description' }) as HTMLTextAreaElement).value).toBe('');
    const alice = reload(sean, { token: TOKENS.admin });
    const hers = (await openForm(alice)) as HTMLInputElement;
    await waitFor(() => expect(hers.value).toBe('Alice private subject'));
  });

  it('empties the form at once when the host signs another user in on the same page', async () => {
    const w = startWidget();
    await fill(w, 'Alice typing');
    await w.ui.findByText('Draft saved');
    fireEvent.input(w.ui.getByRole('textbox', { name: 'Subject' }), {
      target: { value: 'Alice typing more' },
    });
    w.kit.init({ apiBaseUrl: BASE, token: TOKENS.share, project: PROJECT, locale: 'en' });
    const subject = w.ui.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement;
    await waitFor(() => expect(subject.value).toBe(''));
    await draftLoaded();
    expect(subject.value).toBe('');
    // What Alice typed last was saved as hers at the switch, not lost in the debounce.
    expect((await draftOf(100))?.subject).toBe('Alice typing more');
    expect(await draftOf(100, 1001)).toBeUndefined();
  });

  it('keys the draft by who the server says the token is, not by the user the host names', async () => {
    const w = startWidget({ token: TOKENS.share, user: { id: 1000, name: 'Alice Admin' } });
    await fill(w, 'Written by Sean');
    await w.ui.findByText('Draft saved');
    expect((await draftOf(100, 1001))?.subject).toBe('Written by Sean');
    expect(await draftOf(100, 1000)).toBeUndefined();
  });

  it('drops a draft saved before drafts were kept per user: nobody can tell whose it is', async () => {
    await set(
      'draft:100',
      { subject: 'Old unkeyed', description: 'x', type: 'question', severity: 'normal', attachments: [] },
      rawStore(),
    );
    const w = startWidget();
    const subject = (await openForm(w)) as HTMLInputElement;
    await draftLoaded();
    expect(subject.value).toBe('');
    expect(await get('draft:100', rawStore())).toBeUndefined();
  });

  it("does not send a ticket queued offline by one user under the next user's name", async () => {
    networkDown();
    const alice = startWidget();
    await fill(alice, 'Queued by Alice');
    send(alice);
    await alice.ui.findByText('Your ticket is queued');

    networkUp();
    const sean = reload(alice, { token: TOKENS.share, user: { name: 'Sean Share' } });
    const created = vi.fn();
    sean.kit.on('ticketCreated', created);
    fireEvent.click(sean.button());
    await sean.ui.findByRole('button', { name: /Contact support/ });
    await draftLoaded();
    expect(sean.ui.queryByText(/waiting to be sent/)).toBeNull();
    expect(created).not.toHaveBeenCalled();
    // view=mine: since issue 20 a decider also sees the project's tickets (Alice's included).
    expect((await as('share').listTicketsIn({ view: 'mine' })).data).toEqual([]);
    expect(await myTickets()).toEqual([]);

    // Alice is back: her ticket goes, as hers.
    const back = reload(sean, { token: TOKENS.admin });
    const delivered = vi.fn();
    back.kit.on('ticketCreated', delivered);
    fireEvent.click(back.button());
    await waitFor(() => expect(delivered).toHaveBeenCalledWith(expect.objectContaining({ queued: true })));
    const [ticket] = await myTickets();
    expect(ticket?.subject).toBe('Queued by Alice');
    // view=mine: since issue 20 a decider also sees the project's tickets (Alice's included).
    expect((await as('share').listTicketsIn({ view: 'mine' })).data).toEqual([]);
  });

  it('drops a ticket queued before tickets named their user instead of sending it as whoever comes', async () => {
    await set(
      'outbox',
      [
        {
          key: 'old-key',
          created: 1,
          body: { subject: 'Old queued', description: 'x', type: 'question', context: {} },
        },
      ],
      rawStore(),
    );
    localStorage.setItem('support-kit:outbox', '1');
    const keys = recordKeys();
    const w = startWidget();
    fireEvent.click(w.button());
    await w.ui.findByRole('button', { name: /Contact support/ });
    await draftLoaded();
    expect(keys).toEqual([]);
    expect(await get('outbox', rawStore())).toEqual([]);
  });
});

describe('outbox', () => {
  it('queues a ticket written offline and sends it once when the network is back', async () => {
    const keys = recordKeys();
    const w = startWidget();
    const queued = vi.fn();
    const created = vi.fn();
    w.kit.on('ticketQueued', queued);
    w.kit.on('ticketCreated', created);
    setOnline(false);
    await fill(w);
    send(w);
    expect(await w.ui.findByText('Your ticket is queued')).toBeTruthy();
    expect(w.ui.getByText('You are offline.')).toBeTruthy();
    expect(queued).toHaveBeenCalledTimes(1);
    expect(keys).toEqual([]);

    setOnline(true);
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(created).toHaveBeenCalledWith(expect.objectContaining({ queued: true })));
    expect(await myTickets()).toHaveLength(1);
    expect(keys).toHaveLength(1);
    // The queued result on screen becomes the sent one: no stale "You are offline" under it.
    const [ticket] = await myTickets();
    expect(await w.ui.findByText(`Ticket ${ticket?.number} created`)).toBeTruthy();
    expect(w.ui.queryByText('You are offline.')).toBeNull();
    expect(w.ui.queryByText('Your ticket is queued')).toBeNull();
  });

  it('retries a 5xx with the same Idempotency-Key and creates exactly one ticket', async () => {
    const keys = recordKeys();
    server.use(
      http.post(
        TICKETS,
        () =>
          HttpResponse.json(
            { error: 'Down', code: 'x', status: 'error', exceptionId: 'e1' },
            { status: 503 },
          ),
        {
          once: true,
        },
      ),
    );
    const w = startWidget();
    await fill(w);
    send(w);
    expect(await w.ui.findByText('The support server had a problem (HTTP 503).')).toBeTruthy();
    expect(w.ui.getByText('Your ticket is queued')).toBeTruthy();
    window.dispatchEvent(new Event('online'));
    await waitFor(async () => expect(await myTickets()).toHaveLength(1));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('does not duplicate a ticket the server stored before the answer was lost', async () => {
    const keys = recordKeys();
    // The first attempt reaches the backend, but its answer is lost on the way back.
    server.use(
      http.post(
        TICKETS,
        async ({ request }) => {
          await fetch(request.clone());
          return HttpResponse.error();
        },
        { once: true },
      ),
    );
    const w = startWidget();
    const created = vi.fn();
    w.kit.on('ticketCreated', created);
    await fill(w);
    send(w);
    expect(await w.ui.findByText('The support server cannot be reached.')).toBeTruthy();
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(created).toHaveBeenCalled());
    expect(await myTickets()).toHaveLength(1);
    expect(new Set(keys).size).toBe(1);
    expect(keys.length).toBeGreaterThanOrEqual(2);
  });

  it('sends what a previous page left in the outbox', async () => {
    setOnline(false);
    const w = startWidget();
    await fill(w);
    send(w);
    await w.ui.findByText('Your ticket is queued');
    expect(localStorage.getItem('support-kit:outbox')).toBe('1');
    setOnline(true);
    const again = reload(w);
    const created = vi.fn();
    again.kit.on('ticketCreated', created);
    fireEvent.focus(again.button()); // intent loads the panel, which flushes the outbox
    await waitFor(() => expect(created).toHaveBeenCalled());
    expect(await myTickets()).toHaveLength(1);
    await waitFor(() => expect(localStorage.getItem('support-kit:outbox')).toBeNull());
  });
});

describe('failure messages (the form keeps what was typed)', () => {
  const cases: [string, Parameters<typeof http.post>[1], string][] = [
    [
      '403',
      () =>
        HttpResponse.json(
          { error: 'No', code: 'manage.accessDenied', status: 'error', exceptionId: 'e' },
          { status: 403 },
        ),
      'You are not allowed to file tickets for this project (403). Your text is kept.',
    ],
    [
      '413',
      () =>
        HttpResponse.json(
          { error: 'Big', code: 'manage.payloadTooLarge', status: 'error', exceptionId: 'e' },
          { status: 413 },
        ),
      'The ticket is too large for the server (413). Remove or shrink attachments and send again.',
    ],
    [
      '401',
      () =>
        HttpResponse.json(
          { error: 'Who', code: 'manage.unauthorized', status: 'error', exceptionId: 'e' },
          { status: 401 },
        ),
      'Your session has expired. Sign in again, then send; your text is kept.',
    ],
    [
      '400',
      () =>
        HttpResponse.json(
          { error: 'Subject is odd.', code: 'manage.validationError', status: 'error', exceptionId: 'e' },
          { status: 400 },
        ),
      'The server refused the ticket: Subject is odd.',
    ],
  ];
  for (const [name, handler, message] of cases) {
    it(`shows its own message for a ${name}`, async () => {
      server.use(http.post(TICKETS, handler));
      const w = startWidget();
      const errors = vi.fn();
      w.kit.on('error', errors);
      await fill(w);
      send(w);
      expect((await w.ui.findByText(message)).getAttribute('role')).toBe('alert');
      expect((w.ui.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe(
        'Cannot run job',
      );
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ message }));
    });
  }

  it("shows the backend's own message when the text rule refuses a field (a right-to-left override in the subject)", async () => {
    const w = startWidget();
    await fill(w, 'Cannot \u202Erun job');
    send(w);
    const alert = await w.ui.findByText(
      'The server refused the ticket: Subject must not contain control characters, bidirectional overrides or unpaired surrogates.',
    );
    expect(alert.getAttribute('role')).toBe('alert');
    expect((w.ui.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe(
      'Cannot \u202Erun job',
    );
    expect(await myTickets()).toHaveLength(0);
  });

  it('shows its own message for a real 403 from the backend (a user outside the project)', async () => {
    const w = startWidget({ token: TOKENS.random });
    await fill(w);
    send(w);
    expect(await w.ui.findByText(/not allowed to file tickets/)).toBeTruthy();
    expect(w.ui.getByRole('textbox', { name: 'Description' })).toBeTruthy();
  });

  it('queues on a timeout with its own message', async () => {
    server.use(
      http.post(TICKETS, async () => {
        await new Promise((r) => setTimeout(r, 300));
        return HttpResponse.json({}, { status: 201 });
      }),
    );
    const w = startWidget({ timeoutMs: 50 });
    await fill(w);
    send(w);
    expect(await w.ui.findByText('The support server did not answer in time.')).toBeTruthy();
    expect(w.ui.getByText('Your ticket is queued')).toBeTruthy();
  });

  it('says so when there is no token, and keeps the text', async () => {
    const w = startWidget({ token: undefined, getToken: () => null });
    await fill(w);
    send(w);
    expect(await w.ui.findByText(/You are not signed in/)).toBeTruthy();
    expect((w.ui.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Cannot run job');
  });
});

describe('error alert', () => {
  it('takes a Keboola error body as-is and opens the form prefilled from "Contact support"', async () => {
    const w = startWidget();
    w.kit.reportError({
      error: 'Table in.c-main.orders not found',
      code: 'storage.tables.notFound',
      status: 'error',
      exceptionId: 'exception-1a2b3c',
    });
    const alert = await w.ui.findByText('Table in.c-main.orders not found');
    expect(alert.closest('[role=alert]')).toBeTruthy();
    expect(w.ui.getByText('Reference: exception-1a2b3c')).toBeTruthy();
    fireEvent.click(w.ui.getByRole('button', { name: 'Contact support' }));
    const subject = (await w.ui.findByRole('textbox', { name: 'Subject' })) as HTMLInputElement;
    expect(subject.value).toBe('Table in.c-main.orders not found');
    expect((w.ui.getByRole('combobox', { name: 'Type' }) as HTMLSelectElement).value).toBe('problem');
    expect(w.ui.getByRole('region', { name: 'Sent with your ticket' }).textContent).toContain(
      'exception-1a2b3c',
    );
    fireEvent.input(w.ui.getByRole('textbox', { name: 'Description' }), {
      target: { value: 'After import' },
    });
    send(w);
    await w.ui.findByText(/created$/);
    expect((await myTickets())[0]?.context.error).toEqual({
      message: 'Table in.c-main.orders not found',
      exceptionId: 'exception-1a2b3c',
    });
  });

  it('raises the alert for a failed fetch of the host app when asked to', async () => {
    server.use(
      http.get('http://app.test/api/run', () =>
        HttpResponse.json(
          { error: 'Job crashed', code: 'x', status: 'error', exceptionId: 'exc-9' },
          { status: 500 },
        ),
      ),
    );
    const w = startWidget({ catchFetchErrors: true });
    const res = await fetch('http://app.test/api/run');
    expect(res.status).toBe(500);
    expect(await w.ui.findByText('Job crashed')).toBeTruthy();
    expect(w.ui.getByText('Reference: exc-9')).toBeTruthy();
  });

  it('gives the host a "Contact support" button for its own alerts', async () => {
    const w = startWidget();
    const b = w.kit.contactButton({ message: 'Saving failed', status: 502, requestId: 'req-7' });
    document.body.append(b);
    expect(b.textContent).toBe('Contact support');
    fireEvent.click(b);
    const subject = (await w.ui.findByRole('textbox', { name: 'Subject' })) as HTMLInputElement;
    expect(subject.value).toBe('Saving failed');
    expect(w.ui.getByRole('region', { name: 'Sent with your ticket' }).textContent).toContain(
      'Saving failed (HTTP 502, req-7)',
    );
  });
});

describe('menu', () => {
  it('draws an icon on each item and marks links that leave the page, in words too', async () => {
    const w = startWidget({ usersPanel: true, docsUrl: 'https://help.test' });
    fireEvent.click(w.button());
    const support = await w.ui.findByRole('button', { name: /Contact support/ });
    expect(support.querySelector('svg[aria-hidden=true] path')).not.toBeNull();
    expect(w.ui.getByRole('button', { name: /Users & access/ }).querySelector('svg')).not.toBeNull();
    const docs = w.ui.getByRole('link', { name: 'Documentation (opens in a new tab)' });
    expect(docs.getAttribute('target')).toBe('_blank');
    expect(docs.querySelector('svg[aria-hidden=true]')).not.toBeNull();
  });
});

describe('strings', () => {
  it('speaks Czech and takes overrides', async () => {
    const w = startWidget({ locale: 'cs-CZ', strings: { menuDocs: 'Návody' }, docsUrl: 'https://help.test' });
    expect(w.button().textContent).toBe('Podpora');
    fireEvent.click(w.button());
    expect(await w.ui.findByRole('button', { name: /Kontaktovat podporu/ })).toBeTruthy();
    expect(w.ui.getByRole('link', { name: /Návody/ }).getAttribute('href')).toBe('https://help.test');
    w.kit.setLocale('en');
    expect(w.button().textContent).toBe('Support');
    expect(await w.ui.findByRole('button', { name: /Contact support/ })).toBeTruthy();
  });
});
