import { describe, expect, it } from 'vitest';
import { fixtureWith, harness, IDS, T0 } from '../testing.ts';

describe('project users', () => {
  it('only organization members may grant "share"', async () => {
    const h = await harness();
    const byAdmin = await h.client('admin').updateProjectUser(100, IDS.guest, { role: 'share' });
    expect(byAdmin.error?.message).toBe(
      'Only member of the project\'s organization can grant "share" role to other users.',
    );
    const byOrg = await h.client('org').updateProjectUser(100, IDS.guest, { role: 'share' });
    expect(byOrg.data).toMatchObject({ id: IDS.guest, role: 'share' });
  });

  it('lets any member leave, logs it, and tells the remaining members', async () => {
    const h = await harness();
    expect((await h.client('guest').removeProjectUser(100, IDS.guest)).response?.status).toBe(204);
    expect((await h.client('guest').listProjectUsers(100)).error).toMatchObject({ httpStatus: 403 });
    const log = (await h.client('admin').listAccessLog(100)).data ?? [];
    expect(log[0]).toMatchObject({ action: 'left', subject: { id: IDS.guest } });
    expect((await h.events(IDS.admin)).map((e) => e.event.type)).toEqual(['membership.changed']);
  });

  it("lists each member as that member's own row reads, placeholders for users that do not exist included", async () => {
    const h = await harness();
    const now = Math.floor(T0 / 1000);
    const row = (userId: number, more: { invitorId?: number; approverId?: number; expires?: number }) => ({
      projectId: 100,
      userId,
      role: 'guest' as const,
      kind: 'member' as const,
      reason: null,
      created: now,
      expires: more.expires ?? null,
      invitorId: more.invitorId ?? null,
      approverId: more.approverId ?? null,
      expiringNotified: false,
      grantId: null,
      ticketId: null,
    });
    // Invited by Alice, approved by a user id that names nobody; a member who is nobody; one expired.
    await h.store.insert('projectMembers', row(IDS.random, { invitorId: IDS.admin, approverId: 987_654 }));
    await h.store.insert('projectMembers', row(987_655, { invitorId: 987_654 }));
    await h.store.insert('projectMembers', row(IDS.org, { expires: now - 1 }));
    const admin = h.client('admin');
    const list = (await admin.listProjectUsers(100)).data ?? [];
    expect(list.map((u) => u.id)).toEqual([
      IDS.admin,
      IDS.share,
      IDS.guest,
      IDS.readOnly,
      IDS.random,
      987_655,
    ]);
    for (const u of list) expect(u).toEqual((await admin.getProjectUser(100, u.id)).data);
    expect(list[4]).toMatchObject({
      invitor: { id: IDS.admin, name: 'Alice Admin', email: 'alice@acme.test' },
      approver: { id: 987_654, name: 'Unknown user', email: '' },
    });
    expect(list[5]).toMatchObject({ name: 'Unknown user', email: '', mfaEnabled: false });
  });

  it('removes by e-mail too', async () => {
    const h = await harness();
    expect((await h.client('admin').removeProjectUser(100, 'rita@acme.test')).response?.status).toBe(204);
    expect(await h.store.count('projectMembers', { projectId: 100, userId: IDS.readOnly })).toBe(0);
  });

  it('adding: invalid e-mail 422, existing member 400, yourself 400; support users added always expire', async () => {
    const h = await harness();
    const a = h.client('admin');
    expect((await a.addProjectUser(100, { email: 'nope' })).error).toMatchObject({
      httpStatus: 422,
      message: 'Email address is not valid.',
    });
    expect((await a.addProjectUser(100, { email: 'gary@acme.test' })).error?.message).toMatch(
      /already.*member/,
    );
    // Alice is a member too, so only the message tells the "yourself" rule from the "already" one;
    // Olga (organization user, not a member) adding herself would otherwise succeed.
    expect((await a.addProjectUser(100, { email: 'alice@acme.test' })).error).toMatchObject({
      httpStatus: 400,
      message: 'You cannot invite or add yourself.',
    });
    expect((await h.client('org').addProjectUser(100, { email: 'olga@acme.test' })).error).toMatchObject({
      httpStatus: 400,
      message: 'You cannot invite or add yourself.',
    });
    // Support access needs a reason, from the adder (docs/rules.md#the-outsider-rule: every way in is support access).
    expect((await a.addProjectUser(100, { email: 'sam@supportkit.test' })).error).toMatchObject({
      httpStatus: 400,
    });
    const reason = 'Looking into SK-7';
    expect((await a.addProjectUser(100, { email: 'sam@supportkit.test', reason })).response?.status).toBe(
      204,
    );
    const sam = (await a.listProjectUsers(100)).data?.find((u) => u.id === IDS.support);
    expect(sam).toMatchObject({
      kind: 'support',
      reason,
      expires: '2026-11-29T10:00:00+0000',
      invitor: { id: IDS.admin },
    });
  });
});

