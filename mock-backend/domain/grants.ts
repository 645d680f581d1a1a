// Access for a ticket (issue 23, docs/rules.md#access-for-a-ticket): a decider of a ticket's project
// lets the ticket's staff into the project until a time they pick. The grant is bound to its ticket
// and project for good; the memberships made from it name it, end when it ends (never later), and a
// withdrawal ends them at once, with their Storage tokens (endMemberships).
import { GRANT_LIMITS } from '../../api/limits.ts';
import type { AccessGrant, CreateGrantBody, GrantStatus, UserRef } from '../../api/types.ts';
import type { AccessGrantRow, ProjectRow, TicketRow, UserRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec, type TxCtx } from './context.ts';
import { badRequest, conflict, forbidden, notFound, validation } from './errors.ts';
import { iso, isoOrNull, type People, peopleOf, projectRef, userRef, userRefIn } from './format.ts';
import { outsiderMfaRequired } from './inputs.ts';
import { assertMemberLimit } from './limits.ts';
import { endMemberships, putMembership } from './members.ts';
import { emit, emitToProject, logAccess } from './notify.ts';
import {
  activeMember,
  assertDecider,
  decidesNow,
  kindFor,
  liveProject,
  outsiderIn,
  projectAccess,
} from './relations.ts';
import { appendThreadEntry, emitToTicket, ticketRef } from './thread.ts';
import { requireTicket } from './ticket-access.ts';

/** Why a grant can no longer let anyone in, or null while it can. */
type Dead = 'withdrawn' | 'expired' | 'projectGone';

/**
 * A grant lives until it expires or is withdrawn, and only while its project lives. Like an approval,
 * it stands when the member who gave it leaves; any decider may withdraw it.
 */
async function deadReason(ctx: Ctx, g: AccessGrantRow): Promise<Dead | null> {
  if (g.withdrawn !== null) return 'withdrawn';
  if (g.expires <= nowSec(ctx)) return 'expired';
  if (!(await liveProject(ctx, g.projectId))) return 'projectGone';
  return null;
}

const statusOf = (dead: Dead | null): GrantStatus =>
  dead === null ? 'active' : dead === 'withdrawn' ? 'withdrawn' : 'expired';

export async function formatGrants(ctx: Ctx, rows: readonly AccessGrantRow[]): Promise<AccessGrant[]> {
  const people = await peopleOf(
    ctx,
    rows.flatMap((g) => [g.grantedBy, g.withdrawnBy]),
  );
  const out: AccessGrant[] = [];
  for (const g of rows) {
    const ticket = await ctx.store.get('tickets', g.ticketId);
    const project = await ctx.store.get('projects', g.projectId);
    if (!ticket || !project) continue;
    out.push(formatGrant(people, g, ticket, project, await deadReason(ctx, g)));
  }
  return out;
}

function formatGrant(
  people: People,
  g: AccessGrantRow,
  ticket: TicketRow,
  project: ProjectRow,
  dead: Dead | null,
): AccessGrant {
  return {
    id: g.id,
    ticket: ticketRef(ticket),
    project: projectRef(project),
    grantedBy: userRefIn(people, g.grantedBy),
    created: iso(g.created),
    expires: iso(g.expires),
    status: statusOf(dead),
    withdrawn: isoOrNull(g.withdrawn),
    withdrawnBy: g.withdrawnBy === null ? null : userRefIn(people, g.withdrawnBy),
  };
}

async function formatOne(ctx: Ctx, g: AccessGrantRow): Promise<AccessGrant> {
  const [grant] = await formatGrants(ctx, [g]);
  if (!grant) throw notFound(`Grant ${g.id} not found`);
  return grant;
}

/** The reason a membership made from a grant carries: it names the ticket. */
export const grantReason = (t: Pick<TicketRow, 'number' | 'subject'>): string =>
  `Ticket ${t.number}: ${t.subject}`;

/**
 * What happened to a grant, in its ticket's thread (a `grant` entry, which every participant hears as
 * `ticket.message`), and `grant.changed` to everyone who may see the ticket: its reporter, the
 * project's deciders and its staff (one event row, fanned out when read).
 */
