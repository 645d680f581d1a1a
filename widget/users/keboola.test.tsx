// The users panel and the Auto Join switch rendered from Keboola-shaped answers (the mock backend's
// Keboola flavor: limits/metrics maps, no kind, reason "", no maintainer after PATCH, no access log).
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { OrganizationSettings } from '../org/panel.tsx';
import type { UsersPanelOptions } from '../types.ts';
import { UsersPanel } from './panel.tsx';
import { as, BASE, TOKENS, useBackend } from './test-backend.ts';

const { server } = useBackend('keboola');
afterEach(cleanup);

function show(who: keyof typeof TOKENS, extra: Partial<UsersPanelOptions> = {}) {
  return render(
    <UsersPanel
      options={{
        apiBaseUrl: BASE,
        token: TOKENS[who],
        projectId: 100,
        locale: 'en',
        live: false,
        ...extra,
      }}
    />,
  );
}

const row = (name: string) => {
  const el = [...document.querySelectorAll('li')].find((li) =>
    li.querySelector('.name')?.textContent?.startsWith(name),
  );
  if (!el) throw new Error(`no row for ${name}`);
  return el;
};

describe('users panel on a Keboola stack', () => {
  it('loads: usage against the limit from limits["kbc.adminsCount"] and metrics, no empty "Reason:"', async () => {
    show('admin');
    await screen.findByText('Sean Share');
    expect(screen.getByText('4 of 5 users')).toBeTruthy();
    // Keboola sends reason "" for the customer's own members: no reason line at all.
    expect(within(row('Alice Admin')).queryByText(/Reason/)).toBeNull();
  });

  it('badges a support user found by supportEmailDomains, and an approval works', async () => {
    const sent = await as('support').requestAccess(100, { reason: 'Ticket SK-7', expirationSeconds: 3600 });
    expect(sent.error).toBeUndefined();
    show('admin', { supportEmailDomains: ['supportkit.test'] });
    const pending = await waitFor(() => row('Sam Support'));
    fireEvent.click(within(pending).getByRole('button', { name: 'Approve access for Sam Support' }));
    await screen.findByText('Approved by Alice Admin');
    const member = row('Sam Support');
    expect(
      (await within(member).findByRole('img', { name: 'Support user' })).querySelector('svg'),
    ).not.toBeNull();
    expect(within(member).getByText('Ticket SK-7', { exact: false })).toBeTruthy();
    // Support users do not count: still 4 of 5.
    expect(screen.getByText('4 of 5 users')).toBeTruthy();
  });

  it('without supportEmailDomains a support member has no badge (Keboola sends no kind)', async () => {
    await as('support').requestAccess(100, { reason: 'Ticket SK-8' });
    const list = await as('admin').listJoinRequests(100);
    const id = list.data?.[0]?.id ?? 0;
    expect((await as('admin').approveJoinRequest(100, id)).error).toBeUndefined();
    show('admin');
    await waitFor(() => row('Sam Support'));
    expect(within(row('Sam Support')).queryByRole('img', { name: 'Support user' })).toBeNull();
  });
});

describe('roles of a project with a protected default branch', () => {
  it('shows developer, reviewer and productionManager by name', async () => {
    const member = (id: number, name: string, role: string) => ({
      id,
      name,
      email: `${name.toLowerCase()}@acme.test`,
      features: [],
      expires: null,
      created: '2026-11-27T10:00:00+0000',
      reason: '',
      role,
      status: 'active',
      invitor: null,
      approver: null,
    });
    server.use(
      http.get(`${BASE}/manage/projects/100/users`, () =>
        HttpResponse.json([
          member(1000, 'Alice', 'productionManager'),
          member(2, 'Dev', 'developer'),
          member(3, 'Rev', 'reviewer'),
        ]),
      ),
    );
    show('admin');
    await screen.findByText('Dev');
    expect(within(row('Dev')).getByText(/· developer$/)).toBeTruthy();
    expect(within(row('Rev')).getByText(/· reviewer$/)).toBeTruthy();
    expect(within(row('Alice')).getByText(/· productionManager$/)).toBeTruthy();
  });
});

describe('access history on a Keboola stack', () => {
  it('says the stack keeps no access log instead of an error', async () => {
    show('admin');
    await screen.findByText('Sean Share');
    fireEvent.click(screen.getByRole('tab', { name: 'Access history' }));
    await screen.findByText(/This stack keeps no access history/);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText(/404/)).toBeNull();
    expect(screen.queryByText('Nothing has happened yet.')).toBeNull();
  });
});

describe('Auto Join switch on a Keboola stack', () => {
  it('switches from the PATCH answer without maintainer and keeps the maintainer it read', async () => {
    render(
      <OrganizationSettings
        options={{ apiBaseUrl: BASE, token: TOKENS.org, organizationId: 10, locale: 'en' }}
      />,
    );
    const sw = await screen.findByRole('switch', { name: 'Auto Join for support and the maintainer' });
    expect(sw.getAttribute('aria-checked')).toBe('false');
    // Turning it on asks first, and the confirmation names the maintainer read by GET.
    fireEvent.click(sw);
    const dialog = screen.getByRole('alertdialog', { name: 'Turn Auto Join on?' });
    expect(within(dialog).getByText(/Support and the maintainer's users \(Keboola Partner\)/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Turn on' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Auto Join is on: /));
    expect(sw.getAttribute('aria-checked')).toBe('true');
    expect(screen.queryByRole('alert')).toBeNull();
    // The PATCH answer had no maintainer: the next confirmation still names the one read by GET.
    fireEvent.click(sw);
    await waitFor(() => expect(sw.getAttribute('aria-checked')).toBe('false'));
    await waitFor(() => expect((sw as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(sw);
    expect(
      within(screen.getByRole('alertdialog')).getByText(
        /Support and the maintainer's users \(Keboola Partner\)/,
      ),
    ).toBeTruthy();
  });
});
