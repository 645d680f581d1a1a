// Organizations: settings (Auto Join, MFA), members and invitations. Auto Join off closes the
// organization to support and maintainer users too.
import type { z } from 'zod';
import type { UpdateOrganizationBody } from '../../api/schemas.ts';
import type {
  MyOrganizationInvitation,
  Organization,
  OrganizationInvitation,
  OrganizationUser,
} from '../../api/types.ts';
import type { OrganizationInvitationRow, OrganizationRow, UserRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec, type TxCtx } from './context.ts';
import { badRequest, forbidden, notFound } from './errors.ts';
import {
  formatMyOrganizationInvitation,
  formatOrganization,
  formatOrganizationInvitation,
  formatOrganizationUsers,
  orgRef,
  userRef,
} from './format.ts';
import {
  cleanText,
  NAME_FIELD,
  ORG_MFA_MESSAGE,
  outsiderMfaRequired,
  parseEmail,
  userByEmail,
} from './inputs.ts';
import { emit, logAccess, membersOf, organizationPageUrl } from './notify.ts';
import {
  activeMember,
  alive,
  isOrgMember,
  isOutsider,
  type Outsider,
  type Relation,
  relationToOrg,
  requireOrganization,
} from './relations.ts';
import { queueWebhookEvent } from './webhook-events.ts';

async function orgAccess(
  ctx: Ctx,
  organizationId: number,
  user: UserRow,
): Promise<{ org: OrganizationRow; relation: Relation }> {
  const org = await requireOrganization(ctx, organizationId);
  return { org, relation: await relationToOrg(ctx, org, user) };
}

const liveProjectsOf = (ctx: Ctx, organizationId: number) =>
  ctx.store.find('projects', { organizationId, deleted: null });

/**
 * Organization, maintainer and support users read an organization (its name and settings, Auto Join
 * among them: what an outsider needs to know to ask for access); so do members of its projects.
 */
async function assertOrgReader(ctx: Ctx, org: OrganizationRow, relation: Relation, user: UserRow) {
  if (relation !== 'random') return;
  for (const p of await liveProjectsOf(ctx, org.id)) if (await activeMember(ctx, p.id, user.id)) return;
  throw forbidden("You don't have access to the organization");
}

/**
 * Who may read an organization's people (its users and invitations): its organization users, and
 * support and maintainer users only while they are members of it (they joined it). An outsider who
 * is not a member sees the organization itself (its Auto Join) and nothing about who is in it.
 */
async function assertOrgPeopleReader(ctx: Ctx, org: OrganizationRow, relation: Relation, user: UserRow) {
  if (relation === 'organization') return;
  if (isOutsider(relation) && (await isOrgMember(ctx, org.id, user.id))) return;
  throw forbidden(
    isOutsider(relation)
      ? "Support and maintainer users read an organization's users and invitations only as its members."
      : "You don't have access to the organization",
  );
}

/** Organization users only: support and maintainer users are never that, even as members. */
function assertOrgMember(relation: Relation): void {
  if (relation !== 'organization') throw forbidden('Only members of the organization may do this.');
}

export async function getOrganization(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
): Promise<Organization> {
  const { org, relation } = await orgAccess(ctx, organizationId, user);
  await assertOrgReader(ctx, org, relation, user);
  return formatOrganization(ctx, org);
}

export async function updateOrganization(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  body: z.output<typeof UpdateOrganizationBody>,
): Promise<Organization> {
  return mutate(ctx, async (ctx) => {
    const { org, relation } = await orgAccess(ctx, organizationId, user);
    if (relation !== 'organization')
      throw forbidden(
        'Only members of the organization may change its settings.',
        'manage.updateOrganizationPermissionDenied',
      );
    const name = body.name === undefined ? undefined : cleanText(body.name, NAME_FIELD);
    if (body.mfaRequired === true && !org.mfaRequired) await assertEveryoneHasMfa(ctx, organizationId);
    await ctx.store.update('organizations', org.id, {
      name: name ?? org.name,
      allowAutoJoin: body.allowAutoJoin ?? org.allowAutoJoin,
      mfaRequired: body.mfaRequired ?? org.mfaRequired,
    });
    if (body.allowAutoJoin !== undefined && body.allowAutoJoin !== org.allowAutoJoin) {
      const by = userRef(user);
      const recipients = new Set(
        (await ctx.store.find('organizationMembers', { organizationId })).map((m) => m.userId),
      );
      for (const p of await liveProjectsOf(ctx, organizationId)) {
        await logAccess(ctx, p.id, 'autoJoinChanged', {
          actor: by,
          subject: null,
          details: { allowAutoJoin: body.allowAutoJoin },
        });
        for (const userId of await membersOf(ctx, p.id)) recipients.add(userId);
      }
      const organization = await orgRef(ctx, organizationId);
      await emit(ctx, recipients, {
        type: 'organization.autoJoinChanged',
        organization,
        allowAutoJoin: body.allowAutoJoin,
        by,
      });
      // One event for the organization (the access log has one entry per project).
      await queueWebhookEvent(ctx, organizationId, 'organization.autoJoinChanged', {
        organization,
        project: null,
        actor: by,
        subject: null,
        reason: null,
        details: { allowAutoJoin: body.allowAutoJoin },
        url: organizationPageUrl(ctx, organizationId),
      });
    }
    const updated = await requireOrganization(ctx, organizationId);
    return formatOrganization(ctx, updated);
  });
}

