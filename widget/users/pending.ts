// The launcher's one optional idle call: how many join requests wait in the project. Plain `fetch`,
// no client and no Preact, so that the launcher can afford to import it.
import type { TokenGetter } from './util.ts';

export interface PendingCountOptions {
  apiBaseUrl: string;
  token?: string;
  getToken?: TokenGetter;
  /** None: resolves to 0 without a request. */
  projectId: number | undefined;
  /** Required: the launcher passes the page's own (unhooked) fetch. */
  fetch: typeof fetch;
}

/**
 * Resolves to the number of pending join requests, or 0 when it cannot be read (no token, no access,
 * offline). Any project reader may list them; the panel itself shows the dot only to deciders.
 */
export async function fetchPendingCount(o: PendingCountOptions): Promise<number> {
  try {
    // Terse on purpose (launcher bytes): no token, a refusal or anything but a JSON array counts 0.
    const token = await (o.getToken ? o.getToken() : o.token);
    if (!token || !o.projectId) return 0;
    const res = await o.fetch(
      `${o.apiBaseUrl.replace(/\/+$/, '')}/manage/projects/${o.projectId}/join-requests`,
      // A redirect is refused (counts 0): the token header must not follow it elsewhere.
      { headers: { 'X-KBC-ManageApiToken': token }, redirect: 'error' },
    );
    const list: unknown = res.ok && (await res.json());
    return Array.isArray(list) ? list.length : 0;
  } catch {
    return 0;
  }
}
