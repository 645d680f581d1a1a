// Support and maintainer users are outsiders, always (docs/rules.md#the-outsider-rule: "support and maintainer users
// are outsiders"): being a member of the organization, or an admin of the project, never makes them
// the customer's own people. Each case here was reproduced as a hole on main (issue 9, findings 1-3, 9).
import { describe, expect, it } from 'vitest';
import type { Fixture } from '../../api/types.ts';
import { fixtureWith, type Harness, harness, IDS, T0 } from '../testing.ts';

const reason = 'Investigating SK-1002';
const T0_SEC = Math.floor(T0 / 1000);
const at = (sec: number) => `${new Date(sec * 1000).toISOString().slice(0, 19)}+0000`;
const H48 = at(T0_SEC + 48 * 3600);

type H = Harness;
const status = (r: { response?: Response }) => r.response?.status;
const reasonKey = (r: { error?: unknown }) => {
  const e = r.error as { kind?: string; errors?: { key: string }[] } | undefined;
  return e?.kind === 'http' ? e.errors?.[0]?.key : undefined;
};
const logActions = async (h: H, projectId: number) =>
  (await h.store.find('accessLog', { projectId })).map((r) => r.action);

/** Sam (support) and Mark (maintainer) already members of organization 10 (Auto Join off). */
const outsidersInOrg10: Fixture = fixtureWith((f) => {
  f.organizationMembers.push(
    { organizationId: 10, userId: IDS.support },
    { organizationId: 10, userId: IDS.maintainer },
  );
});

