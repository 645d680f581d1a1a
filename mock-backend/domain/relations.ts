// How a user relates to a project or organization, always judged at the clock's "now": an expired
// membership, request or invitation counts as absent here, whatever the sweeper has done.
import type { MemberKind } from '../../api/types.ts';
import type { MemberContact, MemberWithPeople } from '../store/reads.ts';
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

export async function activeMember(
  ctx: Ctx,
  projectId: number,
  userId: number,
): Promise<ProjectMemberRow | undefined> {
  const m = await ctx.store.first('projectMembers', { projectId, userId });
  return m && alive(ctx, m.expires) ? m : undefined;
}

export async function activeMembers(ctx: Ctx, projectId: number): Promise<ProjectMemberRow[]> {
  return (await ctx.store.find('projectMembers', { projectId })).filter((m) => alive(ctx, m.expires));
}

/** The active members of a project, each with its user, invitor and approver (one joined read). */
export async function activeMembersWithPeople(
  ctx: Ctx,
  projectId: number,
): Promise<readonly MemberWithPeople[]> {
  return (await ctx.store.joined('projectMembersWithPeople', projectId)).filter((m) => alive(ctx, m.expires));
}

export async function activeMemberCount(ctx: Ctx, projectId: number, kind: MemberKind): Promise<number> {
  return (await activeMembers(ctx, projectId)).filter((m) => m.kind === kind).length;
}

/** A membership row that may decide requests: role admin or share, and kind member. */
export const isDecider = (m: Pick<ProjectMemberRow, 'role' | 'kind'>): boolean =>
  (m.role === 'admin' || m.role === 'share') && m.kind === 'member';

/**
 * Whether a membership decides now: its row says so and its user is not an outsider now (a customer
 * admin made support keeps her row but loses her say, so she is not told about requests either).
 */
export async function decidesNow(ctx: Ctx, m: ProjectMemberRow): Promise<boolean> {
  if (!isDecider(m)) return false;
  const project = await ctx.store.get('projects', m.projectId);
  const org = project && (await ctx.store.get('organizations', project.organizationId));
  const user = await ctx.store.get('users', m.userId);
  return user !== undefined && (!org || (await outsiderIn(ctx, org, user)) === null);
}

/**
 * The customer's own people in a project, the only members told about new requests: kind `member`
 * and not an outsider now (a customer admin made support keeps her `member` row, but is told
 * nothing more, as assertDecider gives her no say).
 */
export async function ownMembers(ctx: Ctx, projectId: number): Promise<readonly MemberContact[]> {
  const members = (await ctx.store.joined('projectMemberContacts', projectId)).filter(
    (m) => m.kind === 'member' && alive(ctx, m.expires),
  );
  const project = await ctx.store.get('projects', projectId);
  const org = project && (await ctx.store.get('organizations', project.organizationId));
  if (!org) return members;
  // Two reads, not two per member: the members with their users' contact (one joined read), and the
  // maintainer's people (its staff, few, whatever the size of the project).
  const maintainers = new Set(
    (await ctx.store.find('maintainerMembers', { maintainerId: org.maintainerId })).map((r) => r.userId),
  );
  return members.filter(
    (m) =>
      m.isSuperAdmin !== null &&
      outsiderKind({ id: m.userId, isSuperAdmin: m.isSuperAdmin }, org, (_, id) => maintainers.has(id)) ===
        null,
  );
}

export function pendingRequest(ctx: Ctx, r: JoinRequestRow | undefined): r is JoinRequestRow {
  return r !== undefined && r.status === 'pending' && alive(ctx, r.expires);
}

export async function pendingRequestsOf(
  ctx: Ctx,
  filter: { projectId?: number; userId?: number },
): Promise<JoinRequestRow[]> {
  const rows = (await ctx.store.find('joinRequests', { ...filter, status: 'pending' })).filter((r) =>
    alive(ctx, r.expires),
  );
  return inLiveProjects(ctx, rows);
}

export async function liveInvitations(
  ctx: Ctx,
  filter: { projectId?: number; userId?: number },
): Promise<ProjectInvitationRow[]> {
  const rows = (await ctx.store.find('projectInvitations', filter)).filter((i) => alive(ctx, i.expires));
  return inLiveProjects(ctx, rows);
}

/** The rows whose project is live: each project looked up once, however many rows it has. */
async function inLiveProjects<R extends { projectId: number }>(ctx: Ctx, rows: R[]): Promise<R[]> {
  const live = new Map<number, boolean>();
  for (const r of rows)
    if (!live.has(r.projectId)) live.set(r.projectId, (await liveProject(ctx, r.projectId)) !== undefined);
  return rows.filter((r) => live.get(r.projectId));
}

export async function liveProject(ctx: Ctx, id: number): Promise<ProjectRow | undefined> {
  const p = await ctx.store.get('projects', id);
  return p && p.deleted === null ? p : undefined;
}

export async function requireProject(ctx: Ctx, id: number): Promise<ProjectRow> {
  const p = await liveProject(ctx, id);
  if (!p) throw notFound(`Project ${id} not found`);
  return p;
}

export async function requireOrganization(ctx: Ctx, id: number): Promise<OrganizationRow> {
  const o = await ctx.store.get('organizations', id);
  if (!o) throw notFound(`Organization ${id} not found`);
  return o;
}

