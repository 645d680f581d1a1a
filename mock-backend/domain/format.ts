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
  TicketRef,
  Timestamp,
  UserRef,
} from '../../api/types.ts';
import type { MemberWithPeople } from '../store/reads.ts';
import type {
  JoinRequestRow,
  OrganizationInvitationRow,
  OrganizationMemberRow,
  OrganizationRow,
  ProjectInvitationRow,
  ProjectMemberRow,
  ProjectRow,
  TicketRow,
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
 * Users by id for a whole list, read in one batched look-up (not one query per row); the rows are
 * then formatted synchronously from it.
 */
export type People = Map<number, UserRow>;
export async function peopleOf(ctx: Ctx, ids: Iterable<number | null>): Promise<People> {
  const unique = new Set<number>();
  for (const id of ids) if (id !== null) unique.add(id);
  return ctx.store.getMany('users', [...unique]);
}

/** One row's few users, each by a point look-up (which the read cache answers), as before the batch. */
async function rowPeople(ctx: Ctx, ids: (number | null)[]): Promise<People> {
  const people: People = new Map();
  for (const id of ids) {
    if (id === null || people.has(id)) continue;
    const u = await ctx.store.get('users', id);
    if (u) people.set(id, u);
  }
  return people;
}

/** Users are never deleted, so a dangling id is a broken fixture: show a placeholder, not a 500. */
export function userRefIn(people: People, id: number): UserRef {
  const u = people.get(id);
  return u ? { id: u.id, name: u.name, email: u.email } : { id, name: 'Unknown user', email: '' };
}

export async function userRefById(ctx: Ctx, id: number): Promise<UserRef> {
  const u = await ctx.store.get('users', id);
  return u ? { id: u.id, name: u.name, email: u.email } : { id, name: 'Unknown user', email: '' };
}

/** For the optional people of a row (invitor, approver). */
const optionalUserRef = (people: People, id: number | null): UserRef | null =>
  id === null ? null : userRefIn(people, id);

export function projectRef(p: ProjectRow): IdName {
  return { id: p.id, name: p.name };
}

export async function projectRefById(ctx: Ctx, id: number): Promise<IdName> {
  const p = await ctx.store.get('projects', id);
  return { id, name: p?.name ?? '' };
}

export async function orgRef(ctx: Ctx, id: number): Promise<IdName> {
  const o = await ctx.store.get('organizations', id);
  return { id, name: o?.name ?? '' };
}

export async function formatProject(ctx: Ctx, p: ProjectRow): Promise<Project> {
  return {
    id: p.id,
    name: p.name,
    created: iso(p.created),
    organization: await orgRef(ctx, p.organizationId),
    limits: { users: p.usersLimit },
    usage: { users: await activeMemberCount(ctx, p.id, 'member') },
  };
}

export async function formatOrganization(ctx: Ctx, o: OrganizationRow): Promise<Organization> {
  const m = await ctx.store.get('maintainers', o.maintainerId);
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
function projectUserIn(people: People, m: ProjectMemberRow): ProjectUser {
  const u = people.get(m.userId);
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
    invitor: optionalUserRef(people, m.invitorId),
    approver: optionalUserRef(people, m.approverId),
    kind: m.kind,
  };
}

/** An optional person of a joined row: absent id, none; an id that names no user, the placeholder. */
const joinedRef = (id: number | null, name: string | null, email: string | null): UserRef | null =>
  id === null
    ? null
    : name === null
      ? { id, name: 'Unknown user', email: '' }
      : { id, name, email: email ?? '' };

/** A project's user list from the store's joined read: no look-up left, one literal per row. */
export function formatMembersWithPeople(rows: readonly MemberWithPeople[]): ProjectUser[] {
  return rows.map(
    (m): ProjectUser => ({
      id: m.userId,
      name: m.userName ?? 'Unknown user',
      email: m.userEmail ?? '',
      mfaEnabled: m.userMfaEnabled ?? false,
      created: iso(m.created),
      expires: isoOrNull(m.expires),
      reason: m.reason,
      role: m.role,
      status: 'active',
      invitor: joinedRef(m.invitorId, m.invitorName, m.invitorEmail),
      approver: joinedRef(m.approverId, m.approverName, m.approverEmail),
      kind: m.kind,
    }),
  );
}

export async function formatProjectUser(ctx: Ctx, m: ProjectMemberRow): Promise<ProjectUser> {
  return projectUserIn(await rowPeople(ctx, [m.userId, m.invitorId, m.approverId]), m);
}

const ticketRef = (t: TicketRow): TicketRef => ({ id: t.id, number: t.number, subject: t.subject });

/** The tickets of a list's requests, in one batched look-up (most have none: then no read at all). */
type Tickets = Map<number, TicketRow>;
async function ticketsOf(ctx: Ctx, rows: readonly { ticketId: number | null }[]): Promise<Tickets> {
  const ids = [...new Set(rows.flatMap((r) => (r.ticketId === null ? [] : [r.ticketId])))];
  return ids.length ? ctx.store.getMany('tickets', ids) : new Map();
}
const ticketIn = (tickets: Tickets, id: number | null): TicketRef | null => {
  const t = id === null ? undefined : tickets.get(id);
  return t ? ticketRef(t) : null;
};

function projectJoinRequestIn(people: People, tickets: Tickets, r: JoinRequestRow): ProjectJoinRequest {
  return {
    id: r.id,
    created: iso(r.created),
    expires: isoOrNull(r.expires),
    reason: r.reason,
    user: userRefIn(people, r.userId),
    ticket: ticketIn(tickets, r.ticketId),
  };
}

export async function formatProjectJoinRequests(
  ctx: Ctx,
  rows: JoinRequestRow[],
): Promise<ProjectJoinRequest[]> {
  const people = await peopleOf(
    ctx,
    rows.map((r) => r.userId),
  );
  const tickets = await ticketsOf(ctx, rows);
  return rows.map((r) => projectJoinRequestIn(people, tickets, r));
}

export async function formatProjectJoinRequest(ctx: Ctx, r: JoinRequestRow): Promise<ProjectJoinRequest> {
  return {
    id: r.id,
    created: iso(r.created),
    expires: isoOrNull(r.expires),
    reason: r.reason,
    user: await userRefById(ctx, r.userId),
    ticket: ticketIn(await ticketsOf(ctx, [r]), r.ticketId),
  };
}

export async function formatMyJoinRequest(ctx: Ctx, r: JoinRequestRow): Promise<MyJoinRequest> {
  return {
    id: r.id,
    created: iso(r.created),
    expires: isoOrNull(r.expires),
    reason: r.reason,
    project: await projectRefById(ctx, r.projectId),
    ticket: ticketIn(await ticketsOf(ctx, [r]), r.ticketId),
  };
}

function projectInvitationIn(people: People, i: ProjectInvitationRow): ProjectInvitation {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    reason: i.reason,
    role: i.role,
    user: userRefIn(people, i.userId),
    creator: userRefIn(people, i.creatorId),
  };
}