describe('the organization path (finding 1)', () => {
  it('refuses a support or maintainer user without MFA joining an organization with Auto Join on (403 manage.mfaRequired: no standing)', async () => {
    const h = await harness();
    const r = await h.client('supportNoMfa').joinOrganization(11);
    expect(r.error).toMatchObject({ httpStatus: 403, code: 'manage.mfaRequired' });
    await h.store.update('users', IDS.maintainer, { mfaEnabled: false });
    expect((await h.client('maintainer').joinOrganization(11)).error).toMatchObject({
      httpStatus: 403,
      code: 'manage.mfaRequired',
    });
    expect(await h.store.count('organizationMembers', { organizationId: 11 })).toBe(1);
  });

  it('a support user who joined the organization still needs a reason to join its project, and gets support access', async () => {
    const h = await harness();
    const sam = h.client('support');
    expect(status(await sam.joinOrganization(11))).toBe(204);
    const noReason = await sam.joinProject(101, {});
    expect(noReason.error).toMatchObject({ httpStatus: 400 });
    expect(reasonKey(noReason)).toBe('reason');
    expect(status(await sam.joinProject(101, { reason, expirationSeconds: 8 * 24 * 3600 }))).toBe(400);
    expect(status(await sam.joinProject(101, { reason }))).toBe(204);
    const me = (await sam.listProjectUsers(101)).data?.find((u) => u.id === IDS.support);
    // kind support is what the widget badges; 48 h is the default expiry.
    expect(me).toMatchObject({ kind: 'support', reason, expires: H48, role: 'admin' });
    expect((await sam.getProject(101)).data?.usage.users).toBe(1);
  });

  it('a maintainer user who joined the organization gets maintainer access with a reason', async () => {
    const h = await harness();
    const mark = h.client('maintainer');
    expect(status(await mark.joinOrganization(11))).toBe(204);
    expect(reasonKey(await mark.joinProject(101, {}))).toBe('reason');
    expect(status(await mark.joinProject(101, { reason, expirationSeconds: 3600 }))).toBe(204);
    const me = (await mark.listProjectUsers(101)).data?.find((u) => u.id === IDS.maintainer);
    expect(me).toMatchObject({ kind: 'maintainer', expires: at(T0_SEC + 3600) });
  });

  it('outsiders in the organization may not remove, add or invite its users, change its settings or create projects (403)', async () => {
    const h = await harness();
    for (const p of ['support', 'maintainer'] as const) {
      const c = h.client(p);
      expect(status(await c.joinOrganization(11)), p).toBe(204);
      expect((await c.removeOrganizationUser(11, IDS.betaAdmin)).error, p).toMatchObject({ httpStatus: 403 });
      expect((await c.addOrganizationUser(11, { email: 'any@where.test' })).error, p).toMatchObject({
        httpStatus: 403,
      });
      expect((await c.createOrganizationInvitation(11, { email: 'any@where.test' })).error, p).toMatchObject({
        httpStatus: 403,
      });
      expect((await c.updateOrganization(11, { allowAutoJoin: false })).error, p).toMatchObject({
        httpStatus: 403,
        code: 'manage.updateOrganizationPermissionDenied',
      });
      expect((await c.updateOrganization(11, { mfaRequired: true })).error, p).toMatchObject({
        httpStatus: 403,
      });
      expect((await c.createProject(11, { name: 'Mine' })).error, p).toMatchObject({ httpStatus: 403 });
    }
    expect(
      await h.store.first('organizationMembers', { organizationId: 11, userId: IDS.betaAdmin }),
    ).toBeDefined();
    expect(await h.store.first('users', { email: 'any@where.test' })).toBeUndefined();
    expect(await h.store.get('organizations', 11)).toMatchObject({ allowAutoJoin: true, mfaRequired: false });
  });

  it('an outsider who is an organization member is still refused with Auto Join off, and requests access instead', async () => {
    const h = await harness({ fixture: outsidersInOrg10 });
    expect((await h.client('support').joinProject(100, { reason })).error).toMatchObject({ httpStatus: 403 });
    const r = await h.client('maintainer').requestAccess(100, {});
    expect(reasonKey(r)).toBe('reason');
    expect(status(await h.client('maintainer').requestAccess(100, { reason }))).toBe(201);
    expect((await h.client('support').addOrganizationUser(10, { email: 'x@y.test' })).error).toMatchObject({
      httpStatus: 403,
    });
  });

  it('an outsider may leave the organization; joining and leaving are in the access log of its projects', async () => {
    const h = await harness();
    expect(status(await h.client('support').joinOrganization(11))).toBe(204);
    expect(status(await h.client('support').removeOrganizationUser(11, IDS.support))).toBe(204);
    expect(
      await h.store.first('organizationMembers', { organizationId: 11, userId: IDS.support }),
    ).toBeUndefined();
    expect(status(await h.client('maintainer').joinOrganization(11))).toBe(204);
    expect(status(await h.client('betaAdmin').removeOrganizationUser(11, IDS.maintainer))).toBe(204);
    const log = (await h.client('betaAdmin').listAccessLog(101)).data ?? [];
    expect(log.map((e) => [e.action, e.actor?.id, e.subject?.id])).toEqual([
      ['organizationLeft', IDS.betaAdmin, IDS.maintainer],
      ['organizationJoined', IDS.maintainer, IDS.maintainer],
      ['organizationLeft', IDS.support, IDS.support],
      ['organizationJoined', IDS.support, IDS.support],
    ]);
    expect(log[3]?.details).toMatchObject({ organizationId: 11, kind: 'support' });
  });

  it('a customer adding or inviting an outsider to the organization needs the outsider to have MFA, and logs it', async () => {
    const h = await harness();
    const bob = h.client('betaAdmin');
    expect((await bob.addOrganizationUser(11, { email: 'nora@supportkit.test' })).error).toMatchObject({
      httpStatus: 400,
      code: 'manage.mfaRequired',
    });
    expect(status(await bob.addOrganizationUser(11, { email: 'sam@supportkit.test' }))).toBe(204);
    expect(await logActions(h, 101)).toEqual(['organizationJoined']);
    const inv = await bob.createOrganizationInvitation(11, { email: 'nora@supportkit.test' });
    // Nora herself, without MFA, has no standing to accept anything (403 before any rule runs).
    expect(
      (await h.client('supportNoMfa').acceptOrganizationInvitation(inv.data?.id ?? 0)).error,
    ).toMatchObject({
      httpStatus: 403,
      code: 'manage.mfaRequired',
    });
  });

  it('a fixture member who is a support user and an organization member gets kind support', async () => {
    const h = await harness({
      fixture: fixtureWith((f) => {
        f.organizationMembers.push({ organizationId: 10, userId: IDS.support });
        f.projectMembers.push({ projectId: 100, userId: IDS.support, role: 'admin', expires: H48 });
      }),
    });
    const users = (await h.client('admin').listProjectUsers(100)).data ?? [];
    expect(users.find((u) => u.id === IDS.support)?.kind).toBe('support');
    expect((await h.client('admin').getProject(100)).data?.usage.users).toBe(4);
  });
});

