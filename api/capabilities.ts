// Which of our extensions of the Manage API a stack has (tickets, live events, access log). Keboola's own
// stacks have none of them. Learned once per stack: from our `/openapi.json` (the mock backend always
// serves it) or, failing that, from the first answer of the endpoint itself (a 404 for a missing route).

export type Extension = 'tickets' | 'events' | 'accessLog';
export const EXTENSIONS: readonly Extension[] = ['tickets', 'events', 'accessLog'];

/** `undefined`: not known yet (the endpoint may be tried; its answer tells). */
export type Capabilities = Record<Extension, boolean | undefined>;

/** The extension a path under the stack root belongs to, if any. */
export function extensionOf(path: string): Extension | undefined {
  const p = path.replace(/[?#].*$/, '').replace(/\/+$/, '');
  if (/^\/manage\/support\/tickets(\/[^/]+)?$/.test(p)) return 'tickets';
  if (p === '/manage/current-user/events') return 'events';
  if (/^\/manage\/projects\/[^/]+\/access-log$/.test(p)) return 'accessLog';
  return undefined;
}

/** What each stack has: one record per stack root, shared by every client of the page or worker. */
const known = new Map<string, Capabilities>();
const probes = new Map<string, Promise<unknown>>();

function record(baseUrl: string): Capabilities {
  const r = known.get(baseUrl) ?? { tickets: undefined, events: undefined, accessLog: undefined };
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

/**
 * Reads `/openapi.json` once per stack (public on our backend: no token). A 404 there means the stack
 * is not ours: none of the extensions exist. Anything else unreadable (Keboola's stacks send no CORS
 * headers for unknown paths) leaves them unknown, to be learned from the endpoints.
 */
export async function probeCapabilities(baseUrl: string, doFetch: typeof fetch): Promise<Capabilities> {
  const r = record(baseUrl);
  if (EXTENSIONS.some((e) => r[e] === undefined)) {
    let probe = probes.get(baseUrl);
    if (!probe) {
      const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(5000) : undefined;
      probe = doFetch(`${baseUrl}/openapi.json`, { signal })
        .then(async (res) => {
          if (res.status === 404) for (const e of EXTENSIONS) r[e] ??= false;
          else if (res.ok) {
            const paths = Object.keys(((await res.json()) as { paths?: object }).paths ?? {});
            for (const e of EXTENSIONS) r[e] = paths.some((p) => extensionOf(p) === e);
          }
        })
        // Unknown; a later call probes again.
        .catch(() => probes.delete(baseUrl));
      probes.set(baseUrl, probe);
    }
    await probe;
  }
  return { ...r };
}

/** For tests: forget everything learned. */
export function forgetCapabilities(): void {
  known.clear();
  probes.clear();
}
