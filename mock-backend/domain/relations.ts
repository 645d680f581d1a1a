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

/** Members who may decide requests and manage users: role admin or share. */
export function deciders(ctx: Ctx, projectId: number): ProjectMemberRow[] {
  return activeMembers(ctx, projectId).filter((m) => m.role === 'admin' || m.role === 'share');
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

/**
 * The actor of api.md, for one project. A user can be several at once; the first that applies wins:
 * organization user, then support, then maintainer (a maintainer user is by definition not an org member).
 */
export type Relation = 'organization' | 'support' | 'maintainer' | 'random';

export function relationToOrg(ctx: Ctx, org: OrganizationRow, user: UserRow): Relation {
  if (isOrgMember(ctx, org.id, user.id)) return 'organization';
  if (user.isSuperAdmin) return 'support';
  if (isMaintainerMember(ctx, org.maintainerId, user.id)) return 'maintainer';
  return 'random';
}

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

/** Deciding join requests: only members with role admin or share. */
export function assertDecider(a: ProjectAccess): void {
  if (a.member?.role === 'admin' || a.member?.role === 'share') return;
  throw forbidden();
}

/** Inviting, adding, changing and removing users: admin/share members and organization users. */
export function assertManager(a: ProjectAccess): void {
  if (a.member?.role === 'admin' || a.member?.role === 'share') return;
  if (a.relation === 'organization') return;
  throw forbidden();
}
