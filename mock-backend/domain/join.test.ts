import { describe, expect, it } from 'vitest';
import { fixtureWith, harness, IDS } from '../testing.ts';

const reason = 'Ticket SK-1 needs a look';

describe('request-access (Auto Join off)', () => {
  it('creates a pending request visible to the requester and the project, with a 48 h default expiry', async () => {
    const h = await harness();
    const { data, response } = await h.client('support').requestAccess(100, { reason });
    expect(response?.status).toBe(201);
    expect(data).toMatchObject({
      id: 1,
      reason,
      project: { id: 100, name: 'Acme Main' },
      created: '2026-11-27T10:00:00+0000',
      expires: '2026-11-29T10:00:00+0000',
    });
    expect((await h.client('admin').listJoinRequests(100)).data).toEqual([
      {
        id: 1,
        created: '2026-11-27T10:00:00+0000',
        expires: '2026-11-29T10:00:00+0000',
        reason,
        user: { id: IDS.support, name: 'Sam Support', email: 'sam@supportkit.test' },
        ticket: null,
      },
    ]);
    expect((await h.client('support').listMyJoinRequests()).data?.map((r) => r.id)).toEqual([1]);
  });

  it('requires a reason from support and maintainer users; white space counts as missing', async () => {
    const h = await harness();
    for (const body of [{}, { reason: '' }, { reason: '   \n\t' }, { reason: null as unknown as string }]) {
      const { error } = await h.client('maintainer').requestAccess(100, body);
      expect(error?.kind === 'http' && error.httpStatus).toBe(400);
      expect(error?.kind === 'http' && error.errors.map((e) => e.key)).toEqual(['reason']);
    }
    expect(await h.store.count('joinRequests', {})).toBe(0);
  });

  it('refuses reasons over 1,000 characters and accepts exactly 1,000', async () => {
    const h = await harness();
    const long = await h.client('support').requestAccess(100, { reason: 'x'.repeat(1001) });
    expect(long.error?.kind === 'http' && long.error.errors[0]?.key).toBe('reason');
    expect(
      (await h.client('support').requestAccess(100, { reason: 'x'.repeat(1000) })).response?.status,
    ).toBe(201);
  });

  it('refuses expirations over 7 days, zero and negative ones, and accepts exactly 7 days', async () => {
    const h = await harness();
    for (const expirationSeconds of [604_801, 0, -5, 1.5]) {
      const { error } = await h.client('support').requestAccess(100, { reason, expirationSeconds });
      expect(error?.kind === 'http' && error.httpStatus).toBe(400);
    }
    const ok = await h.client('support').requestAccess(100, { reason, expirationSeconds: 604_800 });
    expect(ok.data?.expires).toBe('2026-12-04T10:00:00+0000');
  });

  it('tells organization users to use join-project, members that they already are, random users 403', async () => {
    const h = await harness();
    const org = await h.client('org').requestAccess(100, { reason });
    expect(org.error?.message).toContain('use join-project method');
    const member = await h.client('guest').requestAccess(100, { reason });
    expect(member.error?.message).toMatch(/already.*member/);
    expect((await h.client('random').requestAccess(100, { reason })).error).toMatchObject({
      httpStatus: 403,
    });
  });

  it('refuses a second pending request by the same user', async () => {
    const h = await harness();
    await h.client('support').requestAccess(100, { reason });
    const again = await h.client('support').requestAccess(100, { reason });
    expect(again.error?.message).toMatch(/already.*sent/);
  });

  it('tells support users to join when Auto Join is on', async () => {
    const h = await harness();
    const { error } = await h.client('support').requestAccess(101, { reason });
    expect(error).toMatchObject({ httpStatus: 400 });
    expect(error?.message).toContain('join-project');
  });

  it('refuses support users without MFA with code manage.mfaRequired (403: such an account has no standing)', async () => {
    const h = await harness();
    const { error } = await h.client('supportNoMfa').requestAccess(100, { reason });
    expect(error).toMatchObject({ httpStatus: 403, code: 'manage.mfaRequired' });
  });

  it('refuses a user who has a pending invitation, and inviting a user who has a pending request', async () => {
    const h = await harness();
    await h
      .client('admin')
      .createProjectInvitation(100, { email: 'mark@partner.test', role: 'guest', reason });
    const r = await h.client('maintainer').requestAccess(100, { reason });
    expect(r.error?.message).toContain('You have been already invited');
    await h.client('support').requestAccess(100, { reason });
    const inv = await h.client('admin').createProjectInvitation(100, { email: 'sam@supportkit.test' });
    expect(inv.error?.message).toContain('This user has already requested access');
  });
});

