// Pure: what we knew + what the server says now → what to store and what to tell the user.
import type { JoinRequestOutcome, MyJoinRequest, ProjectUser } from '../api/types.ts';
import type { TrackedAccess, TrackedRequest } from './db.ts';
import type { Change } from './notify.ts';
import { parseTime } from './time.ts';

export const EXPIRING_WINDOW_MS = 15 * 60 * 1000;

/** Facts only the events stream knows exactly (the poll has to infer them). */
export interface Hints {
  outcomes: Map<number, JoinRequestOutcome>;
  expiredProjects: Set<number>;
  /** Projects whose grant (access for a ticket) the customer withdrew: the access ended by their hand. */
  withdrawnProjects: Set<number>;
}

export const noHints = (): Hints => ({
  outcomes: new Map(),
  expiredProjects: new Set(),
  withdrawnProjects: new Set(),
});

/** For one stack: every record read and written is that stack's. */
export interface ReconcileInput {
  /** The stack's URL, given to new records and changes. */
  stack: string;
  /** This machine's time (ms): when records changed or were first seen. */
  now: number;
  /** The stack's time (its answers' `Date`), which expiry is judged by; `now` when not given. */
  serverNow?: number;
  /** Requests we track as pending. */
  pending: TrackedRequest[];
  /** Accesses we track as active. */
  active: TrackedAccess[];
  /** The server's list of my pending requests. */
  serverPending: MyJoinRequest[];
  /** My membership per project checked: the row, null (not a member) or undefined (could not tell). */
  memberships: Map<number, ProjectUser | null | undefined>;
  hints: Hints;
}

export interface ReconcileOutput {
  requests: TrackedRequest[];
  accesses: TrackedAccess[];
  changes: Change[];
}

const passed = (iso: string | null, now: number) => iso !== null && parseTime(iso) <= now;

/** Projects whose membership must be checked: requests that left the pending list, active accesses. */
export function projectsToCheck(
  pending: TrackedRequest[],
  active: TrackedAccess[],
  serverPending: MyJoinRequest[],
) {
  const still = new Set(serverPending.map((r) => r.id));
  const ids = new Set<number>();
  for (const r of pending) if (!still.has(r.id)) ids.add(r.projectId);
  for (const a of active) ids.add(a.projectId);
  return [...ids];
}

export function reconcile(input: ReconcileInput): ReconcileOutput {
  const { stack, now, hints, memberships } = input;
  const serverNow = input.serverNow ?? now;
  const requests: TrackedRequest[] = [];
  const accesses = new Map<number, TrackedAccess>();
  const changes: Change[] = [];
  const known = new Map(input.pending.map((r) => [r.id, r]));

  for (const s of input.serverPending) {
    const before = known.get(s.id);
    const next: TrackedRequest = {
      stack,
      id: s.id,
      projectId: s.project.id,
      projectName: s.project.name,
      reason: s.reason,
      created: s.created,
      expires: s.expires,
      seenAt: before?.seenAt ?? now,
      status: 'pending',
      updatedAt: before?.updatedAt ?? now,
    };
    if (!before || before.expires !== next.expires || before.projectName !== next.projectName)
      requests.push(next);
  }

  const still = new Set(input.serverPending.map((r) => r.id));
  for (const r of input.pending) {
    if (still.has(r.id)) continue;
    const member = memberships.get(r.projectId);
    const hinted = hints.outcomes.get(r.id);
    if (member === undefined && !hinted) continue; // cannot tell yet: keep it pending
    let status: TrackedRequest['status'];
    if (hinted) status = hinted;
    else if (member) status = 'approved';
    else status = passed(r.expires, serverNow) ? 'expired' : 'rejected';
    if (status === 'approved' && member === null) status = 'expired'; // approved, then already gone
    requests.push({ ...r, status, updatedAt: now });
    if (status === 'cancelled') continue;
    changes.push({ kind: status, stack, projectId: r.projectId, projectName: r.projectName });
    if (status === 'approved' && member) {
      accesses.set(r.projectId, {
        stack,
        projectId: r.projectId,
        projectName: r.projectName,
        reason: member.reason ?? r.reason,
        expires: member.expires,
        created: member.created,
        seenAt: now,
        via: 'approved',
        status: 'active',
        updatedAt: now,
        warnedFor: null,
      });
    }
  }

  for (const a of input.active) {
    if (accesses.has(a.projectId)) continue;
    const member = memberships.get(a.projectId);
    if (member === undefined) continue;
    if (member === null) {
      const withdrawn = hints.withdrawnProjects.has(a.projectId);
      const expired = !withdrawn && (hints.expiredProjects.has(a.projectId) || passed(a.expires, serverNow));
      const status = expired ? 'expired' : 'ended';
      accesses.set(a.projectId, { ...a, status, updatedAt: now });
      const kind = withdrawn ? 'withdrawn' : status;
      changes.push({ kind, stack, projectId: a.projectId, projectName: a.projectName });
      continue;
    }
    accesses.set(a.projectId, {
      ...a,
      expires: member.expires,
      created: member.created,
      seenAt: a.seenAt ?? now,
      reason: member.reason ?? a.reason,
    });
  }

  // "Ending in 15 minutes", once per expiry time.
  for (const a of accesses.values()) {
    if (a.status !== 'active' || !a.expires || a.warnedFor === a.expires) continue;
    const left = parseTime(a.expires) - serverNow;
    if (left > 0 && left <= EXPIRING_WINDOW_MS) {
      a.warnedFor = a.expires;
      changes.push({
        kind: 'expiring',
        stack,
        projectId: a.projectId,
        projectName: a.projectName,
        expires: a.expires,
      });
    }
  }

  return { requests, accesses: [...accesses.values()], changes };
}
