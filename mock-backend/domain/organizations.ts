// Organizations: settings (Auto Join, MFA), members and invitations. Auto Join off closes the
// organization to support and maintainer users too.
import type {
  MyOrganizationInvitation,
  Organization,
  OrganizationInvitation,
  OrganizationUser,
} from '../../api/types.ts';
import type { OrganizationInvitationRow, OrganizationRow, UserRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec } from './context.ts';
import { badRequest, forbidden, notFound, validation } from './errors.ts';
import {
  formatMyOrganizationInvitation,
  formatOrganization,
  formatOrganizationInvitation,
  formatOrganizationUsers,
  orgRef,
  userRef,
} from './format.ts';
import { ORG_MFA_MESSAGE, outsiderMfaRequired, parseEmail, userByEmail } from './inputs.ts';
import { emit, logAccess, membersOf } from './notify.ts';
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

function orgAccess(
  ctx: Ctx,
  organizationId: number,
  user: UserRow,
): { org: OrganizationRow; relation: Relation } {
  const org = requireOrganization(ctx, organizationId);
  return { org, relation: relationToOrg(ctx, org, user) };
}

const liveProjectsOf = (ctx: Ctx, organizationId: number) =>
  ctx.store.find('projects', { organizationId, deleted: null });

/** Organization, maintainer and support users read an organization; so do members of its projects (they see its settings). */
function assertOrgReader(
  ctx: Ctx,
  org: OrganizationRow,
  relation: Relation,
  user: UserRow,
  withProjectMembers: boolean,
): void {
  if (relation !== 'random') return;
  if (withProjectMembers && liveProjectsOf(ctx, org.id).some((p) => activeMember(ctx, p.id, user.id))) return;
  throw forbidden("You don't have access to the organization");
}

/** Organization users only: support and maintainer users are never that, even as members. */
function assertOrgMember(relation: Relation): void {
  if (relation !== 'organization') throw forbidden('Only members of the organization may do this.');
}

export function getOrganization(ctx: Ctx, user: UserRow, organizationId: number): Organization {
  const { org, relation } = orgAccess(ctx, organizationId, user);
  assertOrgReader(ctx, org, relation, user, true);
  return formatOrganization(ctx, org);
}

export interface UpdateOrganizationInput {
  name?: string;
  allowAutoJoin?: boolean;
  mfaRequired?: boolean;
}

export function updateOrganization(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  body: UpdateOrganizationInput,
): Organization {
  return mutate(ctx, () => {
    const { org, relation } = orgAccess(ctx, organizationId, user);
    if (relation !== 'organization')
      throw forbidden(
        'Only members of the organization may change its settings.',
        'manage.updateOrganizationPermissionDenied',
      );
    const name = body.name?.trim();
    if (body.name !== undefined && (!name || name.length > 255))
      throw validation('Name must be 1 to 255 characters long.', 'name');
    if (body.mfaRequired === true && !org.mfaRequired) assertEveryoneHasMfa(ctx, organizationId);
    ctx.store.update('organizations', org.id, {
      name: name ?? org.name,
      allowAutoJoin: body.allowAutoJoin ?? org.allowAutoJoin,
      mfaRequired: body.mfaRequired ?? org.mfaRequired,
    });
    if (body.allowAutoJoin !== undefined && body.allowAutoJoin !== org.allowAutoJoin) {
      const by = userRef(user);
      const recipients = new Set(
        ctx.store.find('organizationMembers', { organizationId }).map((m) => m.userId),
      );
      for (const p of liveProjectsOf(ctx, organizationId)) {
        logAccess(ctx, p.id, 'autoJoinChanged', {
          actor: by,
          subject: null,
          details: { allowAutoJoin: body.allowAutoJoin },
        });
        for (const userId of membersOf(ctx, p.id)) recipients.add(userId);
      }
      emit(ctx, recipients, {
        type: 'organization.autoJoinChanged',
        organization: orgRef(ctx, organizationId),
        allowAutoJoin: body.allowAutoJoin,
        by,
      });
    }
    const updated = requireOrganization(ctx, organizationId);
    return formatOrganization(ctx, updated);
  });
}

