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
    // Alice decides in the project but has not read or written in this ticket: not hers to be told of.
    expect((await h.client('admin').getSupportBadge(100)).data).toEqual({
      pendingRequests: 0,
      unreadTickets: 0,
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

  it("the badge: the caller's own tickets, and the project's a decider took part in, with an unread staff reply", async () => {
    const { h, t } = await filed();
    const badge = async (p: 'admin' | 'guest' | 'share') => (await h.client(p).getSupportBadge(100)).data;
    await h.client('admin').postMessage(t.id, { body: 'Same here' }, 'a');
    await h.client('support').postMessage(t.id, { body: 'Looking' }, 's');
    expect(await badge('admin')).toEqual({ pendingRequests: 0, unreadTickets: 1 });
    expect(await badge('guest')).toEqual({ pendingRequests: null, unreadTickets: 1 });
    // Sean decides too but never opened it.
    expect(await badge('share')).toEqual({ pendingRequests: 0, unreadTickets: 0 });
    // Alice is no longer a decider: the project's tickets no longer count for her.
    await h.client('share').updateProjectUser(100, IDS.admin, { role: 'guest' });
    expect(await badge('admin')).toEqual({ pendingRequests: null, unreadTickets: 0 });
    expect((await h.client('random').getSupportBadge(100)).error).toMatchObject({ httpStatus: 403 });
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

describe("a ticket's events", () => {
  it('one row per message or change, whoever reads it; each participant gets it, nobody else', async () => {
    const { h, t } = await filed();
    const rows = async () => (await h.store.find('events', {})).length;
    const before = await rows();
    const a = await h.client('support').postMessage(t.id, { body: 'Hi' }, 'e1');
    // The message and the status it moved (new → waiting): two rows for the six who hear it.
    expect((await rows()) - before).toBe(2);
    const heard = async (id: number) =>
      (await h.events(id)).filter((e) => e.event.type.startsWith('ticket.')).map((e) => e.event.type);
    for (const id of [IDS.guest, IDS.admin, IDS.share, IDS.support, IDS.maintainer])
      expect([id, await heard(id)]).toEqual([id, ['ticket.message', 'ticket.updated']]);
    for (const id of [IDS.readOnly, IDS.org, IDS.random, IDS.betaAdmin])
      expect([id, await heard(id)]).toEqual([id, []]);
    const [message] = (await h.events(IDS.guest)).filter((e) => e.event.type === 'ticket.message');
    expect(message?.event).toEqual({
      type: 'ticket.message',
      ticket: { id: t.id, number: t.number, subject: t.subject },
      project: { id: 100, name: 'Acme Main' },
      message: a.data,
    });
  });

  it('a stream wakes for a ticket event of a ticket its user sees, and only then', async () => {
    const { h, t } = await filed();
    const signals: unknown[] = [];
    h.ctx.bus.subscribe((s) => signals.push(s));
    await h.client('support').postMessage(t.id, { body: 'Hi' }, 'e1');
    expect(signals).toContainEqual({ type: 'events', recipients: [IDS.guest], ticket: { id: t.id } });
    const { seesTicket } = await import('./ticket-access.ts');
    expect(await seesTicket(h.ctx, t.id, IDS.admin)).toBe(true);
    expect(await seesTicket(h.ctx, t.id, IDS.readOnly)).toBe(false);
  });
});

describe('the rules of a conversation', () => {
  it("a decider of the project may solve; a closed ticket changes no more; follow-ups only of one's own closed ticket", async () => {
    const { h, t } = await filed();
    const gary = h.client('guest');
    const notClosed = await gary.createTicket({ ...body, followsTicketId: t.id }, 'f0');
    expect(notClosed.error).toMatchObject({ httpStatus: 400, message: expect.stringMatching(/not closed/) });
    expect((await h.client('admin').updateTicket(t.id, { status: 'solved' })).data?.status).toBe('solved');
    await h.advance(7 * 86400);
    expect((await h.client('support').updateTicket(t.id, { status: 'open' })).error).toMatchObject({
      httpStatus: 409,
    });
    const theirs = await h.client('admin').createTicket({ ...body, followsTicketId: t.id }, 'f1');
    expect(theirs.error).toMatchObject({ httpStatus: 400, message: expect.stringMatching(/you filed/) });
    const unseen = await h
      .client('random')
      .createTicket({ ...body, projectId: undefined, followsTicketId: t.id }, 'f2');
    expect(unseen.error).toMatchObject({ httpStatus: 404 });
    expect((await gary.listTickets()).data).toHaveLength(1);
  });

  it('bad replies change nothing: empty, bad characters, too long, bad attachments', async () => {
    const { h, t } = await filed();
    const gary = h.client('guest');
    const bad = [
      { body: '   ' },
      { body: 'a\u0000b' },
      { body: 'x'.repeat(20_001) },
      { body: 'ok', attachments: [{ name: 'a\u202e.txt', type: 'text/plain', data: 'aGVsbG8=' }] },
      { body: 'ok', attachments: [{ name: 'a.txt', type: 'text/plain', data: 'not base64!' }] },
    ];
    for (const [i, b] of bad.entries()) {
      const r = await gary.postMessage(t.id, b, `bad-${i}`);
      expect([i, r.response?.status]).toEqual([i, 400]);
    }
    const big = 'A'.repeat(Math.ceil((1_048_577 * 4) / 3 / 4) * 4);
    const tooBig = await gary.postMessage(
      t.id,
      { body: 'ok', attachments: [{ name: 'a', type: 'b', data: big }] },
      'big',
    );
    expect(tooBig.response?.status).toBe(413);
    expect((await gary.listMessages(t.id)).data).toEqual([]);
    expect((await gary.getTicket(t.id)).data).toMatchObject({ status: 'new', messages: 0 });
  });

  it('markup in a message is kept as text (the API answers it as typed)', async () => {
    const { h, t } = await filed();
    const text = '<img src=x onerror=alert(1)> & <b>bold</b>';
    const m = await h.client('guest').postMessage(t.id, { body: text }, 'html');
    expect(m.data?.body).toBe(text);
    expect((await h.client('support').listMessages(t.id)).data?.[0]?.body).toBe(text);
    const mail = (await h.outbox()).at(-1);
    expect(mail?.html).not.toContain('<img');
    expect(mail?.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
  });

  it('lists and threads page: newest activity first, oldest entry first', async () => {
    const h = await harness();
    const gary = h.client('guest');
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await gary.createTicket(body, `p${i}`)).data?.id ?? 0);
      await h.advance(10);
    }
    // Activity on the oldest moves it to the top.
    await h.client('support').postMessage(ids[0] ?? 0, { body: 'Hi' }, 'x');
    expect((await gary.listTicketsIn()).data?.map((t) => t.id)).toEqual([ids[0], ids[2], ids[1]]);
    expect((await gary.listTicketsIn({ offset: 1, limit: 1 })).data?.map((t) => t.id)).toEqual([ids[2]]);
    for (let i = 0; i < 4; i++) await gary.postMessage(ids[1] ?? 0, { body: `m${i}` }, `m${i}`);
    const page = await gary.listMessages(ids[1] ?? 0, { offset: 1, limit: 2 });
    expect(page.data?.map((m) => m.body)).toEqual(['m1', 'm2']);
    expect((await h.client('support').listTicketsIn({ view: 'waiting' })).data?.map((t) => t.id)).toEqual([
      ids[0],
    ]);
  });
});
