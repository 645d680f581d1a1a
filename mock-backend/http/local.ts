// Pages for this machine only: the mailbox (every e-mail, tickets included) and the demo's host pages
// (a persona's token in each). They need no login, so who gets them is decided by the connection,
// never by a header alone: the peer is a loopback address, the Host it asked for is a loopback name
// (a page that rebinds its own name to 127.0.0.1 still asks for its own name), and no proxy is in
// between (a proxy on this machine connects from loopback and may pass any Host through).
import type { Bindings } from './common.ts';

const LOOPBACK_ADDRESS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Headers a proxy adds (the standard one, the common de-facto ones, and those of well-known CDNs and
 * load balancers): a request with any of them came through one, whatever its socket says.
 */
export const FORWARDING_HEADERS = [
  'Forwarded',
  'X-Forwarded-For',
  'X-Forwarded-Host',
  'X-Forwarded-Proto',
  'X-Forwarded-Port',
  'X-Real-IP',
  'Via',
  'X-Client-IP',
  'X-Cluster-Client-IP',
  'True-Client-IP',
  'CF-Connecting-IP',
  'Fastly-Client-IP',
] as const;

function urlHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** A URL of this machine (http://127.0.0.1:4010, http://localhost, http://[::1]:8080). */
export const isLoopbackUrl = (raw: string): boolean => LOOPBACK_HOST.test(urlHost(raw));

export interface LocalRefusal {
  status: 403 | 421;
  message: string;
}

/** What a page for this machine needs of a request: its headers and the connection it came on. */
export interface LocalAsker {
  req: { url: string; header(name: string): string | undefined };
  env: Bindings;
}

const onlyHere = (port: number | undefined) => {
  const at = port === undefined ? '<port>' : String(port);
  return `This page is served only to a browser on the machine that runs the mock backend, at http://127.0.0.1:${at}/ or http://localhost:${at}/`;
};

/**
 * Why a request may not have a page for this machine, or undefined when it may. Called in-process
 * (tests, MSW in the browser) there is no connection: that is this machine, unless a header says a
 * proxy forwarded it.
 */
export function localRefusal(c: LocalAsker): LocalRefusal | undefined {
  const incoming = c.env?.incoming;
  const onlyHereAt = onlyHere(incoming?.socket?.localPort);
  const forwarded = FORWARDING_HEADERS.find((name) => c.req.header(name) !== undefined);
  if (forwarded)
    return { status: 403, message: `${onlyHereAt}, never through a proxy (this request has ${forwarded}).` };
  if (incoming === undefined) return undefined;
  const address = incoming.socket?.remoteAddress ?? '';
  if (!LOOPBACK_ADDRESS.test(address))
    return { status: 403, message: `${onlyHereAt}; this request came from another machine.` };
  // 421 Misdirected Request: this server does not answer for the name asked for. The URL's own host
  // too: a request line with a full URL (`GET http://evil.example/… HTTP/1.1`) names it there, and
  // the demo pages build their API address from it.
  if (!LOOPBACK_HOST.test(c.req.header('Host') ?? '') || !LOOPBACK_HOST.test(urlHost(c.req.url)))
    return {
      status: 421,
      message: `${onlyHereAt}; this request asked for another name (Host), which a page of another site can make point here.`,
    };
  return undefined;
}
