// Project invitations: created by managers, accepted or declined by the invited user.
import { ACCESS_LIMITS, type MyProjectInvitation, type ProjectInvitation } from '../../api/types.ts';
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
import { normalizeReason, outsiderMfaRequired, PROJECT_MFA_MESSAGE } from './inputs.ts';
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

export async function listProjectInvitations(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
): Promise<ProjectInvitation[]> {
  assertReader(await projectAccess(ctx, projectId, user));
  return formatProjectInvitations(ctx, await liveInvitations(ctx, { projectId }));
}

async function liveInvitation(ctx: Ctx, projectId: number, id: number): Promise<ProjectInvitationRow> {
  const i = await ctx.store.get('projectInvitations', id);
  if (!i || i.projectId !== projectId || !alive(ctx, i.expires)) throw notFound(`Invitation ${id} not found`);
  return i;
}

export async function getProjectInvitation(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  id: number,
): Promise<ProjectInvitation> {
  assertReader(await projectAccess(ctx, projectId, user));
  return formatProjectInvitation(ctx, await liveInvitation(ctx, projectId, id));
}

/** Whether a user would join as a "member" (and so take a seat under the limit). */
function seatTaker(ctx: Ctx, org: OrganizationRow) {
  return async (userId: number): Promise<boolean> => {
    const u = await ctx.store.get('users', userId);
    return !u || kindFor(await relationToOrg(ctx, org, u)) === 'member';
  };
}

export async function createProjectInvitation(
  ctx: Ctx,
  actor: UserRow,
  projectId: number,
  body: AddUserBody,
): Promise<ProjectInvitation> {
  return mutate(ctx, async (ctx) => {
    const a = await projectAccess(ctx, projectId, actor);
    const n = await prepareNewMember(ctx, a, actor, body);
    if ((await liveInvitations(ctx, { projectId, userId: n.target.id })).length)
      throw badRequest(`User ${n.target.email} is already invited to the project.`);
    await assertMemberLimit(
      ctx,
      a.project,
      n.kind,
      await pendingMemberInvitations(ctx, projectId, seatTaker(ctx, a.org)),
    );
    // An expired invitation row not yet swept is replaced rather than left beside the new one.
    for (const old of await ctx.store.find('projectInvitations', { projectId, userId: n.target.id }))
      await ctx.store.delete('projectInvitations', old.id);
    const id = await ctx.store.insert('projectInvitations', {
      projectId,
      userId: n.target.id,
      creatorId: actor.id,
      role: n.role,
      reason: n.reason,
      created: nowSec(ctx),
      expires: n.expires,
    });
    await logAccess(ctx, projectId, 'invited', {
      actor: userRef(actor),
      subject: userRef(n.target),
      reason: n.reason,
      details: { role: n.role, invitationId: id },
    });
    return formatProjectInvitation(ctx, await liveInvitation(ctx, projectId, id));
  });
}

export async function cancelProjectInvitation(
  ctx: Ctx,
  actor: UserRow,
  projectId: number,
  id: number,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    assertManager(await projectAccess(ctx, projectId, actor));
    const i = await liveInvitation(ctx, projectId, id);
    await ctx.store.delete('projectInvitations', i.id);
    const subject = await ctx.store.get('users', i.userId);
    await logAccess(ctx, projectId, 'invitationCancelled', {
      actor: userRef(actor),
      subject: subject ? userRef(subject) : null,
      details: { invitationId: id },
    });
  });
}

export async function listMyProjectInvitations(ctx: Ctx, user: UserRow): Promise<MyProjectInvitation[]> {
  const rows = await liveInvitations(ctx, { userId: user.id });
  return Promise.all(rows.map((i) => formatMyProjectInvitation(ctx, i)));
}

async function myInvitation(ctx: Ctx, user: UserRow, id: number): Promise<ProjectInvitationRow> {
  const i = await ctx.store.get('projectInvitations', id);
  if (!i || i.userId !== user.id || !alive(ctx, i.expires) || !(await liveProject(ctx, i.projectId)))
    throw notFound(`Invitation ${id} not found`);
  return i;
}

export async function getMyProjectInvitation(
  ctx: Ctx,
  user: UserRow,
  id: number,
): Promise<MyProjectInvitation> {
  return formatMyProjectInvitation(ctx, await myInvitation(ctx, user, id));
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
  const latest = nowSec(ctx) + ACCESS_LIMITS.outsiderMaxSeconds;
  return {
    reason,
    expires: Math.min(i.expires ?? nowSec(ctx) + ACCESS_LIMITS.outsiderDefaultSeconds, latest),
  };
}

/** Accepting makes a member with the invitation's role, reason and expiry; invitor = its creator. */
export async function acceptProjectInvitation(ctx: Ctx, user: UserRow, id: number): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const i = await myInvitation(ctx, user, id);
    const a = await projectAccess(ctx, i.projectId, user);
    if (a.org.mfaRequired && !user.mfaEnabled) throw badRequest(PROJECT_MFA_MESSAGE);
    await ctx.store.delete('projectInvitations', i.id);
    if (await activeMember(ctx, i.projectId, user.id))
      throw badRequest('You are already a member of the project.');
    const kind = kindFor(a.relation);
    await assertMemberLimit(ctx, a.project, kind);
    const { reason, expires } = isOutsider(a.relation)
      ? supportTerms(ctx, user, i)
      : { reason: i.reason, expires: i.expires };
    await putMembership(ctx, {
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
    await logAccess(ctx, i.projectId, 'invitationAccepted', {
      actor: me,
      subject: me,
      reason,
      details: { role: i.role, kind, expires: isoOrNull(expires) },
    });
    await emitToProject(ctx, i.projectId, 'members', {
      type: 'membership.changed',
      project: projectRef(a.project),
      user: me,
    });
  });
}

export async function declineProjectInvitation(ctx: Ctx, user: UserRow, id: number): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const i = await myInvitation(ctx, user, id);
    await ctx.store.delete('projectInvitations', i.id);
    const me = userRef(user);
    await logAccess(ctx, i.projectId, 'invitationDeclined', {
      actor: me,
      subject: me,
      details: { invitationId: id },
    });
  });
}
