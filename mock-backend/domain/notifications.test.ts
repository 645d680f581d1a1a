import { describe, expect, it } from 'vitest';
import type { SupportEvent } from '../../api/types.ts';
import { type Harness, harness, IDS } from '../testing.ts';

const reason = 'Investigating <script>alert(1)</script> & friends';

const eventsOf = async (h: Harness, userId: number): Promise<SupportEvent['type'][]> =>
  (await h.events(userId)).map((e) => e.event.type);

describe('e-mails', () => {
  it('a new request mails each active member but the requester, with the users page link and no decision link', async () => {
    const h = await harness();
    await h.client('support').requestAccess(100, { reason });
    const mails = await h.outbox();
    expect(mails.map((m) => m.to).sort()).toEqual(
      ['alice@acme.test', 'gary@acme.test', 'rita@acme.test', 'sean@acme.test'].sort(),
    );
    for (const m of mails) {
      expect(m.subject).toContain('Acme Main');
      expect(m.text).toContain('Sam Support');
      expect(m.text).toContain(reason);
      expect(m.text).toContain('Sunday, 29 November 2026, 10:00 UTC');
      expect(m.text).not.toContain('2026-11-29T10:00:00+0000');
      expect(m.text).toContain('http://backend.test/admin/projects/100/users');
      expect(m.html).toContain('href="http://backend.test/admin/projects/100/users"');
      expect(m.html).not.toContain('<script>');
      expect(m.html).toContain('&lt;script&gt;');
      expect(`${m.text}${m.html}`).not.toMatch(/join-requests|approve\?|reject\?/i);
    }
  });

  it('approval and rejection each mail the requester once', async () => {
    const h = await harness();
    const a = await h.client('support').requestAccess(100, { reason });
    const b = await h.client('maintainer').requestAccess(100, { reason });
    await h.client('admin').approveJoinRequest(100, a.data?.id ?? 0);
    await h.client('admin').rejectJoinRequest(100, b.data?.id ?? 0);
    const toRequesters = (await h.outbox()).filter(
      (m) => m.to === 'sam@supportkit.test' || m.to === 'mark@partner.test',
    );
    expect(toRequesters.map((m) => [m.to, m.subject])).toEqual([
      ['sam@supportkit.test', 'Your access request for Acme Main was approved'],
      ['mark@partner.test', 'Your access request for Acme Main was rejected'],
    ]);
  });
});