/**
 * Keboola refuses to require MFA while someone it would lock out is still in (tests/
 * OrganizationMfaValidationTest.php at 1f2a759): every organization member and every active member of
 * its live projects must have MFA first.
 */
function assertEveryoneHasMfa(ctx: Ctx, organizationId: number): void {
  const userIds = new Set(ctx.store.find('organizationMembers', { organizationId }).map((m) => m.userId));
  for (const p of liveProjectsOf(ctx, organizationId)) for (const id of membersOf(ctx, p.id)) userIds.add(id);
  for (const id of userIds)
    if (ctx.store.get('users', id)?.mfaEnabled === false)
      throw badRequest('Not all organization and project members have Multi-factor Authentication enabled');
}

/**
 * Every way into an organization ends here (joining, being added, accepting an invitation). An
 * outsider needs MFA whatever the organization requires, and their arrival goes into the access
 * log of each of its projects: organization membership gives them no rights, but it is worth seeing.
 */
function addOrgMember(ctx: Ctx, org: OrganizationRow, user: UserRow, by: UserRow): void {
  const relation = relationToOrg(ctx, org, user);
  if (isOutsider(relation) && !user.mfaEnabled) throw outsiderMfaRequired('join an organization');
  if (org.mfaRequired && !user.mfaEnabled) throw badRequest(ORG_MFA_MESSAGE);
  ctx.store.insert('organizationMembers', {
    organizationId: org.id,
    userId: user.id,
    created: nowSec(ctx),
    invitorId: by.id === user.id ? null : by.id,
  });
  for (const i of ctx.store.find('organizationInvitations', { organizationId: org.id, userId: user.id }))
    ctx.store.delete('organizationInvitations', i.id);
  if (isOutsider(relation)) logOutsiderInOrg(ctx, org, 'organizationJoined', by, user, relation);
}

