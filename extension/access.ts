// Getting into a project: join at once when the organization allows Auto Join, otherwise ask.
// Every action needs the network: offline it is refused with a clear message, never queued.
import type { ApiError } from '../api/errors.ts';
import { ACCESS_LIMITS, type MyJoinRequest } from '../api/types.ts';
import { describeApiError } from './account.ts';
import { isOffline, OFFLINE, type Session, session, stackNotConfigured } from './api-client.ts';
import { type CachedProject, db, type TrackedRequest } from './db.ts';
import { ownMembership } from './membership.ts';
import { type AccessOutcome, fail, ok, type Result } from './messages.ts';
import { refreshBadge } from './notify.ts';
import { setSettings, stackLabel } from './settings.ts';

export const PROJECT_MAX_AGE_MS = 5 * 60 * 1000;

const notConfigured = (stack: string) => {
  const e = stackNotConfigured(stack);
  return fail(e.code, e.message);
};

export async function lookupProject(
  stack: string,
  projectId: number,
  maxAgeMs = PROJECT_MAX_AGE_MS,
): Promise<Result<CachedProject>> {
  const s = await session(stack);
  if (!s) return notConfigured(stack);
  const cached = await db.projects.get([stack, projectId]);
  if (cached && Date.now() - cached.fetchedAt < maxAgeMs) return ok(cached);
  if (isOffline())
    return cached ? ok(cached) : fail(OFFLINE.code, 'You are offline and this project is not cached.');
  const got = await s.client.getProject(projectId);
  if (got.error) {
    if (cached && (got.error.kind === 'network' || got.error.kind === 'timeout')) return ok(cached);
    return fail(got.error.code, projectError(got.error, projectId, s));
  }
  const org = await s.client.getOrganization(got.data.organization.id);
  const project: CachedProject = {
    stack,
    id: got.data.id,
    name: got.data.name,
    organizationId: got.data.organization.id,
    organizationName: got.data.organization.name,
    allowAutoJoin: org.data ? org.data.allowAutoJoin : null,
    fetchedAt: Date.now(),
  };
  await db.projects.put(project);
  return ok(project);
}

function projectError(error: ApiError, projectId: number, s: Session): string {
  if (error.kind === 'http' && error.httpStatus === 404)
    return `Project #${projectId} does not exist on ${stackLabel(s.stack)}.`;
  if (error.kind === 'http' && error.httpStatus === 403)
    return `You may not see project #${projectId}: it is not one your account supports (${error.message}).`;
  return describeApiError(error, s.stack);
}

export interface AccessInput {
  stack: string;
  projectId: number;
  reason: string;
  expirationSeconds: number;
  /** The ticket this access is for: a request names it (it shows in the ticket's thread); a join does not. */
  ticketId?: number;
}

export function validateAccessInput(input: AccessInput): string | null {
  if (!input.stack) return 'Pick a stack first: add one in the options.';
  if (!Number.isSafeInteger(input.projectId) || input.projectId <= 0) return 'Pick a project first.';
  const reason = input.reason.trim();
  if (!reason) return 'State a reason: customers see it next to your name.';
  if (reason.length > ACCESS_LIMITS.reasonMax)
    return `The reason is too long (at most ${ACCESS_LIMITS.reasonMax} characters).`;
  if (!Number.isFinite(input.expirationSeconds) || input.expirationSeconds < 60)
    return 'Choose how long you need access.';
  if (input.expirationSeconds > ACCESS_LIMITS.outsiderMaxSeconds) return 'Access can last at most 7 days.';
  return null;
}

const mentions = (e: ApiError, ...words: string[]) =>
  e.kind === 'http' && words.every((w) => e.message.toLowerCase().includes(w.toLowerCase()));

/**
 * Keboola's API gives these outcomes only as a message: match its exact phrases (never one word:
 * "You have already sent a request to join this project" contains "join" and is no advice to join).
 */
const KEBOOLA = {
  useJoin: 'use join-project method',
  alreadySent: 'already sent a request',
} as const;

/** The pending request of this user for `projectId`, if the server lists one. */
async function pendingRequestFor(s: Session, projectId: number): Promise<TrackedRequest | null> {
  const mine = await s.client.listMyJoinRequests();
  const r = mine.data?.find((x) => x.project.id === projectId);
  return r ? trackPending(s, r) : null;
}

/** Keeps a request the server answered as pending, and shows it on the badge. */
async function trackPending(s: Session, r: MyJoinRequest): Promise<TrackedRequest> {
  const tracked: TrackedRequest = {
    stack: s.stack,
    id: r.id,
    projectId: r.project.id,
    projectName: r.project.name,
    reason: r.reason,
    created: r.created,
    expires: r.expires,
    seenAt: Date.now(),
    status: 'pending',
    updatedAt: Date.now(),
  };
  // Seen before: the cap of its countdown counts from the first sight, the tighter one.
  const known = await db.requests.get([s.stack, r.id]);
  if (known?.seenAt !== undefined && known.seenAt < (tracked.seenAt ?? 0)) tracked.seenAt = known.seenAt;
  await db.requests.put(tracked);
  await refreshBadge();
  return tracked;
}

const alreadyRequested = (name: string) =>
  fail(
    'alreadyRequested',
    `You already asked for access to ${name}: that request is still waiting for a project admin. A second one was not sent; cancel the first to ask again.`,
  );