/**
 * Keboola refuses to require MFA while someone it would lock out is still in (tests/
 * OrganizationMfaValidationTest.php at 1f2a759): every organization member and every active member of
 * its live projects must have MFA first.
 */
async function assertEveryoneHasMfa(ctx: Ctx, organizationId: number): Promise<void> {
  const userIds = new Set(
    (await ctx.store.find('organizationMembers', { organizationId })).map((m) => m.userId),
  );
  for (const p of await liveProjectsOf(ctx, organizationId))
    for (const id of await membersOf(ctx, p.id)) userIds.add(id);
  // One batched look-up of everyone's MFA, not one per user.
  const users = await ctx.store.getMany('users', [...userIds]);
  for (const id of userIds)
    if (users.get(id)?.mfaEnabled === false)
      throw badRequest('Not all organization and project members have Multi-factor Authentication enabled');
}

/**
 * Every way into an organization ends here (joining, being added, accepting an invitation). An
 * outsider needs MFA whatever the organization requires, and their arrival goes into the access
 * log of each of its projects: organization membership gives them no rights, but it is worth seeing.
 */
async function addOrgMember(ctx: TxCtx, org: OrganizationRow, user: UserRow, by: UserRow): Promise<void> {
  const relation = await relationToOrg(ctx, org, user);
  if (isOutsider(relation) && !user.mfaEnabled) throw outsiderMfaRequired('join an organization');
  if (org.mfaRequired && !user.mfaEnabled) throw badRequest(ORG_MFA_MESSAGE);
  await ctx.store.insert('organizationMembers', {
    organizationId: org.id,
    userId: user.id,
    created: nowSec(ctx),
    invitorId: by.id === user.id ? null : by.id,
  });
  for (const i of await ctx.store.find('organizationInvitations', {
    organizationId: org.id,
    userId: user.id,
  }))
    await ctx.store.delete('organizationInvitations', i.id);
  if (isOutsider(relation)) await logOutsiderInOrg(ctx, org, 'organizationJoined', by, user, relation);
}

async function logOutsiderInOrg(
  ctx: TxCtx,
  org: OrganizationRow,
  action: 'organizationJoined' | 'organizationLeft',
  by: UserRow,
  subject: UserRow,
  kind: Outsider,
): Promise<void> {
  for (const p of await liveProjectsOf(ctx, org.id))
    await logAccess(ctx, p.id, action, {
      actor: userRef(by),
      subject: userRef(subject),
      details: { organizationId: org.id, kind },
    });
}

/** Outsiders may join only while Auto Join is on; random users never. */
function assertMayJoinOrg(org: OrganizationRow, relation: Relation): void {
  if (relation === 'random') throw forbidden("You don't have access to the organization");
  if (isOutsider(relation) && !org.allowAutoJoin)
    throw forbidden(
      'Auto Join is disabled: new organization users come only through invitations by its members.',
      'manage.joinOrganizationPermissionDenied',
    );
}

export async function joinOrganization(ctx: Ctx, user: UserRow, organizationId: number): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const { org, relation } = await orgAccess(ctx, organizationId, user);
    // An outsider already in the organization is "already a member" too, not a second row.
    if (await isOrgMember(ctx, org.id, user.id))
      throw badRequest('You are already a member of the organization.');
    assertMayJoinOrg(org, relation);
    await addOrgMember(ctx, org, user, user);
  });
}

export async function listOrganizationUsers(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
): Promise<OrganizationUser[]> {
  const { org, relation } = await orgAccess(ctx, organizationId, user);
  await assertOrgPeopleReader(ctx, org, relation, user);
  return formatOrganizationUsers(ctx, await ctx.store.find('organizationMembers', { organizationId }));
}

