// The launcher's one optional idle call: how many join requests wait in the project, from our count
// endpoint (a few bytes, not the whole list). Plain `fetch`, no client and no Preact, so that the
// launcher can afford to import it. Only a member who may decide asks (the server refuses others).
import type { TokenGetter } from '../types.ts';

export interface PendingCountOptions {
  apiBaseUrl: string;
  token?: string;
  getToken?: TokenGetter;
  /** The project whose requests are counted (the launcher asks only while it has one that may be decided). */
  projectId: number | undefined;
  /** Required: the launcher passes the page's own (unhooked) fetch. */
  fetch: typeof fetch;
}

/**
 * Resolves to the number of pending join requests, or 0 when it cannot be read (no token, no right
 * to decide, offline, a backend without the count).
 */
export async function fetchPendingCount(o: PendingCountOptions): Promise<number> {
  try {
    // Terse on purpose (launcher bytes).
    const token = await (o.getToken?.() ?? o.token);
    if (!token) return 0;
    const res = await o.fetch(
      `${o.apiBaseUrl.replace(/\/+$/, '')}/manage/projects/${o.projectId}/join-requests/count`,
      // A redirect is refused (counts 0): the token header must not follow it elsewhere.
      { headers: { 'X-KBC-ManageApiToken': token }, redirect: 'error' },
    );
    // A refusal is an error body (no count), another backend may answer anything: 0.
    return +(await res.json()).count || 0;
  } catch {
    return 0;
  }
}
