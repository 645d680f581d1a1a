// The ticket form on a Keboola stack (the mock backend's Keboola flavor: no tickets endpoint, no
// /openapi.json): the draft stays, the form offers e-mail to supportEmail, or hands the ticket to the
// host's submitTicket and shows the id it returns. Never a bare "HTTP 404".
import { fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { CreateTicketBody } from '../../api/types.ts';
import { ticketMailto } from './mailto.ts';
import { BASE, startWidget, useBackend } from './test-kit.ts';

const { server } = useBackend('keboola');

type Widget = ReturnType<typeof startWidget>;

async function fill(
  w: Widget,
  subject = 'Cannot run job',
  description = 'The job fails at step 2.\nSee log.',
) {
  fireEvent.click(w.button());
  fireEvent.click(await w.ui.findByRole('button', { name: /Contact support/ }));
  fireEvent.input(await w.ui.findByRole('textbox', { name: 'Subject' }), { target: { value: subject } });
  fireEvent.input(w.ui.getByRole('textbox', { name: 'Description' }), { target: { value: description } });
}
const send = (w: Widget) => fireEvent.click(w.ui.getByRole('button', { name: 'Send' }));

describe('ticket form on a stack without our tickets endpoint', () => {
  it('keeps the draft and offers an e-mail to supportEmail with subject, description and context', async () => {
    const posts: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.method === 'POST') posts.push(request.url);
    });
    const w = startWidget({ supportEmail: 'help@partner.test' });
    await fill(w);
    send(w);
    const link = await w.ui.findByRole('link', { name: 'E-mail it to help@partner.test' });
    const href = link.getAttribute('href') ?? '';
    expect(href.startsWith('mailto:help@partner.test?subject=Cannot%20run%20job&body=')).toBe(true);
    const body = decodeURIComponent(href.split('&body=')[1] ?? '');
    expect(body).toContain('The job fails at step 2.\r\nSee log.');
    expect(body).toContain('Project: Acme Main (100)');
    expect(body).toContain('App version: 2.4.1');
    expect(w.root.querySelector('.form-error[role=alert]')?.textContent).toBe(
      'This stack does not take tickets from the widget. Your text is kept.',
    );
    expect(w.root.textContent).not.toMatch(/HTTP 404/);
    // The draft stays in the form.
    expect((w.ui.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Cannot run job');
    // The endpoint's own 404 taught the client; a second try goes straight to the fallback.
    expect(posts).toEqual([`${BASE}/manage/support/tickets`]);
    send(w);
    await waitFor(() => expect(w.root.querySelector('.form-error[role=alert]')).not.toBeNull());
    expect(posts).toHaveLength(1);
  });

  it('hands the ticket to the host’s submitTicket and shows the id it returns', async () => {
    const submitTicket = vi.fn(async (_: CreateTicketBody) => 'ZD-4242');
    const w = startWidget({ submitTicket, supportEmail: 'help@partner.test' });
    const created = vi.fn();
    w.kit.on('ticketCreated', created);
    await fill(w);
    send(w);
    await w.ui.findByText('Ticket ZD-4242 created');
    expect(submitTicket).toHaveBeenCalledTimes(1);
    expect(submitTicket.mock.calls[0]?.[0]).toMatchObject({
      subject: 'Cannot run job',
      description: 'The job fails at step 2.\nSee log.',
      type: 'question',
      projectId: 100,
      context: { appVersion: '2.4.1' },
    });
    expect(created).toHaveBeenCalledWith({ id: 0, number: 'ZD-4242', queued: false });
  });

  it('keeps the draft when the host’s submitTicket fails', async () => {
    const w = startWidget({ submitTicket: () => Promise.reject(new Error('Zendesk is down')) });
    await fill(w);
    send(w);
    await waitFor(() =>
      expect(w.root.querySelector('.form-error[role=alert]')?.textContent).toMatch(/Your text is kept/),
    );
    expect((w.ui.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Cannot run job');
    expect(w.ui.queryByRole('link', { name: /E-mail it/ })).toBeNull();
  });
});

describe('ticketMailto', () => {
  it('percent-encodes everything, uses CRLF line breaks and shortens a long description', () => {
    const href = ticketMailto(
      'a@b.test',
      { subject: 'A & B?', description: 'x'.repeat(2000) },
      [['Page', 'https://x.test/?a=1&b=2']],
      '(cut)',
    );
    expect(href.startsWith('mailto:a@b.test?subject=A%20%26%20B%3F&body=')).toBe(true);
    const body = decodeURIComponent(href.split('&body=')[1] ?? '');
    expect(body).toBe(`${'x'.repeat(1500)}… (cut)\r\n\r\n--\r\nPage: https://x.test/?a=1&b=2`);
  });
});