function logOutsiderInOrg(
  ctx: Ctx,
  org: OrganizationRow,
  action: 'organizationJoined' | 'organizationLeft',
  by: UserRow,
  subject: UserRow,
  kind: Outsider,
): void {
  for (const p of liveProjectsOf(ctx, org.id))
    logAccess(ctx, p.id, action, {
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

export function joinOrganization(ctx: Ctx, user: UserRow, organizationId: number): void {
  mutate(ctx, () => {
    const { org, relation } = orgAccess(ctx, organizationId, user);
    // An outsider already in the organization is "already a member" too, not a second row.
    if (isOrgMember(ctx, org.id, user.id)) throw badRequest('You are already a member of the organization.');
    assertMayJoinOrg(org, relation);
    addOrgMember(ctx, org, user, user);
  });
}

export function listOrganizationUsers(ctx: Ctx, user: UserRow, organizationId: number): OrganizationUser[] {
  const { org, relation } = orgAccess(ctx, organizationId, user);
  assertOrgReader(ctx, org, relation, user, false);
  return formatOrganizationUsers(ctx, ctx.store.find('organizationMembers', { organizationId }));
}

export function addOrganizationUser(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  body: { email: string },
): void {
  mutate(ctx, () => {
    const { org, relation } = orgAccess(ctx, organizationId, user);
    // Outsiders never add organization users, Auto Join on or off (they may only join themselves).
    if (isOutsider(relation))
      throw forbidden(
        'Support and maintainer users may not add users to an organization.',
        'manage.joinOrganizationPermissionDenied',
      );
    assertOrgMember(relation);
    const target = userByEmail(ctx, parseEmail(body.email));
    if (isOrgMember(ctx, organizationId, target.id))
      throw badRequest(`User ${target.email} is already a member of the organization.`);
    addOrgMember(ctx, org, target, user);
  });
}

export function removeOrganizationUser(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  userId: number,
): void {
  mutate(ctx, () => {
    const { org, relation } = orgAccess(ctx, organizationId, user);
    // Any member may leave (an outsider included); only organization users remove others.
    const leaving = userId === user.id && isOrgMember(ctx, organizationId, userId);
    if (!leaving) assertOrgMember(relation);
    const m = ctx.store.first('organizationMembers', { organizationId, userId });
    if (!m) throw notFound(`User ${userId} is not a member of the organization`);
    ctx.store.delete('organizationMembers', m.id);
    const subject = leaving ? user : ctx.store.get('users', userId);
    const kind = subject ? relationToOrg(ctx, org, subject) : 'random';
    if (subject && isOutsider(kind)) logOutsiderInOrg(ctx, org, 'organizationLeft', user, subject, kind);
  });
}

const liveOrgInvitations = (ctx: Ctx, filter: { organizationId?: number; userId?: number }) =>
  ctx.store.find('organizationInvitations', filter).filter((i) => alive(ctx, i.expires));

export function listOrganizationInvitations(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
): OrganizationInvitation[] {
  const { org, relation } = orgAccess(ctx, organizationId, user);
  assertOrgReader(ctx, org, relation, user, false);
  return liveOrgInvitations(ctx, { organizationId }).map((i) => formatOrganizationInvitation(ctx, i));
}

export function createOrganizationInvitation(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  body: { email: string },
): OrganizationInvitation {
  return mutate(ctx, () => {
    const { relation } = orgAccess(ctx, organizationId, user);
    assertOrgMember(relation);
    const email = parseEmail(body.email);
    if (email === user.email.toLowerCase()) throw badRequest('You cannot invite yourself.');
    const target = userByEmail(ctx, email);
    if (isOrgMember(ctx, organizationId, target.id))
      throw badRequest(`User ${email} is already a member of the organization.`);
    if (liveOrgInvitations(ctx, { organizationId, userId: target.id }).length)
      throw badRequest(`User ${email} is already invited to the organization.`);
    const id = ctx.store.insert('organizationInvitations', {
      organizationId,
      userId: target.id,
      creatorId: user.id,
      created: nowSec(ctx),
      expires: null,
    });
    const row = ctx.store.get('organizationInvitations', id);
    if (!row) throw new Error('Invitation insert failed');
    return formatOrganizationInvitation(ctx, row);
  });
}

export function cancelOrganizationInvitation(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  id: number,
): void {
  mutate(ctx, () => {
    const { relation } = orgAccess(ctx, organizationId, user);
    assertOrgMember(relation);
    const i = ctx.store.get('organizationInvitations', id);
    if (!i || i.organizationId !== organizationId || !alive(ctx, i.expires))
      throw notFound(`Invitation ${id} not found`);
    ctx.store.delete('organizationInvitations', id);
  });
}

export function listMyOrganizationInvitations(ctx: Ctx, user: UserRow): MyOrganizationInvitation[] {
  return liveOrgInvitations(ctx, { userId: user.id }).map((i) => formatMyOrganizationInvitation(ctx, i));
}

function myOrgInvitation(ctx: Ctx, user: UserRow, id: number): OrganizationInvitationRow {
  const i = ctx.store.get('organizationInvitations', id);
  if (!i || i.userId !== user.id || !alive(ctx, i.expires)) throw notFound(`Invitation ${id} not found`);
  return i;
}

export function acceptOrganizationInvitation(ctx: Ctx, user: UserRow, id: number): void {
  mutate(ctx, () => {
    const i = myOrgInvitation(ctx, user, id);
    const org = requireOrganization(ctx, i.organizationId);
    if (isOrgMember(ctx, org.id, user.id)) {
      ctx.store.delete('organizationInvitations', i.id);
      return;
    }
    const creator = ctx.store.get('users', i.creatorId);
    addOrgMember(ctx, org, user, creator ?? user);
  });
}

export function declineOrganizationInvitation(ctx: Ctx, user: UserRow, id: number): void {
  mutate(ctx, () => {
    const i = myOrgInvitation(ctx, user, id);
    ctx.store.delete('organizationInvitations', i.id);
  });
}
