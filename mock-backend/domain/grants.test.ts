// Issue 23, point 1: access for a ticket. A decider of the ticket's project grants; the ticket's staff
// join with Auto Join off until the grant ends; a withdrawal ends what it made at once. Every rule is
// the server's, on every store.
import { describe, expect, it } from 'vitest';
import type { AccessGrant } from '../../api/types.ts';
import { STORE_NAMES, storesForTests } from '../store/each-store.ts';
import { BASE, type Harness, harness, IDS, type Persona } from '../testing.ts';

const open = storesForTests();
type H = Harness;

let keys = 0;
/** A ticket about project 100 (or `projectId`), filed by `who`; its id and number. */
async function ticket(h: H, who: Persona = 'guest', projectId: number | null = 100) {
  const made = await h.client(who).createTicket(
    {
      subject: 'Orders job fails',
      description: 'Since Monday.',
      type: 'problem',
      ...(projectId === null ? {} : { projectId }),
    },
    `key-${++keys}`,
  );
  expect(made.error).toBeUndefined();
  return { id: made.data?.id ?? 0, number: made.data?.number ?? '' };
}

async function grant(h: H, ticketId: number, who: Persona = 'admin', expirationSeconds?: number) {
  return h.client(who).grantAccess(ticketId, expirationSeconds === undefined ? {} : { expirationSeconds });
}

const use = async (h: H, token: string) =>
  (await h.fetch(`${BASE}/v2/storage/tokens/verify`, { headers: { 'X-StorageApi-Token': token } })).status;

const samMembership = (h: H) => h.store.first('projectMembers', { projectId: 100, userId: IDS.support });

