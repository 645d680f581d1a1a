// Attacks on the outsider rule after issue 9 was implemented: each case either was a hole (the test
// failed before its fix) or is a path checked to hold, kept so it goes on holding.
import { describe, expect, it } from 'vitest';
import { fixtureWith, type Harness, harness, IDS } from '../testing.ts';
import { eventsFor } from './notify.ts';

/** How many "join request created" events a user's stream would be sent. */
const requestEventsOf = async (h: Harness, userId: number) =>
  (await eventsFor(h.ctx, userId, 0, 1000)).filter((e) => e.event.type === 'joinRequest.created').length;

const reason = 'Investigating SK-1002';

describe('who is told about a request is decided by who the user is now', () => {
  it('a customer member made support after joining gets no request e-mail and no request event', async () => {
    const h = await harness();
    await h.store.update('users', IDS.share, { isSuperAdmin: true });
    const r = await h.client('maintainer').requestAccess(100, { reason });
    expect(r.response?.status).toBe(201);
    const mailed = (await h.outbox()).map((m) => m.to);
    expect(mailed).toContain('alice@acme.test');
    expect(mailed).not.toContain('sean@acme.test');
    expect(await requestEventsOf(h, IDS.admin)).toBe(1);
    expect(await requestEventsOf(h, IDS.share)).toBe(0);
  });

  it('a customer admin who became a maintainer member is not told either', async () => {
    const h = await harness();
    await h.store.insert('maintainerMembers', { maintainerId: 1, userId: IDS.admin });
    await h.client('support').requestAccess(100, { reason });
    expect((await h.outbox()).map((m) => m.to)).not.toContain('alice@acme.test');
    expect((await h.outbox()).map((m) => m.to)).toContain('sean@acme.test');
    expect(await requestEventsOf(h, IDS.admin)).toBe(0);
    expect(await requestEventsOf(h, IDS.share)).toBe(1);
  });
});

describe('tickets are seen by their reporter and the outsiders of their organization only', () => {
  const body = { subject: 'Broken', description: 'It fails', type: 'question' as const, projectId: 100 };
  /** A second maintainer (2) with its own customer (organization 12) and user Max (2000). */
  const twoMaintainers = fixtureWith((f) => {
    f.maintainers.push({ id: 2, name: 'Other Partner', supportEmail: 'help@other.test' });
    f.organizations.push({ id: 12, name: 'Gamma', maintainerId: 2, allowAutoJoin: true, mfaRequired: false });
    f.projects.push({ id: 102, name: 'Gamma Main', organizationId: 12, limits: { users: 3 } });
    f.users.push({
      id: 2000,
      email: 'max@other.test',
      name: 'Max Other',
      mfaEnabled: true,
      isSuperAdmin: false,
      token: 'other-maintainer-token',
    });
    f.maintainerMembers.push({ maintainerId: 2, userId: 2000 });
  });

  it("a maintainer of another organization never sees another customer's tickets, listed or by id", async () => {
    const h = await harness({ fixture: twoMaintainers });
    const created = await h.client('admin').createTicket(body, 'k1');
    const id = created.data?.id ?? 0;
    const max = (path: string) =>
      h.fetch(`http://backend.test${path}`, {
        headers: { 'X-KBC-ManageApiToken': 'other-maintainer-token' },
      });
    expect(await (await max('/manage/support/tickets')).json()).toEqual([]);
    expect((await max(`/manage/support/tickets/${id}`)).status).toBe(404);
    expect((await h.client('maintainer').getTicket(id)).response?.status).toBe(200);
  });

  it('a maintainer user taken off the maintainer stops seeing its tickets at once', async () => {
    const h = await harness();
    const id = (await h.client('guest').createTicket(body, 'k2')).data?.id ?? 0;
    expect((await h.client('maintainer').listTickets()).data).toHaveLength(1);
    const row = await h.store.first('maintainerMembers', { userId: IDS.maintainer });
    if (row) await h.store.delete('maintainerMembers', row.id);
    expect((await h.client('maintainer').listTickets()).data).toEqual([]);
    expect((await h.client('maintainer').getTicket(id)).response?.status).toBe(404);
  });
});

describe('a reason must say something visible', () => {
  it.each([
    ['Hangul filler', '\u3164'],
    ['Hangul choseong filler', '\u115f'],
    ['Hangul jungseong filler', '\u1160'],
    ['halfwidth Hangul filler', '\uffa0'],
    ['fillers and zero-width spaces', '\u3164\u200b\u3164 \u200b'],
  ])(
    'refuses a reason of only a %s (a "letter" that shows nothing) with errors key reason',
    async (_, bad) => {
      const h = await harness();
      for (const r of [
        await h.client('support').joinProject(101, { reason: bad }),
        await h.client('maintainer').requestAccess(100, { reason: bad }),
      ]) {
        expect(r.error).toMatchObject({ httpStatus: 400 });
        const e = r.error as { kind?: string; errors?: { key: string }[] };
        expect(e.errors?.[0]?.key).toBe('reason');
      }
      expect(await h.store.count('projectMembers', { projectId: 101 })).toBe(1);
      expect(await h.store.count('joinRequests', {})).toBe(0);
    },
  );

  it('still takes Korean text, which uses the same script', async () => {
    const h = await harness();
    expect((await h.client('support').joinProject(101, { reason: '\u3164점검' })).response?.status).toBe(204);
  });
});

