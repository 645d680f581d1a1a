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
export function userRefById(ctx: Ctx, id: number | null): UserRef | null {
  if (id === null) return null;
  const u = ctx.store.get('users', id);
  return u ? userRef(u) : { id, name: 'Unknown user', email: '' };
}

function requireUserRef(ctx: Ctx, id: number): UserRef {
  return userRefById(ctx, id) ?? { id, name: 'Unknown user', email: '' };
}

export function projectRef(p: ProjectRow): IdName {
  return { id: p.id, name: p.name };
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
  const u = ctx.store.get('users', m.userId);
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
    invitor: userRefById(ctx, m.invitorId),
    approver: userRefById(ctx, m.approverId),
    kind: m.kind,
  };
}

export function formatProjectJoinRequest(ctx: Ctx, r: JoinRequestRow): ProjectJoinRequest {
  return {
    id: r.id,
    created: iso(r.created),
    expires: isoOrNull(r.expires),
    reason: r.reason,
    user: requireUserRef(ctx, r.userId),
  };
}

export function formatMyJoinRequest(ctx: Ctx, r: JoinRequestRow): MyJoinRequest {
  const p = ctx.store.get('projects', r.projectId);
  return {
    id: r.id,
    created: iso(r.created),
    expires: isoOrNull(r.expires),
    reason: r.reason,
    project: { id: r.projectId, name: p?.name ?? '' },
  };
}

export function formatProjectInvitation(ctx: Ctx, i: ProjectInvitationRow): ProjectInvitation {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    reason: i.reason,
    role: i.role,
    user: requireUserRef(ctx, i.userId),
    creator: requireUserRef(ctx, i.creatorId),
  };
}

export function formatMyProjectInvitation(ctx: Ctx, i: ProjectInvitationRow): MyProjectInvitation {
  const p = ctx.store.get('projects', i.projectId);
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    reason: i.reason,
    role: i.role,
    project: { id: i.projectId, name: p?.name ?? '' },
    creator: requireUserRef(ctx, i.creatorId),
  };
}

export function formatOrganizationUser(ctx: Ctx, m: OrganizationMemberRow): OrganizationUser {
  const u = ctx.store.get('users', m.userId);
  return {
    id: m.userId,
    name: u?.name ?? 'Unknown user',
    email: u?.email ?? '',
    mfaEnabled: u?.mfaEnabled ?? false,
    created: iso(m.created),
    invitor: userRefById(ctx, m.invitorId),
  };
}

export function formatOrganizationInvitation(ctx: Ctx, i: OrganizationInvitationRow): OrganizationInvitation {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    user: requireUserRef(ctx, i.userId),
    creator: requireUserRef(ctx, i.creatorId),
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
    creator: requireUserRef(ctx, i.creatorId),
  };
}