describe('fixtures', () => {
  it('give members loaded from a fixture the kind they would get at run time', async () => {
    const h = await harness({
      fixture: fixtureWith((f) => {
        f.projectMembers.push(
          { projectId: 100, userId: IDS.maintainer, role: 'admin' },
          { projectId: 100, userId: IDS.support, role: 'admin' },
        );
      }),
    });
    const users = (await h.client('admin').listProjectUsers(100)).data ?? [];
    expect(users.find((u) => u.id === IDS.maintainer)?.kind).toBe('maintainer');
    expect(users.find((u) => u.id === IDS.support)?.kind).toBe('support');
    expect(users.find((u) => u.id === IDS.admin)?.kind).toBe('member');
    // Neither counts towards the limit: usage is the four demo members.
    expect((await h.client('admin').getProject(100)).data?.usage.users).toBe(4);
  });
});

describe('project invitations', () => {
  it('accepting makes a member with the role, reason and expiry; invitor = creator, approver = null', async () => {
    const h = await harness();
    const inv = await h.client('admin').createProjectInvitation(100, {
      email: 'olga@acme.test',
      role: 'readOnly',
      reason: 'reviews',
      expirationSeconds: 7200,
    });
    expect(inv.response?.status).toBe(201);
    expect(
      (await h.client('admin').createProjectInvitation(100, { email: 'olga@acme.test' })).error?.message,
    ).toMatch(/already.*invited/);
    expect(
      (await h.client('admin').createProjectInvitation(100, { email: 'alice@acme.test' })).error,
    ).toMatchObject({
      httpStatus: 400,
    });
    expect((await h.client('org').getMyProjectInvitation(inv.data?.id ?? 0)).data?.project).toEqual({
      id: 100,
      name: 'Acme Main',
    });
    await h.client('org').acceptProjectInvitation(inv.data?.id ?? 0);
    const olga = (await h.client('admin').listProjectUsers(100)).data?.find((u) => u.id === IDS.org);
    expect(olga).toMatchObject({
      role: 'readOnly',
      reason: 'reviews',
      expires: inv.data?.expires,
      invitor: { id: IDS.admin },
      approver: null,
    });
  });

  it('declining and cancelling remove the invitation', async () => {
    const h = await harness();
    const a = await h.client('admin').createProjectInvitation(100, { email: 'olga@acme.test' });
    expect((await h.client('org').declineProjectInvitation(a.data?.id ?? 0)).response?.status).toBe(204);
    const b = await h.client('admin').createProjectInvitation(100, { email: 'olga@acme.test' });
    expect((await h.client('share').cancelProjectInvitation(100, b.data?.id ?? 0)).response?.status).toBe(
      204,
    );
    expect((await h.client('admin').listProjectInvitations(100)).data).toEqual([]);
  });

  it('counts pending member invitations against the user limit', async () => {
    const h = await harness();
    await h.client('admin').createProjectInvitation(100, { email: 'n1@acme.test' });
    const full = await h.client('admin').createProjectInvitation(100, { email: 'n2@acme.test' });
    expect(full.error).toMatchObject({ code: 'manage.projectUserLimitReached' });
  });
});