export async function addOrganizationUser(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  body: { email: string },
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const { org, relation } = await orgAccess(ctx, organizationId, user);
    // Outsiders never add organization users, Auto Join on or off (they may only join themselves).
    if (isOutsider(relation))
      throw forbidden(
        'Support and maintainer users may not add users to an organization.',
        'manage.joinOrganizationPermissionDenied',
      );
    assertOrgMember(relation);
    const target = await userByEmail(ctx, parseEmail(body.email));
    if (await isOrgMember(ctx, organizationId, target.id))
      throw badRequest(`User ${target.email} is already a member of the organization.`);
    await addOrgMember(ctx, org, target, user);
  });
}

export async function removeOrganizationUser(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  userId: number,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const { org, relation } = await orgAccess(ctx, organizationId, user);
    // Any member may leave (an outsider included); only organization users remove others.
    const leaving = userId === user.id && (await isOrgMember(ctx, organizationId, userId));
    if (!leaving) assertOrgMember(relation);
    const m = await ctx.store.first('organizationMembers', { organizationId, userId });
    if (!m) throw notFound(`User ${userId} is not a member of the organization`);
    await ctx.store.delete('organizationMembers', m.id);
    const subject = leaving ? user : await ctx.store.get('users', userId);
    const kind = subject ? await relationToOrg(ctx, org, subject) : 'random';
    if (subject && isOutsider(kind))
      await logOutsiderInOrg(ctx, org, 'organizationLeft', user, subject, kind);
  });
}

const liveOrgInvitations = async (ctx: Ctx, filter: { organizationId?: number; userId?: number }) =>
  (await ctx.store.find('organizationInvitations', filter)).filter((i) => alive(ctx, i.expires));

export async function listOrganizationInvitations(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
): Promise<OrganizationInvitation[]> {
  const { org, relation } = await orgAccess(ctx, organizationId, user);
  await assertOrgPeopleReader(ctx, org, relation, user);
  const rows = await liveOrgInvitations(ctx, { organizationId });
  return Promise.all(rows.map((i) => formatOrganizationInvitation(ctx, i)));
}

export async function createOrganizationInvitation(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  body: { email: string },
): Promise<OrganizationInvitation> {
  return mutate(ctx, async (ctx) => {
    const { relation } = await orgAccess(ctx, organizationId, user);
    assertOrgMember(relation);
    const email = parseEmail(body.email);
    if (email === user.email.toLowerCase()) throw badRequest('You cannot invite yourself.');
    const target = await userByEmail(ctx, email);
    if (await isOrgMember(ctx, organizationId, target.id))
      throw badRequest(`User ${email} is already a member of the organization.`);
    if ((await liveOrgInvitations(ctx, { organizationId, userId: target.id })).length)
      throw badRequest(`User ${email} is already invited to the organization.`);
    const id = await ctx.store.insert('organizationInvitations', {
      organizationId,
      userId: target.id,
      creatorId: user.id,
      created: nowSec(ctx),
      expires: null,
    });
    const row = await ctx.store.get('organizationInvitations', id);
    if (!row) throw new Error('Invitation insert failed');
    return formatOrganizationInvitation(ctx, row);
  });
}

export async function cancelOrganizationInvitation(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  id: number,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const { relation } = await orgAccess(ctx, organizationId, user);
    assertOrgMember(relation);
    const i = await ctx.store.get('organizationInvitations', id);
    if (!i || i.organizationId !== organizationId || !alive(ctx, i.expires))
      throw notFound(`Invitation ${id} not found`);
    await ctx.store.delete('organizationInvitations', id);
  });
}

export async function listMyOrganizationInvitations(
  ctx: Ctx,
  user: UserRow,
): Promise<MyOrganizationInvitation[]> {
  const rows = await liveOrgInvitations(ctx, { userId: user.id });
  return Promise.all(rows.map((i) => formatMyOrganizationInvitation(ctx, i)));
}

async function myOrgInvitation(ctx: Ctx, user: UserRow, id: number): Promise<OrganizationInvitationRow> {
  const i = await ctx.store.get('organizationInvitations', id);
  if (!i || i.userId !== user.id || !alive(ctx, i.expires)) throw notFound(`Invitation ${id} not found`);
  return i;
}

export async function acceptOrganizationInvitation(ctx: Ctx, user: UserRow, id: number): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const i = await myOrgInvitation(ctx, user, id);
    const org = await requireOrganization(ctx, i.organizationId);
    if (await isOrgMember(ctx, org.id, user.id)) {
      await ctx.store.delete('organizationInvitations', i.id);
      return;
    }
    const creator = await ctx.store.get('users', i.creatorId);
    await addOrgMember(ctx, org, user, creator ?? user);
  });
}

export async function declineOrganizationInvitation(ctx: Ctx, user: UserRow, id: number): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const i = await myOrgInvitation(ctx, user, id);
    await ctx.store.delete('organizationInvitations', i.id);
  });
}
