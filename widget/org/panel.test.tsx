import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrganizationSettingsOptions } from '../types.ts';
import { as, BASE, TOKENS, useBackend } from '../users/test-backend.ts';
import { mountOrganizationSettings, OrganizationSettings } from './panel.tsx';

const { server } = useBackend();
afterEach(cleanup);

const show = (who: keyof typeof TOKENS, extra: Partial<OrganizationSettingsOptions> = {}) =>
  render(
    <OrganizationSettings
      options={{ apiBaseUrl: BASE, token: TOKENS[who], organizationId: 10, locale: 'en', ...extra }}
    />,
  );

const OFF =
  /^Off: they must request access; every project user is told by e-mail, and a project admin approves or rejects it/;
const ON = /^On: support and the maintainer's users can join projects of this organization at once/;

describe('Auto Join switch', () => {
  it('lets an organization member turn it on, and that lets support join at once', async () => {
    show('org');
    const sw = await screen.findByRole('switch', { name: 'Auto Join for support and the maintainer' });
    expect(sw.getAttribute('aria-checked')).toBe('false');
    expect((sw as HTMLButtonElement).disabled).toBe(false);
    const explanation = screen.getByText(OFF);
    expect(sw.getAttribute('aria-describedby')).toBe(explanation.id);
    expect(explanation.textContent).toContain('new users come by invitation');

    const before = (await as('support').joinProject(100, { reason: 'Before' })).error;
    expect(before?.kind === 'http' && before.httpStatus).toBe(403);
    sw.focus();
    fireEvent.click(sw);
    // Turning it on lets outsiders in without approval: that is the direction that asks.
    const dialog = screen.getByRole('alertdialog', { name: 'Turn Auto Join on?' });
    expect(dialog.textContent).toContain("without anyone's approval");
    expect(dialog.textContent).toContain('Keboola Partner');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(sw.getAttribute('aria-checked')).toBe('false');
    await waitFor(() => expect(document.activeElement).toBe(sw));
    expect((await as('org').getOrganization(10)).data?.allowAutoJoin).toBe(false);
    fireEvent.click(sw);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Turn on' }));
    await waitFor(() => expect(sw.getAttribute('aria-checked')).toBe('true'));
    expect(screen.getByText(ON).textContent).toContain('(still with a reason and an expiry)');
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Auto Join is on: /));
    expect((await as('admin').getOrganization(10)).data?.allowAutoJoin).toBe(true);
    expect((await as('support').joinProject(100, { reason: 'After' })).error).toBeUndefined();
  });

  it('turns it off in one click, without a dialog, and says what changed', async () => {
    await as('org').updateOrganization(10, { allowAutoJoin: true });
    show('org');
    const sw = await screen.findByRole('switch');
    expect(sw.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(sw);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(sw.getAttribute('aria-checked')).toBe('false'));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Auto Join is off: support and the maintainer now need a project user’s approval to enter.',
      ),
    );
    expect((await as('org').getOrganization(10)).data?.allowAutoJoin).toBe(false);
    const req = await as('support').requestAccess(100, { reason: 'Now I must ask' });
    expect(req.error).toBeUndefined();
  });

  it('shows others a read-only switch with the reason', async () => {
    show('admin');
    const sw = await screen.findByRole('switch');
    await waitFor(() => expect((sw as HTMLButtonElement).disabled).toBe(true));
    const why = screen.getByText('Only members of the organization Acme Analytics can change this.');
    expect(sw.getAttribute('aria-describedby')?.split(' ')).toContain(why.id);
    expect(screen.getByText(OFF)).toBeTruthy();
  });

  it('shows a support user who joined the organization its state, but no switch', async () => {
    // Org 11 has Auto Join on: Sam joins it, and is then one of its members.
    expect((await as('support').joinOrganization(11)).error).toBeUndefined();
    expect((await as('support').listOrganizationUsers(11)).data?.some((u) => u.id === 1006)).toBe(true);
    show('support', { organizationId: 11 });
    await screen.findByText(
      "Support and maintainer users cannot change this, even as members of Beta Corp: the organization's own users decide.",
    );
    expect(screen.queryByRole('switch')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText('Auto Join for support and the maintainer')).toBeTruthy();
    // The state it is in comes first, then what the other would mean.
    const [state, other] = [...document.querySelectorAll('.expl')].map((p) => p.textContent);
    expect(state).toMatch(ON);
    expect(other).toMatch(OFF);
    // The switch would only have ended in the server's refusal.
    const refused = await as('support').updateOrganization(11, { allowAutoJoin: false });
    expect(refused.error?.kind === 'http' && refused.error.httpStatus).toBe(403);
  });

  it('flips back with the server reason when the change is refused', async () => {
    server.use(
      http.patch(`${BASE}/manage/organizations/10`, () =>
        HttpResponse.json(
          {
            error: 'You are not allowed to change this organization',
            code: 'manage.updateOrganizationPermissionDenied',
            status: 'error',
            exceptionId: 'x',
          },
          { status: 403 },
        ),
      ),
    );
    show('org');
    const sw = await screen.findByRole('switch');
    fireEvent.click(sw);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Turn on' }));
    expect(sw.getAttribute('aria-checked')).toBe('true');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'Could not change Auto Join: You are not allowed to change this organization',
    );
    expect(sw.getAttribute('aria-checked')).toBe('false');
  });

  it('mounts into a shadow root and speaks Czech', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    const h = mountOrganizationSettings(el, {
      apiBaseUrl: BASE,
      token: TOKENS.org,
      organizationId: 10,
      locale: 'cs',
    });
    const root = el.shadowRoot;
    if (!root) throw new Error('no shadow root');
    await waitFor(() => expect(root.querySelector('[role=switch]')).not.toBeNull());
    expect(root.textContent).toContain('Vypnuto: musí požádat o přístup');
    // "správce" is the Admin role in Czech: the maintainer is the "partner".
    expect(root.textContent).toContain('Auto Join pro podporu a partnera');
    expect(root.textContent).not.toMatch(/správce/i);
    // The panel's sheet, and the Webhooks section's own once it is here (an organization user).
    await waitFor(() => expect(root.textContent).toContain('Webhooky'));
    await waitFor(() => expect(root.adoptedStyleSheets).toHaveLength(2));
    h.destroy();
    // The section's sheet goes with its effect's cleanup, which Preact runs a moment after.
    await waitFor(() => expect(root.adoptedStyleSheets).toHaveLength(0));
    el.remove();
  });
});
