// Storage tokens after they are made (projects.ts makes them): used, listed, revoked. A token made by
// a support or maintainer member is tied to the membership that made it (`membershipId`): it is
// alive only while that very row is (ids are never reused), still in time and still of a role that
// may enter. So it dies the moment the membership ends, however it ends (expiry, leaving, removal,
// anything added later), refused here at use; endMemberships (members.ts) deletes it with the row.
import { type OutsiderStorageToken, PAGE_LIMITS, type StorageTokenVerification } from '../../api/types.ts';
import type { StorageTokenRow, UserRow } from '../store/schema.ts';
import { type Ctx, mutate } from './context.ts';
import { notFound, unauthorized } from './errors.ts';
import { iso, isoOrNull, projectRef, userRef } from './format.ts';
import { logAccess } from './notify.ts';
import { activeMembers, alive, assertDecider, liveProject, projectAccess } from './relations.ts';
import { TOKEN_MAX_LENGTH } from './token-hash.ts';

/** Roles that may enter a project (make a Storage token), and so keep one alive. */
const mayEnter = (role: string) => role === 'admin' || role === 'share';

/** Whether a token grants anything now: in time, its project live, and its membership (if any) too. */
export async function liveStorageToken(ctx: Ctx, t: StorageTokenRow): Promise<boolean> {
  if (!alive(ctx, t.expires)) return false;
  if (!(await liveProject(ctx, t.projectId))) return false;
  if (t.membershipId === null) return true;
  const m = await ctx.store.get('projectMembers', t.membershipId);
  return (
    m !== undefined &&
    m.userId === t.userId &&
    m.projectId === t.projectId &&
    alive(ctx, m.expires) &&
    mayEnter(m.role)
  );
}

/**
 * Using a Storage token (`GET /v2/storage/tokens/verify`, as Keboola's Storage API): a 401 for a
 * missing, unknown, expired or dead one, whatever the sweep has done yet.
 */
export async function verifyStorageToken(
  ctx: Ctx,
  token: string | undefined | null,
): Promise<StorageTokenVerification> {
  if (!token) throw unauthorized('Access token must be set');
  if (token.length > TOKEN_MAX_LENGTH) throw unauthorized('Invalid access token');
  const t = await ctx.store.first('storageTokens', { tokenHash: ctx.hashToken(token) });
  if (!t || !(await liveStorageToken(ctx, t))) throw unauthorized('Invalid access token');
  const project = await liveProject(ctx, t.projectId);
  if (!project) throw unauthorized('Invalid access token');
  return {
    id: t.id,
    description: t.description,
    created: iso(t.created),
    expires: isoOrNull(t.expires),
    owner: projectRef(project),
  };
}

/**
 * The live tokens of the project's outsiders, newest first, one page: only its deciders (admin/share
 * members of the customer's own people) may list them. Filtered in the query: only tokens tied to a
 * membership of the project that is active now and may enter.
 */
export async function listOutsiderTokens(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  page: { offset?: number; limit?: number },
): Promise<OutsiderStorageToken[]> {
  assertDecider(await projectAccess(ctx, projectId, user));
  const memberships = new Map(
    (await activeMembers(ctx, projectId)).filter((m) => mayEnter(m.role)).map((m) => [m.id, m]),
  );
  const rows = await ctx.store.find(
    'storageTokens',
    { projectId },
    {
      anyOf: [{ membershipId: [...memberships.keys()] }],
      desc: true,
      offset: page.offset ?? 0,
      limit: page.limit ?? PAGE_LIMITS.default,
    },
  );
  // Expired rows the sweep has not reached yet are not listed (the page may then be a row short).
  const live = rows.filter((t) => alive(ctx, t.expires));
  const people = await ctx.store.getMany(
    'users',
    live.map((t) => t.userId),
  );
  const out: OutsiderStorageToken[] = [];
  for (const t of live) {
    const m = t.membershipId === null ? undefined : memberships.get(t.membershipId);
    const owner = people.get(t.userId);
    if (!m || m.userId !== t.userId || !owner) continue;
    out.push({
      id: t.id,
      description: t.description,
      created: iso(t.created),
      expires: isoOrNull(t.expires),
      user: userRef(owner),
      kind: m.kind,
    });
  }
  return out;
}

/**
 * A decider revokes one outsider's token of their project. Anything else (a token of another
 * project, a customer's own token, one already dead) is 404: the id says nothing about other projects.
 */
export async function revokeStorageToken(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  tokenId: number,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    assertDecider(await projectAccess(ctx, projectId, user));
    const t = await ctx.store.get('storageTokens', tokenId);
    if (!t || t.projectId !== projectId || t.membershipId === null || !(await liveStorageToken(ctx, t)))
      throw notFound(`Storage token ${tokenId} not found`);
    await ctx.store.delete('storageTokens', t.id);
    const owner = await ctx.store.get('users', t.userId);
    await logAccess(ctx, projectId, 'storageTokenRevoked', {
      actor: userRef(user),
      subject: owner ? userRef(owner) : null,
      details: { tokenId: t.id, description: t.description },
    });
  });
}
