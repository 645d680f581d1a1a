// Keeps requests and accesses current: one sync at a time, later calls coalesce into one more run.
import type { ProjectUser } from '../api/types.ts';
import { describeApiError } from './account.ts';
import { NOT_CONFIGURED, session } from './api-client.ts';
import { db, patchSyncMeta } from './db.ts';
import { ownMembership } from './membership.ts';
import type { Result, SyncSummary } from './messages.ts';
import { fail, ok } from './messages.ts';
import { notify, setBadge, setTokenRefusedBadge } from './notify.ts';
import { type Hints, noHints, projectsToCheck, reconcile } from './reconcile.ts';

/** What the popup and the badge say when the stack refuses the token, and how to fix it. */
export const TOKEN_REFUSED = (backendUrl: string) =>
  `${backendUrl} refused your token: it has expired or was revoked. Create a new personal Manage API ` +
  'token in your account settings on that stack and save it in the options.';

let running: Promise<Result<SyncSummary>> | null = null;
let again: Hints | null = null;

/** Sync now; while one runs, the next call waits for it and runs once more (hints merged). */
export function syncNow(hints: Hints = noHints()): Promise<Result<SyncSummary>> {
  if (running) {
    if (!again) again = noHints();
    for (const [k, v] of hints.outcomes) again.outcomes.set(k, v);
    for (const p of hints.expiredProjects) again.expiredProjects.add(p);
    return running.then(() => drain());
  }
  running = runSync(hints).finally(() => {
    running = null;
  });
  return running;
}

function drain(): Promise<Result<SyncSummary>> {
  if (running) return running;
  const h = again;
  again = null;
  return h ? syncNow(h) : Promise.resolve(ok({ pending: 0, active: 0, changes: 0 }));
}

async function runSync(hints: Hints): Promise<Result<SyncSummary>> {
  const s = await session();
  if (!s) return fail(NOT_CONFIGURED.code, NOT_CONFIGURED.message);
  const { client, user, settings } = s;
  const listed = await client.listMyJoinRequests();
  if (listed.error) {
    const refused = listed.error.kind === 'http' && listed.error.httpStatus === 401;
    const message = refused
      ? TOKEN_REFUSED(settings.backendUrl)
      : describeApiError(listed.error, settings.backendUrl);
    await patchSyncMeta({ error: message, ...(refused ? { tokenRefused: true } : {}) });
    if (refused) await setTokenRefusedBadge();
    return fail(refused ? 'tokenRefused' : listed.error.code, message);
  }
  const serverPending = listed.data;
  const pending = await db.requests.where('status').equals('pending').toArray();
  const active = await db.accesses.where('status').equals('active').toArray();

  const memberships = new Map<number, ProjectUser | null | undefined>();
  await Promise.all(
    projectsToCheck(pending, active, serverPending).map(async (projectId) => {
      memberships.set(projectId, await ownMembership(client, projectId, user.id));
    }),
  );

  const now = Date.now();
  const out = reconcile({ now, pending, active, serverPending, memberships, hints });
  await db.transaction('rw', [db.requests, db.accesses], async () => {
    if (out.requests.length) await db.requests.bulkPut(out.requests);
    if (out.accesses.length) await db.accesses.bulkPut(out.accesses);
  });
  await patchSyncMeta({ at: now, error: null, tokenRefused: false });
  await setBadge(serverPending.length);
  for (const c of out.changes) await notify(c);
  const activeCount = await db.accesses.where('status').equals('active').count();
  return ok({ pending: serverPending.length, active: activeCount, changes: out.changes.length });
}