async function tellGrant(
  ctx: TxCtx,
  g: AccessGrantRow,
  ticket: TicketRow,
  entry: { by: UserRow | null; side: 'customer' | 'staff' | 'system'; body: string },
): Promise<void> {
  const project = await ctx.store.get('projects', g.projectId);
  if (!project) return;
  const via = entry.side === 'customer' ? 'widget' : entry.side === 'staff' ? 'extension' : 'system';
  await appendThreadEntry(ctx, ticket, {
    kind: 'grant',
    authorId: entry.by?.id ?? null,
    side: entry.side,
    via,
    body: entry.body,
    grantId: g.id,
  });
  const fresh = (await ctx.store.get('accessGrants', g.id)) ?? g;
  const grant = await formatOne(ctx, fresh);
  await emitToTicket(ctx, ticket, { type: 'grant.changed', project: projectRef(project), grant });
}

/** A time as a thread entry says it (the apps show the grant's own `expires` in the reader's zone). */
const until = (sec: number) => `${iso(sec).slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Gives a grant for a ticket the caller may see, inside a change: what POST …/grants and a new ticket
 * with `grantAccess` share. Only the customer's own admin/share members of the ticket's project.
 */
export async function grantInTx(
  ctx: TxCtx,
  user: UserRow,
  ticket: TicketRow,
  seconds: number | undefined,
): Promise<AccessGrantRow> {
  const s = seconds ?? GRANT_LIMITS.defaultSeconds;
  if (!Number.isInteger(s) || s < GRANT_LIMITS.minSeconds || s > GRANT_LIMITS.maxSeconds)
    throw validation(
      `expirationSeconds must be between ${GRANT_LIMITS.minSeconds} (1 hour) and ${GRANT_LIMITS.maxSeconds} (7 days).`,
      'expirationSeconds',
    );
  if (ticket.status === 'closed') throw conflict(`Ticket ${ticket.number} is closed: it changes no more.`);
  if (ticket.projectId === null)
    throw badRequest(`Ticket ${ticket.number} is about no project: there is no project to let support into.`);
  const a = await projectAccess(ctx, ticket.projectId, user);
  try {
    assertDecider(a);
  } catch {
    throw forbidden("Only the project's admin and share members may let support in for a ticket.");
  }
  for (const g of await ctx.store.find('accessGrants', { ticketId: ticket.id }))
    if ((await deadReason(ctx, g)) === null)
      throw conflict(
        `Support may already come in for ${ticket.number} until ${iso(g.expires)}: withdraw that first.`,
      );
  const now = nowSec(ctx);
  const id = await ctx.store.insert('accessGrants', {
    ticketId: ticket.id,
    projectId: ticket.projectId,
    grantedBy: user.id,
    created: now,
    expires: now + s,
    withdrawn: null,
    withdrawnBy: null,
    ended: false,
  });
  const g = await ctx.store.get('accessGrants', id);
  if (!g) throw new Error('Grant insert failed');
  await logAccess(ctx, g.projectId, 'grantGiven', {
    actor: userRef(user),
    subject: null,
    reason: grantReason(ticket),
    details: { grantId: g.id, ticket: ticket.number, expires: iso(g.expires) },
  });
  const project = await ctx.store.get('projects', g.projectId);
  await tellGrant(ctx, g, ticket, {
    by: user,
    side: 'customer',
    body: `Support may come into ${project?.name ?? 'the project'} for this ticket until ${until(g.expires)}.`,
  });
  return g;
}

export async function createGrant(
  ctx: Ctx,
  user: UserRow,
  ticketId: number,
  body: CreateGrantBody,
): Promise<AccessGrant> {
  return mutate(ctx, async (ctx) => {
    const { ticket } = await requireTicket(ctx, user, ticketId);
    return formatOne(ctx, await grantInTx(ctx, user, ticket, body.expirationSeconds));
  });
}

/** A ticket's grants, newest first: to anyone who may see the ticket. */
export async function listTicketGrants(ctx: Ctx, user: UserRow, ticketId: number): Promise<AccessGrant[]> {
  const { ticket } = await requireTicket(ctx, user, ticketId);
  return formatGrants(ctx, await ctx.store.find('accessGrants', { ticketId: ticket.id }, { desc: true }));
}

/**
 * The active grants the caller may use (staff: those of tickets they may see, unassigned or theirs)
 * or decides on (the project's deciders), optionally of one project.
 */
export async function listGrants(
  ctx: Ctx,
  user: UserRow,
  q: { projectId?: number | undefined } = {},
): Promise<AccessGrant[]> {
  const rows = await ctx.store.find(
    'accessGrants',
    q.projectId === undefined ? { ended: false } : { ended: false, projectId: q.projectId },
    { desc: true },
  );
  const mine: AccessGrantRow[] = [];
  for (const g of rows) {
    if ((await deadReason(ctx, g)) !== null) continue;
    const ticket = await ctx.store.get('tickets', g.ticketId);
    if (ticket && (await mayUse(ctx, user, g, ticket)) === null) mine.push(g);
    else if (await decidesIn(ctx, user, g.projectId)) mine.push(g);
  }
  return formatGrants(ctx, mine);
}

async function decidesIn(ctx: Ctx, user: UserRow, projectId: number): Promise<boolean> {
  const m = await activeMember(ctx, projectId, user.id);
  return m !== undefined && (await decidesNow(ctx, m));
}

/**
 * Why a user may not join with this grant now, or null when they may: staff who may see its ticket
 * (support users, the maintainer's users for its organization), and only its assignee while it has one.
 */
async function mayUse(ctx: Ctx, user: UserRow, g: AccessGrantRow, ticket: TicketRow): Promise<string | null> {
  const project = await ctx.store.get('projects', g.projectId);
  const org = project && (await ctx.store.get('organizations', project.organizationId));
  if (!org || (await outsiderIn(ctx, org, user)) === null)
    return 'Only support and maintainer users who may see the ticket join with its grant.';
  const assignee = ticket.assigneeId;
  if (assignee !== null && assignee !== user.id) {
    const who = await ctx.store.get('users', assignee);
    return `${ticket.number} is assigned to ${who?.name ?? 'someone else'}: only they may join with its grant.`;
  }
  return null;
}

function deadMessage(dead: Dead, g: AccessGrantRow, ticket: TicketRow): string {
  switch (dead) {
    case 'withdrawn':
      return `Access for ${ticket.number} was withdrawn.`;
    case 'expired':
      return `Access for ${ticket.number} ended at ${iso(g.expires)}.`;
    case 'projectGone':
      return `The project of ${ticket.number} was deleted: its grant is void.`;
  }
}

/** Staff join a grant's project for its ticket, Auto Join on or off, until the grant ends. */
export async function joinWithGrant(ctx: Ctx, user: UserRow, grantId: number): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const g = await ctx.store.get('accessGrants', grantId);
    const ticket = g && (await ctx.store.get('tickets', g.ticketId));
    // A grant of a ticket the caller may not see does not exist for them.
    if (
      !g ||
      !ticket ||
      !(await liveProject(ctx, g.projectId)) ||
      !(await seesAsStaffOrOwn(ctx, user, ticket))
    )
      throw notFound(`Grant ${grantId} not found`);
    const refusal = await mayUse(ctx, user, g, ticket);
    if (refusal) throw forbidden(refusal);
    const dead = await deadReason(ctx, g);
    if (dead) throw conflict(deadMessage(dead, g, ticket));
    const a = await projectAccess(ctx, g.projectId, user);
    if (a.member) throw badRequest('You are already a member of the project.');
    // Every rule for outsiders holds: MFA always (their standing was checked with the token; asked
    // again here as join-project does), and the organization's own MFA rule.
    if (!user.mfaEnabled) throw outsiderMfaRequired('enter a project');
    const granter = await ctx.store.get('users', g.grantedBy);
    if (!granter) throw notFound(`Grant ${grantId} not found`);
    const kind = kindFor(a.relation);
    await assertMemberLimit(ctx, a.project, kind);
    const reason = grantReason(ticket);
    await putMembership(ctx, {
      projectId: g.projectId,
      userId: user.id,
      role: 'admin',
      kind,
      reason,
      created: nowSec(ctx),
      // Never later than the grant (which is never more than 7 days).
      expires: g.expires,
      invitorId: null,
      approverId: granter.id,
      grantId: g.id,
      ticketId: ticket.id,
    });
    const me = userRef(user);
    await logAccess(ctx, g.projectId, 'joined', {
      actor: me,
      subject: me,
      reason,
      details: { kind, expires: iso(g.expires), grantId: g.id, ticket: ticket.number, grantedBy: granter.id },
    });
    await emitToProject(ctx, g.projectId, 'members', {
      type: 'membership.changed',
      project: projectRef(a.project),
      user: me,
    });
    await tellGrant(ctx, g, ticket, {
      by: user,
      side: 'staff',
      body: `${user.name} joined ${a.project.name} for this ticket, until ${until(g.expires)}.`,
    });
  });
}

async function seesAsStaffOrOwn(ctx: Ctx, user: UserRow, ticket: TicketRow): Promise<boolean> {
  try {
    await requireTicket(ctx, user, ticket.id);
    return true;
  } catch {
    return false;
  }
}

/**
 * Withdraws a grant (its granter, or any decider of its project): the memberships made from it end
 * now, their Storage tokens with them, and their members hear it at once.
 */
export async function withdrawGrant(
  ctx: Ctx,
  user: UserRow,
  ticketId: number,
  grantId: number,
): Promise<void> {
  await mutate(ctx, async (ctx) => {
    const { ticket } = await requireTicket(ctx, user, ticketId);
    const g = await ctx.store.get('accessGrants', grantId);
    // A grant is its ticket's only: named through another ticket it does not exist.
    if (!g || g.ticketId !== ticket.id) throw notFound(`Grant ${grantId} not found`);
    if (g.grantedBy !== user.id && !(await decidesIn(ctx, user, g.projectId)))
      throw forbidden(
        "Only the member who allowed it, or the project's admin and share members, withdraw a grant.",
      );
    const dead = await deadReason(ctx, g);
    if (dead === 'withdrawn') throw conflict(`Grant ${grantId} has already been withdrawn.`);
    if (dead !== null) throw conflict(deadMessage(dead, g, ticket));
    const won = await ctx.store.updateIf(
      'accessGrants',
      g.id,
      { withdrawn: null },
      { withdrawn: nowSec(ctx), withdrawnBy: user.id, ended: true },
    );
    if (!won) throw conflict(`Grant ${grantId} has already been withdrawn.`);
    // The thread and grant.changed first: a client that hears both (the engineer's popup) reads the
    // membership's end as this withdrawal, not as an expiry.
    const live = await liveGrantMembers(ctx, g);
    await tellGrant(ctx, g, ticket, {
      by: user,
      side: 'customer',
      body: live.length
        ? 'Access for this ticket was withdrawn: support is out of the project.'
        : 'Access for this ticket was withdrawn.',
    });
    const ended = await endGrantMemberships(ctx, g, userRef(user));
    await logAccess(ctx, g.projectId, 'grantWithdrawn', {
      actor: userRef(user),
      subject: null,
      reason: grantReason(ticket),
      details: { grantId: g.id, ticket: ticket.number, membershipsEnded: ended.length },
    });
  });
}

const liveGrantMembers = async (ctx: Ctx, g: AccessGrantRow) =>
  (await ctx.store.find('projectMembers', { grantId: g.id })).filter(
    (m) => m.expires === null || m.expires > nowSec(ctx),
  );

/** Ends the live memberships made from a grant; answers their users. */
async function endGrantMemberships(ctx: TxCtx, g: AccessGrantRow, by: UserRef | null): Promise<number[]> {
  const rows = await liveGrantMembers(ctx, g);
  // Ended by the withdrawal: each one's report (reports.ts) says so, and by whom.
  await endMemberships(
    ctx,
    rows.map((m) => m.id),
    { how: 'withdrawn', by: by?.id ?? null },
  );
  const project = await ctx.store.get('projects', g.projectId);
  for (const m of rows) {
    const u = await ctx.store.get('users', m.userId);
    if (!u || !project) continue;
    await logAccess(ctx, g.projectId, 'removed', {
      actor: by,
      subject: userRef(u),
      reason: m.reason,
      details: { role: m.role, kind: m.kind, grantId: g.id },
    });
    // Their access ended: the popup says so (membership.expired), the others see the list change.
    await emit(ctx, [m.userId], {
      type: 'membership.expired',
      project: projectRef(project),
      user: userRef(u),
    });
    await emitToProject(ctx, g.projectId, 'members', {
      type: 'membership.changed',
      project: projectRef(project),
      user: userRef(u),
    });
  }
  return rows.map((m) => m.userId);
}

/**
 * The sweeper: a grant past its expiry ends, once (its memberships expire by themselves at the same
 * second, and the sweep ends them as any other).
 */
export async function expireGrant(ctx: TxCtx, g: AccessGrantRow): Promise<void> {
  if (!(await ctx.store.updateIf('accessGrants', g.id, { ended: false }, { ended: true }))) return;
  const ticket = await ctx.store.get('tickets', g.ticketId);
  await logAccess(ctx, g.projectId, 'grantExpired', {
    actor: null,
    subject: null,
    reason: ticket ? grantReason(ticket) : null,
    details: { grantId: g.id, ticket: ticket?.number ?? null },
  });
  if (ticket)
    await tellGrant(ctx, g, ticket, { by: null, side: 'system', body: 'Access for this ticket ended.' });
}
