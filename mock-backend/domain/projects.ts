// Projects: read, create, soft delete, and the Storage token that lets a member enter one.
import { ACCESS_LIMITS, type Project, type StorageToken, type TokenVerification } from '../../api/types.ts';
import type { UserRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec } from './context.ts';
import { forbidden, unauthorized, validation } from './errors.ts';
import { formatProject, iso, isoOrNull, userRef } from './format.ts';
import { cleanText, NAME_FIELD, type TextField } from './inputs.ts';
import { putMembership } from './members.ts';
import { logAccess } from './notify.ts';
import {
  assertManager,
  assertViewer,
  isOutsider,
  projectAccess,
  relationToOrg,
  requireOrganization,
  requireProject,
} from './relations.ts';
import { TOKEN_MAX_LENGTH } from './token-hash.ts';

/**
 * The user a Manage API token belongs to; a missing or unknown token is a 401. The store holds only
 * the token's hash; an over-long token is refused before it is hashed or looked up.
 */
export async function userByToken(ctx: Ctx, token: string | undefined | null): Promise<UserRow> {
  if (!token) throw unauthorized('Access token must be set');
  if (token.length > TOKEN_MAX_LENGTH) throw unauthorized('Invalid access token');
  const user = await ctx.store.first('users', { tokenHash: ctx.hashToken(token) });
  if (!user) throw unauthorized('Invalid access token');
  return user;
}

/** `GET /tokens/verify` for a user already found by their token. */
export function tokenVerification(user: UserRow): TokenVerification {
  return {
    id: user.id,
    description: `${user.email} token`,
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      mfaEnabled: user.mfaEnabled,
      isSuperAdmin: user.isSuperAdmin,
      features: [],
    },
  };
}

export async function getProject(ctx: Ctx, user: UserRow, projectId: number): Promise<Project> {
  const a = await projectAccess(ctx, projectId, user);
  // Outsiders see the project they ask to enter (its name, organization, Auto Join), not its people.
  assertViewer(a);
  return formatProject(ctx, a.project);
}

const DESCRIPTION_FIELD: TextField = { key: 'description', label: 'Description', max: 255, required: true };

export async function createProject(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  body: { name: string },
): Promise<Project> {
  return mutate(ctx, async (ctx) => {
    const org = await requireOrganization(ctx, organizationId);
    if ((await relationToOrg(ctx, org, user)) !== 'organization')
      throw forbidden('Only members of the organization may create projects.');
    const created = nowSec(ctx);
    const id = await ctx.store.insert('projects', {
      name: cleanText(body.name, NAME_FIELD),
      created,
      organizationId,
      usersLimit: null,
      deleted: null,
    });
    // The creator is the project's first admin, as in Keboola.
    await putMembership(ctx, {
      projectId: id,
      userId: user.id,
      role: 'admin',
      kind: 'member',
      reason: null,
      created,
      expires: null,
      invitorId: null,
      approverId: null,
    });
    return formatProject(ctx, await requireProject(ctx, id));
  });
}

/** Soft delete: the project stays as a row, but its pending requests and invitations are gone for good. */
export async function deleteProject(ctx: Ctx, user: UserRow, projectId: number): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const a = await projectAccess(ctx, projectId, user);
    assertManager(a);
    const now = nowSec(ctx);
    await ctx.store.update('projects', projectId, { deleted: now });
    for (const r of await ctx.store.find('joinRequests', { projectId, status: 'pending' }))
      await ctx.store.updateIf(
        'joinRequests',
        r.id,
        { status: 'pending' },
        { status: 'cancelled', decided: now },
      );
    for (const i of await ctx.store.find('projectInvitations', { projectId }))
      await ctx.store.delete('projectInvitations', i.id);
    await logAccess(ctx, projectId, 'projectDeleted', {
      actor: userRef(user),
      subject: null,
      details: { name: a.project.name },
    });
  });
}

/**
 * Our rule: a support or maintainer member's Storage token never outlives the membership. A
 * membership without an expiry should not exist for them (every way in sets one); if one does (a
 * user made support after joining), the token gets the 48 h default rather than none.
 */
function outsiderTokenExpiry(created: number, asked: number | null, membershipEnds: number | null): number {
  const end = membershipEnds ?? created + ACCESS_LIMITS.outsiderDefaultSeconds;
  return asked === null ? end : Math.min(asked, end);
}

function randomToken(): string {
  const bytes = new Uint8Array(20);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function createStorageToken(
  ctx: Ctx,
  user: UserRow,
  projectId: number,
  body: { description: string; expiresIn?: number | null },
): Promise<StorageToken> {
  return mutate(ctx, async (ctx) => {
    const a = await projectAccess(ctx, projectId, user);
    const mayEnter =
      a.member?.role === 'admin' || a.member?.role === 'share' || a.relation === 'organization';
    if (!mayEnter) throw forbidden("You don't have access to project");
    const description = cleanText(body.description, DESCRIPTION_FIELD);
    if (
      body.expiresIn !== undefined &&
      body.expiresIn !== null &&
      (body.expiresIn < 1 || body.expiresIn > ACCESS_LIMITS.expirationMaxSeconds)
    )
      throw validation('expiresIn must be a positive number of seconds.', 'expiresIn');
    const created = nowSec(ctx);
    const asked = body.expiresIn ? created + body.expiresIn : null;
    const outsider = isOutsider(a.relation) || (a.member !== undefined && a.member.kind !== 'member');
    const expires = outsider ? outsiderTokenExpiry(created, asked, a.member?.expires ?? null) : asked;
    // An outsider's token is tied to the very membership that made it (mayEnter says there is one):
    // when that row ends, however it ends, the token is refused and swept (storage-tokens.ts).
    const membershipId = outsider ? (a.member?.id ?? null) : null;
    if (outsider && membershipId === null) throw forbidden("You don't have access to project");
    const token = `${projectId}-${randomToken()}`;
    const id = await ctx.store.insert('storageTokens', {
      projectId,
      userId: user.id,
      tokenHash: ctx.hashToken(token),
      description,
      created,
      expires,
      membershipId,
    });
    if (outsider)
      await logAccess(ctx, projectId, 'storageTokenCreated', {
        actor: userRef(user),
        subject: userRef(user),
        reason: a.member?.reason ?? null,
        details: { tokenId: id, description, expires: isoOrNull(expires) },
      });
    return { id, token, description, created: iso(created), expires: isoOrNull(expires) };
  });
}
