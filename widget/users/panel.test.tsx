import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventsMemory } from '../../api/events.ts';
import type { UsersPanelOptions } from '../types.ts';
import { UsersPanel } from './panel.tsx';
import { as, BASE, TOKENS, useBackend } from './test-backend.ts';
import { exact } from './util.ts';

const { server } = useBackend();
afterEach(() => {
  cleanup();
});

const EVENTS = `${BASE}/manage/current-user/events`;

/** The page's fetch, recording each request's URL, token header and when its answer came. */
function recordingFetch() {
  const seen: { url: string; token: string | null; answered: boolean }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const entry = { url: req.url, token: req.headers.get('X-KBC-ManageApiToken'), answered: false };
    seen.push(entry);
    const res = await fetch(input, init);
    entry.answered = true;
    return res;
  };
  return { seen, fetch: fetchFn };
}

function show(who: keyof typeof TOKENS, extra: Partial<UsersPanelOptions> = {}) {
  const options: UsersPanelOptions = {
    apiBaseUrl: BASE,
    token: TOKENS[who],
    projectId: 100,
    locale: 'en',
    // A memory of its own: no test learns from another that a stack has no events.
    liveOptions: { memory: createEventsMemory({ storage: null }) },
    ...extra,
  };
  return render(<UsersPanel options={options} />);
}

/** The list item whose name line starts with `name`. */
const row = (name: string) => {
  const el = [...document.querySelectorAll('li')].find((li) =>
    li.querySelector('.name')?.textContent?.startsWith(name),
  );
  if (!el) throw new Error(`no row for ${name}`);
  return el;
};
const loaded = () => screen.findByText('Sean Share');

async function supportRequests(reason = 'Investigating ticket SK-1001', expirationSeconds = 3 * 86400) {
  const res = await as('support').requestAccess(100, { reason, expirationSeconds });
  if (res.error) throw new Error(res.error.message);
  return res.data;
}

