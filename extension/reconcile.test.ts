import { describe, expect, it } from 'vitest';
import type { MyJoinRequest, ProjectUser } from '../api/types.ts';
import type { TrackedAccess, TrackedRequest } from './db.ts';
import { noHints, projectsToCheck, reconcile } from './reconcile.ts';

const NOW = Date.parse('2026-11-27T10:00:00Z');
const iso = (msFromNow: number) => new Date(NOW + msFromNow).toISOString();
const H = 3600_000;

const STACK = 'https://connection.keboola.com';
const tracked = (id: number, projectId: number, expires = iso(4 * H)): TrackedRequest => ({
  stack: STACK,
  id,
  projectId,
  projectName: `P${projectId}`,
  reason: 'SK-1',
  created: iso(-H),
  expires,
  status: 'pending',
  updatedAt: NOW - H,
});
const server = (r: TrackedRequest): MyJoinRequest => ({
  id: r.id,
  created: r.created,
  expires: r.expires,
  reason: r.reason,
  project: { id: r.projectId, name: r.projectName },
  ticket: null,
});
const member = (expires: string | null): ProjectUser => ({
  id: 7,
  name: 'Me',
  email: 'me@x',
  mfaEnabled: true,
  created: iso(0),
  expires,
  reason: 'SK-1',
  role: 'admin',
  status: 'active',
  invitor: null,
  approver: { id: 1, name: 'Ann', email: 'ann@x' },
  kind: 'support',
});
const access = (projectId: number, expires: string): TrackedAccess => ({
  stack: STACK,
  projectId,
  projectName: `P${projectId}`,
  reason: 'SK-1',
  expires,
  via: 'approved',
  status: 'active',
  updatedAt: NOW - H,
  warnedFor: null,
});

describe('reconcile', () => {
  it('keeps a request pending while the server still lists it', () => {
    const r = tracked(1, 100);
    const out = reconcile({
      stack: STACK,
      now: NOW,
      pending: [r],
      active: [],
      serverPending: [server(r)],
      memberships: new Map(),
      hints: noHints(),
    });
    expect(out.changes).toEqual([]);
    expect(out.requests).toEqual([]);
  });

  it('calls a vanished request approved when I am a member now, and tracks the access', () => {
    const r = tracked(1, 100);
    const out = reconcile({
      stack: STACK,
      now: NOW,
      pending: [r],
      active: [],
      serverPending: [],
      memberships: new Map([[100, member(r.expires)]]),
      hints: noHints(),
    });
    expect(out.requests[0]?.status).toBe('approved');
    expect(out.accesses[0]).toMatchObject({
      projectId: 100,
      status: 'active',
      via: 'approved',
      expires: r.expires,
    });
    expect(out.changes.map((c) => c.kind)).toEqual(['approved']);
  });

  it('calls a vanished request rejected when I am not a member and it has not expired', () => {
    const r = tracked(1, 100);
    const out = reconcile({
      stack: STACK,
      now: NOW,
      pending: [r],
      active: [],
      serverPending: [],
      memberships: new Map([[100, null]]),
      hints: noHints(),
    });
    expect(out.requests[0]?.status).toBe('rejected');
  });

  it('calls a vanished request expired once its time has passed', () => {
    const r = tracked(1, 100, iso(-1000));
    const out = reconcile({
      stack: STACK,
      now: NOW,
      pending: [r],
      active: [],
      serverPending: [],
      memberships: new Map([[100, null]]),
      hints: noHints(),
    });
    expect(out.requests[0]?.status).toBe('expired');
  });

  it('trusts the outcome the events stream reported', () => {
    const r = tracked(1, 100);
    const hints = noHints();
    hints.outcomes.set(1, 'cancelled');
    const out = reconcile({
      stack: STACK,
      now: NOW,
      pending: [r],
      active: [],
      serverPending: [],
      memberships: new Map([[100, null]]),
      hints,
    });
    expect(out.requests[0]?.status).toBe('cancelled');
    expect(out.changes).toEqual([]);
  });

  it('keeps a request pending when the membership could not be read', () => {
    const r = tracked(1, 100);
    const out = reconcile({
      stack: STACK,
      now: NOW,
      pending: [r],
      active: [],
      serverPending: [],
      memberships: new Map([[100, undefined]]),
      hints: noHints(),
    });
    expect(out.requests).toEqual([]);
  });

  it('warns once when an access ends within 15 minutes', () => {
    const a = access(100, iso(10 * 60_000));
    const first = reconcile({
      stack: STACK,
      now: NOW,
      pending: [],
      active: [a],
      serverPending: [],
      memberships: new Map([[100, member(a.expires)]]),
      hints: noHints(),
    });
    expect(first.changes.map((c) => c.kind)).toEqual(['expiring']);
    const again = reconcile({
      stack: STACK,
      now: NOW + 1000,
      pending: [],
      active: first.accesses,
      serverPending: [],
      memberships: new Map([[100, member(a.expires)]]),
      hints: noHints(),
    });
    expect(again.changes).toEqual([]);
  });

  it('marks an access expired when the membership is gone at expiry (or the stream says so)', () => {
    const a = access(100, iso(H));
    const hints = noHints();
    hints.expiredProjects.add(100);
    const out = reconcile({
      stack: STACK,
      now: NOW,
      pending: [],
      active: [a],
      serverPending: [],
      memberships: new Map([[100, null]]),
      hints,
    });
    expect(out.accesses[0]?.status).toBe('expired');
    const ended = reconcile({
      stack: STACK,
      now: NOW,
      pending: [],
      active: [a],
      serverPending: [],
      memberships: new Map([[100, null]]),
      hints: noHints(),
    });
    expect(ended.accesses[0]?.status).toBe('ended');
  });

  it('says a withdrawn grant ended the access (the stream says so), even with the expiry also hinted', () => {
    const a = access(100, iso(H));
    const hints = noHints();
    hints.withdrawnProjects.add(100);
    hints.expiredProjects.add(100);
    const out = reconcile({
      stack: STACK,
      now: NOW,
      pending: [],
      active: [a],
      serverPending: [],
      memberships: new Map([[100, null]]),
      hints,
    });
    expect(out.accesses[0]?.status).toBe('ended');
    expect(out.changes.map((c) => c.kind)).toEqual(['withdrawn']);
  });

  it('checks memberships only for vanished requests and active accesses', () => {
    const kept = tracked(1, 100);
    const gone = tracked(2, 101);
    expect(projectsToCheck([kept, gone], [access(102, iso(H))], [server(kept)]).sort()).toEqual([101, 102]);
  });
});
