// Ticket conversations (issue 20): the thread, the status machine, unread counts, idempotency,
// the e-mails of a reply, and the sweeper's close.
import { describe, expect, it } from 'vitest';
import { harness, IDS } from '../testing.ts';

const body = {
  subject: 'Export fails',
  description: 'Since Monday',
  type: 'problem' as const,
  projectId: 100,
};

async function filed() {
  const h = await harness();
  const t = (await h.client('guest').createTicket(body, 'k1')).data;
  if (!t) throw new Error('no ticket');
  return { h, t };
}

describe('a ticket conversation', () => {
  it('staff answer, the customer replies: status, unread and the thread, oldest first', async () => {
    const { h, t } = await filed();
    expect(t).toMatchObject({ status: 'new', assignee: null, messages: 0, unread: 0, follows: null });
    const sam = h.client('support');
    const a = await sam.postMessage(t.id, { body: 'Which export?', via: 'extension' }, 'm1');
    expect(a.error).toBeUndefined();
    expect(a.data).toMatchObject({ kind: 'message', side: 'staff', badge: 'support', via: 'extension' });
    const gary = h.client('guest');
    expect((await gary.getTicket(t.id)).data).toMatchObject({ status: 'waiting', messages: 1, unread: 1 });
    expect((await sam.getTicket(t.id)).data).toMatchObject({ status: 'waiting', unread: 0 });
    expect((await h.client('admin').getSupportBadge(100)).data).toEqual({
      pendingRequests: 0,
      unreadTickets: 1,
    });
    expect((await gary.getSupportBadge(100)).data).toEqual({ pendingRequests: null, unreadTickets: 1 });
    expect((await gary.markRead(t.id, a.data?.id ?? 0)).error).toBeUndefined();
    expect((await gary.getTicket(t.id)).data).toMatchObject({ unread: 0 });
    expect((await gary.getSupportBadge(100)).data).toEqual({ pendingRequests: null, unreadTickets: 0 });
    const r = await gary.postMessage(t.id, { body: 'The CSV one' }, 'm2');
    expect(r.data).toMatchObject({ side: 'customer', badge: null, via: 'widget' });
    // Replying reads what came before.
    expect((await gary.getTicket(t.id)).data).toMatchObject({ status: 'open', messages: 2, unread: 0 });
    expect((await sam.getTicket(t.id)).data).toMatchObject({ unread: 1 });
    const thread = (await sam.listMessages(t.id)).data ?? [];
    expect(thread.map((m) => [m.kind, m.body])).toEqual([
      ['message', 'Which export?'],
      ['message', 'The CSV one'],
    ]);
    expect((await sam.listMessages(t.id, { afterId: a.data?.id })).data?.map((m) => m.body)).toEqual([
      'The CSV one',
    ]);
  });

  it('the same key and author again: one message, one e-mail', async () => {
    const { h, t } = await filed();
    const before = (await h.outbox()).length;
    const sam = h.client('support');
    const a = await sam.postMessage(t.id, { body: 'Hello' }, 'same');
    const b = await sam.postMessage(t.id, { body: 'Hello again' }, 'same');
    expect(b.data).toEqual(a.data);
    expect((await sam.listMessages(t.id)).data).toHaveLength(1);
    expect((await h.outbox()).length - before).toBe(1);
  });

  it('solved by the reporter, reopened by a reply, closed by the sweeper 7 days after solved', async () => {
    const { h, t } = await filed();
    const gary = h.client('guest');
    expect((await gary.updateTicket(t.id, { status: 'waiting' })).error).toMatchObject({ httpStatus: 403 });
    expect((await gary.updateTicket(t.id, { status: 'solved' })).data).toMatchObject({ status: 'solved' });
    await gary.postMessage(t.id, { body: 'Oh, it broke again' }, 'x');
    expect((await gary.getTicket(t.id)).data).toMatchObject({ status: 'open', solved: null });
    await h.client('support').updateTicket(t.id, { status: 'solved' });
    await h.advance(7 * 86400 - 1);
    expect((await gary.getTicket(t.id)).data?.status).toBe('solved');
    await h.advance(1);
    expect((await gary.getTicket(t.id)).data?.status).toBe('closed');
    const closed = await gary.postMessage(t.id, { body: 'Hello?' }, 'y');
    expect(closed.error).toMatchObject({ httpStatus: 409 });
    expect(closed.error?.message).toMatch(/closed/);
    const thread = (await gary.listMessages(t.id)).data ?? [];
    expect(thread.filter((m) => m.kind === 'status').map((m) => [m.status, m.side])).toEqual([
      ['solved', 'customer'],
      ['open', 'customer'],
      ['solved', 'staff'],
      ['closed', 'system'],
    ]);
    const next = await gary.createTicket({ ...body, followsTicketId: t.id }, 'k2');
    expect(next.data?.follows).toEqual({ id: t.id, number: t.number, subject: t.subject });
  });

  it('staff assign to staff of their side: taking a new ticket opens it', async () => {
    const { h, t } = await filed();
    const mark = h.client('maintainer');
    expect((await mark.listAssignees(t.id)).data?.map((u) => u.id)).toEqual([IDS.maintainer]);
    expect((await mark.updateTicket(t.id, { assigneeId: IDS.support })).error).toMatchObject({
      httpStatus: 400,
    });
    const r = await mark.updateTicket(t.id, { assigneeId: IDS.maintainer });
    expect(r.data).toMatchObject({ status: 'open', assignee: { id: IDS.maintainer } });
    expect((await h.client('guest').listAssignees(t.id)).error).toMatchObject({ httpStatus: 403 });
    const views = async (view: 'mine' | 'unassigned') =>
      (await mark.listTicketsIn({ view })).data?.map((x) => x.id);
    expect(await views('mine')).toEqual([t.id]);
    expect(await views('unassigned')).toEqual([]);
  });
});
