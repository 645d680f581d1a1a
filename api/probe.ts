// Asks a stack's `/openapi.json` which of our extensions it has (capabilities.ts keeps the answers).
// Only the panels and the extension load this; the widget's ticket form learns from the endpoint.
import { type Capabilities, EXTENSIONS, extensionOf, probes, record } from './capabilities.ts';

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
