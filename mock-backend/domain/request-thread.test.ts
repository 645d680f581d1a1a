// Issue 23, point 2: an access request made for a ticket names it. The server refuses a ticket the
// requester may not see and a ticket of another project, and changes nothing then; the users list,
// the requester and the membership carry the ticket.
import { describe, expect, it } from 'vitest';
import { type Harness, harness, IDS } from '../testing.ts';

/** A ticket filed by `who` about `projectId` (null: about no project); its id and number. */
async function ticket(
  h: Harness,
  who: 'admin' | 'betaAdmin' | 'guest',
  projectId: number | undefined,
  key: string,
) {
  const filed = await h
    .client(who)
    .createTicket(
      { subject: `Jobs fail (${key})`, description: 'Since Monday.', type: 'problem', projectId },
      key,
    );
  expect(filed.response?.status).toBe(201);
  return { id: filed.data?.id ?? 0, number: filed.data?.number ?? '' };
}

describe('a request for a ticket', () => {
  it('names the ticket for its requester, in the users list and on the membership it makes', async () => {
    const h = await harness();
    const t = await ticket(h, 'admin', 100, 't1');
    const asked = await h
      .client('support')
      .requestAccess(100, { reason: `For ${t.number}`, expirationSeconds: 3600, ticketId: t.id });
    expect(asked.response?.status).toBe(201);
    const ref = { id: t.id, number: t.number, subject: 'Jobs fail (t1)' };
    expect(asked.data?.ticket).toEqual(ref);
    expect((await h.client('support').listMyJoinRequests()).data?.[0]?.ticket).toEqual(ref);
    const listed = await h.client('admin').listJoinRequests(100);
    expect(listed.data?.map((r) => r.ticket)).toEqual([ref]);
    expect((await h.client('admin').approveJoinRequest(100, asked.data?.id ?? 0)).response?.status).toBe(202);
    const m = await h.store.first('projectMembers', { projectId: 100, userId: IDS.support });
    expect(m?.ticketId).toBe(t.id);
  });

  it('without a ticket names none', async () => {
    const h = await harness();
    const asked = await h.client('support').requestAccess(100, { reason: 'SK-1', expirationSeconds: 3600 });
    expect(asked.data?.ticket).toBeNull();
    expect((await h.client('admin').listJoinRequests(100)).data?.[0]?.ticket).toBeNull();
  });

  it('is refused for a ticket of another project, and nothing is stored', async () => {
    const h = await harness();
    const other = await ticket(h, 'betaAdmin', 101, 't2');
    const asked = await h
      .client('support')
      .requestAccess(100, { reason: 'SK-2', expirationSeconds: 3600, ticketId: other.id });
    expect(asked.response?.status).toBe(400);
    expect(asked.error?.message).toBe(
      `Ticket ${other.number} is not about the project Acme Main: ask for access to its own project.`,
    );
    expect(await h.store.count('joinRequests', {})).toBe(0);
    expect(await h.outbox()).toHaveLength(1); // the ticket's own e-mail, no request e-mails
  });

  it('is refused for a ticket the requester may not see, in the words of one that does not exist', async () => {
    const h = await harness();
    // About no project: only its reporter and support see it; Mark (a maintainer user) does not.
    const hidden = await ticket(h, 'guest', undefined, 't3');
    const mark = h.client('maintainer');
    const asked = await mark.requestAccess(100, {
      reason: 'SK-3',
      expirationSeconds: 3600,
      ticketId: hidden.id,
    });
    expect(asked.response?.status).toBe(400);
    expect(asked.error?.message).toBe(`Ticket ${hidden.id} not found.`);
    const none = await mark.requestAccess(100, {
      reason: 'SK-3',
      expirationSeconds: 3600,
      ticketId: 987_654,
    });
    expect(none.error?.message).toBe('Ticket 987654 not found.');
    expect(await h.store.count('joinRequests', {})).toBe(0);
    // Support sees it, so is told what is wrong with it instead.
    const sam = await h
      .client('support')
      .requestAccess(100, { reason: 'SK-3', expirationSeconds: 3600, ticketId: hidden.id });
    expect(sam.error?.message).toContain(`Ticket ${hidden.number} is not about the project Acme Main`);
  });

  it('refuses a ticket id that is not a positive whole number', async () => {
    const h = await harness();
    for (const ticketId of [0, -1, 1.5, '7'])
      expect(
        (
          await h
            .client('support')
            .requestAccess(100, { reason: 'SK-4', ticketId: ticketId as unknown as number })
        ).response?.status,
      ).toBe(400);
    expect(await h.store.count('joinRequests', {})).toBe(0);
  });
});

