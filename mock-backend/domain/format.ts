// Rows → the objects of the contract.
import type {
  IdName,
  MyJoinRequest,
  MyOrganizationInvitation,
  MyProjectInvitation,
  Organization,
  OrganizationInvitation,
  OrganizationUser,
  Project,
  ProjectInvitation,
  ProjectJoinRequest,
  ProjectUser,
  Timestamp,
  UserRef,
} from '../../api/types.ts';
import type {
  JoinRequestRow,
  OrganizationInvitationRow,
  OrganizationMemberRow,
  OrganizationRow,
  ProjectInvitationRow,
  ProjectMemberRow,
  ProjectRow,
  UserRow,
} from '../store/schema.ts';
import type { Ctx } from './context.ts';
import { activeMemberCount } from './relations.ts';

/** `2026-11-27T10:50:00+0000` */
const isoCache = new Map<number, Timestamp>();
export function iso(sec: number): Timestamp {
  // Lists format the same few timestamps on every read; formatting showed up in the read profile.
  let s = isoCache.get(sec);
  if (s === undefined) {
    s = new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');
    if (isoCache.size > 10_000) isoCache.clear();
    isoCache.set(sec, s);
  }
  return s;
}
export const isoOrNull = (sec: number | null): Timestamp | null => (sec === null ? null : iso(sec));

export function userRef(u: UserRow): UserRef {
  return { id: u.id, name: u.name, email: u.email };
}

/**
 * Users by id for a whole list, read in one batched look-up (not one query per row); a formatter
 * given none looks its one row's users up itself.
 */
export type People = Map<number, UserRow>;
export function peopleOf(ctx: Ctx, ids: Iterable<number | null>): People {
  const unique = new Set<number>();
  for (const id of ids) if (id !== null) unique.add(id);
  return ctx.store.getMany('users', [...unique]);
}
const person = (ctx: Ctx, people: People | undefined, id: number): UserRow | undefined =>
  people ? people.get(id) : ctx.store.get('users', id);

/** Users are never deleted, so a dangling id is a broken fixture: show a placeholder, not a 500. */
export function userRefById(ctx: Ctx, id: number, people?: People): UserRef {
  const u = person(ctx, people, id);
  return u ? { id: u.id, name: u.name, email: u.email } : { id, name: 'Unknown user', email: '' };
}

/** For the optional people of a row (invitor, approver). */
const optionalUserRef = (ctx: Ctx, id: number | null, people?: People): UserRef | null =>
  id === null ? null : userRefById(ctx, id, people);

export function projectRef(p: ProjectRow): IdName {
  return { id: p.id, name: p.name };
}

function projectRefById(ctx: Ctx, id: number): IdName {
  const p = ctx.store.get('projects', id);
  return { id, name: p?.name ?? '' };
}

export function orgRef(ctx: Ctx, id: number): IdName {
  const o = ctx.store.get('organizations', id);
  return { id, name: o?.name ?? '' };
}

export function formatProject(ctx: Ctx, p: ProjectRow): Project {
  return {
    id: p.id,
    name: p.name,
    created: iso(p.created),
    organization: orgRef(ctx, p.organizationId),
    limits: { users: p.usersLimit },
    usage: { users: activeMemberCount(ctx, p.id, 'member') },
  };
}

export function formatOrganization(ctx: Ctx, o: OrganizationRow): Organization {
  const m = ctx.store.get('maintainers', o.maintainerId);
  return {
    id: o.id,
    name: o.name,
    created: iso(o.created),
    allowAutoJoin: o.allowAutoJoin,
    mfaRequired: o.mfaRequired,
    maintainer: { id: o.maintainerId, name: m?.name ?? '' },
  };
}

