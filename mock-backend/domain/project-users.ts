// A project's users: list, add, change role, remove, leave.
import type { z } from 'zod';
import type { NewMemberBody, RoleBody } from '../../api/schemas.ts';
import type { ProjectRole, ProjectUser } from '../../api/types.ts';
import type { UserRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec } from './context.ts';
import { badRequest, forbidden, notFound } from './errors.ts';
import { formatMembersWithPeople, formatProjectUser, projectRef, userRef } from './format.ts';
import {
  expiryFrom,
  normalizeReason,
  outsiderMfaRequired,
  PROJECT_MFA_MESSAGE,
  parseEmail,
  userByEmail,
} from './inputs.ts';
import { assertMemberLimit } from './limits.ts';
import { endMemberships, putMembership } from './members.ts';
import { emitToProject, logAccess } from './notify.ts';
import {
  activeMember,
  activeMembersWithPeople,
  assertManager,
  assertReader,
  assertReaderOf,
  assertViewer,
  isOutsider,
  kindFor,
  liveInvitations,
  type ProjectAccess,
  pendingRequestsOf,
  projectAccess,
  projectRelation,
  relationToOrg,
} from './relations.ts';

/**
 * The readers of assertReader (members and organization users). The list comes from one joined read,
 * and the caller's own membership is in it: no second read.
 */
export async function listProjectUsers(ctx: Ctx, user: UserRow, projectId: number): Promise<ProjectUser[]> {
  const r = await projectRelation(ctx, projectId, user);
  const members = await activeMembersWithPeople(ctx, projectId);
  // The caller's own membership is in the list: no second read of it.
  assertReaderOf(
    r.relation,
    members.some((m) => m.userId === user.id),
  );
  return formatMembersWithPeople(members);
}

/**
 * Our extension: one member's row (the extension reads its own membership this way instead of the
 * whole list). The same readers as the list, and anyone who may see the project asking for their own
 * row (an outsider checking whether they are in yet); 404 when the user is no active member.
 */
export async function getProjectUser(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  userId: number,
): Promise<ProjectUser> {
  const a = await projectAccess(ctx, projectId, user);
  if (userId === user.id) assertViewer(a);
  else assertReader(a);
  const m = await activeMember(ctx, projectId, userId);
  if (!m) throw notFound(`User ${userId} is not a member of the project`);
  return formatProjectUser(ctx, m);
}

/** Only an organization member may grant `share`. */
export function assertMayGrant(a: ProjectAccess, role: ProjectRole): void {
  if (role === 'share' && a.relation !== 'organization')
    throw badRequest('Only member of the project\'s organization can grant "share" role to other users.');
}

/** Adding or inviting: the body as the route's schema (api/schemas.ts) parsed it, the role checked. */
export type AddUserBody = z.output<typeof NewMemberBody>;

/** Shared by adding and inviting: who the target is and what their membership would look like. */
export async function prepareNewMember(ctx: Ctx, a: ProjectAccess, actor: UserRow, body: AddUserBody) {
  assertManager(a);
  const email = parseEmail(body.email);
  const role = body.role ?? 'admin';
  assertMayGrant(a, role);
  if (email === actor.email.toLowerCase()) throw badRequest('You cannot invite or add yourself.');
  const target = await userByEmail(ctx, email);
  if (await activeMember(ctx, a.project.id, target.id))
    throw badRequest(`User ${email} is already a member of the project.`);
  if ((await pendingRequestsOf(ctx, { projectId: a.project.id, userId: target.id })).length)
    throw badRequest('This user has already requested access: decide on the request instead.');
  const relation = await relationToOrg(ctx, a.org, target);
  // Adding or inviting an outsider gives support access like any other way in: MFA, a reason and an
  // expiry. The inviter states the reason (docs/rules.md#reasons): we read the rule strictly, the inviter must
  // (the outsider gets no chance to give one on accepting), or it is a 400 with key "reason".
  const privileged = isOutsider(relation);
  if (privileged && !target.mfaEnabled) throw outsiderMfaRequired('enter a project');
  const reason = normalizeReason(body.reason, privileged);
  const expires = expiryFrom(ctx, body.expirationSeconds, privileged);
  return { target, role, reason, expires, kind: kindFor(relation) };
}

