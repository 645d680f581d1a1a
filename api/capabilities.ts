// Which of our extensions of the Manage API a stack has (tickets, their conversations, live events,
// access log). Keboola's own
// stacks have none of them. Learned once per stack: from our `/openapi.json` (the mock backend always
// serves it) or, failing that, from the first answer of the endpoint itself (a 404 for a missing route).

export type Extension = 'tickets' | 'conversations' | 'events' | 'accessLog';
export const EXTENSIONS: readonly Extension[] = ['tickets', 'conversations', 'events', 'accessLog'];

/** `undefined`: not known yet (the endpoint may be tried; its answer tells). */
export type Capabilities = Record<Extension, boolean | undefined>;

/** The extension a path under the stack root belongs to, if any. */
export function extensionOf(path: string): Extension | undefined {
  const p = path.replace(/[?#].*$/, '').replace(/\/+$/, '');
  if (/^\/manage\/support\/tickets(\/[^/]+)?$/.test(p)) return 'tickets';
  // A ticket's thread, read marks and assignees, and the launcher's badge (issue 20).
  if (/^\/manage\/support\/tickets\/[^/]+\/(messages|read|assignees)$/.test(p)) return 'conversations';
  if (/^\/manage\/projects\/[^/]+\/support-badge$/.test(p)) return 'conversations';
  if (p === '/manage/current-user/events') return 'events';
  if (/^\/manage\/projects\/[^/]+\/access-log$/.test(p)) return 'accessLog';
  return undefined;
}

/** What each stack has: one record per stack root, shared by every client of the page or worker. */
const known = new Map<string, Capabilities>();
/** Probes of /openapi.json in flight or done, per stack (probe.ts). */
export const probes = new Map<string, Promise<unknown>>();

export function record(baseUrl: string): Capabilities {
  const r = known.get(baseUrl) ?? {
    tickets: undefined,
    conversations: undefined,
    events: undefined,
    accessLog: undefined,
  };
  known.set(baseUrl, r);
  return r;
}

export function learn(baseUrl: string, extension: Extension, present: boolean): void {
  record(baseUrl)[extension] = present;
}

export const capabilitiesNow = (baseUrl: string): Capabilities => ({ ...record(baseUrl) });

/** A 404 that says the route itself is missing, not that a ticket or project is unknown. */
export const isMissingRoute = (status: number, code: string) =>
  status === 404 && (code === '' || code === '404' || code === 'manage.routeNotFound');

/** For tests: forget everything learned. */
export function forgetCapabilities(): void {
  known.clear();
  probes.clear();
}