function accessError(e: ApiError, project: CachedProject, s: Session): { code: string; message: string } {
  const name = `${project.name} (#${project.id})`;
  if (e.kind === 'network' || e.kind === 'timeout')
    return {
      code: e.code,
      message: `${describeApiError(e, s.stack)} Nothing was sent and nothing is queued.`,
    };
  if (e.kind !== 'http') return { code: e.code, message: describeApiError(e, s.stack) };
  if (mentions(e, 'already', 'member'))
    return { code: 'alreadyMember', message: `You are already a member of ${name}.` };
  if (mentions(e, KEBOOLA.alreadySent))
    return {
      code: 'alreadyRequested',
      message: `You already asked for access to ${name}: that request is still waiting for a project admin.`,
    };
  if (e.code === 'manage.mfaRequired' || mentions(e, 'multi-factor'))
    return { code: e.code, message: `${e.message}. Turn on MFA for your account first.` };
  const field = e.errors.find((f) => f.key === 'reason');
  if (field) return { code: e.code, message: `Reason: ${field.message}` };
  if (e.httpStatus === 403)
    return {
      code: e.code,
      message: `${name} refused you: ${e.message}. Only support users, and maintainer users of the organization's maintainer, may ask for access.`,
    };
  return { code: e.code, message: e.message };
}

export async function getAccess(input: AccessInput): Promise<Result<AccessOutcome>> {
  const invalid = validateAccessInput(input);
  if (invalid) return fail('invalid', invalid);
  if (isOffline()) return fail(OFFLINE.code, OFFLINE.message);
  const s = await session(input.stack);
  if (!s) return notConfigured(input.stack);
  const looked = await lookupProject(s.stack, input.projectId, 0);
  if (!looked.ok) return looked;
  const project = looked.value;
  const body = { reason: input.reason.trim(), expirationSeconds: Math.round(input.expirationSeconds) };
  const org = project.organizationName;

  const join = async (why: string): Promise<Result<AccessOutcome>> => {
    const joined = await s.client.joinProject(project.id, body);
    if (joined.error) {
      if (joined.error.kind === 'http' && joined.error.httpStatus === 403 && project.allowAutoJoin !== false)
        return request(
          `Joining was refused (${joined.error.message}), so a request was sent instead.`,
          false,
        );
      return fail(...errorArgs(accessError(joined.error, project, s)));
    }
    const me = (await ownMembership(s.client, project.id, s.user.id)) ?? undefined;
    const seenAt = Date.now();
    // Without the membership, the duration asked for from now (this machine's clock, both).
    const expires = me ? me.expires : new Date(seenAt + body.expirationSeconds * 1000).toISOString();
    const created = me ? me.created : new Date(seenAt).toISOString();
    await db.accesses.put({
      stack: s.stack,
      projectId: project.id,
      projectName: project.name,
      reason: me?.reason ?? body.reason,
      expires,
      created,
      seenAt,
      via: 'joined',
      status: 'active',
      updatedAt: Date.now(),
      warnedFor: null,
    });
    await setSettings({ lastStack: s.stack });
    return ok({
      kind: 'joined',
      stack: s.stack,
      projectId: project.id,
      projectName: project.name,
      expires,
      created,
      seenAt,
      why,
    });
  };

  const request = async (why: string, mayJoin: boolean): Promise<Result<AccessOutcome>> => {
    // Structure first: a pending request of ours is listed by the server; never send a second.
    if (await pendingRequestFor(s, project.id)) return alreadyRequested(`${project.name} (#${project.id})`);
    const sent = await s.client.requestAccess(
      project.id,
      input.ticketId === undefined ? body : { ...body, ticketId: input.ticketId },
    );
    if (sent.error) {
      const e = sent.error;
      if (e.kind === 'http' && e.httpStatus === 400 && mentions(e, KEBOOLA.alreadySent)) {
        await pendingRequestFor(s, project.id);
        return alreadyRequested(`${project.name} (#${project.id})`);
      }
      if (mayJoin && e.kind === 'http' && e.httpStatus === 400 && mentions(e, KEBOOLA.useJoin))
        return join(`${org} allows Auto Join, so you joined at once: no approval needed.`);
      return fail(...errorArgs(accessError(e, project, s)));
    }
    const tracked = await trackPending(s, sent.data);
    await setSettings({ lastStack: s.stack });
    return ok({ kind: 'requested', request: tracked, why });
  };

  if (project.allowAutoJoin === true)
    return join(`${org} allows Auto Join, so you joined at once: no approval needed.`);
  if (project.allowAutoJoin === false)
    return request(
      `${org} has Auto Join off, so the project's admins must approve your request. You will be notified.`,
      true,
    );
  return request(
    `Could not read ${org}'s Auto Join setting, so a request was sent; the project's admins must approve it.`,
    true,
  );
}

function errorArgs(e: { code: string; message: string }): [string, string] {
  return [e.code, e.message];
}

export async function cancelRequest(stack: string, requestId: number): Promise<Result<null>> {
  if (isOffline()) return fail(OFFLINE.code, OFFLINE.message);
  const s = await session(stack);
  if (!s) return notConfigured(stack);
  const res = await s.client.cancelMyJoinRequest(requestId);
  if (res.error && !(res.error.kind === 'http' && res.error.httpStatus === 404))
    return fail(res.error.code, describeApiError(res.error, s.stack));
  await db.requests.update([stack, requestId], { status: 'cancelled', updatedAt: Date.now() });
  await refreshBadge();
  return ok(null);
}

export async function leaveProject(stack: string, projectId: number): Promise<Result<null>> {
  if (isOffline()) return fail(OFFLINE.code, OFFLINE.message);
  const s = await session(stack);
  if (!s) return notConfigured(stack);
  const res = await s.client.removeProjectUser(projectId, s.user.id);
  if (res.error && !(res.error.kind === 'http' && res.error.httpStatus === 404))
    return fail(res.error.code, describeApiError(res.error, s.stack));
  await db.accesses.update([stack, projectId], { status: 'left', updatedAt: Date.now() });
  return ok(null);
}