export async function addProjectUser(
  ctx: Ctx,
  actor: UserRow,
  projectId: number,
  body: AddUserBody,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const a = await projectAccess(ctx, projectId, actor);
    const n = await prepareNewMember(ctx, a, actor, body);
    if ((await liveInvitations(ctx, { projectId, userId: n.target.id })).length)
      throw badRequest(`User ${n.target.email} is already invited to the project.`);
    if (a.org.mfaRequired && !n.target.mfaEnabled) throw badRequest(PROJECT_MFA_MESSAGE);
    await assertMemberLimit(ctx, a.project, n.kind);
    await putMembership(ctx, {
      projectId,
      userId: n.target.id,
      role: n.role,
      kind: n.kind,
      reason: n.reason,
      created: nowSec(ctx),
      expires: n.expires,
      invitorId: actor.id,
      approverId: null,
    });
    await logAccess(ctx, projectId, 'added', {
      actor: userRef(actor),
      subject: userRef(n.target),
      reason: n.reason,
      details: { role: n.role, kind: n.kind },
    });
    await emitToProject(ctx, projectId, 'members', {
      type: 'membership.changed',
      project: projectRef(a.project),
      user: userRef(n.target),
    });
  });
}

export async function updateProjectUser(
  ctx: Ctx,
  actor: UserRow,
  projectId: number,
  userId: number,
  body: z.output<typeof RoleBody>,
): Promise<ProjectUser> {
  return mutate(ctx, async (ctx) => {
    const a = await projectAccess(ctx, projectId, actor);
    assertManager(a);
    const { role } = body;
    assertMayGrant(a, role);
    const m = await activeMember(ctx, projectId, userId);
    if (!m) throw notFound(`User ${userId} is not a member of the project`);
    if (m.role !== role) {
      await ctx.store.update('projectMembers', m.id, { role });
      const subject = await ctx.store.get('users', userId);
      const ref = subject ? userRef(subject) : null;
      await logAccess(ctx, projectId, 'roleChanged', {
        actor: userRef(actor),
        subject: ref,
        details: { role, from: m.role },
      });
      if (ref)
        await emitToProject(ctx, projectId, 'members', {
          type: 'membership.changed',
          project: projectRef(a.project),
          user: ref,
        });
    }
    const updated = await ctx.store.get('projectMembers', m.id);
    if (!updated) throw notFound(`User ${userId} is not a member of the project`);
    return formatProjectUser(ctx, updated);
  });
}

/** Removes a member; a member may always leave (remove themselves), whatever their role. */
export async function removeProjectUser(
  ctx: Ctx,
  actor: UserRow,
  projectId: number,
  userIdOrEmail: number | string,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const a = await projectAccess(ctx, projectId, actor);
    const target =
      typeof userIdOrEmail === 'number'
        ? await ctx.store.get('users', userIdOrEmail)
        : await ctx.store.first('users', { email: userIdOrEmail.toLowerCase() });
    const leaving = target?.id === actor.id;
    if (!leaving) {
      // Readers learn "not a member" only if they may manage; others get the role error first.
      if (!a.member && a.relation === 'random') throw forbidden("You don't have access to the project");
      assertManager(a);
    }
    const m = target ? await activeMember(ctx, projectId, target.id) : undefined;
    if (!target || !m) throw notFound(`User ${String(userIdOrEmail)} is not a member of the project`);
    await endMemberships(ctx, [m.id], { how: leaving ? 'left' : 'removed', by: actor.id });
    await logAccess(ctx, projectId, leaving ? 'left' : 'removed', {
      actor: userRef(actor),
      subject: userRef(target),
      details: { role: m.role, kind: m.kind },
    });
    // The members who stay, and the one who is gone (no longer in the audience).
    await emitToProject(
      ctx,
      projectId,
      'members',
      { type: 'membership.changed', project: projectRef(a.project), user: userRef(target) },
      [target.id],
    );
  });
}
