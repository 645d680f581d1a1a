// Keeps requests and accesses current, per stack: one sync at a time per stack, later calls for it
// coalesce into one more run. A stack that fails (a refused token, unreachable) fails alone.
import type { ProjectUser } from '../api/types.ts';
import { describeApiError } from './account.ts';
import { NOT_CONFIGURED, type Session, serverNow, session, sessions } from './api-client.ts';
import { db, patchSyncMeta } from './db.ts';
import { ownMembership } from './membership.ts';
import type { Result, SyncSummary } from './messages.ts';
import { fail, ok } from './messages.ts';
import { notify, refreshBadge } from './notify.ts';
import { type Hints, noHints, projectsToCheck, reconcile } from './reconcile.ts';
import { stackLabel } from './settings.ts';

/** What the popup and the badge say when the stack refuses the token, and how to fix it. */
export const TOKEN_REFUSED = (backendUrl: string) =>
  `${backendUrl} refused your token: it has expired or was revoked. Create a new personal Manage API ` +
  'token in your account settings on that stack and save it in the options.';

interface Runner {
  running: Promise<Result<SyncSummary>> | null;
  again: Hints | null;
}
const runners = new Map<string, Runner>();

function merge(into: Hints, from: Hints): void {
  for (const [k, v] of from.outcomes) into.outcomes.set(k, v);
  for (const p of from.expiredProjects) into.expiredProjects.add(p);
  for (const p of from.withdrawnProjects) into.withdrawnProjects.add(p);
}

/** Sync one stack now; while its sync runs, the next call waits for it and runs once more (hints merged). */
export function syncStack(stack: string, hints: Hints = noHints()): Promise<Result<SyncSummary>> {
  let r = runners.get(stack);
  if (!r) {
    r = { running: null, again: null };
    runners.set(stack, r);
  }
  const runner = r;
  if (runner.running) {
    if (!runner.again) runner.again = noHints();
    merge(runner.again, hints);
    return runner.running.then(() => drain(stack, runner));
  }
  runner.running = runSync(stack, hints).finally(() => {
    runner.running = null;
  });
  return runner.running;
}

function drain(stack: string, runner: Runner): Promise<Result<SyncSummary>> {
  if (runner.running) return runner.running;
  const h = runner.again;
  runner.again = null;
  return h ? syncStack(stack, h) : Promise.resolve(ok({ pending: 0, active: 0, changes: 0 }));
}

/**
 * Sync every configured stack. Ok with the sums when at least one stack synced; when every stack
 * failed, the first failure (each stack's own message is in its sync state for the popup).
 */
export async function syncNow(): Promise<Result<SyncSummary>> {
  const all = await sessions();
  if (!all.length) return fail(NOT_CONFIGURED.code, NOT_CONFIGURED.message);
  const results = await Promise.all(all.map((s) => syncStack(s.stack)));
  const good = results.flatMap((r) => (r.ok ? [r.value] : []));
  const firstFailure = results.find((r) => !r.ok);
  if (!good.length && firstFailure) return firstFailure;
  return ok({
    pending: good.reduce((n, r) => n + r.pending, 0),
    active: good.reduce((n, r) => n + r.active, 0),
    changes: good.reduce((n, r) => n + r.changes, 0),
  });
}

async function runSync(stack: string, hints: Hints): Promise<Result<SyncSummary>> {
  const s = await session(stack);
  if (!s) return fail(NOT_CONFIGURED.code, `${stackLabel(stack)} is not set up in the extension.`);
  const out = await syncSession(s, hints);
  await refreshBadge();
  return out;
}

async function syncSession(s: Session, hints: Hints): Promise<Result<SyncSummary>> {
  const { client, user, stack } = s;
  // A request the stream says was decided: its project's membership is asked for beside the list,
  // not after it (one round trip less between an approval and the popup showing it).
  const early = new Map<number, Promise<ProjectUser | null | undefined>>();
  if (hints.outcomes.size)
    for (const r of await db.requests.where('[stack+status]').equals([stack, 'pending']).toArray())
      if (hints.outcomes.has(r.id) && !early.has(r.projectId))
        early.set(r.projectId, ownMembership(client, r.projectId, user.id));
  const listed = await client.listMyJoinRequests();
  if (listed.error) {
    const refused = listed.error.kind === 'http' && listed.error.httpStatus === 401;
    const message = refused ? TOKEN_REFUSED(stack) : describeApiError(listed.error, stack);
    await patchSyncMeta(stack, { error: message, ...(refused ? { tokenRefused: true } : {}) });
    return fail(refused ? 'tokenRefused' : listed.error.code, message);
  }
  const serverPending = listed.data;
  const pending = await db.requests.where('[stack+status]').equals([stack, 'pending']).toArray();
  const active = await db.accesses.where('[stack+status]').equals([stack, 'active']).toArray();

  const memberships = new Map<number, ProjectUser | null | undefined>();
  await Promise.all(
    projectsToCheck(pending, active, serverPending).map(async (projectId) => {
      memberships.set(projectId, await (early.get(projectId) ?? ownMembership(client, projectId, user.id)));
    }),
  );

  const now = Date.now();
  const out = reconcile({
    stack,
    now,
    serverNow: serverNow(stack),
    pending,
    active,
    serverPending,
    memberships,
    hints,
  });
  await db.transaction('rw', [db.requests, db.accesses], async () => {
    if (out.requests.length) await db.requests.bulkPut(out.requests);
    if (out.accesses.length) await db.accesses.bulkPut(out.accesses);
  });
  await patchSyncMeta(stack, { at: now, error: null, tokenRefused: false });
  for (const c of out.changes) await notify(c);
  const activeCount = await db.accesses.where('[stack+status]').equals([stack, 'active']).count();
  return ok({ pending: serverPending.length, active: activeCount, changes: out.changes.length });
}