describe('expiry to the second', () => {
  it('a request is decidable 1 s before its expiry, gone at it and after; the requester is mailed once', async () => {
    const h = await harness();
    const req = await h.client('support').requestAccess(100, { reason, expirationSeconds: 600 });
    const id = req.data?.id ?? 0;
    await h.advance(599);
    expect((await h.client('admin').listJoinRequests(100)).data?.map((r) => r.id)).toEqual([id]);
    await h.advance(1);
    expect((await h.client('admin').listJoinRequests(100)).data).toEqual([]);
    expect((await h.client('support').listMyJoinRequests()).data).toEqual([]);
    expect((await h.client('admin').approveJoinRequest(100, id)).error).toMatchObject({ httpStatus: 409 });
    await h.advance(1);
    await h.advance(3600);
    const expiredMails = (await h.outbox()).filter((m) => m.subject.includes('expired'));
    expect(expiredMails.map((m) => m.to)).toEqual(['sam@supportkit.test']);
    expect(await eventsOf(h, IDS.support)).toContain('joinRequest.decided');
  });

  it('grants nothing from the second a request expires even before any sweep ran', async () => {
    const h = await harness({ options: { autoTick: false } });
    const req = await h.client('support').requestAccess(100, { reason, expirationSeconds: 60 });
    // Move the clock without the test endpoint: nothing has swept, the rules still see it gone.
    h.clock.advance(60_000);
    expect((await h.store.get('joinRequests', req.data?.id ?? 0))?.status).toBe('pending');
    const decision = await h.client('admin').approveJoinRequest(100, req.data?.id ?? 0);
    expect(decision.error).toMatchObject({ httpStatus: 404 });
  });

  it('a membership grants access 1 s before its expiry and none at or after it', async () => {
    const h = await harness();
    await h.client('support').joinProject(101, { reason, expirationSeconds: 3600 });
    await h.advance(3599);
    expect((await h.client('support').listProjectUsers(101)).data?.some((u) => u.id === IDS.support)).toBe(
      true,
    );
    expect((await h.client('support').createStorageToken(101, { description: 'x' })).response?.status).toBe(
      201,
    );
    await h.advance(1);
    expect((await h.client('betaAdmin').listProjectUsers(101)).data?.some((u) => u.id === IDS.support)).toBe(
      false,
    );
    expect((await h.client('support').createStorageToken(101, { description: 'x' })).error).toMatchObject({
      httpStatus: 403,
      message: "You don't have access to project",
    });
    await h.advance(1);
    expect((await h.client('betaAdmin').getProject(101)).data?.usage.users).toBe(1);
  });

  it('an invitation can be accepted 1 s before its expiry, not at or after it', async () => {
    const h = await harness();
    const inv = await h.client('admin').createProjectInvitation(100, {
      email: 'olga@acme.test',
      role: 'guest',
      expirationSeconds: 100,
    });
    const again = await h
      .client('admin')
      .createProjectInvitation(100, { email: 'mark@partner.test', reason, expirationSeconds: 100 });
    await h.advance(99);
    expect((await h.client('org').listMyProjectInvitations()).data?.map((i) => i.id)).toEqual([inv.data?.id]);
    expect((await h.client('org').acceptProjectInvitation(inv.data?.id ?? 0)).response?.status).toBe(202);
    await h.advance(1);
    expect((await h.client('admin').listProjectInvitations(100)).data).toEqual([]);
    expect((await h.client('maintainer').acceptProjectInvitation(again.data?.id ?? 0)).error).toMatchObject({
      httpStatus: 404,
    });
    await h.advance(1);
    expect((await h.client('maintainer').listMyProjectInvitations()).data).toEqual([]);
  });

  it('warns a member 15 minutes before access ends, once, and tells deciders when it ended', async () => {
    const h = await harness();
    await h.client('support').joinProject(101, { reason, expirationSeconds: 3600 });
    await h.advance(3600 - 15 * 60 - 1);
    expect(await eventsOf(h, IDS.support)).not.toContain('membership.expiring');
    await h.advance(1);
    await h.advance(10);
    expect((await eventsOf(h, IDS.support)).filter((t) => t === 'membership.expiring')).toHaveLength(1);
    await h.advance(15 * 60);
    expect(await eventsOf(h, IDS.support)).toContain('membership.expired');
    expect(await eventsOf(h, IDS.betaAdmin)).toContain('membership.expired');
    const log = (await h.client('betaAdmin').listAccessLog(101)).data ?? [];
    expect(log.map((e) => e.action)).toEqual(['expired', 'joined']);
  });
});

describe('live events: who gets what', () => {
  it('join request created goes to admin/share members only; decided goes to requester and deciders', async () => {
    const h = await harness();
    const req = await h.client('support').requestAccess(100, { reason });
    expect(await eventsOf(h, IDS.admin)).toEqual(['joinRequest.created']);
    expect(await eventsOf(h, IDS.share)).toEqual(['joinRequest.created']);
    expect(await eventsOf(h, IDS.guest)).toEqual([]);
    await h.client('admin').approveJoinRequest(100, req.data?.id ?? 0);
    expect(await eventsOf(h, IDS.support)).toEqual(['joinRequest.decided', 'membership.changed']);
    expect(await eventsOf(h, IDS.guest)).toEqual(['membership.changed']);
    expect(await eventsOf(h, IDS.share)).toEqual([
      'joinRequest.created',
      'joinRequest.decided',
      'membership.changed',
    ]);
  });

  it('Auto Join changes reach organization members and members of its projects', async () => {
    const h = await harness();
    await h.client('org').updateOrganization(10, { allowAutoJoin: 1 });
    for (const id of [IDS.org, IDS.admin, IDS.guest])
      expect(await eventsOf(h, id)).toEqual(['organization.autoJoinChanged']);
    expect(await eventsOf(h, IDS.support)).toEqual([]);
    const log = (await h.client('admin').listAccessLog(100)).data ?? [];
    expect(log[0]).toMatchObject({
      action: 'autoJoinChanged',
      details: { allowAutoJoin: true },
      actor: { id: IDS.org },
    });
  });
});
