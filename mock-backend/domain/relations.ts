// How a user relates to a project or organization, always judged at the clock's "now": an expired
// membership, request or invitation counts as absent here, whatever the sweeper has done.
import type { MemberKind } from '../../api/types.ts';
import type {
  JoinRequestRow,
  OrganizationRow,
  ProjectInvitationRow,
  ProjectMemberRow,
  ProjectRow,
  UserRow,
} from '../store/schema.ts';
import { type Ctx, nowSec } from './context.ts';
import { forbidden, notFound } from './errors.ts';

export const alive = (ctx: Ctx, expires: number | null): boolean => expires === null || expires > nowSec(ctx);

export function activeMember(ctx: Ctx, projectId: number, userId: number): ProjectMemberRow | undefined {
  const m = ctx.store.first('projectMembers', { projectId, userId });
  return m && alive(ctx, m.expires) ? m : undefined;
}

export function activeMembers(ctx: Ctx, projectId: number): ProjectMemberRow[] {
  return ctx.store.find('projectMembers', { projectId }).filter((m) => alive(ctx, m.expires));
}

export function activeMemberCount(ctx: Ctx, projectId: number, kind: MemberKind): number {
  return activeMembers(ctx, projectId).filter((m) => m.kind === kind).length;
}

/** A membership row that may decide requests: role admin or share, and kind member. */
export const isDecider = (m: Pick<ProjectMemberRow, 'role' | 'kind'>): boolean =>
  (m.role === 'admin' || m.role === 'share') && m.kind === 'member';

/**
 * Whether a membership decides now: its row says so and its user is not an outsider now (a customer
 * admin made support keeps her row but loses her say, so she is not told about requests either).
 */
export function decidesNow(ctx: Ctx, m: ProjectMemberRow): boolean {
  if (!isDecider(m)) return false;
  const project = ctx.store.get('projects', m.projectId);
  const org = project && ctx.store.get('organizations', project.organizationId);
  const user = ctx.store.get('users', m.userId);
  return user !== undefined && (!org || outsiderIn(ctx, org, user) === null);
}

/** Members who may decide requests: role admin or share, of the customer's own people. */
export function deciders(ctx: Ctx, projectId: number): ProjectMemberRow[] {
  return ownMembers(ctx, projectId).filter(isDecider);
}

/**
 * The customer's own people in a project, the only members told about new requests: kind `member`
 * and not an outsider now (a customer admin made support keeps her `member` row, but is told
 * nothing more, as assertDecider gives her no say).
 */
export function ownMembers(ctx: Ctx, projectId: number): ProjectMemberRow[] {
  const members = activeMembers(ctx, projectId).filter((m) => m.kind === 'member');
  const project = ctx.store.get('projects', projectId);
  const org = project && ctx.store.get('organizations', project.organizationId);
  if (!org) return members;
  return members.filter((m) => {
    const user = ctx.store.get('users', m.userId);
    return user !== undefined && outsiderIn(ctx, org, user) === null;
  });
}

export function pendingRequest(ctx: Ctx, r: JoinRequestRow | undefined): r is JoinRequestRow {
  return r !== undefined && r.status === 'pending' && alive(ctx, r.expires);
}

export function pendingRequestsOf(
  ctx: Ctx,
  filter: { projectId?: number; userId?: number },
): JoinRequestRow[] {
  return ctx.store
    .find('joinRequests', { ...filter, status: 'pending' })
    .filter((r) => alive(ctx, r.expires) && liveProject(ctx, r.projectId) !== undefined);
}

export function liveInvitations(
  ctx: Ctx,
  filter: { projectId?: number; userId?: number },
): ProjectInvitationRow[] {
  return ctx.store
    .find('projectInvitations', filter)
    .filter((i) => alive(ctx, i.expires) && liveProject(ctx, i.projectId) !== undefined);
}

export function liveProject(ctx: Ctx, id: number): ProjectRow | undefined {
  const p = ctx.store.get('projects', id);
  return p && p.deleted === null ? p : undefined;
}

export function requireProject(ctx: Ctx, id: number): ProjectRow {
  const p = liveProject(ctx, id);
  if (!p) throw notFound(`Project ${id} not found`);
  return p;
}

export function requireOrganization(ctx: Ctx, id: number): OrganizationRow {
  const o = ctx.store.get('organizations', id);
  if (!o) throw notFound(`Organization ${id} not found`);
  return o;
}