describe('organizations', () => {
  it('only organization members change settings; booleans accept 0/1 and come back as booleans', async () => {
    const h = await harness();
    expect((await h.client('admin').updateOrganization(10, { allowAutoJoin: 1 })).error).toMatchObject({
      httpStatus: 403,
      code: 'manage.updateOrganizationPermissionDenied',
    });
    const r = await h.client('org').updateOrganization(10, { allowAutoJoin: 1, mfaRequired: 0 });
    expect(r.data).toMatchObject({
      allowAutoJoin: true,
      mfaRequired: false,
      maintainer: { id: 1, name: 'Keboola Partner' },
    });
  });

  it('requires MFA only once every organization and project member has it (as Keboola does)', async () => {
    const h = await harness();
    // Project 100 of organization 10 has Gary Guest and Rita Reader, both without MFA.
    const refused = await h.client('org').updateOrganization(10, { mfaRequired: true });
    expect(refused.error).toMatchObject({
      httpStatus: 400,
      message: 'Not all organization and project members have Multi-factor Authentication enabled',
    });
    expect((await h.client('org').getOrganization(10)).data?.mfaRequired).toBe(false);
    for (const id of [IDS.guest, IDS.readOnly])
      expect((await h.client('admin').removeProjectUser(100, id)).response?.status).toBe(204);
    expect((await h.client('org').updateOrganization(10, { mfaRequired: true })).data?.mfaRequired).toBe(
      true,
    );
  });

  it('Auto Join off closes the organization to support and maintainer users', async () => {
    const h = await harness();
    expect((await h.client('support').joinOrganization(10)).error).toMatchObject({
      httpStatus: 403,
      code: 'manage.joinOrganizationPermissionDenied',
    });
    expect(
      (await h.client('maintainer').addOrganizationUser(10, { email: 'x@acme.test' })).error,
    ).toMatchObject({
      code: 'manage.joinOrganizationPermissionDenied',
    });
    expect((await h.client('support').joinOrganization(11)).response?.status).toBe(204);
  });

  it('invitations by members make organization users; MFA requirement refuses users without MFA', async () => {
    const h = await harness({
      fixture: fixtureWith((f) => {
        for (const o of f.organizations) if (o.id === 10) o.mfaRequired = true;
      }),
    });
    const inv = await h.client('org').createOrganizationInvitation(10, { email: 'randy@example.test' });
    expect((await h.client('random').listMyOrganizationInvitations()).data?.map((i) => i.id)).toEqual([
      inv.data?.id,
    ]);
    expect((await h.client('random').acceptOrganizationInvitation(inv.data?.id ?? 0)).error?.message).toBe(
      'This organization requires users to have multi-factor authentication enabled',
    );
    const mark = await h.client('org').createOrganizationInvitation(10, { email: 'mark@partner.test' });
    expect(
      (await h.client('maintainer').acceptOrganizationInvitation(mark.data?.id ?? 0)).response?.status,
    ).toBe(202);
    expect((await h.client('org').listOrganizationUsers(10)).data?.map((u) => u.id)).toEqual([
      IDS.org,
      IDS.maintainer,
    ]);
  });

  it('organization members create projects (as their first admin) and delete them softly', async () => {
    const h = await harness();
    const p = await h.client('org').createProject(10, { name: 'New one' });
    expect(p.data).toMatchObject({
      name: 'New one',
      organization: { id: 10, name: 'Acme Analytics' },
      usage: { users: 1 },
    });
    await h.client('support').requestAccess(100, { reason: 'r' });
    await h.client('admin').createProjectInvitation(100, { email: 'olga@acme.test' });
    expect((await h.client('org').deleteProject(100)).response?.status).toBe(204);
    expect((await h.client('admin').getProject(100)).error).toMatchObject({ httpStatus: 404 });
    expect((await h.client('support').listMyJoinRequests()).data).toEqual([]);
    expect((await h.client('org').listMyProjectInvitations()).data).toEqual([]);
  });
});

