// Access for a ticket (issue 23): the grants a customer gave for a project, and joining with one.
// Joining needs no reason and no duration of ours: the grant names the ticket and sets the end.
import type { AccessGrant } from '../api/types.ts';
import { describeApiError } from './account.ts';
import { isOffline, OFFLINE, session, stackNotConfigured } from './api-client.ts';
import { db } from './db.ts';
import { ownMembership } from './membership.ts';
import { type AccessOutcome, fail, ok, type Result } from './messages.ts';
import { setSettings } from './settings.ts';

const notConfigured = (stack: string) => {
  const e = stackNotConfigured(stack);
  return fail(e.code, e.message);
};

/** The active grants of a project this user may use; none on a stack without grants (Keboola's). */
export async function listProjectGrants(stack: string, projectId: number): Promise<Result<AccessGrant[]>> {
  if (isOffline()) return ok([]);
  const s = await session(stack);
  if (!s) return notConfigured(stack);
  const res = await s.client.listGrants({ projectId });
  if (res.error) {
    if (res.error.kind === 'http' && res.error.httpStatus === 404) return ok([]);
    return fail(res.error.code, describeApiError(res.error, s.stack));
  }
  return ok(res.data.filter((g) => g.status === 'active' && g.project.id === projectId));
}

export async function joinWithGrant(stack: string, grant: AccessGrant): Promise<Result<AccessOutcome>> {
  if (isOffline()) return fail(OFFLINE.code, OFFLINE.message);
  const s = await session(stack);
  if (!s) return notConfigured(stack);
  const joined = await s.client.joinWithGrant(grant.id);
  if (joined.error) return fail(joined.error.code, describeApiError(joined.error, s.stack));
  const me = await ownMembership(s.client, grant.project.id, s.user.id);
  const seenAt = Date.now();
  const expires = me ? me.expires : grant.expires;
  const created = me ? me.created : new Date(seenAt).toISOString();
  await db.accesses.put({
    stack: s.stack,
    projectId: grant.project.id,
    projectName: grant.project.name,
    reason: me?.reason ?? `Ticket ${grant.ticket.number}: ${grant.ticket.subject}`,
    expires,
    created,
    seenAt,
    via: 'grant',
    status: 'active',
    updatedAt: Date.now(),
    warnedFor: null,
  });
  await setSettings({ lastStack: s.stack });
  return ok({
    kind: 'joined',
    stack: s.stack,
    projectId: grant.project.id,
    projectName: grant.project.name,
    expires,
    created,
    seenAt,
    why: `${grant.grantedBy.name} allowed support in for ${grant.ticket.number}: the access ends when the grant does.`,
  });
}
