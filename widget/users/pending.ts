// The launcher's one optional idle call: what its dot counts, in one small answer. On our backend
// `support-badge` (issue 20): the project's pending join requests for those who may decide them, and
// the tickets with an unread staff reply for everyone. A stack without it (404: Keboola's, an older
// one, or any failure) gives the deciders today's count of pending requests instead. Plain `fetch`, no client and no
// Preact, so that the launcher can afford to import it.
import type { TokenGetter } from '../types.ts';

export interface PendingCountOptions {
  apiBaseUrl: string;
  token?: string;
  getToken?: TokenGetter;
  /** The project asked about (the launcher asks only while it has one). */
  projectId: number | undefined;
  /** The host's users panel and the user's role: who may decide requests, for the fallback's count. */
  usersPanel?: boolean;
  user?: { role?: string };
  /** Required: the launcher passes the page's own (unhooked) fetch. */
  fetch: typeof fetch;
}

/**
 * Resolves to the dot's number (pending requests plus tickets with an unread reply), or 0 when it
 * cannot be read (no token, offline, a backend without either count).
 */
export async function fetchPendingCount(o: PendingCountOptions): Promise<number> {
  try {
    // Terse on purpose (launcher bytes).
    const token = await (o.getToken?.() ?? o.token);
    if (!token) return 0;
    const at = `${o.apiBaseUrl.replace(/\/+$/, '')}/manage/projects/${o.projectId}/`;
    // A redirect is refused (counts 0): the token header must not follow it elsewhere.
    const init: RequestInit = { headers: { 'X-KBC-ManageApiToken': token }, redirect: 'error' };
    let res = await o.fetch(`${at}support-badge`, init);
    // Not answered (a stack without it): those who may decide get the pending requests' count.
    if (!res.ok && o.usersPanel && /^(admin|share)$/.test(o.user?.role as string))
      res = await o.fetch(`${at}join-requests/count`, init);
    // A refusal is an error body (no count), another backend may answer anything: 0.
    const b = await res.json();
    return +(b.count ?? b.pendingRequests + b.unreadTickets) || 0;
  } catch {
    return 0;
  }
}