describe('support tickets', () => {
  const body = {
    subject: 'Export fails',
    description: 'Since Monday',
    type: 'problem' as const,
    projectId: 100,
  };

  it('same key and user twice: one ticket, the same response, one e-mail to the maintainer', async () => {
    const h = await harness();
    const a = await h.client('guest').createTicket(body, 'key-1');
    const b = await h.client('guest').createTicket(body, 'key-1');
    expect(a.response?.status).toBe(201);
    expect(b.data).toEqual(a.data);
    expect(a.data).toMatchObject({
      number: 'SK-1001',
      routedTo: 'support@partner.test',
      reporter: { id: IDS.guest },
    });
    expect((await h.outbox()).map((m) => [m.to, m.subject])).toEqual([
      ['support@partner.test', '[SK-1001] Export fails'],
    ]);
    const other = await h.client('admin').createTicket(body, 'key-1');
    expect(other.data?.id).not.toBe(a.data?.id);
  });

  it('requires the Idempotency-Key header', async () => {
    const h = await harness();
    const r = await h.client('guest').request('POST', '/support/tickets', body);
    expect(r.error).toMatchObject({ httpStatus: 400 });
  });

  it('goes to vendor support without a project or when the maintainer has no address', async () => {
    const h = await harness({
      fixture: fixtureWith((f) => {
        for (const m of f.maintainers) m.supportEmail = null;
      }),
    });
    const { projectId: _, ...noProject } = body;
    expect((await h.client('guest').createTicket(noProject, 'a')).data?.routedTo).toBe(
      'support@supportkit.test',
    );
    expect((await h.client('guest').createTicket(body, 'b')).data?.routedTo).toBe('support@supportkit.test');
  });

  it('validates attachments: base64, at most 3, each at most 1 MiB (413 beyond)', async () => {
    const h = await harness();
    const small = { name: 'a.txt', type: 'text/plain', data: btoa('hello') };
    const ok = await h.client('guest').createTicket({ ...body, attachments: [small] }, 'k1');
    expect(ok.data?.attachments).toEqual([{ name: 'a.txt', type: 'text/plain', size: 5 }]);
    const four = await h
      .client('guest')
      .createTicket({ ...body, attachments: [small, small, small, small] }, 'k2');
    expect(four.error).toMatchObject({ httpStatus: 400 });
    const notB64 = await h
      .client('guest')
      .createTicket({ ...body, attachments: [{ ...small, data: '***' }] }, 'k3');
    expect(notB64.error).toMatchObject({ httpStatus: 400 });
    const big = { ...small, data: Buffer.alloc(1_048_577).toString('base64') };
    const tooBig = await h.client('guest').createTicket({ ...body, attachments: [big] }, 'k4');
    expect(tooBig.error).toMatchObject({ httpStatus: 413, code: 'manage.payloadTooLarge' });
  });

  it('support sees all tickets, the maintainer those of its organizations, others only their own', async () => {
    const h = await harness();
    await h.client('guest').createTicket(body, 'g');
    await h.client('random').createTicket({ ...body, projectId: undefined }, 'r');
    const ids = async (p: 'support' | 'maintainer' | 'guest' | 'admin') =>
      (await h.client(p).listTickets()).data?.map((t) => t.reporter.id);
    expect(await ids('support')).toEqual([IDS.random, IDS.guest]);
    expect(await ids('maintainer')).toEqual([IDS.guest]);
    expect(await ids('guest')).toEqual([IDS.guest]);
    // Alice decides in project 100: she sees its tickets (issue 20); a ticket without a project is its reporter's.
    expect(await ids('admin')).toEqual([IDS.guest]);
  });
});

describe('access log', () => {
  it('is newest first and pages with offset and limit', async () => {
    const h = await harness();
    const r = await h.client('support').requestAccess(100, { reason: 'one' });
    await h.client('admin').rejectJoinRequest(100, r.data?.id ?? 0);
    await h.client('maintainer').requestAccess(100, { reason: 'two' });
    const all = (await h.client('guest').listAccessLog(100)).data ?? [];
    expect(all.map((e) => e.action)).toEqual(['requested', 'rejected', 'requested']);
    const page = (await h.client('guest').listAccessLog(100, { offset: 1, limit: 1 })).data ?? [];
    expect(page.map((e) => e.action)).toEqual(['rejected']);
    expect((await h.client('guest').listAccessLog(100, { limit: 1001 })).error).toMatchObject({
      httpStatus: 400,
    });
  });
});