describe.each(STORE_NAMES)('%s store', (storeName) => {
  const make = async () => harness({ store: await open(storeName) });

  it('a decider grants for 48 hours by default; support joins with Auto Join off, as the grant says', async () => {
    const h = await make();
    const t = await ticket(h);
    const g = await grant(h, t.id);
    expect(g.response?.status).toBe(201);
    expect(g.data).toMatchObject({
      ticket: { id: t.id, number: t.number, subject: 'Orders job fails' },
      project: { id: 100, name: 'Acme Main' },
      grantedBy: { id: IDS.admin, name: 'Alice Admin', email: 'alice@acme.test' },
      created: '2026-11-27T10:00:00+0000',
      expires: '2026-11-29T10:00:00+0000',
      status: 'active',
      withdrawn: null,
      withdrawnBy: null,
    } satisfies Partial<AccessGrant>);
    // Organization 10 has Auto Join off: request-access is the only other way in.
    expect((await h.client('support').joinProject(100, { reason: 'x' })).error).toMatchObject({
      httpStatus: 403,
    });
    const joined = await h.client('support').joinWithGrant(g.data?.id ?? 0);
    expect(joined.response?.status).toBe(204);
    const users = (await h.client('admin').listProjectUsers(100)).data ?? [];
    expect(users.find((u) => u.id === IDS.support)).toMatchObject({
      role: 'admin',
      kind: 'support',
      reason: `Ticket ${t.number}: Orders job fails`,
      expires: '2026-11-29T10:00:00+0000',
      approver: { id: IDS.admin },
      invitor: null,
    });
    expect(await samMembership(h)).toMatchObject({ grantId: g.data?.id, ticketId: t.id });
    const log = (await h.client('admin').listAccessLog(100)).data ?? [];
    expect(log.map((e) => e.action).slice(0, 2)).toEqual(['joined', 'grantGiven']);
    expect(log[0]?.details).toMatchObject({ grantId: g.data?.id, ticket: t.number });
    // Joined already: a second join is refused, and nothing else changes.
    expect((await h.client('support').joinWithGrant(g.data?.id ?? 0)).error).toMatchObject({
      httpStatus: 400,
    });
  });

  it('durations: 1 hour to 7 days; a share member grants too; one active grant per ticket', async () => {
    const h = await make();
    const t = await ticket(h);
    for (const s of [3599, 604_801, 0])
      expect((await grant(h, t.id, 'admin', s)).error, String(s)).toMatchObject({ httpStatus: 400 });
    expect((await grant(h, t.id, 'share', 3600)).data?.expires).toBe('2026-11-27T11:00:00+0000');
    const again = await grant(h, t.id, 'admin', 604_800);
    expect(again.error).toMatchObject({ httpStatus: 409 });
    expect(await h.store.count('accessGrants', {})).toBe(1);
  });

  it('refuses a guest or read-only reporter, and outsiders, even as admin members: nothing stored', async () => {
    const h = await make();
    const t = await ticket(h, 'guest');
    expect((await grant(h, t.id, 'guest')).error).toMatchObject({ httpStatus: 403 });
    const r = await ticket(h, 'readOnly');
    expect((await grant(h, r.id, 'readOnly')).error).toMatchObject({ httpStatus: 403 });
    // Staff see every ticket, but a grant is the customer's say.
    expect((await grant(h, t.id, 'support')).error).toMatchObject({ httpStatus: 403 });
    expect((await grant(h, t.id, 'maintainer')).error).toMatchObject({ httpStatus: 403 });
    const req = await h.client('support').requestAccess(100, { reason: 'Looking at it' });
    await h.client('admin').approveJoinRequest(100, req.data?.id ?? 0);
    expect((await grant(h, t.id, 'support')).error).toMatchObject({ httpStatus: 403 });
    // Someone who may not see the ticket: as if it did not exist.
    for (const p of ['random', 'betaAdmin', 'org'] as const)
      expect((await grant(h, t.id, p)).error, p).toMatchObject({ httpStatus: 404 });
    // A ticket with a grant refused is not filed either.
    const filed = await h
      .client('guest')
      .createTicket(
        { subject: 'S', description: 'D', type: 'question', projectId: 100, grantAccess: {} },
        'refused-key',
      );
    expect(filed.error).toMatchObject({ httpStatus: 403 });
    expect(await h.store.count('accessGrants', {})).toBe(0);
    expect(await h.store.count('tickets', { idempotencyKey: 'refused-key' })).toBe(0);
  });

  it('grants with the new ticket (grantAccess), and not for a ticket about no project', async () => {
    const h = await make();
    const filed = await h.client('admin').createTicket(
      {
        subject: 'Let us in',
        description: 'D',
        type: 'question',
        projectId: 100,
        grantAccess: { expirationSeconds: 7200 },
      },
      'with-grant',
    );
    expect(filed.response?.status).toBe(201);
    const grants = (await h.client('admin').listTicketGrants(filed.data?.id ?? 0)).data ?? [];
    expect(grants).toMatchObject([{ expires: '2026-11-27T12:00:00+0000', status: 'active' }]);
    const none = await ticket(h, 'admin', null);
    expect((await grant(h, none.id)).error).toMatchObject({ httpStatus: 400 });
  });

  it("a grant is its ticket's and its project's only", async () => {
    const h = await make();
    const t = await ticket(h);
    const other = await ticket(h, 'admin');
    const g = (await grant(h, t.id)).data as AccessGrant;
    // Named through another ticket, it does not exist: neither listed nor withdrawn there.
    expect((await h.client('admin').listTicketGrants(other.id)).data).toEqual([]);
    expect((await h.client('admin').withdrawGrant(other.id, g.id)).error).toMatchObject({ httpStatus: 404 });
    expect((await h.store.get('accessGrants', g.id))?.withdrawn).toBeNull();
    // A ticket of another customer's project: Alice may not grant for it.
    const beta = await ticket(h, 'betaAdmin', 101);
    expect((await grant(h, beta.id, 'admin')).error).toMatchObject({ httpStatus: 404 });
    // Sam joins project 100 with it, and nothing else.
    await h.client('support').joinWithGrant(g.id);
    expect(await h.store.count('projectMembers', { userId: IDS.support })).toBe(1);
    expect(await samMembership(h)).toBeDefined();
  });

  it('withdrawal ends the membership and its Storage token at once, and tells the engineer', async () => {
    const h = await make();
    const t = await ticket(h);
    const g = (await grant(h, t.id)).data as AccessGrant;
    await h.client('support').joinWithGrant(g.id);
    const made = await h.client('support').createStorageToken(100, { description: 'Debug' });
    const token = made.data?.token ?? '';
    expect(await use(h, token)).toBe(200);
    // Neither the reporter (a guest) nor the engineer may withdraw it.
    expect((await h.client('guest').withdrawGrant(t.id, g.id)).error).toMatchObject({ httpStatus: 403 });
    expect((await h.client('support').withdrawGrant(t.id, g.id)).error).toMatchObject({ httpStatus: 403 });
    expect(await samMembership(h)).toBeDefined();
    // Any decider may: Sean withdraws Alice's grant.
    h.clock.advance(60_000);
    expect((await h.client('share').withdrawGrant(t.id, g.id)).response?.status).toBe(204);
    expect(await samMembership(h)).toBeUndefined();
    expect(await use(h, token)).toBe(401);
    const [after] = (await h.client('admin').listTicketGrants(t.id)).data ?? [];
    expect(after).toMatchObject({
      status: 'withdrawn',
      withdrawn: '2026-11-27T10:01:00+0000',
      withdrawnBy: { id: IDS.share },
    });
    const heard = (await h.events(IDS.support)).map((e) => e.event.type);
    expect(heard).toContain('membership.expired');
    expect(heard).toContain('grant.changed');
    const log = (await h.client('admin').listAccessLog(100)).data ?? [];
    expect(log.slice(0, 2).map((e) => e.action)).toEqual(['grantWithdrawn', 'removed']);
    expect(log[1]).toMatchObject({ subject: { id: IDS.support }, details: { grantId: g.id } });
    // Once: again is 409, and joining with it is refused.
    expect((await h.client('admin').withdrawGrant(t.id, g.id)).error).toMatchObject({ httpStatus: 409 });
    const again = await h.client('support').joinWithGrant(g.id);
    expect(again.error).toMatchObject({ httpStatus: 409 });
    expect(again.error?.message).toContain('withdrawn');
    expect(await samMembership(h)).toBeUndefined();
    // Withdrawn, the ticket may have a new grant.
    expect((await grant(h, t.id)).response?.status).toBe(201);
  });

  it('an expired grant lets no one in; the sweeper ends it once, with its membership', async () => {
    const h = await make();
    const t = await ticket(h);
    const g = (await grant(h, t.id, 'admin', 3600)).data as AccessGrant;
    await h.client('maintainer').joinWithGrant(g.id);
    await h.advance(3600);
    expect(await h.store.first('projectMembers', { projectId: 100, userId: IDS.maintainer })).toBeUndefined();
    const late = await h.client('support').joinWithGrant(g.id);
    expect(late.error).toMatchObject({ httpStatus: 409 });
    expect(late.error?.message).toContain('ended');
    expect(await samMembership(h)).toBeUndefined();
    await h.advance(60);
    const log = (await h.client('admin').listAccessLog(100, { action: 'grantExpired' })).data ?? [];
    expect(log).toHaveLength(1);
    expect((await h.client('admin').listTicketGrants(t.id)).data?.[0]?.status).toBe('expired');
    expect((await h.client('support').listGrants()).data).toEqual([]);
  });

  it('a grant does not outlive its project', async () => {
    const h = await make();
    const t = await ticket(h);
    const g = (await grant(h, t.id)).data as AccessGrant;
    expect((await h.client('admin').deleteProject(100)).error).toBeUndefined();
    expect((await h.client('support').joinWithGrant(g.id)).error).toMatchObject({ httpStatus: 404 });
    expect(await samMembership(h)).toBeUndefined();
    expect((await h.client('support').listGrants()).data).toEqual([]);
    expect((await grant(h, t.id)).error).toMatchObject({ httpStatus: 404 });
  });

  it("who may join: staff who may see the ticket, with MFA; never the customer's own people", async () => {
    const h = await make();
    const t = await ticket(h);
    const g = (await grant(h, t.id)).data as AccessGrant;
    const mfa = await h.client('supportNoMfa').joinWithGrant(g.id);
    expect(mfa.error).toMatchObject({ httpStatus: 403, code: 'manage.mfaRequired' });
    // The organization user may see no ticket of others; the guest sees the ticket but is no staff.
    expect((await h.client('org').joinWithGrant(g.id)).error).toMatchObject({ httpStatus: 404 });
    expect((await h.client('guest').joinWithGrant(g.id)).error).toMatchObject({ httpStatus: 403 });
    expect((await h.client('random').joinWithGrant(g.id)).error).toMatchObject({ httpStatus: 404 });
    expect((await h.client('support').joinWithGrant(999)).error).toMatchObject({ httpStatus: 404 });
    expect(await h.store.count('projectMembers', { projectId: 100 })).toBe(4);
  });

  it('while the ticket is assigned, only its assignee joins with the grant', async () => {
    const h = await make();
    const t = await ticket(h);
    const g = (await grant(h, t.id)).data as AccessGrant;
    // Unassigned: any staff who may see it (Mark maintains organization 10).
    expect((await h.client('maintainer').listGrants()).data?.map((x) => x.id)).toEqual([g.id]);
    expect((await h.client('support').updateTicket(t.id, { assigneeId: IDS.support })).error).toBeUndefined();
    const refused = await h.client('maintainer').joinWithGrant(g.id);
    expect(refused.error).toMatchObject({ httpStatus: 403 });
    expect(refused.error?.message).toContain('assigned to Sam Support');
    expect(await h.store.first('projectMembers', { projectId: 100, userId: IDS.maintainer })).toBeUndefined();
    expect((await h.client('maintainer').listGrants()).data).toEqual([]);
    expect((await h.client('support').joinWithGrant(g.id)).response?.status).toBe(204);
  });

  it('tells the thread: given, joined, withdrawn, each a grant entry naming the grant', async () => {
    const h = await make();
    const t = await ticket(h);
    const g = (await grant(h, t.id)).data as AccessGrant;
    await h.client('support').joinWithGrant(g.id);
    await h.client('admin').withdrawGrant(t.id, g.id);
    const thread = (await h.client('guest').listMessages(t.id)).data ?? [];
    const grants = thread.filter((m) => m.kind === 'grant');
    expect(grants.map((m) => [m.side, m.author?.id, m.grantId])).toEqual([
      ['customer', IDS.admin, g.id],
      ['staff', IDS.support, g.id],
      ['customer', IDS.admin, g.id],
    ]);
    expect(grants[0]?.body).toBe(
      'Support may come into Acme Main for this ticket until 2026-11-29 10:00 UTC.',
    );
    // The reporter, a guest, hears each change of the grant too.
    const heard = (await h.events(IDS.guest)).filter((e) => e.event.type === 'grant.changed');
    expect(heard.length).toBe(3);
  });

  it('lists the active grants each may use or decides on', async () => {
    const h = await make();
    const t = await ticket(h);
    const g = (await grant(h, t.id)).data as AccessGrant;
    const ids = async (p: Persona, q?: { projectId?: number }) =>
      ((await h.client(p).listGrants(q)).data ?? []).map((x) => x.id);
    expect(await ids('support')).toEqual([g.id]);
    expect(await ids('maintainer')).toEqual([g.id]);
    expect(await ids('support', { projectId: 101 })).toEqual([]);
    expect(await ids('admin', { projectId: 100 })).toEqual([g.id]);
    for (const p of ['guest', 'random', 'betaAdmin', 'org'] as const) expect(await ids(p), p).toEqual([]);
  });
});