// Objects are built field by field: an object spread per row was 40× slower than a literal.
export function formatProjectUser(ctx: Ctx, m: ProjectMemberRow, people?: People): ProjectUser {
  const u = person(ctx, people, m.userId);
  return {
    id: m.userId,
    name: u?.name ?? 'Unknown user',
    email: u?.email ?? '',
    mfaEnabled: u?.mfaEnabled ?? false,
    created: iso(m.created),
    expires: isoOrNull(m.expires),
    reason: m.reason,
    role: m.role,
    status: 'active',
    invitor: optionalUserRef(ctx, m.invitorId, people),
    approver: optionalUserRef(ctx, m.approverId, people),
    kind: m.kind,
  };
}

export function formatProjectUsers(ctx: Ctx, rows: ProjectMemberRow[]): ProjectUser[] {
  const people = peopleOf(
    ctx,
    rows.flatMap((m) => [m.userId, m.invitorId, m.approverId]),
  );
  return rows.map((m) => formatProjectUser(ctx, m, people));
}

export function formatProjectJoinRequest(ctx: Ctx, r: JoinRequestRow, people?: People): ProjectJoinRequest {
  return {
    id: r.id,
    created: iso(r.created),
    expires: isoOrNull(r.expires),
    reason: r.reason,
    user: userRefById(ctx, r.userId, people),
  };
}

export function formatProjectJoinRequests(ctx: Ctx, rows: JoinRequestRow[]): ProjectJoinRequest[] {
  const people = peopleOf(
    ctx,
    rows.map((r) => r.userId),
  );
  return rows.map((r) => formatProjectJoinRequest(ctx, r, people));
}

export function formatMyJoinRequest(ctx: Ctx, r: JoinRequestRow): MyJoinRequest {
  return {
    id: r.id,
    created: iso(r.created),
    expires: isoOrNull(r.expires),
    reason: r.reason,
    project: projectRefById(ctx, r.projectId),
  };
}

export function formatProjectInvitation(
  ctx: Ctx,
  i: ProjectInvitationRow,
  people?: People,
): ProjectInvitation {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    reason: i.reason,
    role: i.role,
    user: userRefById(ctx, i.userId, people),
    creator: userRefById(ctx, i.creatorId, people),
  };
}

export function formatProjectInvitations(ctx: Ctx, rows: ProjectInvitationRow[]): ProjectInvitation[] {
  const people = peopleOf(
    ctx,
    rows.flatMap((i) => [i.userId, i.creatorId]),
  );
  return rows.map((i) => formatProjectInvitation(ctx, i, people));
}

export function formatMyProjectInvitation(ctx: Ctx, i: ProjectInvitationRow): MyProjectInvitation {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    reason: i.reason,
    role: i.role,
    project: projectRefById(ctx, i.projectId),
    creator: userRefById(ctx, i.creatorId),
  };
}

export function formatOrganizationUser(
  ctx: Ctx,
  m: OrganizationMemberRow,
  people?: People,
): OrganizationUser {
  const u = person(ctx, people, m.userId);
  return {
    id: m.userId,
    name: u?.name ?? 'Unknown user',
    email: u?.email ?? '',
    mfaEnabled: u?.mfaEnabled ?? false,
    created: iso(m.created),
    invitor: optionalUserRef(ctx, m.invitorId, people),
  };
}

export function formatOrganizationUsers(ctx: Ctx, rows: OrganizationMemberRow[]): OrganizationUser[] {
  const people = peopleOf(
    ctx,
    rows.flatMap((m) => [m.userId, m.invitorId]),
  );
  return rows.map((m) => formatOrganizationUser(ctx, m, people));
}

export function formatOrganizationInvitation(ctx: Ctx, i: OrganizationInvitationRow): OrganizationInvitation {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    user: userRefById(ctx, i.userId),
    creator: userRefById(ctx, i.creatorId),
  };
}

export function formatMyOrganizationInvitation(
  ctx: Ctx,
  i: OrganizationInvitationRow,
): MyOrganizationInvitation {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    organization: orgRef(ctx, i.organizationId),
    creator: userRefById(ctx, i.creatorId),
  };
}