export const isOrgMember = async (ctx: Ctx, organizationId: number, userId: number): Promise<boolean> =>
  (await ctx.store.first('organizationMembers', { organizationId, userId })) !== undefined;

export const isMaintainerMember = async (ctx: Ctx, maintainerId: number, userId: number): Promise<boolean> =>
  (await ctx.store.first('maintainerMembers', { maintainerId, userId })) !== undefined;

export type Outsider = 'support' | 'maintainer';

/**
 * THE outsider rule (docs/rules.md#the-outsider-rule), and the only
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

/** `outsiderKind` with the store's maintainer memberships (looked up only when the rule asks). */
export async function outsiderIn(
  ctx: Ctx,
  org: Pick<OrganizationRow, 'maintainerId'> | null,
  user: Pick<UserRow, 'id' | 'isSuperAdmin'>,
): Promise<Outsider | null> {
  // The rule is asked first as if the user maintained nothing; only if it wanted to know is the
  // membership looked up (a support user, or no organization, needs no look-up).
  let asked: { maintainerId: number; userId: number } | undefined;
  const first = outsiderKind(user, org, (maintainerId, userId) => {
    asked = { maintainerId, userId };
    return false;
  });
  if (!asked) return first;
  const { maintainerId, userId } = asked;
  const maintains = await isMaintainerMember(ctx, maintainerId, userId);
  return outsiderKind(user, org, () => maintains);
}

/**
 * The actor of docs/rules.md#actors, for one organization (and so its projects). Outsiders first: a support or
 * maintainer user who is also an organization member is still `support`/`maintainer`.
 */
export type Relation = 'organization' | Outsider | 'random';

export async function relationToOrg(ctx: Ctx, org: OrganizationRow, user: UserRow): Promise<Relation> {
  const outsider = await outsiderIn(ctx, org, user);
  if (outsider) return outsider;
  return (await isOrgMember(ctx, org.id, user.id)) ? 'organization' : 'random';
}

export const isOutsider = (relation: Relation): relation is Outsider =>
  relation === 'support' || relation === 'maintainer';

export interface ProjectAccess {
  project: ProjectRow;
  org: OrganizationRow;
  relation: Relation;
  member: ProjectMemberRow | undefined;
}

/** The project (404 unless live), its organization and the user's relation to it: all but `member`. */
export async function projectRelation(
  ctx: Ctx,
  projectId: number,
  user: UserRow,
): Promise<Omit<ProjectAccess, 'member'>> {
  const project = await requireProject(ctx, projectId);
  const org = await requireOrganization(ctx, project.organizationId);
  return { project, org, relation: await relationToOrg(ctx, org, user) };
}

export async function projectAccess(ctx: Ctx, projectId: number, user: UserRow): Promise<ProjectAccess> {
  const { project, org, relation } = await projectRelation(ctx, projectId, user);
  return { project, org, relation, member: await activeMember(ctx, projectId, user.id) };
}

/** The kind a new membership gets: support and maintainer members never count towards the limit. */
export function kindFor(relation: Relation): MemberKind {
  return relation === 'support' ? 'support' : relation === 'maintainer' ? 'maintainer' : 'member';
}

/**
 * Who may see the project itself (its name, organization, Auto Join) and file a ticket about it:
 * members (any role), organization users, and support and maintainer users, who must see what they
 * are asking to enter. Random users may not.
 */
export function assertViewer(a: ProjectAccess): void {
  if (a.member === undefined && a.relation === 'random')
    throw forbidden("You don't have access to the project");
}

/**
 * Who may read what is inside a project (its members, requests, invitations and access history):
 * its active members (any role) and organization users. Support and maintainer users read it only
 * while they are members, which takes a reason, MFA and an expiry: until then they see the project,
 * their own requests and their own (missing) membership, and nothing about its people.
 */
export function assertReader(a: ProjectAccess): void {
  assertReaderOf(a.relation, a.member !== undefined);
}

/** assertReader for a caller of whom only this is known: their relation, and whether they are a member. */
export function assertReaderOf(relation: Relation, isMember: boolean): void {
  if (isMember || relation === 'organization') return;
  if (isOutsider(relation)) throw outsidersReadAsMembers();
  throw forbidden("You don't have access to the project");
}

export const outsidersReadAsMembers = () =>
  forbidden(
    "Support and maintainer users read a project's users, requests, invitations and history only as its members: join the project or request access first.",
  );

/**
 * Our rule: support and maintainer accounts always have MFA. An account that is support
 * (`isSuperAdmin`) or a maintainer's user, and has MFA off, has no standing anywhere: every call but
 * `tokens/verify` (so the extension can say what is wrong) is refused here, where the caller is
 * resolved, before any rule runs. One point read, and only for accounts without MFA.
 */
export async function assertStanding(ctx: Ctx, user: UserRow): Promise<void> {
  if (user.mfaEnabled) return;
  const outsider =
    user.isSuperAdmin || (await ctx.store.first('maintainerMembers', { userId: user.id })) !== undefined;
  if (outsider)
    throw forbidden(
      'Support and maintainer accounts must have multi-factor authentication enabled: enable MFA for this account, then try again.',
      'manage.mfaRequired',
    );
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
