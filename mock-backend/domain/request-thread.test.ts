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
