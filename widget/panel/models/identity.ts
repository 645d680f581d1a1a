// Who is signed in, for keying drafts and queued tickets: the user the server says the token belongs
// to (tokens/verify), never what the host page claims. Offline, the last answer for the same token
// (remembered by a hash of it, never the token) stands in; a token never verified is its own identity.
import type { ApiResult } from '../../../api/client.ts';
import type { TokenVerification } from '../../../api/types.ts';
import type { OutboxItem, WidgetStorage } from '../storage.ts';

export interface Identity {
  /** Stack root. */
  backend: string;
  /** The storage key of this user: `u<id>` once known, else `t:<hash of the token>`. */
  who: string;
  /** Every key that names this user (`who` and the token's), for what was stored before we knew. */
  aliases: readonly string[];
}

async function tokenKey(token: string): Promise<string | undefined> {
  // crypto.subtle exists only in secure contexts (https, localhost): elsewhere nothing is remembered.
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(token));
  return `t:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Resolves who `token` belongs to on `backend`. Null when nobody is signed in (no token, or the server
 * refused it), or when it cannot be known offline and the token cannot even be hashed.
 */
export async function resolveIdentity(o: {
  backend: string;
  token: string | null | undefined;
  verify(): Promise<ApiResult<TokenVerification>>;
  storage: WidgetStorage;
}): Promise<Identity | null> {
  if (!o.token) return null;
  const t = await tokenKey(o.token);
  const v = await o.verify();
  let id = v.data?.user?.id;
  if (id !== undefined) {
    if (t) await o.storage.saveWho(`${o.backend}|${t}`, id);
  } else {
    // The server answered and refused the token: nobody is signed in.
    if (!t || (v.error?.kind === 'http' && v.error.httpStatus === 401)) return null;
    id = await o.storage.loadWho(`${o.backend}|${t}`);
  }
  const who = id === undefined ? (t ?? '') : `u${id}`;
  return { backend: o.backend, who, aliases: t ? [who, t] : [who] };
}

/** The storage key of a draft: backend, user and project. */
export const draftKey = (id: Identity, project: string): string => `${id.backend}|${id.who}|${project}`;

/** Whether a queued ticket is this user's, on this backend: only then is it shown or sent. */
export const owns = (id: Identity | null, item: OutboxItem): boolean =>
  !!id && item.backend === id.backend && id.aliases.includes(item.who);
