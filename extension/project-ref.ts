// Pick a project by id, by a pasted project URL, or from the current tab's URL.

/** `123`, `#123` or `<base>/admin/projects/123/...` → 123. A URL must be on `backendUrl` when given. */
export function parseProjectRef(input: string, backendUrl?: string): number | null {
  const text = input.trim();
  const plain = /^#?(\d{1,12})$/.exec(text);
  if (plain?.[1]) return positive(plain[1]);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (backendUrl && url.origin !== safeOrigin(backendUrl)) return null;
  const m = /^\/admin\/projects\/(\d{1,12})(?:\/|$)/.exec(url.pathname);
  return m?.[1] ? positive(m[1]) : null;
}

/** The stack of a pasted project URL when it is not the configured one (the extension holds one). */
export function otherStackOf(input: string, backendUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (!/^\/admin\/projects\/\d{1,12}(?:\/|$)/.test(url.pathname)) return null;
  return url.origin !== safeOrigin(backendUrl) ? url.origin : null;
}

/** The project page of a tab, only when it belongs to the configured stack. */
export function projectFromTabUrl(tabUrl: string | undefined, backendUrl: string): number | null {
  if (!tabUrl || !backendUrl) return null;
  return parseProjectRef(tabUrl, backendUrl);
}

export function projectUrl(backendUrl: string, projectId: number): string {
  return `${backendUrl.replace(/\/+$/, '')}/admin/projects/${projectId}`;
}

function positive(s: string): number | null {
  const n = Number(s);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

function safeOrigin(u: string): string | null {
  try {
    return new URL(u).origin;
  } catch {
    return null;
  }
}