describe('deciding on a request', () => {
  it('approve makes an admin member with the reason, the exact expiry and the approver, and clears both lists', async () => {
    const h = await harness();
    const req = await h.client('support').requestAccess(100, { reason, expirationSeconds: 3600 });
    h.clock.advance(60_000);
    const res = await h.client('share').approveJoinRequest(100, req.data?.id ?? 0);
    expect(res.response?.status).toBe(202);
    const users = (await h.client('admin').listProjectUsers(100)).data ?? [];
    expect(users.find((u) => u.id === IDS.support)).toMatchObject({
      role: 'admin',
      reason,
      // The hour asked for, from the approval a minute later (not from the asking).
      expires: '2026-11-27T11:01:00+0000',
      approver: { id: IDS.share, name: 'Sean Share', email: 'sean@acme.test' },
      invitor: null,
      kind: 'support',
    });
    expect((await h.client('admin').listJoinRequests(100)).data).toEqual([]);
    expect((await h.client('support').listMyJoinRequests()).data).toEqual([]);
  });

  it('the duration starts at the approval: a late approval still gives the time asked for, at most 7 days', async () => {
    const h = await harness();
    // 48 h asked (the default); approved 47 h later: 48 h from then, not the hour left.
    const req = await h.client('support').requestAccess(100, { reason });
    expect(req.data?.expires).toBe('2026-11-29T10:00:00+0000');
    h.clock.advance(47 * 3600_000);
    await h.client('admin').approveJoinRequest(100, req.data?.id ?? 0);
    const users = (await h.client('admin').listProjectUsers(100)).data ?? [];
    expect(users.find((u) => u.id === IDS.support)?.expires).toBe('2026-12-01T09:00:00+0000');
    // A stored duration over 7 days (none can be asked, but a row may say so) is cut to 7 days; a
    // request stored before durations were kept lasts `expires - created`.
    const long = await h.client('maintainer').requestAccess(100, { reason, expirationSeconds: 7200 });
    const id = long.data?.id ?? 0;
    await h.store.update('joinRequests', id, { durationSeconds: 30 * 86_400 });
    await h.client('admin').approveJoinRequest(100, id);
    const after = (await h.client('admin').listProjectUsers(100)).data ?? [];
    expect(after.find((u) => u.id === IDS.maintainer)?.expires).toBe('2026-12-06T09:00:00+0000');
    const row = await h.store.first('joinRequests', { id });
    expect(row?.durationSeconds).toBe(30 * 86_400);
  });

  it('a request stored without its duration lasts expires - created from the approval', async () => {
    const h = await harness();
    const req = await h.client('support').requestAccess(100, { reason, expirationSeconds: 7200 });
    const id = req.data?.id ?? 0;
    await h.store.update('joinRequests', id, { durationSeconds: null });
    h.clock.advance(3600_000);
    await h.client('admin').approveJoinRequest(100, id);
    const users = (await h.client('admin').listProjectUsers(100)).data ?? [];
    expect(users.find((u) => u.id === IDS.support)?.expires).toBe('2026-11-27T13:00:00+0000');
  });

  it('reject removes the request and creates no membership', async () => {
    const h = await harness();
    const req = await h.client('maintainer').requestAccess(100, { reason });
    expect((await h.client('admin').rejectJoinRequest(100, req.data?.id ?? 0)).response?.status).toBe(204);
    expect((await h.client('admin').listJoinRequests(100)).data).toEqual([]);
    expect(await h.store.count('projectMembers', { userId: IDS.maintainer })).toBe(0);
  });

  it('refuses deciders who are not admin/share members: requester, guest, readOnly, org, maintainer, support', async () => {
    const h = await harness();
    const req = await h.client('support').requestAccess(100, { reason });
    const id = req.data?.id ?? 0;
    for (const p of ['support', 'guest', 'readOnly', 'org', 'maintainer', 'random'] as const) {
      expect((await h.client(p).approveJoinRequest(100, id)).error, p).toMatchObject({ httpStatus: 403 });
      expect((await h.client(p).rejectJoinRequest(100, id)).error, p).toMatchObject({ httpStatus: 403 });
    }
    expect((await h.store.get('joinRequests', id))?.status).toBe('pending');
  });

  it('decides once: a second decision, or one on a cancelled request, gets 409 and changes nothing', async () => {
    const h = await harness();
    const a = await h.client('support').requestAccess(100, { reason });
    await h.client('admin').approveJoinRequest(100, a.data?.id ?? 0);
    expect((await h.client('share').rejectJoinRequest(100, a.data?.id ?? 0)).error).toMatchObject({
      httpStatus: 409,
    });
    const b = await h.client('maintainer').requestAccess(100, { reason });
    expect((await h.client('maintainer').cancelMyJoinRequest(b.data?.id ?? 0)).response?.status).toBe(204);
    expect((await h.client('admin').approveJoinRequest(100, b.data?.id ?? 0)).error).toMatchObject({
      httpStatus: 409,
    });
    expect(await h.store.count('projectMembers', { userId: IDS.maintainer })).toBe(0);
    expect((await h.client('admin').approveJoinRequest(100, 999)).error).toMatchObject({ httpStatus: 404 });
  });

  it('refuses approving a user without MFA into an organization that requires it; reject still works', async () => {
    const h = await harness({
      fixture: fixtureWith((f) => {
        const m = f.users.find((u) => u.id === IDS.maintainer);
        if (m) m.mfaEnabled = true;
      }),
    });
    const req = await h.client('maintainer').requestAccess(100, { reason });
    await h.store.update('organizations', 10, { mfaRequired: true });
    await h.store.update('users', IDS.maintainer, { mfaEnabled: false });
    const { error } = await h.client('admin').approveJoinRequest(100, req.data?.id ?? 0);
    expect(error?.message).toBe('This project requires users to have multi-factor authentication enabled');
    expect((await h.client('admin').rejectJoinRequest(100, req.data?.id ?? 0)).response?.status).toBe(204);
  });

  it('lets the requester cancel only their own pending request', async () => {
    const h = await harness();
    const req = await h.client('support').requestAccess(100, { reason });
    expect((await h.client('maintainer').cancelMyJoinRequest(req.data?.id ?? 0)).error).toMatchObject({
      httpStatus: 404,
    });
    expect((await h.client('support').getMyJoinRequest(req.data?.id ?? 0)).data?.id).toBe(req.data?.id);
    await h.client('support').cancelMyJoinRequest(req.data?.id ?? 0);
    expect((await h.client('support').getMyJoinRequest(req.data?.id ?? 0)).error).toMatchObject({
      httpStatus: 404,
    });
  });
});

