// Entering a project: join-project (Auto Join on), request-access (Auto Join off) and the decisions
// on requests. A request leaves `pending` exactly once, by a compare-and-set in the store.
import type { z } from 'zod';
import { ACCESS_LIMITS } from '../../api/limits.ts';
import type {
  EntryBody as EntryBodySchema,
  RequestAccessBody as RequestAccessBodySchema,
} from '../../api/schemas.ts';
import type { JoinRequestOutcome, MyJoinRequest, ProjectJoinRequest, UserRef } from '../../api/types.ts';
import type { JoinRequestRow, ProjectRow, UserRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec, type TxCtx } from './context.ts';
import { decidedMail, type RequestFacts } from './emails.ts';
import { badRequest, conflict, forbidden, notFound } from './errors.ts';
import {
  formatMyJoinRequest,
  formatProjectJoinRequest,
  formatProjectJoinRequests,
  isoOrNull,
  projectRef,
  userRef,
} from './format.ts';
import { expiryFrom, normalizeReason, outsiderMfaRequired, PROJECT_MFA_MESSAGE } from './inputs.ts';
import { assertMemberLimit } from './limits.ts';
import { putMembership } from './members.ts';
import { emitToProject, logAccess, sendMail, usersPageUrl } from './notify.ts';
import { queueNewRequestMails } from './outbox.ts';
import {
  activeMember,
  assertDecider,
  assertReader,
  assertViewer,
  isDecider,
  isOutsider,
  kindFor,
  liveInvitations,
  liveProject,
  ownMembers,
  type ProjectAccess,
  pendingRequest,
  pendingRequestsOf,
  projectAccess,
} from './relations.ts';
import { decisionInThread, requestInThread, requestTicket } from './request-thread.ts';

/** A join-project or request-access body, as the route's schema (api/schemas.ts) parsed it. */
type EntryBody = z.output<typeof EntryBodySchema>;
type RequestAccessBody = z.output<typeof RequestAccessBodySchema>;

/** Our rule: support and maintainer users always have MFA; without it they cannot enter any project. */
function assertPrivilegedMfa(a: ProjectAccess, user: UserRow): void {
  if (isOutsider(a.relation) && !user.mfaEnabled) throw outsiderMfaRequired('enter a project');
}

function assertOrgMfa(a: ProjectAccess, user: UserRow): void {
  if (a.org.mfaRequired && !user.mfaEnabled) throw badRequest(PROJECT_MFA_MESSAGE);
}

export async function joinProject(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  body: EntryBody,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const a = await projectAccess(ctx, projectId, user);
    if (a.member) throw badRequest('You are already a member of the project.');
    if (a.relation === 'random') throw forbidden("You don't have access to join the project");
    if (!a.org.allowAutoJoin && a.relation !== 'organization')
      throw forbidden('Auto Join is disabled for this organization: request access instead.');
    const privileged = isOutsider(a.relation);
    assertPrivilegedMfa(a, user);
    assertOrgMfa(a, user);
    const reason = normalizeReason(body.reason, privileged);
    const expires = expiryFrom(ctx, body.expirationSeconds, privileged);
    const kind = kindFor(a.relation);
    await assertMemberLimit(ctx, a.project, kind);
    await putMembership(ctx, {
      projectId,
      userId: user.id,
      role: 'admin',
      kind,
      reason,
      created: nowSec(ctx),
      expires,
      invitorId: null,
      approverId: user.id,
    });
    const me = userRef(user);
    await logAccess(ctx, projectId, 'joined', {
      actor: me,
      subject: me,
      reason,
      details: { kind, expires: isoOrNull(expires) },
    });
    await emitToProject(ctx, projectId, 'members', {
      type: 'membership.changed',
      project: projectRef(a.project),
      user: me,
    });
  });
}

