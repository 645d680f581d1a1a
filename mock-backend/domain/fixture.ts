// Loading a fixture (the format of docs/api.md#the-fixture) into a store.
import { parseTimestamp } from '../../api/time.ts';
import { ACCESS_LIMITS, type Fixture, type MemberKind } from '../../api/types.ts';
import type { Store } from '../store/types.ts';
import { outsiderKind } from './relations.ts';
import { sha256Hex, type TokenHasher } from './token-hash.ts';

/** Tokens in the fixture are stored as their hashes only. */
export async function loadFixture(
  store: Store,
  fixture: Fixture,
  nowSec: number,
  hash: TokenHasher = sha256Hex,
): Promise<void> {
  // Each table's rows go in as one batch of inserts issued together: PostgreSQL pipelines them on the
  // transaction's connection (one round trip per batch, not per row), and the embedded stores answer
  // each at once. Rows keep their order, so generated ids do too.
  const each = async <R>(rows: readonly R[] | undefined, insert: (row: R) => Promise<number>) => {
    for (let i = 0; i < (rows?.length ?? 0); i += BATCH)
      await Promise.all((rows ?? []).slice(i, i + BATCH).map(insert));
  };
  await store.transaction(async (tx) => {
    await each(fixture.maintainers, (m) =>
      tx.insert('maintainers', { id: m.id, name: m.name, supportEmail: m.supportEmail ?? null }),
    );
    await each(fixture.organizations, (o) =>
      tx.insert('organizations', {
        id: o.id,
        name: o.name,
        created: nowSec,
        maintainerId: o.maintainerId,
        allowAutoJoin: o.allowAutoJoin ?? true,
        mfaRequired: o.mfaRequired ?? false,
      }),
    );
    await each(fixture.projects, (p) =>
      tx.insert('projects', {
        id: p.id,
        name: p.name,
        created: nowSec,
        organizationId: p.organizationId,
        usersLimit: p.limits?.users ?? null,
        deleted: null,
      }),
    );
    await each(fixture.users, (u) =>
      tx.insert('users', {
        id: u.id,
        email: u.email.toLowerCase(),
        name: u.name,
        mfaEnabled: u.mfaEnabled ?? false,
        isSuperAdmin: u.isSuperAdmin ?? false,
        tokenHash: u.token ? hash(u.token) : null,
        created: nowSec,
      }),
    );
    await each(fixture.maintainerMembers, (m) => tx.insert('maintainerMembers', m));
    await each(fixture.organizationMembers, (m) =>
      tx.insert('organizationMembers', { ...m, created: nowSec, invitorId: null }),
    );
    const memberKind = memberKinds(fixture);
    await each(fixture.projectMembers, (m) => {
      const kind = memberKind(m.projectId, m.userId);
      const given = m.expires ? Math.floor(parseTimestamp(m.expires) / 1000) : null;
      return tx.insert('projectMembers', {
        projectId: m.projectId,
        userId: m.userId,
        role: m.role ?? 'admin',
        kind,
        reason: m.reason ?? null,
        created: nowSec,
        // Support access always expires, as at run time: 48 h by default, at most 7 days from loading.
        expires:
          kind === 'member'
            ? given
            : Math.min(
                given ?? nowSec + ACCESS_LIMITS.outsiderDefaultSeconds,
                nowSec + ACCESS_LIMITS.outsiderMaxSeconds,
              ),
        invitorId: null,
        approverId: null,
        expiringNotified: false,
        grantId: null,
        ticketId: null,
      });
    });
  });
}

/** Inserts issued together: enough to fill the pipe, few enough that memory stays flat. */
const BATCH = 500;

/**
 * The kind a membership gets at run time: the one outsider rule, fed from the fixture itself through
 * look-up tables built once per load, so loading stays linear in the fixture's size (a search per
 * membership made 10k members take seconds).
 */
function memberKinds(fixture: Fixture): (projectId: number, userId: number) => MemberKind {
  const orgs = new Map((fixture.organizations ?? []).map((o) => [o.id, o]));
  const projectOrg = new Map((fixture.projects ?? []).map((p) => [p.id, orgs.get(p.organizationId)]));
  const users = new Map((fixture.users ?? []).map((u) => [u.id, u]));
  const maintainerMembers = new Set(
    (fixture.maintainerMembers ?? []).map((m) => `${m.maintainerId}:${m.userId}`),
  );
  const maintains = (maintainerId: number, id: number) => maintainerMembers.has(`${maintainerId}:${id}`);
  return (projectId, userId) => {
    const org = projectOrg.get(projectId);
    const user = users.get(userId);
    if (!org || !user) return 'member';
    return (
      outsiderKind({ id: user.id, isSuperAdmin: user.isSuperAdmin ?? false }, org, maintains) ?? 'member'
    );
  };
}

/** Checks the shape just enough that a broken fixture fails with a message, not deep in a query. */
export function isFixture(value: unknown): value is Fixture {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = [
    'maintainers',
    'organizations',
    'projects',
    'users',
    'maintainerMembers',
    'organizationMembers',
    'projectMembers',
  ];
  const v = value as Record<string, unknown>;
  return Object.keys(v).every((k) => keys.includes(k) && Array.isArray(v[k]));
}