/** Sam approved into project 100 (role admin, kind support); Mark has a pending request. */
async function approvedSupport(fixture?: Fixture) {
  const h = await harness(fixture ? { fixture } : {});
  const sam = await h.client('support').requestAccess(100, { reason, expirationSeconds: 3600 });
  expect(status(await h.client('admin').approveJoinRequest(100, sam.data?.id ?? 0))).toBe(202);
  const mark = await h.client('maintainer').requestAccess(100, { reason });
  return { h, markRequest: mark.data?.id ?? 0 };
}

describe('outsiders deciding and managing users (finding 2)', () => {
  it('an approved support member is not mailed about the next request and may not decide it (403)', async () => {
    const { h, markRequest } = await approvedSupport();
    const toSam = (await h.outbox()).filter((m) => m.to === 'sam@supportkit.test');
    expect(toSam.map((m) => m.subject)).toEqual(['Your access request for Acme Main was approved']);
    expect((await h.events(IDS.support)).map((e) => e.event.type)).not.toContain('joinRequest.created');
    expect((await h.client('support').approveJoinRequest(100, markRequest)).error).toMatchObject({
      httpStatus: 403,
    });
    expect((await h.client('support').rejectJoinRequest(100, markRequest)).error).toMatchObject({
      httpStatus: 403,
    });
    expect((await h.store.get('joinRequests', markRequest))?.status).toBe('pending');
  });

  it('an outsider who is also an organization member and an admin member may not decide either', async () => {
    const { h, markRequest } = await approvedSupport(outsidersInOrg10);
    expect((await h.store.first('projectMembers', { projectId: 100, userId: IDS.support }))?.kind).toBe(
      'support',
    );
    expect((await h.client('support').approveJoinRequest(100, markRequest)).error).toMatchObject({
      httpStatus: 403,
    });
  });

  it('an approved support member may not add, invite, change roles of or remove others, nor delete the project (403)', async () => {
    const { h } = await approvedSupport();
    const sam = h.client('support');
    expect((await sam.addProjectUser(100, { email: 'friend@evil.test', role: 'admin' })).error).toMatchObject(
      {
        httpStatus: 403,
      },
    );
    expect((await sam.addProjectUser(100, { email: 'mark@partner.test', reason })).error).toMatchObject({
      httpStatus: 403,
    });
    expect((await sam.createProjectInvitation(100, { email: 'friend@evil.test' })).error).toMatchObject({
      httpStatus: 403,
    });
    expect((await sam.updateProjectUser(100, IDS.guest, { role: 'admin' })).error).toMatchObject({
      httpStatus: 403,
    });
    expect((await sam.removeProjectUser(100, IDS.admin)).error).toMatchObject({ httpStatus: 403 });
    expect((await sam.deleteProject(100)).error).toMatchObject({ httpStatus: 403 });
    expect((await h.store.get('projects', 100))?.deleted).toBeNull();
    expect(await h.store.first('users', { email: 'friend@evil.test' })).toBeUndefined();
    expect(await h.store.count('projectMembers', { projectId: 100 })).toBe(5);
  });

  it('approving an outsider who has turned MFA off since requesting is refused (400 manage.mfaRequired)', async () => {
    const h = await harness();
    const req = await h.client('support').requestAccess(100, { reason });
    await h.store.update('users', IDS.support, { mfaEnabled: false });
    expect((await h.client('admin').approveJoinRequest(100, req.data?.id ?? 0)).error).toMatchObject({
      httpStatus: 400,
      code: 'manage.mfaRequired',
    });
    expect((await h.store.get('joinRequests', req.data?.id ?? 0))?.status).toBe('pending');
    expect(status(await h.client('admin').rejectJoinRequest(100, req.data?.id ?? 0))).toBe(204);
  });

  it('an approved support member may still read, create a Storage token and leave', async () => {
    const { h } = await approvedSupport();
    const sam = h.client('support');
    expect(status(await sam.listProjectUsers(100))).toBe(200);
    expect(status(await sam.createStorageToken(100, { description: 'look' }))).toBe(201);
    expect(status(await sam.removeProjectUser(100, IDS.support))).toBe(204);
  });
});