export async function formatProjectInvitations(
  ctx: Ctx,
  rows: ProjectInvitationRow[],
): Promise<ProjectInvitation[]> {
  const people = await peopleOf(
    ctx,
    rows.flatMap((i) => [i.userId, i.creatorId]),
  );
  return rows.map((i) => projectInvitationIn(people, i));
}

export async function formatProjectInvitation(ctx: Ctx, i: ProjectInvitationRow): Promise<ProjectInvitation> {
  return projectInvitationIn(await rowPeople(ctx, [i.userId, i.creatorId]), i);
}

export async function formatMyProjectInvitation(
  ctx: Ctx,
  i: ProjectInvitationRow,
): Promise<MyProjectInvitation> {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    reason: i.reason,
    role: i.role,
    project: await projectRefById(ctx, i.projectId),
    creator: await userRefById(ctx, i.creatorId),
  };
}

function organizationUserIn(people: People, m: OrganizationMemberRow): OrganizationUser {
  const u = people.get(m.userId);
  return {
    id: m.userId,
    name: u?.name ?? 'Unknown user',
    email: u?.email ?? '',
    mfaEnabled: u?.mfaEnabled ?? false,
    created: iso(m.created),
    invitor: optionalUserRef(people, m.invitorId),
  };
}

export async function formatOrganizationUsers(
  ctx: Ctx,
  rows: OrganizationMemberRow[],
): Promise<OrganizationUser[]> {
  const people = await peopleOf(
    ctx,
    rows.flatMap((m) => [m.userId, m.invitorId]),
  );
  return rows.map((m) => organizationUserIn(people, m));
}

export async function formatOrganizationInvitation(
  ctx: Ctx,
  i: OrganizationInvitationRow,
): Promise<OrganizationInvitation> {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    user: await userRefById(ctx, i.userId),
    creator: await userRefById(ctx, i.creatorId),
  };
}

export async function formatMyOrganizationInvitation(
  ctx: Ctx,
  i: OrganizationInvitationRow,
): Promise<MyOrganizationInvitation> {
  return {
    id: i.id,
    created: iso(i.created),
    expires: isoOrNull(i.expires),
    organization: await orgRef(ctx, i.organizationId),
    creator: await userRefById(ctx, i.creatorId),
  };
}