export const isOrgMember = (ctx: Ctx, organizationId: number, userId: number): boolean =>
  ctx.store.first('organizationMembers', { organizationId, userId }) !== undefined;

export const isMaintainerMember = (ctx: Ctx, maintainerId: number, userId: number): boolean =>
  ctx.store.first('maintainerMembers', { maintainerId, userId }) !== undefined;

export type Outsider = 'support' | 'maintainer';

/**
 * THE outsider rule (api.md "Our rule: support and maintainer users are outsiders"), and the only
 * place it is decided: support = `isSuperAdmin`, maintainer = member of the maintainer of the
 * organization. Decided by who the user is, so organization membership or a project role never
 * turns an outsider into one of the customer's own people. `maintains` is the only look-up; the
 * fixture loader passes its own so it can load in one pass.
 */
export function outsiderKind(
  user: Pick<UserRow, 'id' | 'isSuperAdmin'>,
  org: Pick<OrganizationRow, 'maintainerId'> | null,
  maintains: (maintainerId: number, userId: number) => boolean,
): Outsider | null {
  if (user.isSuperAdmin) return 'support';
  // No organization (a ticket filed without a project): nobody is its maintainer.
  if (org && maintains(org.maintainerId, user.id)) return 'maintainer';
  return null;
}

/** `outsiderKind` with the store's maintainer memberships. */
export const outsiderIn = (
  ctx: Ctx,
  org: Pick<OrganizationRow, 'maintainerId'> | null,
  user: Pick<UserRow, 'id' | 'isSuperAdmin'>,
): Outsider | null =>
  outsiderKind(user, org, (maintainerId, userId) => isMaintainerMember(ctx, maintainerId, userId));

/**
 * The actor of api.md, for one organization (and so its projects). Outsiders first: a support or
 * maintainer user who is also an organization member is still `support`/`maintainer`.
 */
export type Relation = 'organization' | Outsider | 'random';

export function relationToOrg(ctx: Ctx, org: OrganizationRow, user: UserRow): Relation {
  const outsider = outsiderIn(ctx, org, user);
  if (outsider) return outsider;
  return isOrgMember(ctx, org.id, user.id) ? 'organization' : 'random';
}

export const isOutsider = (relation: Relation): relation is Outsider =>
  relation === 'support' || relation === 'maintainer';

export interface ProjectAccess {
  project: ProjectRow;
  org: OrganizationRow;
  relation: Relation;
  member: ProjectMemberRow | undefined;
}

export function projectAccess(ctx: Ctx, projectId: number, user: UserRow): ProjectAccess {
  const project = requireProject(ctx, projectId);
  const org = requireOrganization(ctx, project.organizationId);
  return {
    project,
    org,
    relation: relationToOrg(ctx, org, user),
    member: activeMember(ctx, projectId, user.id),
  };
}

/** The kind a new membership gets: support and maintainer members never count towards the limit. */
export function kindFor(relation: Relation): MemberKind {
  return relation === 'support' ? 'support' : relation === 'maintainer' ? 'maintainer' : 'member';
}

/** Members (any role), organization, maintainer and support users may read; random users may not. */
export function assertReader(a: ProjectAccess): void {
  if (!a.member && a.relation === 'random') throw forbidden("You don't have access to the project");
}

/**
 * Whether a member is one of the customer's own people: kind `member` and not an outsider now. Both
 * are asked because a row outlives a change of who its user is: a user made support after joining
 * keeps a `member` row but loses its rights; a `support` row gives none to a user no longer support.
 */
const isOwnMember = (a: ProjectAccess): boolean => a.member?.kind === 'member' && !isOutsider(a.relation);
const isAdminMember = (a: ProjectAccess): boolean => a.member?.role === 'admin' || a.member?.role === 'share';

/** Deciding join requests: only admin/share members who are the customer's own people. */
export function assertDecider(a: ProjectAccess): void {
  if (isAdminMember(a) && isOwnMember(a)) return;
  throw forbidden();
}

/**
 * Inviting, adding, changing and removing others, deleting the project: admin/share members and
 * organization users, never an outsider whatever their role.
 */
export function assertManager(a: ProjectAccess): void {
  if (isOutsider(a.relation)) throw forbidden();
  if ((isAdminMember(a) && isOwnMember(a)) || a.relation === 'organization') return;
  throw forbidden();
}