describe('decided by who the user is, not by the membership row', () => {
  it('a customer admin made support keeps the row but loses the rights, and her tokens expire', async () => {
    const h = await harness();
    const req = await h.client('maintainer').requestAccess(100, { reason });
    await h.store.update('users', IDS.admin, { isSuperAdmin: true });
    const alice = h.client('admin');
    expect((await alice.approveJoinRequest(100, req.data?.id ?? 0)).error).toMatchObject({ httpStatus: 403 });
    expect((await alice.addProjectUser(100, { email: 'x@acme.test' })).error).toMatchObject({
      httpStatus: 403,
    });
    expect((await alice.deleteProject(100)).error).toMatchObject({ httpStatus: 403 });
    const t = await alice.createStorageToken(100, { description: 'look' });
    expect(t.data?.expires).toBe(H48);
  });

  it('a support row gives no rights to a user who is no longer support', async () => {
    const h = await harness({
      fixture: fixtureWith((f) => {
        f.projectMembers.push({ projectId: 100, userId: IDS.support, role: 'admin' });
      }),
    });
    const req = await h.client('maintainer').requestAccess(100, { reason });
    await h.store.update('users', IDS.support, { isSuperAdmin: false });
    expect((await h.client('support').approveJoinRequest(100, req.data?.id ?? 0)).error).toMatchObject({
      httpStatus: 403,
    });
    expect((await h.client('support').addProjectUser(100, { email: 'x@acme.test' })).error).toMatchObject({
      httpStatus: 403,
    });
  });
});

describe('adding and inviting outsiders gives support access', () => {
  it('adding a support user needs a reason from the adder and makes an expiring support member', async () => {
    const h = await harness();
    const alice = h.client('admin');
    const noReason = await alice.addProjectUser(100, { email: 'sam@supportkit.test' });
    expect(noReason.error).toMatchObject({ httpStatus: 400 });
    expect(reasonKey(noReason)).toBe('reason');
    expect(
      status(
        await alice.addProjectUser(100, {
          email: 'sam@supportkit.test',
          reason: 'x',
          expirationSeconds: 8 * 86400,
        }),
      ),
    ).toBe(400);
    expect(status(await alice.addProjectUser(100, { email: 'sam@supportkit.test', reason }))).toBe(204);
    const sam = (await alice.listProjectUsers(100)).data?.find((u) => u.id === IDS.support);
    expect(sam).toMatchObject({ kind: 'support', reason, expires: H48 });
  });

  it('inviting a maintainer user needs a reason; accepting makes an expiring maintainer member', async () => {
    const h = await harness();
    const alice = h.client('admin');
    expect(reasonKey(await alice.createProjectInvitation(100, { email: 'mark@partner.test' }))).toBe(
      'reason',
    );
    const inv = await alice.createProjectInvitation(100, { email: 'mark@partner.test', reason });
    expect(inv.data).toMatchObject({ reason, expires: H48 });
    expect(status(await h.client('maintainer').acceptProjectInvitation(inv.data?.id ?? 0))).toBe(202);
    const mark = (await alice.listProjectUsers(100)).data?.find((u) => u.id === IDS.maintainer);
    expect(mark).toMatchObject({ kind: 'maintainer', reason, expires: H48 });
  });

  it('an invitation made before its user became support cannot make a permanent support member', async () => {
    const h = await harness();
    const inv = await h.client('admin').createProjectInvitation(100, { email: 'randy@example.test' });
    expect(inv.data?.expires).toBeNull();
    await h.store.update('users', IDS.random, { isSuperAdmin: true, mfaEnabled: true });
    const accepted = await h.client('random').acceptProjectInvitation(inv.data?.id ?? 0);
    expect(accepted.error).toMatchObject({ httpStatus: 400 });
    expect(reasonKey(accepted)).toBe('reason');
    expect(await h.store.count('projectMembers', { projectId: 100, userId: IDS.random })).toBe(0);
  });
});

