// The worker's side of messages.ts: one handler per message type.
import { createClient } from '../api/client.ts';
import { cancelRequest, getAccess, leaveProject, lookupProject } from './access.ts';
import { checkAccount, describeApiError, normalizeBackendUrl, URL_HINT } from './account.ts';
import { isOffline, OFFLINE, stackNotConfigured } from './api-client.ts';
import { browser } from './browser.ts';
import { clearStack, patchSyncMeta } from './db.ts';
import { reportError } from './errors.ts';
import { joinWithGrant, listProjectGrants } from './grants.ts';
import { fail, type Handlers, isMessage, ok, type Result, type SaveSettingsOutcome } from './messages.ts';
import { refreshBadge } from './notify.ts';
import { projectUrl } from './project-ref.ts';
import { getSettings, putStack, removeStack } from './settings.ts';
import { syncNow, syncStack } from './sync.ts';
import { listAssignees, loadThread, markRead, refreshTickets, sendReply, updateTicket } from './tickets.ts';

/** Where the options page lives in the built extension (manifest.json's options_ui). */
export const OPTIONS_PATH = 'extension/options.html';

/** tokens/verify, then the account check; stores the stack only when the account may be used. */
async function verifyAndStore(backendUrl: string, token: string): Promise<Result<SaveSettingsOutcome>> {
  const url = normalizeBackendUrl(backendUrl);
  if (!url) return fail('invalidUrl', URL_HINT);
  if (!token.trim()) return fail('noToken', 'Enter your Manage API token.');
  if (isOffline()) return fail(OFFLINE.code, OFFLINE.message);
  const client = createClient({ baseUrl: url, token: token.trim(), timeoutMs: 10_000 });
  const verified = await client.verifyToken();
  if (verified.error) {
    const refused = verified.error.kind === 'http' && verified.error.httpStatus === 401;
    // A saved stack whose token is now refused shows it (badge, popup) for that stack only.
    const saved = (await getSettings()).stacks.some((s) => s.url === url && s.token === token.trim());
    if (refused && saved) {
      await patchSyncMeta(url, { tokenRefused: true, error: describeApiError(verified.error, url) });
      await refreshBadge();
    }
    return fail(verified.error.code, describeApiError(verified.error, url));
  }
  if (!verified.data.user)
    return fail(
      'applicationToken',
      'This token belongs to no user (an application token), so it cannot join or request access as anyone. ' +
        'Create a personal Manage API token in your account settings on the stack and use that one.',
    );
  const check = checkAccount(verified.data.user);
  if (!check.ok) return fail('accountRefused', check.message);
  const before = (await getSettings()).stacks.find((s) => s.url === url);
  // Another account on the same stack: what was tracked for the previous one is not this one's.
  if (before?.user && before.user.id !== check.user.id) await clearStack(url);
  await putStack({ url, token: token.trim(), user: check.user, verifiedAt: Date.now() });
  await patchSyncMeta(url, { tokenRefused: false, error: null });
  void syncStack(url);
  return ok({
    kind: check.kind,
    userName: check.user.name,
    email: check.user.email,
    warning: check.kind === 'support' ? null : check.warning,
  });
}

export const handlers: Handlers = {
  saveSettings: ({ backendUrl, token }) => verifyAndStore(backendUrl, token),

  async verifyStack({ stack }) {
    const saved = (await getSettings()).stacks.find((s) => s.url === stack);
    if (!saved?.token) {
      const e = stackNotConfigured(stack);
      return fail(e.code, e.message);
    }
    return verifyAndStore(saved.url, saved.token);
  },

  async removeStack({ stack }) {
    await removeStack(stack);
    await clearStack(stack);
    await refreshBadge();
    return ok(null);
  },

  lookupProject: ({ stack, projectId, maxAgeMs }) => lookupProject(stack, projectId, maxAgeMs),
  getAccess: (input) => getAccess(input),
  cancelRequest: ({ stack, requestId }) => cancelRequest(stack, requestId),
  listGrants: ({ stack, projectId }) => listProjectGrants(stack, projectId),
  joinWithGrant: ({ stack, grant }) => joinWithGrant(stack, grant),
  leaveProject: ({ stack, projectId }) => leaveProject(stack, projectId),
  refresh: () => syncNow(),

  refreshTickets: ({ view }) => refreshTickets(view),
  openThread: ({ stack, ticketId }) => loadThread(stack, ticketId),
  sendReply: (input) => sendReply(input),
  updateTicket: ({ stack, ticketId, status, assigneeId }) =>
    updateTicket(stack, ticketId, {
      ...(status ? { status } : {}),
      ...(assigneeId !== undefined ? { assigneeId } : {}),
    }),
  listAssignees: ({ stack, ticketId }) => listAssignees(stack, ticketId),
  markRead: ({ stack, ticketId, messageId }) => markRead(stack, ticketId, messageId),

  async openProject({ stack, projectId }) {
    if (!(await getSettings()).stacks.some((s) => s.url === stack)) {
      const e = stackNotConfigured(stack);
      return fail(e.code, e.message);
    }
    await browser.tabs.create({ url: projectUrl(stack, projectId) });
    return ok(null);
  },

  async openOptionsToAdd({ url }) {
    const origin = normalizeBackendUrl(url);
    if (!origin) return fail('invalidUrl', URL_HINT);
    await browser.tabs.create({
      url: `${browser.runtime.getURL(OPTIONS_PATH)}#add=${encodeURIComponent(origin)}`,
    });
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