describe('users panel', () => {
  it('clamps a long reason to a few lines with Show more, and shows it all on request', async () => {
    const long = `SK-1001: ${'the nightly export stops at the Snowflake writer; '.repeat(19)}`.slice(0, 1000);
    await supportRequests(long);
    show('admin');
    const r = await waitFor(() => row('Sam Support'));
    const text = r.querySelector<HTMLElement>('.rsn');
    if (!text) throw new Error('no reason');
    expect(text.textContent).toContain(long.trim());
    expect(text.classList.contains('clamp')).toBe(true);
    const more = within(r).getByRole('button', { name: 'Show more' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(more.getAttribute('aria-controls')).toBe(text.id);
    fireEvent.click(more);
    expect(text.classList.contains('clamp')).toBe(false);
    expect(within(r).getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('does not clamp a short reason', async () => {
    await supportRequests('Short one');
    show('admin');
    const r = await waitFor(() => row('Sam Support'));
    expect(r.querySelector('.clamp')).toBeNull();
    expect(within(r).queryByRole('button', { name: 'Show more' })).toBeNull();
  });

  it('lists every member with e-mail, role and the usage against the limit', async () => {
    show('admin');
    await loaded();
    for (const [name, role] of [
      ['Alice Admin', 'Admin'],
      ['Sean Share', 'Share'],
      ['Gary Guest', 'Guest'],
      ['Rita Reader', 'Read only'],
    ] as const)
      expect(within(row(name)).getByText(new RegExp(`· ${role}$`))).toBeTruthy();
    expect(screen.getByText('4 of 5 users')).toBeTruthy();
    expect(screen.getByText(/do not count towards the user limit/)).toBeTruthy();
    expect(within(row('Alice Admin')).getByText(/\(you\)/)).toBeTruthy();
  });

  it('shows a pending request with its reason, requested expiry and working buttons', async () => {
    await supportRequests();
    show('admin');
    const r = await waitFor(() => row('Sam Support'));
    expect(r.classList.contains('pend')).toBe(true);
    expect(within(r).getByText('Pending')).toBeTruthy();
    expect(within(r).getByText('Investigating ticket SK-1001', { exact: false })).toBeTruthy();
    const expiry = within(r).getByText(/Lapses in 3 days/);
    // When the request itself lapses undecided: the same instant the popup counts down to. Approved,
    // the access runs the time asked from the approval (issue 23).
    expect(expiry.textContent).toMatch(
      /^Lapses in 3 days if nobody decides; access runs from approval\. \(on .+\)$/,
    );
    const lapses = (await as('support').listMyJoinRequests()).data?.[0]?.expires;
    expect(expiry.getAttribute('title')).toBe(exact(lapses ?? '', 'en'));
    expect(expiry.querySelector('.vh')?.textContent).toMatch(/\(on .+\)/);
    const approve = within(r).getByRole('button', { name: 'Approve access for Sam Support' });
    expect((approve as HTMLButtonElement).disabled).toBe(false);
    expect(within(r).getByRole('button', { name: 'Reject the request of Sam Support' })).toBeTruthy();
  });

  it('turns an approved request into a member row with reason, approver, expiry and the octopus', async () => {
    await supportRequests();
    show('admin');
    const r = await waitFor(() => row('Sam Support'));
    fireEvent.click(within(r).getByRole('button', { name: /Approve/ }));
    await screen.findByText('Approved by Alice Admin');
    const member = row('Sam Support');
    expect(member.classList.contains('pend')).toBe(false);
    // The octopus is drawn (SVG), not an emoji that needs an emoji font; its label is text.
    const badge = await within(member).findByRole('img', { name: 'Support user' });
    expect(badge.querySelector('svg path')).not.toBeNull();
    expect(badge.textContent?.trim()).toBe('Support');
    expect(badge.textContent).not.toMatch(/\p{Extended_Pictographic}/u);
    expect(within(member).getByText('Investigating ticket SK-1001', { exact: false })).toBeTruthy();
    expect(within(member).getByText(/Access expires in 3 days/)).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Access for Sam Support approved.'),
    );
    // Support users do not count towards the limit.
    expect(screen.getByText('4 of 5 users')).toBeTruthy();
    expect((await as('admin').listJoinRequests(100)).data).toEqual([]);
  });

  it('says "joined" for a user who joined on their own and badges support but not the maintainer', async () => {
    await as('support').joinProject(101, { reason: 'Checking the sandbox' });
    await as('maintainer').joinProject(101, { reason: 'Upgrade' });
    render(
      <UsersPanel
        options={{ apiBaseUrl: BASE, token: 'demo-beta-admin-token', projectId: 101, live: false }}
      />,
    );
    await screen.findByText('Sam Support');
    expect(within(row('Sam Support')).getByText('Joined on their own')).toBeTruthy();
    expect(within(row('Sam Support')).getByRole('img', { name: 'Support user' })).toBeTruthy();
    expect(within(row('Mark Maintainer')).getByText('Joined on their own')).toBeTruthy();
    expect(within(row('Mark Maintainer')).queryByRole('img')).toBeNull();
    expect(screen.getByText('1 of 10 users')).toBeTruthy();
  });

  it('shows an invitation, and "invited by" once it is accepted', async () => {
    show('admin');
    await loaded();
    fireEvent.input(screen.getByLabelText('E-mail'), { target: { value: 'olga@acme.test' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'guest' } });
    fireEvent.submit(screen.getByRole('form', { name: 'Invite a user' }));
    await screen.findByText('Invitation sent to olga@acme.test.');
    const inv = await waitFor(() => row('Olga Org'));
    expect(within(inv).getByText('Invited')).toBeTruthy();
    expect(within(inv).getByText('olga@acme.test · Guest')).toBeTruthy();

    const mine = await as('org').listMyProjectInvitations();
    const id = mine.data?.[0]?.id;
    expect(id).toBeDefined();
    await as('org').acceptProjectInvitation(id ?? 0);
    cleanup();
    show('admin');
    await screen.findByText('Invited by Alice Admin');
    expect(within(row('Olga Org')).queryByText('Invited')).toBeNull();
  });

  it('shows the server refusing an invitation in the form', async () => {
    show('admin');
    await loaded();
    fireEvent.input(screen.getByLabelText('E-mail'), { target: { value: 'gary@acme.test' } });
    fireEvent.submit(screen.getByRole('form', { name: 'Invite a user' }));
    const alert = await screen.findByText(/already/i, { selector: '.err' });
    expect(alert.getAttribute('role')).toBe('alert');
    expect(screen.getByLabelText('E-mail').getAttribute('aria-invalid')).toBe('true');
  });

  it.each([
    ['guest', 'Your role (Guest) cannot approve or reject requests; an admin or share member can.'],
    ['readOnly', 'Your role (Read only) cannot approve or reject requests; an admin or share member can.'],
    ['org', 'Only project members with the admin or share role can approve or reject requests.'],
  ] as const)('shows %s the pending row with disabled buttons and the reason why', async (who, why) => {
    await supportRequests();
    show(who);
    const r = await waitFor(() => row('Sam Support'));
    const note = within(r).getByText(why);
    for (const name of [/Approve/, /Reject/]) {
      const b = within(r).getByRole('button', { name }) as HTMLButtonElement;
      expect(b.disabled).toBe(true);
      expect(b.getAttribute('aria-describedby')).toBe(note.id);
    }
  });

  // Support and maintainer users read a project's people only as its members (issue 22): outside it,
  // the panel says the server's refusal, shows nobody, and offers no retry (a 403 stays a 403).
  it.each(['support', 'maintainer'] as const)(
    'shows %s outside the project the refusal and nobody',
    async (who) => {
      await supportRequests();
      show(who);
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toContain('only as its members');
      expect(within(alert).queryByRole('button')).toBeNull();
      expect(screen.queryByText('Sean Share')).toBeNull();
      expect(screen.queryByText('Sam Support')).toBeNull();
    },
  );

  it.each([
    ['support', 'maintainer', 'Sam Support', 'Mark Maintainer'],
    ['maintainer', 'support', 'Mark Maintainer', 'Sam Support'],
  ] as const)(
    'shows a %s member (role admin) what a guest sees: no deciding, removing or inviting',
    async (who, other, name, otherName) => {
      // `who` got in as an admin member of kind support/maintainer; `other` then asks to get in.
      const mine = await as(who).requestAccess(100, { reason: 'SK-1: in first', expirationSeconds: 3600 });
      if (mine.error) throw new Error(mine.error.message);
      await as('admin').approveJoinRequest(100, mine.data.id);
      const member = (await as('admin').listProjectUsers(100)).data?.find((u) => u.name === name);
      expect(member?.role).toBe('admin');
      expect(member?.kind).toBe(who);
      const theirs = await as(other).requestAccess(100, { reason: 'SK-2: asking', expirationSeconds: 3600 });
      if (theirs.error) throw new Error(theirs.error.message);

      show(who);
      const r = await waitFor(() => row(otherName));
      const note = within(r).getByText(
        "As a support or maintainer user you cannot approve or reject requests, invite or remove users: the project's own admin and share members decide.",
      );
      for (const label of [/Approve/, /Reject/]) {
        const b = within(r).getByRole('button', { name: label }) as HTMLButtonElement;
        expect(b.disabled).toBe(true);
        expect(b.getAttribute('aria-describedby')).toBe(note.id);
      }
      await new Promise((res) => setTimeout(res, 50));
      expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
      expect(screen.queryByRole('form')).toBeNull();
      expect(screen.queryByText('Invite a user')).toBeNull();
      // What the panel no longer offers, the server refuses: the outsider rule.
      const refused = await as(who).approveJoinRequest(100, theirs.data.id);
      expect(refused.error?.kind === 'http' && refused.error.httpStatus).toBe(403);
    },
  );

  it('offers inviting and removing to admins and organization users only', async () => {
    show('guest');
    await loaded();
    expect(screen.queryByRole('form')).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    cleanup();
    show('org');
    await screen.findByRole('form', { name: 'Invite a user' });
    expect(screen.getByRole('button', { name: 'Remove Gary Guest from the project' })).toBeTruthy();
    cleanup();
    // A support member (who joined with a reason) reads the members, as any member does.
    expect((await as('support').joinProject(101, { reason: 'Investigating' })).error).toBeUndefined();
    show('support', { projectId: 101 });
    await screen.findByText('Bob Beta');
    cleanup();
    show('admin');
    await screen.findByRole('form', { name: 'Invite a user' });
    expect(screen.queryByRole('button', { name: 'Remove Alice Admin from the project' })).toBeNull();
  });

  it('lists the active grants (access for a ticket) to deciders, with Withdraw after a confirmation', async () => {
    const t = await as('guest').createTicket(
      { subject: 'Orders fail', description: 'd', type: 'problem', projectId: 100 },
      'users-panel-grant',
    );
    const ticketId = t.data?.id ?? 0;
    const g = await as('admin').grantAccess(ticketId, { expirationSeconds: 7200 });
    expect(g.error).toBeUndefined();
    await as('support').joinWithGrant(g.data?.id ?? 0);
    show('share');
    const line = await screen.findByText(`${t.data?.number}: support let in by Alice Admin`);
    const item = line.closest('li') as HTMLElement;
    expect(within(item).getByText(/Access expires in 2 hours/)).toBeTruthy();
    fireEvent.click(within(item).getByRole('button', { name: `Withdraw ${t.data?.number}` }));
    const dialog = screen.getByRole('alertdialog', { name: `Withdraw access for ${t.data?.number}?` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Withdraw' }));
    await waitFor(() => expect(screen.queryByText(/support let in by/)).toBeNull());
    const [after] = (await as('admin').listTicketGrants(ticketId)).data ?? [];
    expect(after).toMatchObject({ status: 'withdrawn', withdrawnBy: { name: 'Sean Share' } });
    // Sam, who joined with it, is out.
    await waitFor(() => expect(screen.queryByText('Sam Support')).toBeNull());
  });

  it('shows no grants to a guest', async () => {
    const t = await as('guest').createTicket(
      { subject: 'Orders fail', description: 'd', type: 'problem', projectId: 100 },
      'users-panel-grant-2',
    );
    await as('admin').grantAccess(t.data?.id ?? 0, {});
    show('guest');
    await loaded();
    expect(screen.queryByText(/support let in by/)).toBeNull();
    expect(screen.queryByRole('button', { name: /^Withdraw/ })).toBeNull();
  });

  it('asks before rejecting; Esc cancels and returns focus, confirming removes the row', async () => {
    await supportRequests();
    show('admin');
    const r = await waitFor(() => row('Sam Support'));
    const reject = within(r).getByRole('button', { name: /Reject/ });
    reject.focus();
    fireEvent.click(reject);
    const dialog = screen.getByRole('alertdialog', { name: 'Reject the request?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(within(dialog).getByText(/Sam Support will not get access/)).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Cancel'));
    // Tab from the last button wraps to the first.
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    confirm.focus();
    fireEvent.keyDown(confirm, { key: 'Tab' });
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(reject));
    expect((await as('admin').listJoinRequests(100)).data).toHaveLength(1);

    fireEvent.click(reject);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(screen.queryByText('Sam Support')).toBeNull());
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Request of Sam Support rejected.'),
    );
    expect((await as('admin').listJoinRequests(100)).data).toEqual([]);
    expect((await as('admin').listProjectUsers(100)).data?.some((u) => u.id === 1006)).toBe(false);
  });

  it('rolls the optimistic approval back with a clear error when the server refuses', async () => {
    await supportRequests();
    server.use(
      http.put(`${BASE}/manage/projects/100/join-requests/:id`, () =>
        HttpResponse.json(
          {
            error: 'This project requires users to have multi-factor authentication enabled',
            code: 'manage.badRequest',
            status: 'error',
            exceptionId: 'x-1',
          },
          { status: 400 },
        ),
      ),
    );
    show('admin');
    const r = await waitFor(() => row('Sam Support'));
    fireEvent.click(within(r).getByRole('button', { name: /Approve/ }));
    // Optimistic: the member row appears at once...
    expect(await screen.findByText('Approved by Alice Admin')).toBeTruthy();
    // ...and goes back to a pending row when the server says no.
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'Could not approve Sam Support: This project requires users to have multi-factor authentication enabled The request is back in the list.',
    );
    await waitFor(() => expect(row('Sam Support').classList.contains('pend')).toBe(true));
    expect(screen.queryByText('Approved by Alice Admin')).toBeNull();
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('rolls a rejection back when the network fails', async () => {
    await supportRequests();
    server.use(http.delete(`${BASE}/manage/projects/100/join-requests/:id`, () => HttpResponse.error()));
    show('admin');
    const r = await waitFor(() => row('Sam Support'));
    fireEvent.click(within(r).getByRole('button', { name: /Reject/ }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Reject' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not reject Sam Support: The server cannot be reached.');
    expect(row('Sam Support').classList.contains('pend')).toBe(true);
  });

  it('shows the truth when the request was decided elsewhere meanwhile', async () => {
    const req = await supportRequests();
    show('admin');
    const r = await waitFor(() => row('Sam Support'));
    await as('share').approveJoinRequest(100, req.id);
    fireEvent.click(within(r).getByRole('button', { name: /Approve/ }));
    await screen.findByRole('alert');
    await screen.findByText('Approved by Sean Share');
  });

  it('renders a reason as text: markup shows literally and creates no element', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    await supportRequests(evil);
    const { container } = show('admin');
    const r = await waitFor(() => row('Sam Support'));
    expect(within(r).getByText(evil, { exact: false }).textContent).toContain(evil);
    expect(container.querySelector('img')).toBeNull();
  });

  it('removes a member after confirmation', async () => {
    show('admin');
    await screen.findByText('Gary Guest');
    fireEvent.click(screen.getByRole('button', { name: 'Remove Gary Guest from the project' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByText('Gary Guest')).toBeNull());
    await screen.findByText('3 of 5 users');
  });

  it('refetches when an event arrives on a stream that carries the token in the header, not the URL', async () => {
    const counts: number[] = [];
    const page = recordingFetch();
    show('admin', { onPendingCount: (n) => counts.push(n), fetch: page.fetch });
    await loaded();
    await waitFor(() => expect(page.seen.find((s) => s.url === EVENTS)?.answered).toBe(true));
    expect(page.seen.find((s) => s.url === EVENTS)?.token).toBe(TOKENS.admin);
    // The refetch after the stream opened has landed: from here on only an event can refetch.
    await new Promise((r) => setTimeout(r, 150));
    const before = page.seen.length;
    const req = await supportRequests('Live one');
    await screen.findByText('Live one', { exact: false });
    expect(page.seen.length).toBeGreaterThan(before);
    await waitFor(() => expect(counts.at(-1)).toBe(1));
    await as('share').rejectJoinRequest(100, req.id);
    await waitFor(() => expect(screen.queryByText('Sam Support')).toBeNull());
    expect(counts.at(-1)).toBe(0);
    expect(page.seen.filter((s) => s.url === EVENTS)).toHaveLength(1);
    for (const s of page.seen) {
      expect(s.url).not.toContain(TOKENS.admin);
      expect(s.token).toBe(TOKENS.admin);
    }
  });

  it('polls with back-off instead of streaming on a stack without the events endpoint', async () => {
    server.use(
      http.get(EVENTS, () =>
        HttpResponse.json({ error: 'Route not found', code: 'manage.routeNotFound' }, { status: 404 }),
      ),
    );
    const page = recordingFetch();
    show('admin', {
      fetch: page.fetch,
      liveOptions: { memory: createEventsMemory({ storage: null }), poll: { firstMs: 100, maxMs: 200 } },
    });
    await loaded();
    await supportRequests('Seen by polling');
    await screen.findByText('Seen by polling', { exact: false }, { timeout: 2000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(page.seen.filter((s) => s.url === EVENTS)).toHaveLength(1);
    // 100 ms, then every 200 ms: a handful of refetches in 0.6 s, not a loop.
    const polls = page.seen.filter((s) => s.url === `${BASE}/manage/projects/100/users`).length;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(6);
  });

  it('reports no pending count to members who may not decide', async () => {
    await supportRequests();
    const onPendingCount = vi.fn();
    show('guest', { onPendingCount });
    await screen.findByText('Sam Support');
    await new Promise((r) => setTimeout(r, 20));
    expect(onPendingCount).not.toHaveBeenCalledWith(1);
  });

  it('speaks Czech and takes string overrides', async () => {
    await supportRequests();
    show('admin', { locale: 'cs-CZ', strings: { approve: 'Povolit' } });
    const r = await waitFor(() => row('Sam Support'));
    expect(within(r).getByText('Čeká')).toBeTruthy();
    expect(within(r).getByText('Povolit')).toBeTruthy();
    expect(screen.getByText('4 z 5 uživatelů')).toBeTruthy();
  });

  it('says in Czech that an application token belongs to no user', async () => {
    server.use(
      http.get(`${BASE}/manage/tokens/verify`, () =>
        HttpResponse.json({ id: 7, description: 'app', user: null }),
      ),
    );
    show('admin', { locale: 'cs' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Token nepatří uživateli');
    expect(alert.textContent).not.toMatch(/token belongs/);
  });

  it('offers no useless "Try again" when the server refuses (403)', async () => {
    show('random');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Could not load the users/);
    expect(within(alert).queryByRole('button')).toBeNull();
  });

  it('shows a load failure with a retry', async () => {
    server.use(http.get(`${BASE}/manage/projects/100/users`, () => HttpResponse.error()));
    show('admin');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the users: The server cannot be reached.');
    server.resetHandlers();
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await loaded();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
