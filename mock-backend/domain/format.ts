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

/** Users are never deleted, so a dangling id is a broken fixture: show a placeholder, not a 500. */
export function userRefById(ctx: Ctx, id: number): UserRef {
  const u = ctx.store.get('users', id);
  return u ? userRef(u) : { id, name: 'Unknown user', email: '' };
}

/** For the optional people of a row (invitor, approver). */
const optionalUserRef = (ctx: Ctx, id: number | null): UserRef | null =>
  id === null ? null : userRefById(ctx, id);

/** The user part of a ProjectUser or OrganizationUser. */
function memberUser(ctx: Ctx, userId: number) {
  const u = ctx.store.get('users', userId);
  return {
    id: userId,
    name: u?.name ?? 'Unknown user',
    email: u?.email ?? '',
    mfaEnabled: u?.mfaEnabled ?? false,
  };
}

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

export function formatProjectUser(ctx: Ctx, m: ProjectMemberRow): ProjectUser {
  return {
    ...memberUser(ctx, m.userId),
    created: iso(m.created),
    expires: isoOrNull(m.expires),
    reason: m.reason,
    role: m.role,
    status: 'active',
    invitor: optionalUserRef(ctx, m.invitorId),
    approver: optionalUserRef(ctx, m.approverId),
    kind: m.kind,
  };
}

export function formatProjectJoinRequest(ctx: Ctx, r: JoinRequestRow): ProjectJoinRequest {
  return {
    id: r.id,
    created: iso(r.created),
    expires: isoOrNull(r.expires),
    reason: r.reason,
    user: userRefById(ctx, r.userId),
  };
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

export function formatProjectInvitation(ctx: Ctx, i: ProjectInvitationRow): ProjectInvitation {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    reason: i.reason,
    role: i.role,
    user: userRefById(ctx, i.userId),
    creator: userRefById(ctx, i.creatorId),
  };
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

export function formatOrganizationUser(ctx: Ctx, m: OrganizationMemberRow): OrganizationUser {
  return {
    ...memberUser(ctx, m.userId),
    created: iso(m.created),
    invitor: optionalUserRef(ctx, m.invitorId),
  };
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
