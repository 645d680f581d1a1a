// Pick a project by id, by a pasted project URL, or from the current tab's URL, and with it the stack.

const PROJECT_PATH = /^\/admin\/projects\/(\d{1,12})(?:\/|$)/;

/** What the user typed or the tab shows. */
export type ProjectRef =
  /** `123` or `#123`: which stack is for the user to pick when several are set up. */
  | { kind: 'id'; projectId: number }
  /** A project URL of a configured stack. */
  | { kind: 'url'; stack: string; projectId: number }
  /** A project URL of a stack that is not set up. */
  | { kind: 'otherStack'; origin: string; projectId: number }
  | { kind: 'invalid' };

/** Reads an id or a project URL; a URL's origin is matched against the configured stacks' URLs. */
export function readProjectRef(input: string, stacks: readonly string[]): ProjectRef {
  const text = input.trim();
  const plain = /^#?(\d{1,12})$/.exec(text);
  if (plain?.[1]) {
    const id = positive(plain[1]);
    return id === null ? { kind: 'invalid' } : { kind: 'id', projectId: id };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: 'invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { kind: 'invalid' };
  const m = PROJECT_PATH.exec(url.pathname);
  const id = m?.[1] ? positive(m[1]) : null;
  if (id === null) return { kind: 'invalid' };
  const stack = stacks.find((s) => safeOrigin(s) === url.origin);
  return stack
    ? { kind: 'url', stack, projectId: id }
    : { kind: 'otherStack', origin: url.origin, projectId: id };
}

/** The project page of a tab, only when it belongs to one of the configured stacks. */
export function projectFromTabUrl(
  tabUrl: string | undefined,
  stacks: readonly string[],
): { stack: string; projectId: number } | null {
  if (!tabUrl || !stacks.length) return null;
  const ref = readProjectRef(tabUrl, stacks);
  return ref.kind === 'url' ? { stack: ref.stack, projectId: ref.projectId } : null;
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
