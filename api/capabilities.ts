// Which of our extensions of the Manage API a stack has (tickets, live events, access log). Keboola's own
// stacks have none of them. Learned once per stack: from our `/openapi.json` (the mock backend always
// serves it) or, failing that, from the first answer of the endpoint itself (a 404 for a missing route).

export type Extension = 'tickets' | 'events' | 'accessLog';
export const EXTENSIONS: readonly Extension[] = ['tickets', 'events', 'accessLog'];

/** `undefined`: not known yet (the endpoint may be tried; its answer tells). */
export type Capabilities = Record<Extension, boolean | undefined>;

/** Where each extension lives, as a path under the stack root. */
export function extensionOf(path: string): Extension | undefined {
  const p = path.replace(/[?#].*$/, '').replace(/\/+$/, '');
  if (/^\/manage\/support\/tickets(\/[^/]+)?$/.test(p)) return 'tickets';
  if (p === '/manage/current-user/events') return 'events';
  if (/^\/manage\/projects\/[^/]+\/access-log$/.test(p)) return 'accessLog';
  return undefined;
}

/** What a stack has; one record per stack root, shared by every client of the page or worker. */
const known = new Map<string, Capabilities>();
const probes = new Map<string, Promise<void>>();

const unknown = (): Capabilities => ({ tickets: undefined, events: undefined, accessLog: undefined });

function record(baseUrl: string): Capabilities {
  let r = known.get(baseUrl);
  if (!r) {
    r = unknown();
    known.set(baseUrl, r);
  }
  return r;
}

export function learn(baseUrl: string, extension: Extension, present: boolean): void {
  record(baseUrl)[extension] = present;
}

export function capabilitiesNow(baseUrl: string): Capabilities {
  return { ...record(baseUrl) };
}

/** A 404 that says the route itself is missing, not that a ticket or project is unknown. */
export function isMissingRoute(status: number, code: string): boolean {
  return status === 404 && (code === '' || code === '404' || code === 'manage.routeNotFound');
}

/**
 * Reads `/openapi.json` once per stack (no token needed: it is public on our backend). A 404 there
 * means the stack is not ours: none of the extensions exist. A network failure (Keboola's stacks send
 * no CORS headers for unknown paths) leaves them unknown, to be learned from the endpoints.
 */
export function probeCapabilities(
  baseUrl: string,
  doFetch: typeof fetch,
  timeoutMs = 5000,
): Promise<Capabilities> {
  const r = record(baseUrl);
  if (EXTENSIONS.every((e) => r[e] !== undefined)) return Promise.resolve({ ...r });
  let probe = probes.get(baseUrl);
  if (!probe) {
    probe = (async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await doFetch(`${baseUrl}/openapi.json`, {
          headers: { Accept: 'application/json' },
          signal: controller.signal,
        });
        if (res.status === 404) {
          for (const e of EXTENSIONS) r[e] ??= false;
          return;
        }
        if (!res.ok) return;
        const doc: unknown = await res.json();
        const paths =
          typeof doc === 'object' &&
          doc !== null &&
          'paths' in doc &&
          typeof doc.paths === 'object' &&
          doc.paths
            ? Object.keys(doc.paths)
            : null;
        if (!paths) return;
        const has = new Set(paths.map((p) => extensionOf(p)).filter((e) => e !== undefined));
        for (const e of EXTENSIONS) r[e] = has.has(e);
      } catch {
        // Unknown; a later call probes again.
        probes.delete(baseUrl);
      } finally {
        clearTimeout(timer);
      }
    })();
    probes.set(baseUrl, probe);
  }
  return probe.then(() => ({ ...r }));
}

/** For tests: forget everything learned. */
export function forgetCapabilities(): void {
  known.clear();
  probes.clear();
}