export async function requestAccess(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  body: RequestAccessBody,
): Promise<MyJoinRequest> {
  return mutate(ctx, async (ctx) => {
    const a = await projectAccess(ctx, projectId, user);
    if (a.member) throw badRequest('You are already a member of the project.');
    if (a.relation === 'organization')
      throw badRequest('You are a member of the organization, use join-project method instead.');
    if (a.relation === 'random') throw forbidden("You don't have access to request access to the project");
    assertPrivilegedMfa(a, user);
    assertOrgMfa(a, user);
    if (a.org.allowAutoJoin)
      throw badRequest('Auto Join is enabled for this organization: use join-project method instead.');
    const reason = normalizeReason(body.reason, true);
    const expires = expiryFrom(ctx, body.expirationSeconds, true);
    if ((await pendingRequestsOf(ctx, { projectId, userId: user.id })).length)
      throw badRequest('You have already sent a request to join this project.');
    if ((await liveInvitations(ctx, { projectId, userId: user.id })).length)
      throw badRequest('You have been already invited to the project: accept the invitation instead.');
    const ticket = await requestTicket(ctx, user, a.project, body.ticketId);
    const id = await ctx.store.insert('joinRequests', {
      projectId,
      userId: user.id,
      reason,
      created: nowSec(ctx),
      expires,
      status: 'pending',
      decidedBy: null,
      decided: null,
      ticketId: ticket?.id ?? null,
      // The membership runs this long from the approval (approvedExpiry), not from now.
      durationSeconds: expires === null ? null : expires - nowSec(ctx),
    });
    const row = await ctx.store.get('joinRequests', id);
    if (!row) throw new Error('Join request insert failed');
    if (ticket) await requestInThread(ctx, ticket, row);
    const me = userRef(user);
    const facts = requestFacts(ctx, a.project, row, me);
    // Only the customer's own people are told; support and maintainer members are not.
    // One job for all of them, their addresses read with them (one joined read); the sweep expands it.
    // Guests and read-only members are told too, and told who decides: the project's admins.
    const told = (await ownMembers(ctx, projectId)).filter((m) => m.userId !== user.id);
    await queueNewRequestMails(
      ctx,
      told.filter(isDecider).flatMap((m) => m.email ?? []),
      told.filter((m) => !isDecider(m)).flatMap((m) => m.email ?? []),
      facts,
    );
    await emitToProject(ctx, projectId, 'deciders', {
      type: 'joinRequest.created',
      project: projectRef(a.project),
      request: await formatProjectJoinRequest(ctx, row),
    });
    await logAccess(ctx, projectId, 'requested', {
      actor: me,
      subject: me,
      reason,
      details: { expires: isoOrNull(expires) },
    });
    return formatMyJoinRequest(ctx, row);
  });
}

function requestFacts(ctx: Ctx, project: ProjectRow, r: JoinRequestRow, requester: UserRef): RequestFacts {
  return {
    project: projectRef(project),
    requester,
    reason: r.reason,
    expires: isoOrNull(r.expires),
    usersPageUrl: usersPageUrl(ctx, project.id),
  };
}

export async function listJoinRequests(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
): Promise<ProjectJoinRequest[]> {
  assertReader(await projectAccess(ctx, projectId, user));
  return formatProjectJoinRequests(ctx, await pendingRequestsOf(ctx, { projectId }));
}

/**
 * Our extension: how many requests wait in a project, for the launcher's dot. One COUNT from the
 * index, less the few past their expiry that the sweeper has not reached yet (expiry is judged by
 * the clock, as everywhere). Only those who may decide ask: anyone else gets 403.
 */
export async function countPendingJoinRequests(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
): Promise<{ count: number }> {
  assertDecider(await projectAccess(ctx, projectId, user));
  const filter = { projectId, status: 'pending' } as const;
  const due = (await ctx.store.findDue('joinRequests', 'expires', nowSec(ctx), filter)).length;
  return { count: (await ctx.store.count('joinRequests', filter)) - due };
}

export async function getJoinRequest(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  id: number,
): Promise<ProjectJoinRequest> {
  const a = await projectAccess(ctx, projectId, user);
  const r = await ctx.store.get('joinRequests', id);
  // Their own request: anyone who may see the project (an outsider who asked); others' only readers.
  if (r?.userId === user.id) assertViewer(a);
  else assertReader(a);
  if (!pendingRequest(ctx, r) || r.projectId !== projectId) throw notFound(`Join request ${id} not found`);
  return formatProjectJoinRequest(ctx, r);
}

/**
 * Finds the request a decision is about. Unknown or gone (expired by the clock): 404.
 * Already decided: 409. The compare-and-set afterwards settles races between deciders.
 */
async function decidable(ctx: Ctx, projectId: number, id: number): Promise<JoinRequestRow> {
  const r = await ctx.store.get('joinRequests', id);
  if (!r || r.projectId !== projectId) throw notFound(`Join request ${id} not found`);
  if (r.status !== 'pending') throw conflict(`Join request ${id} has already been ${r.status}.`);
  if (!pendingRequest(ctx, r)) throw notFound(`Join request ${id} not found`);
  return r;
}

/** Moves a pending request to its outcome and tells everyone concerned; false when another decision won. */
async function settle(
  ctx: TxCtx,
  r: JoinRequestRow,
  outcome: JoinRequestOutcome,
  by: UserRow | null,
): Promise<boolean> {
  const won = await ctx.store.updateIf(
    'joinRequests',
    r.id,
    { status: 'pending' },
    { status: outcome, decidedBy: by?.id ?? null, decided: nowSec(ctx) },
  );
  if (!won) return false;
  const project = await ctx.store.get('projects', r.projectId);
  const requester = await ctx.store.get('users', r.userId);
  if (!project || !requester) return true;
  const byRef = by ? userRef(by) : null;
  const subject = userRef(requester);
  await emitToProject(
    ctx,
    r.projectId,
    'deciders',
    {
      type: 'joinRequest.decided',
      project: projectRef(project),
      requestId: r.id,
      user: subject,
      outcome,
      by: byRef,
    },
    [r.userId],
  );
  if (outcome !== 'cancelled')
    await sendMail(
      ctx,
      decidedMail(requester.email, outcome, requestFacts(ctx, project, r, subject), byRef, ctx.mailLocale),
    );
  await logAccess(ctx, r.projectId, outcome, {
    actor: byRef,
    subject,
    reason: r.reason,
    details: { requestId: r.id },
  });
  await decisionInThread(ctx, r, outcome, by);
  return true;
}