describe('Storage tokens of outsiders never outlive the membership (finding 3)', () => {
  it('caps expires at the membership expiry whether expiresIn is absent, null or ten years', async () => {
    const h = await harness();
    const sam = h.client('support');
    await sam.joinProject(101, { reason, expirationSeconds: 60 });
    const end = at(T0_SEC + 60);
    for (const expiresIn of [undefined, null, 315_360_000, 61]) {
      const res = await h.fetch('http://backend.test/manage/projects/101/tokens', {
        method: 'POST',
        headers: { 'X-KBC-ManageApiToken': 'demo-support-token', 'Content-Type': 'application/json' },
        body: JSON.stringify({ description: 'look', expiresIn }),
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { expires: string | null }).expires, String(expiresIn)).toBe(end);
    }
    // Shorter than the membership: kept as asked.
    expect((await sam.createStorageToken(101, { description: 'look', expiresIn: 30 })).data?.expires).toBe(
      at(T0_SEC + 30),
    );
    expect(
      (await h.store.find('storageTokens', { userId: IDS.support })).every(
        (t) => (t.expires ?? Infinity) <= T0_SEC + 60,
      ),
    ).toBe(true);
  });

  it("caps a maintainer member too, and leaves a customer member's token as asked", async () => {
    const h = await harness();
    await h.client('maintainer').joinProject(101, { reason, expirationSeconds: 120 });
    const t = await h.client('maintainer').createStorageToken(101, { description: 'look' });
    expect(t.data?.expires).toBe(at(T0_SEC + 120));
    const own = await h.client('betaAdmin').createStorageToken(101, { description: 'mine' });
    expect(own.data?.expires).toBeNull();
  });

  it('logs a Storage token made by an outsider, not one made by the customer', async () => {
    const h = await harness();
    await h.client('support').joinProject(101, { reason });
    const t = await h.client('support').createStorageToken(101, { description: 'look' });
    await h.client('betaAdmin').createStorageToken(101, { description: 'mine' });
    const entry = await h.store.find('accessLog', { projectId: 101, action: 'storageTokenCreated' });
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({
      actor: { id: IDS.support },
      details: { tokenId: t.data?.id, description: 'look', expires: H48 },
    });
  });
});

describe('project deletion is logged', () => {
  it('records who deleted the project', async () => {
    const h = await harness();
    expect(status(await h.client('admin').deleteProject(100))).toBe(204);
    expect((await h.store.find('accessLog', { projectId: 100 })).map((r) => [r.action, r.actor?.id])).toEqual(
      [['projectDeleted', IDS.admin]],
    );
  });
});

describe('reasons (finding 9)', () => {
  it.each([
    ['zero-width space', '\u200b'],
    ['NUL', '\u0000'],
    ['word joiner', '\u2060'],
    ['invisible mix', ' \u200b\u2060\ufeff\u00a0 '],
    ['punctuation only', '...!?'],
    ['an emoji only', '\u{1F419}'],
    ['a letter with NUL', 'look\u0000'],
    ['a letter with an escape', 'look\u001b[31m'],
    ['a right-to-left override', 'look \u202Egnp.exe'],
    ['a bidi isolate', 'look \u2066x\u2069'],
    ['a C1 control', 'look\u009b31m'],
    ['a form feed', 'look\u000c'],
  ])('refuses a reason of %s with errors key reason', async (_, bad) => {
    const h = await harness();
    for (const r of [
      await h.client('support').joinProject(101, { reason: bad }),
      await h.client('maintainer').requestAccess(100, { reason: bad }),
    ]) {
      expect(r.error).toMatchObject({ httpStatus: 400 });
      expect(reasonKey(r)).toBe('reason');
    }
    expect(await h.store.count('projectMembers', { projectId: 101 })).toBe(1);
    expect(await h.store.count('joinRequests', {})).toBe(0);
  });

  it.each([
    ['line breaks and tabs', 'Ticket SK-1\n\tsee\r\nlogs'],
    ['non-Latin letters', '調査'],
    ['a non-ASCII digit', '\u0663'],
    ['accents', 'Überprüfung'],
    ['1,000 characters', 'x'.repeat(1000)],
    ['1,000 astral letters', '\u{10400}'.repeat(1000)],
  ])('accepts a reason with %s', async (_, good) => {
    const h = await harness();
    expect(status(await h.client('support').joinProject(101, { reason: good }))).toBe(204);
  });

  it('refuses 1,001 characters', async () => {
    const h = await harness();
    const r = await h.client('support').joinProject(101, { reason: 'x'.repeat(1001) });
    expect(reasonKey(r)).toBe('reason');
  });

  it('refuses control characters from organization users too, and treats an invisible reason as none', async () => {
    const h = await harness();
    const bad = await h
      .client('betaAdmin')
      .addProjectUser(101, { email: 'new@beta.test', reason: 'a\u0007' });
    expect(reasonKey(bad)).toBe('reason');
    expect(
      status(await h.client('betaAdmin').addProjectUser(101, { email: 'new@beta.test', reason: '\u200b' })),
    ).toBe(204);
    const added = (await h.client('betaAdmin').listProjectUsers(101)).data?.find(
      (u) => u.email === 'new@beta.test',
    );
    expect(added?.reason).toBeNull();
  });
});