describe('join-project', () => {
  it('lets support users join with Auto Join on, as admin, approver = themselves, badged as support', async () => {
    const h = await harness();
    expect((await h.client('support').joinProject(101, { reason })).response?.status).toBe(204);
    const me = (await h.client('support').listProjectUsers(101)).data?.find((u) => u.id === IDS.support);
    expect(me).toMatchObject({
      role: 'admin',
      kind: 'support',
      reason,
      approver: { id: IDS.support },
      expires: '2026-11-29T10:00:00+0000',
    });
  });

  it('refuses support and maintainer users with Auto Join off, but lets organization users in without a reason', async () => {
    const h = await harness();
    expect((await h.client('support').joinProject(100, { reason })).error).toMatchObject({ httpStatus: 403 });
    expect((await h.client('maintainer').joinProject(100, { reason })).error).toMatchObject({
      httpStatus: 403,
    });
    expect((await h.client('org').joinProject(100, {})).response?.status).toBe(204);
    const olga = (await h.client('org').listProjectUsers(100)).data?.find((u) => u.id === IDS.org);
    expect(olga).toMatchObject({ expires: null, reason: null, kind: 'member' });
  });

  it('refuses existing members (400) and random users (403)', async () => {
    const h = await harness();
    expect((await h.client('admin').joinProject(100, {})).error).toMatchObject({ httpStatus: 400 });
    expect((await h.client('random').joinProject(101, { reason })).error).toMatchObject({ httpStatus: 403 });
  });

  it('requires a reason and MFA from maintainer and support users', async () => {
    const h = await harness();
    const noReason = await h.client('maintainer').joinProject(101, {});
    expect(noReason.error?.kind === 'http' && noReason.error.errors[0]?.key).toBe('reason');
    expect((await h.client('supportNoMfa').joinProject(101, { reason })).error).toMatchObject({
      code: 'manage.mfaRequired',
    });
  });
});

describe('user limit', () => {
  it('counts only "member" kind: support users join a full project, organization users do not', async () => {
    const h = await harness({
      fixture: fixtureWith((f) => {
        const p = f.projects.find((x) => x.id === 100);
        if (p) p.limits = { users: 4 };
        const o = f.organizations.find((x) => x.id === 10);
        if (o) o.allowAutoJoin = true;
      }),
    });
    expect((await h.client('org').joinProject(100, {})).error).toMatchObject({
      code: 'manage.projectUserLimitReached',
    });
    expect((await h.client('support').joinProject(100, { reason })).response?.status).toBe(204);
    expect((await h.client('admin').getProject(100)).data?.usage).toEqual({ users: 4 });
    const add = await h.client('admin').addProjectUser(100, { email: 'new@acme.test' });
    expect(add.error).toMatchObject({ code: 'manage.projectUserLimitReached' });
  });
});