describe('decisions', () => {
  it('ten concurrent approvals and rejections: exactly one wins, one e-mail, at most one membership', async () => {
    const h = await harness();
    const id = (await h.client('maintainer').requestAccess(100, { reason })).data?.id ?? 0;
    const before = (await h.outbox()).length;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 ? h.client('admin').approveJoinRequest(100, id) : h.client('share').rejectJoinRequest(100, id),
      ),
    );
    const statuses = results.map((r) => r.response?.status ?? 0);
    expect(statuses.filter((s) => s === 202 || s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    expect((await h.outbox()).length - before).toBe(1);
    const won = statuses.includes(202);
    expect(await h.store.count('projectMembers', { projectId: 100, userId: IDS.maintainer })).toBe(
      won ? 1 : 0,
    );
  });

  it('approving a request past its expiry, before any sweep, is 404: no membership, no decision e-mail', async () => {
    const h = await harness({ options: { autoTick: false } });
    const id =
      (await h.client('maintainer').requestAccess(100, { reason, expirationSeconds: 60 })).data?.id ?? 0;
    h.clock.advance(61_000);
    const before = (await h.outbox()).length;
    expect((await h.client('admin').approveJoinRequest(100, id)).error).toMatchObject({ httpStatus: 404 });
    expect((await h.client('admin').rejectJoinRequest(100, id)).error).toMatchObject({ httpStatus: 404 });
    expect(await h.store.count('projectMembers', { projectId: 100, userId: IDS.maintainer })).toBe(0);
    expect((await h.outbox()).length).toBe(before);
    // The sweep later sends the one expiry e-mail, and a decision is 409 from then on.
    await h.advance(0);
    expect((await h.outbox()).map((m) => m.subject)).toEqual(
      expect.arrayContaining([expect.stringContaining('has expired')]),
    );
    expect((await h.client('admin').approveJoinRequest(100, id)).error).toMatchObject({ httpStatus: 409 });
  });

  it('a requester who is also an admin member elsewhere cannot decide their own request; nor can a non-member organization user', async () => {
    const h = await harness();
    const id = (await h.client('support').requestAccess(100, { reason })).data?.id ?? 0;
    for (const who of ['support', 'org', 'guest', 'readOnly', 'betaAdmin'] as const)
      expect((await h.client(who).approveJoinRequest(100, id)).error, who).toMatchObject({ httpStatus: 403 });
    expect(await h.store.count('projectMembers', { projectId: 100, userId: IDS.support })).toBe(0);
  });
});

describe('roles of outsiders', () => {
  it('an outsider given "share" by an organization user still manages nothing, and may not change its own role', async () => {
    const h = await harness();
    const sam = h.client('support');
    const id = (await sam.requestAccess(100, { reason })).data?.id ?? 0;
    expect((await h.client('admin').approveJoinRequest(100, id)).response?.status).toBe(202);
    // Only organization members grant share; an admin member who is not one gets 400.
    expect(
      (await h.client('admin').updateProjectUser(100, IDS.support, { role: 'share' })).error,
    ).toMatchObject({
      httpStatus: 400,
    });
    const granted = await h.client('org').updateProjectUser(100, IDS.support, { role: 'share' });
    expect(granted.data).toMatchObject({ role: 'share', kind: 'support', reason });
    expect(granted.data?.expires).not.toBeNull();
    const next = (await h.client('maintainer').requestAccess(100, { reason })).data?.id ?? 0;
    for (const r of [
      await sam.approveJoinRequest(100, next),
      await sam.rejectJoinRequest(100, next),
      await sam.createProjectInvitation(100, { email: 'new@acme.test' }),
      await sam.addProjectUser(100, { email: 'new@acme.test' }),
      await sam.updateProjectUser(100, IDS.guest, { role: 'admin' }),
      await sam.updateProjectUser(100, IDS.support, { role: 'admin' }),
      await sam.removeProjectUser(100, IDS.guest),
      await sam.deleteProject(100),
      await sam.updateOrganization(10, { allowAutoJoin: true }),
      await sam.updateOrganization(10, { mfaRequired: false }),
    ])
      expect(r.error).toMatchObject({ httpStatus: 403 });
    const users = (await h.client('admin').listProjectUsers(100)).data ?? [];
    expect(users.find((u) => u.id === IDS.support)?.role).toBe('share');
    expect(users.find((u) => u.id === IDS.guest)?.role).toBe('guest');
  });
});
