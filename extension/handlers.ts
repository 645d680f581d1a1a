// The worker's side of messages.ts: one handler per message type.
import { createClient } from '../api/client.ts';
import { cancelRequest, getAccess, leaveProject, lookupProject } from './access.ts';
import { checkAccount, describeApiError, normalizeBackendUrl, URL_HINT } from './account.ts';
import { isOffline, NOT_CONFIGURED, OFFLINE, session } from './api-client.ts';
import { browser } from './browser.ts';
import { clearCache, db, patchSyncMeta } from './db.ts';
import { reportError } from './errors.ts';
import { fail, type Handlers, isMessage, ok, type Result } from './messages.ts';
import { projectUrl } from './project-ref.ts';
import { getSettings, setSettings } from './settings.ts';
import { syncNow } from './sync.ts';

export const handlers: Handlers = {
  async saveSettings({ backendUrl, token }) {
    const url = normalizeBackendUrl(backendUrl);
    if (!url) return fail('invalidUrl', URL_HINT);
    if (!token.trim()) return fail('noToken', 'Enter your Manage API token.');
    if (isOffline()) return fail(OFFLINE.code, OFFLINE.message);
    const client = createClient({ baseUrl: url, token: token.trim(), timeoutMs: 10_000 });
    const verified = await client.verifyToken();
    if (verified.error) return fail(verified.error.code, describeApiError(verified.error, url));
    if (!verified.data.user)
      return fail(
        'applicationToken',
        'This token belongs to no user (an application token), so it cannot join or request access as anyone. ' +
          'Create a personal Manage API token in your account settings on the stack and use that one.',
      );
    const check = checkAccount(verified.data.user);
    if (!check.ok) return fail('accountRefused', check.message);
    const before = await getSettings();
    if (before.backendUrl !== url || before.user?.id !== check.user.id) await clearCache();
    await setSettings({ backendUrl: url, token: token.trim(), user: check.user, verifiedAt: Date.now() });
    await patchSyncMeta({ tokenRefused: false, error: null });
    void syncNow();
    return ok({
      kind: check.kind,
      userName: check.user.name,
      email: check.user.email,
      warning: check.kind === 'support' ? null : check.warning,
    });
  },

  lookupProject: ({ projectId, maxAgeMs }) => lookupProject(projectId, maxAgeMs),
  getAccess: (input) => getAccess(input),
  cancelRequest: ({ requestId }) => cancelRequest(requestId),
  leaveProject: ({ projectId }) => leaveProject(projectId),
  refresh: () => syncNow(),

  async refreshTickets() {
    const s = await session();
    if (!s) return fail(NOT_CONFIGURED.code, NOT_CONFIGURED.message);
    const res = await s.client.listTickets();
    if (res.error) return fail(res.error.code, describeApiError(res.error, s.settings.backendUrl));
    await db.transaction('rw', db.tickets, async () => {
      await db.tickets.clear();
      await db.tickets.bulkPut(
        res.data.map((t) => ({
          id: t.id,
          number: t.number,
          subject: t.subject,
          created: t.created,
          projectId: t.project?.id ?? null,
          projectName: t.project?.name ?? null,
          reporterName: t.reporter.name,
          routedTo: t.routedTo,
        })),
      );
    });
    await patchSyncMeta({ ticketsAt: Date.now() });
    return ok(res.data.length);
  },

  async openProject({ projectId }) {
    const settings = await getSettings();
    if (!settings.backendUrl) return fail(NOT_CONFIGURED.code, NOT_CONFIGURED.message);
    await browser.tabs.create({ url: projectUrl(settings.backendUrl, projectId) });
    return ok(null);
  },
};

/** Routes one runtime message to its handler; anything else is not ours and gets no answer. */
export function routeMessage(
  message: unknown,
  senderId: string | undefined,
): Promise<Result<unknown>> | undefined {
  if (senderId !== browser.runtime.id || !isMessage(message)) return undefined;
  const handler = handlers[message.type] as (input: unknown) => Promise<Result<unknown>>;
  return handler(message.input).catch((error: unknown) => {
    reportError(error, `handler ${message.type}`);
    return fail('internal', error instanceof Error ? error.message : String(error));
  });
}
