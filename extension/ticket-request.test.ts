// "Request access for this ticket" (issue 23, point 2): the form filled from a ticket sends the
// ticket's id with the request, so the request shows in that ticket's thread; once another project
// is picked, the ticket is no longer sent.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockBackend } from '../mock-backend/msw.ts';
import { callApi } from '../test/api-call.ts';
import { callWorker } from './messages.ts';
import { fakeBrowser } from './test-browser.ts';
import { createAccessForm } from './ui/access-form.ts';

const A = 'https://connection.a.test';
const a = createMockBackend({ baseUrl: A });
const server = setupServer(...a.handlers);
const SUPPORT = 'demo-support-token';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(async () => {
  fakeBrowser.reset();
  await a.reset();
  const res = await callWorker('saveSettings', { backendUrl: A, token: SUPPORT });
  if (!res.ok) throw new Error(res.error.message);
});

/** A ticket about project 100, filed by its admin. */
async function fileTicket(): Promise<{ id: number; number: string }> {
  const res = await callApi(A, 'POST', '/support/tickets', 'demo-admin-token', {
    subject: 'Export stuck',
    description: 'Since Monday.',
    type: 'problem',
    projectId: 100,
  });
  expect(res.status).toBe(201);
  return res.json as { id: number; number: string };
}

const myRequests = async () =>
  (await callApi(A, 'GET', '/current-user/projects-join-requests', SUPPORT)).json as {
    project: { id: number };
    ticket: { number: string } | null;
  }[];

async function filled(t: { id: number; number: string }) {
  const form = createAccessForm();
  form.setStacks([A], A);
  form.fillFromTicket({ stack: A, projectId: 100, id: t.id, number: t.number, subject: 'Export stuck' });
  await expect.poll(() => form.project?.id).toBe(100);
  return form;
}

describe('a request from a ticket', () => {
  it('names the ticket: the server keeps it with the request', async () => {
    const t = await fileTicket();
    const form = await filled(t);
    expect(form.ticketId).toBe(t.id);
    await form.submit();
    expect(form.result).toMatchObject({ ok: true, outcome: { kind: 'requested' } });
    expect((await myRequests()).map((r) => r.ticket?.number)).toEqual([t.number]);
    // Sent once: the form forgets the ticket with the reason.
    expect(form.ticketId).toBeNull();
  });

  it('no longer names it once another project is typed', async () => {
    const t = await fileTicket();
    const form = await filled(t);
    form.setProjectInput('100');
    form.setReason('SK-7 typed');
    expect(form.ticketId).toBeNull();
    await expect.poll(() => form.project?.id).toBe(100);
    await form.submit();
    expect(form.result).toMatchObject({ ok: true });
    expect((await myRequests()).map((r) => r.ticket)).toEqual([null]);
  });
});
