// The Webhooks section of the organization settings: only the organization's own users get it; they
// add an endpoint (the secret shown once, with Copy), send a test event, see its deliveries, retry a
// failed one, disable, enable and delete it (with a confirmation that gives focus back).
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { webhookMethods } from '../../api/webhooks.ts';
import { as, BASE, TOKENS, useBackend } from '../users/test-backend.ts';
import { OrganizationSettings } from './panel.tsx';

const { mock } = useBackend();
afterEach(cleanup);

const show = (who: keyof typeof TOKENS, organizationId = 10) =>
  render(
    <OrganizationSettings options={{ apiBaseUrl: BASE, token: TOKENS[who], organizationId, locale: 'en' }} />,
  );

const hooks = (who: keyof typeof TOKENS) => webhookMethods(as(who));

describe('Webhooks section', () => {
  it('is for organization users only: not for a project admin, nor for support who joined', async () => {
    show('admin');
    await screen.findByRole('switch');
    await waitFor(() =>
      expect(
        screen.getByText('Only members of the organization Acme Analytics can change this.'),
      ).toBeTruthy(),
    );
    expect(screen.queryByRole('heading', { name: 'Webhooks' })).toBeNull();
    cleanup();
    expect((await as('support').joinOrganization(11)).error).toBeUndefined();
    show('support', 11);
    await screen.findByText(/Support and maintainer users cannot change this/);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('heading', { name: 'Webhooks' })).toBeNull();
  });

  it('adds a webhook and shows its secret once, with Copy', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    show('org');
    await screen.findByRole('heading', { name: 'Webhooks' });
    await screen.findByText('No webhooks yet.');
    const form = screen.getByRole('form', { name: 'Add a webhook' });
    fireEvent.input(within(form).getByLabelText('URL (https)'), {
      target: { value: 'https://hooks.example.com/in' },
    });
    // No event picked: refused here with the reason, nothing sent.
    fireEvent.submit(form);
    await screen.findByText('Pick at least one event.');
    expect((await hooks('org').listWebhooks(10)).data).toHaveLength(0);
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Access requested' }));
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Auto Join changed' }));
    fireEvent.submit(form);
    const code = await waitFor(() => {
      const c = document.querySelector('code');
      if (!c) throw new Error('no secret yet');
      return c;
    });
    expect(code.textContent).toMatch(/^whsec_/);
    await waitFor(() => expect(document.activeElement?.contains(code)).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await screen.findByText('Copied.');
    expect(writeText).toHaveBeenCalledWith(code.textContent);
    const [made] = (await hooks('org').listWebhooks(10)).data ?? [];
    expect(made?.events).toEqual(['request.created', 'organization.autoJoinChanged']);
    await screen.findByText('https://hooks.example.com/in');
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(document.querySelector('code')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Webhooks' }));
  });

  it('shows the server refusal of a URL and keeps what was typed', async () => {
    show('org');
    const form = await screen.findByRole('form', { name: 'Add a webhook' });
    const url = within(form).getByLabelText('URL (https)') as HTMLInputElement;
    fireEvent.input(url, { target: { value: 'ftp://hooks.example.com/' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Joined a project' }));
    fireEvent.submit(form);
    await screen.findByText('The webhook URL must start with https://.');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(url.value).toBe('ftp://hooks.example.com/');
  });

  it('sends a test event, lists deliveries, retries a failed one, disables, enables and deletes', async () => {
    const made = await hooks('org').createWebhook(10, {
      url: 'https://hooks.example.com/in',
      events: ['member.joined'],
    });
    const id = made.data?.id ?? 0;
    show('org');
    await screen.findByText('https://hooks.example.com/in');
    fireEvent.click(screen.getByRole('button', { name: 'Send a test event' }));
    await screen.findByText('A test event is on its way.');
    const open = screen.getByRole('button', { name: 'Deliveries' });
    fireEvent.click(open);
    expect(open.getAttribute('aria-expanded')).toBe('true');
    const list = await screen.findByRole('list', { name: /^Deliveries to https:\/\/hooks.example.com\/in/ });
    await waitFor(() => expect(within(list).getByText('Pending')).toBeTruthy());
    // The worker (not running here) gave up on it: it shows as failed, with Retry.
    const [d] = (await hooks('org').listWebhookDeliveries(10, id)).data ?? [];
    await mock.store.update('webhookDeliveries', d?.id ?? 0, {
      status: 'failed',
      nextAttempt: null,
      attempts: 7,
      responseStatus: 503,
      error: 'Answered 503.',
    });
    fireEvent.click(open);
    fireEvent.click(screen.getByRole('button', { name: 'Deliveries' }));
    const again = await screen.findByRole('list', { name: /^Deliveries to/ });
    await within(again).findByText('Failed');
    expect(again.textContent).toContain('answered 503');
    fireEvent.click(within(again).getByRole('button', { name: /^Retry: Test event/ }));
    await screen.findByText('The delivery will be tried again now.');
    expect((await hooks('org').listWebhookDeliveries(10, id)).data?.[0]?.status).toBe('pending');

    fireEvent.click(screen.getByRole('button', { name: 'Disable' }));
    await screen.findByText('The webhook is disabled.');
    expect((await hooks('org').listWebhooks(10)).data?.[0]?.disabled).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Send a test event' })).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: 'Enable' }));
    await screen.findByText('The webhook is enabled.');

    const del = screen.getByRole('button', { name: 'Delete' });
    fireEvent.click(del);
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this webhook?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(del));
    fireEvent.click(del);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await screen.findByText('The webhook was deleted.');
    await screen.findByText('No webhooks yet.');
    expect((await hooks('org').listWebhooks(10)).data).toHaveLength(0);
  });
});