describe('a request for a ticket in its thread', () => {
  async function asked(h: Harness) {
    // Gary (a guest) reports; he sees his ticket but decides nothing.
    const t = await ticket(h, 'guest', 100, 't5');
    const r = await h
      .client('support')
      .requestAccess(100, { reason: `For ${t.number}`, expirationSeconds: 3600, ticketId: t.id });
    expect(r.response?.status).toBe(201);
    return { t, requestId: r.data?.id ?? 0 };
  }
  const thread = async (h: Harness, ticketId: number, who: 'admin' | 'guest' | 'support' = 'admin') =>
    (await h.client(who).listMessages(ticketId)).data ?? [];

  it('shows as an entry of kind accessRequest, by the requester, with the request as it is', async () => {
    const h = await harness();
    const { t, requestId } = await asked(h);
    for (const who of ['admin', 'guest', 'support'] as const) {
      const entries = (await thread(h, t.id, who)).filter((m) => m.kind === 'accessRequest');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        author: { id: IDS.support },
        side: 'staff',
        requestId,
        request: {
          id: requestId,
          status: 'pending',
          user: { id: IDS.support },
          reason: `For ${t.number}`,
          decidedBy: null,
          project: { id: 100, name: 'Acme Main' },
        },
      });
    }
    // Those reading the thread heard it.
    const heard = (await h.events(IDS.guest)).map((e) => e.event);
    expect(heard).toContainEqual(
      expect.objectContaining({ type: 'ticket.message', message: expect.objectContaining({ requestId }) }),
    );
  });

  it('decided in the users list: the thread shows the same request decided, and its readers hear it', async () => {
    const h = await harness();
    const { t, requestId } = await asked(h);
    const before = (await h.events(IDS.guest)).length;
    expect((await h.client('share').approveJoinRequest(100, requestId)).response?.status).toBe(202);
    const entries = (await thread(h, t.id, 'guest')).filter((m) => m.kind === 'accessRequest');
    expect(entries.map((m) => [m.author?.id, m.side, m.request?.status, m.request?.decidedBy?.id])).toEqual([
      [IDS.support, 'staff', 'approved', IDS.share],
      [IDS.share, 'customer', 'approved', IDS.share],
    ]);
    // Gary decides nothing (no joinRequest events), but reads the thread: he hears the decision.
    const heard = (await h.events(IDS.guest))
      .slice(before)
      .map((e) => e.event)
      .filter((e) => e.type !== 'membership.changed');
    expect(heard).toEqual([
      expect.objectContaining({
        type: 'ticket.message',
        message: expect.objectContaining({
          kind: 'accessRequest',
          requestId,
          author: expect.objectContaining({ id: IDS.share }),
        }),
      }),
    ]);
    // Deciding again, from the thread or the list, is the same request: already decided.
    expect((await h.client('admin').rejectJoinRequest(100, requestId)).response?.status).toBe(409);
  });

  it('rejected, cancelled or expired: the entry says so, by whom', async () => {
    const h = await harness();
    const one = await asked(h);
    await h.client('admin').rejectJoinRequest(100, one.requestId);
    const two = await h
      .client('support')
      .requestAccess(100, { reason: 'again', expirationSeconds: 3600, ticketId: one.t.id });
    await h.client('support').cancelMyJoinRequest(two.data?.id ?? 0);
    const three = await h
      .client('support')
      .requestAccess(100, { reason: 'third', expirationSeconds: 3600, ticketId: one.t.id });
    await h.advance(3600);
    expect(
      (await thread(h, one.t.id))
        .filter((m) => m.kind === 'accessRequest')
        .map((m) => [m.requestId, m.author?.id ?? null, m.side, m.request?.status]),
    ).toEqual([
      [one.requestId, IDS.support, 'staff', 'rejected'],
      [one.requestId, IDS.admin, 'customer', 'rejected'],
      [two.data?.id, IDS.support, 'staff', 'cancelled'],
      [two.data?.id, IDS.support, 'staff', 'cancelled'],
      [three.data?.id, IDS.support, 'staff', 'expired'],
      [three.data?.id, null, 'system', 'expired'],
    ]);
  });

  it('a request without a ticket adds nothing to any thread', async () => {
    const h = await harness();
    const t = await ticket(h, 'guest', 100, 't6');
    await h.client('support').requestAccess(100, { reason: 'no ticket', expirationSeconds: 3600 });
    expect(await thread(h, t.id)).toEqual([]);
  });
});

describe('the report of access for a ticket', () => {
  it("goes into the ticket's thread once, when the access ends; access without a ticket reports only by e-mail", async () => {
    const h = await harness();
    const t = await ticket(h, 'guest', 100, 't7');
    const r = await h
      .client('support')
      .requestAccess(100, { reason: `For ${t.number}`, expirationSeconds: 3600, ticketId: t.id });
    await h.client('admin').approveJoinRequest(100, r.data?.id ?? 0);
    await h.client('support').createStorageToken(100, { description: 'Looking at <jobs>' });
    await h.client('support').removeProjectUser(100, IDS.support);
    await h.runDue();
    await h.runDue();
    const reports =
      (await h.client('guest').listMessages(t.id)).data?.filter((m) => m.kind === 'report') ?? [];
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ author: null, side: 'system', via: 'system' });
    expect(reports[0]?.body).toContain('Made a Storage token "Looking at <jobs>"');
    expect(reports[0]?.body).toMatch(/^How it ended:\s+They left the project$/m);
    expect(reports[0]?.body).toContain(`Ticket:       ${t.number}: Jobs fail (t7)`);

    // Again, without a ticket: e-mails, and nothing more in the thread.
    const again = await h
      .client('support')
      .requestAccess(100, { reason: 'no ticket', expirationSeconds: 3600 });
    await h.client('admin').approveJoinRequest(100, again.data?.id ?? 0);
    await h.client('support').removeProjectUser(100, IDS.support);
    await h.runDue();
    const after = (await h.client('guest').listMessages(t.id)).data?.filter((m) => m.kind === 'report') ?? [];
    expect(after).toHaveLength(1);
    expect((await h.outbox()).filter((m) => m.subject === 'What Sam Support did in Acme Main')).toHaveLength(
      4,
    );
  });
});
