// Project invitations: created by managers, accepted or declined by the invited user.
import type { MyProjectInvitation, ProjectInvitation } from '../../api/types.ts';
import type { OrganizationRow, ProjectInvitationRow, UserRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec } from './context.ts';
import { badRequest, notFound } from './errors.ts';
import {
  formatMyProjectInvitation,
  formatProjectInvitation,
  formatProjectInvitations,
  isoOrNull,
  projectRef,
  userRef,
} from './format.ts';
import {
  normalizeReason,
  outsiderMfaRequired,
  PRIVILEGED_DEFAULT_SECONDS,
  PRIVILEGED_MAX_SECONDS,
  PROJECT_MFA_MESSAGE,
} from './inputs.ts';
import { assertMemberLimit, pendingMemberInvitations } from './limits.ts';
import { putMembership } from './members.ts';
import { emitToProject, logAccess } from './notify.ts';
import { type AddUserBody, prepareNewMember } from './project-users.ts';
import {
  activeMember,
  alive,
  assertManager,
  assertReader,
  isOutsider,
  kindFor,
  liveInvitations,
  liveProject,
  projectAccess,
  relationToOrg,
} from './relations.ts';

export function listProjectInvitations(ctx: Ctx, user: UserRow, projectId: number): ProjectInvitation[] {
  assertReader(projectAccess(ctx, projectId, user));
  return formatProjectInvitations(ctx, liveInvitations(ctx, { projectId }));
}

function liveInvitation(ctx: Ctx, projectId: number, id: number): ProjectInvitationRow {
  const i = ctx.store.get('projectInvitations', id);
  if (!i || i.projectId !== projectId || !alive(ctx, i.expires)) throw notFound(`Invitation ${id} not found`);
  return i;
}

export function getProjectInvitation(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  id: number,
): ProjectInvitation {
  assertReader(projectAccess(ctx, projectId, user));
  return formatProjectInvitation(ctx, liveInvitation(ctx, projectId, id));
}

/** Whether a user would join as a "member" (and so take a seat under the limit). */
function seatTaker(ctx: Ctx, org: OrganizationRow) {
  return (userId: number): boolean => {
    const u = ctx.store.get('users', userId);
    return !u || kindFor(relationToOrg(ctx, org, u)) === 'member';
  };
}

export function createProjectInvitation(
  ctx: Ctx,
  actor: UserRow,
  projectId: number,
  body: AddUserBody,
): ProjectInvitation {
  return mutate(ctx, () => {
    const a = projectAccess(ctx, projectId, actor);
    const n = prepareNewMember(ctx, a, actor, body);
    if (liveInvitations(ctx, { projectId, userId: n.target.id }).length)
      throw badRequest(`User ${n.target.email} is already invited to the project.`);
    assertMemberLimit(
      ctx,
      a.project,
      n.kind,
      pendingMemberInvitations(ctx, projectId, seatTaker(ctx, a.org)),
    );
    // An expired invitation row not yet swept is replaced rather than left beside the new one.
    for (const old of ctx.store.find('projectInvitations', { projectId, userId: n.target.id }))
      ctx.store.delete('projectInvitations', old.id);
    const id = ctx.store.insert('projectInvitations', {
      projectId,
      userId: n.target.id,
      creatorId: actor.id,
      role: n.role,
      reason: n.reason,
      created: nowSec(ctx),
      expires: n.expires,
    });
    logAccess(ctx, projectId, 'invited', {
      actor: userRef(actor),
      subject: userRef(n.target),
      reason: n.reason,
      details: { role: n.role, invitationId: id },
    });
    return formatProjectInvitation(ctx, liveInvitation(ctx, projectId, id));
  });
}

export function cancelProjectInvitation(ctx: Ctx, actor: UserRow, projectId: number, id: number): void {
  mutate(ctx, () => {
    assertManager(projectAccess(ctx, projectId, actor));
    const i = liveInvitation(ctx, projectId, id);
    ctx.store.delete('projectInvitations', i.id);
    const subject = ctx.store.get('users', i.userId);
    logAccess(ctx, projectId, 'invitationCancelled', {
      actor: userRef(actor),
      subject: subject ? userRef(subject) : null,
      details: { invitationId: id },
    });
  });
}

export function listMyProjectInvitations(ctx: Ctx, user: UserRow): MyProjectInvitation[] {
  return liveInvitations(ctx, { userId: user.id }).map((i) => formatMyProjectInvitation(ctx, i));
}

function myInvitation(ctx: Ctx, user: UserRow, id: number): ProjectInvitationRow {
  const i = ctx.store.get('projectInvitations', id);
  if (!i || i.userId !== user.id || !alive(ctx, i.expires) || !liveProject(ctx, i.projectId))
    throw notFound(`Invitation ${id} not found`);
  return i;
}

export function getMyProjectInvitation(ctx: Ctx, user: UserRow, id: number): MyProjectInvitation {
  return formatMyProjectInvitation(ctx, myInvitation(ctx, user, id));
}

/**
 * An outsider accepting gets support access whatever the invitation says: an invitation made before
 * its user became support or maintainer may lack a reason (400, ask for a new one) or an expiry (the
 * 48 h default applies), and no support access lasts more than 7 days from now.
 */
function supportTerms(
  ctx: Ctx,
  user: UserRow,
  i: ProjectInvitationRow,
): { reason: string | null; expires: number } {
  if (!user.mfaEnabled) throw outsiderMfaRequired('enter a project');
  const reason = normalizeReason(i.reason, true);
  const latest = nowSec(ctx) + PRIVILEGED_MAX_SECONDS;
  return { reason, expires: Math.min(i.expires ?? nowSec(ctx) + PRIVILEGED_DEFAULT_SECONDS, latest) };
}

/** Accepting makes a member with the invitation's role, reason and expiry; invitor = its creator. */
export function acceptProjectInvitation(ctx: Ctx, user: UserRow, id: number): void {
  mutate(ctx, () => {
    const i = myInvitation(ctx, user, id);
    const a = projectAccess(ctx, i.projectId, user);
    if (a.org.mfaRequired && !user.mfaEnabled) throw badRequest(PROJECT_MFA_MESSAGE);
    ctx.store.delete('projectInvitations', i.id);
    if (activeMember(ctx, i.projectId, user.id)) throw badRequest('You are already a member of the project.');
    const kind = kindFor(a.relation);
    assertMemberLimit(ctx, a.project, kind);
    const { reason, expires } = isOutsider(a.relation)
      ? supportTerms(ctx, user, i)
      : { reason: i.reason, expires: i.expires };
    putMembership(ctx, {
      projectId: i.projectId,
      userId: user.id,
      role: i.role,
      kind,
      reason,
      created: nowSec(ctx),
      expires,
      invitorId: i.creatorId,
      approverId: null,
    });
    const me = userRef(user);
    logAccess(ctx, i.projectId, 'invitationAccepted', {
      actor: me,
      subject: me,
      reason,
      details: { role: i.role, kind, expires: isoOrNull(expires) },
    });
    emitToProject(ctx, i.projectId, 'members', {
      type: 'membership.changed',
      project: projectRef(a.project),
      user: me,
    });
  });
}

export function declineProjectInvitation(ctx: Ctx, user: UserRow, id: number): void {
  mutate(ctx, () => {
    const i = myInvitation(ctx, user, id);
    ctx.store.delete('projectInvitations', i.id);
    const me = userRef(user);
    logAccess(ctx, i.projectId, 'invitationDeclined', {
      actor: me,
      subject: me,
      details: { invitationId: id },
    });
  });
}
