// Who may use the extension, and the backend URL it talks to.
import type { ApiError } from '../api/errors.ts';
import type { User } from '../api/types.ts';

export type AccountCheck =
  | { ok: true; kind: 'support'; user: User }
  /** Not a support account: it may still be a maintainer user, which tokens/verify cannot tell us. */
  | { ok: true; kind: 'maybeMaintainer'; user: User; warning: string }
  | { ok: false; message: string };

export const NOT_SUPPORT_WARNING =
  'This is not a support account. Keboola does not tell the extension whether you are a maintainer ' +
  'user, so it lets you try: you can join or request access only in projects of organizations your ' +
  'maintainer owns; other projects will refuse you.';

export function checkAccount(user: User): AccountCheck {
  if (!user.mfaEnabled)
    return {
      ok: false,
      message:
        `${user.email} has no multi-factor authentication. Support and maintainer users must use MFA to ` +
        'enter customers’ projects, so this token cannot be used. Turn on MFA for this account and save again.',
    };
  if (user.isSuperAdmin) return { ok: true, kind: 'support', user };
  return { ok: true, kind: 'maybeMaintainer', user, warning: NOT_SUPPORT_WARNING };
}

/** Keboola's public stacks, offered as suggestions in the options. */
export const KNOWN_STACKS: readonly string[] = [
  'https://connection.keboola.com',
  'https://connection.eu-central-1.keboola.com',
  'https://connection.north-europe.azure.keboola.com',
  'https://connection.us-east4.gcp.keboola.com',
  'https://connection.europe-west3.gcp.keboola.com',
];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Plain http only to this machine (the local mock backend): a token never crosses a network in clear. */
export const isLoopback = (url: URL) => LOOPBACK.has(url.hostname);

/**
 * `https://connection.keboola.com/admin/...` → `https://connection.keboola.com`; null when not a URL,
 * and null for plain http to anything but this machine.
 */
export function normalizeBackendUrl(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed) return null;
  // Another scheme (ftp://, javascript:…) is refused, not read as a host name.
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^https?:\/\//i.test(trimmed) && !/^[^:/]+:\d/.test(trimmed))
    return null;
  try {
    const url = new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (url.protocol === 'https:') return url.origin;
    if (url.protocol === 'http:' && isLoopback(url)) return url.origin;
    return null;
  } catch {
    return null;
  }
}

export const URL_HINT =
  'Enter the stack URL, e.g. https://connection.keboola.com (https; plain http only for 127.0.0.1 or localhost).';

/** The match pattern of one origin, for `permissions.request`. */
export function originPattern(backendUrl: string): string {
  const url = new URL(backendUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

/** A message a person can act on, for an error of the typed client. */
export function describeApiError(error: ApiError, backendUrl: string): string {
  switch (error.kind) {
    case 'network':
      return `Could not reach ${backendUrl}. Check the URL and your connection.`;
    case 'timeout':
      return `${backendUrl} did not answer in time. Try again.`;
    case 'aborted':
      return 'Cancelled.';
    case 'noToken':
      return 'No Manage API token is set. Add one in the options.';
    case 'redirect':
      return error.message;
    case 'invalidResponse':
      return `${backendUrl} did not answer like a Keboola stack (HTTP ${error.httpStatus}). Is the URL right?`;
    case 'unsupported':
      return `${backendUrl} is a Keboola stack without our extensions: ${error.message}`;
    case 'http':
      if (error.httpStatus === 401)
        return 'The token was refused (401): it is wrong, expired or from another stack.';
      return error.message;
  }
}