/**
 * Our rule (issue 23): an approved request's membership lasts the duration asked for from the moment
 * of approval, at most 7 days, so an approval that came late still gives the time asked for. Keboola
 * ends it at the request's own `expires`, fixed when it was asked (docs/keboola.md). A request stored
 * before the duration was kept asked for `expires - created`.
 */
export function approvedExpiry(ctx: Ctx, r: JoinRequestRow): number | null {
  const asked = r.durationSeconds ?? (r.expires === null ? null : r.expires - r.created);
  if (asked === null) return null;
  return nowSec(ctx) + Math.min(asked, ACCESS_LIMITS.outsiderMaxSeconds);
}

export async function approveJoinRequest(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  id: number,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const a = await projectAccess(ctx, projectId, user);
    assertDecider(a);
    const r = await decidable(ctx, projectId, id);
    const requester = await ctx.store.get('users', r.userId);
    if (!requester) throw notFound(`Join request ${id} not found`);
    if (await activeMember(ctx, projectId, requester.id))
      throw conflict('The user is already a member of the project.');
    if (a.org.mfaRequired && !requester.mfaEnabled) throw badRequest(PROJECT_MFA_MESSAGE);
    const requesterAccess = await projectAccess(ctx, projectId, requester);
    // MFA may have been switched off since the request was made: support access still needs it.
    assertPrivilegedMfa(requesterAccess, requester);
    const kind = kindFor(requesterAccess.relation);
    await assertMemberLimit(ctx, a.project, kind);
    if (!(await settle(ctx, r, 'approved', user)))
      throw conflict(`Join request ${id} has already been decided.`);
    await putMembership(ctx, {
      projectId,
      userId: requester.id,
      role: 'admin',
      kind,
      reason: r.reason,
      created: nowSec(ctx),
      expires: approvedExpiry(ctx, r),
      invitorId: null,
      approverId: user.id,
      // The access is for the request's ticket: its report goes into that ticket's thread.
      ticketId: r.ticketId,
    });
    await emitToProject(ctx, projectId, 'members', {
      type: 'membership.changed',
      project: projectRef(a.project),
      user: userRef(requester),
    });
  });
}

export async function rejectJoinRequest(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  id: number,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    assertDecider(await projectAccess(ctx, projectId, user));
    const r = await decidable(ctx, projectId, id);
    if (!(await settle(ctx, r, 'rejected', user)))
      throw conflict(`Join request ${id} has already been decided.`);
  });
}

export async function listMyJoinRequests(ctx: Ctx, user: UserRow): Promise<MyJoinRequest[]> {
  const rows = await pendingRequestsOf(ctx, { userId: user.id });
  return Promise.all(rows.map((r) => formatMyJoinRequest(ctx, r)));
}

async function myPending(ctx: Ctx, user: UserRow, id: number): Promise<JoinRequestRow> {
  const r = await ctx.store.get('joinRequests', id);
  if (!r || r.userId !== user.id) throw notFound(`Join request ${id} not found`);
  if (r.status !== 'pending') throw conflict(`Join request ${id} has already been ${r.status}.`);
  if (!pendingRequest(ctx, r) || !(await liveProject(ctx, r.projectId)))
    throw notFound(`Join request ${id} not found`);
  return r;
}

export async function getMyJoinRequest(ctx: Ctx, user: UserRow, id: number): Promise<MyJoinRequest> {
  const r = await ctx.store.get('joinRequests', id);
  if (!r || r.userId !== user.id || !pendingRequest(ctx, r) || !(await liveProject(ctx, r.projectId)))
    throw notFound(`Join request ${id} not found`);
  return formatMyJoinRequest(ctx, r);
}

export async function cancelMyJoinRequest(ctx: Ctx, user: UserRow, id: number): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const r = await myPending(ctx, user, id);
    if (!(await settle(ctx, r, 'cancelled', user)))
      throw conflict(`Join request ${id} has already been decided.`);
  });
}

/**
 * Called by the sweeper: a pending request past its expiry becomes `expired`, once, with its e-mail.
 */
export async function expireJoinRequest(ctx: TxCtx, r: JoinRequestRow): Promise<void> {
  await settle(ctx, r, 'expired', null);
}
