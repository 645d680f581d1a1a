// One webhook attempt over HTTP(S), Node only. Signed with the `standardwebhooks` package (Standard
// Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` v1 HMAC-SHA256). Outside test
// mode the host's addresses are resolved here, every one checked (webhook-address.ts), and the
// connection goes to the checked address itself (a pinned lookup), so a DNS answer that changes
// between the check and the connection (rebinding) cannot reach this machine or its network.
// Redirects are not followed, the whole attempt ends after 5 seconds, and at most 1 KB of the
// answer is kept.
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_LIMITS } from '../../api/types.ts';
import { refusedAddress, refusedHostName } from '../domain/webhook-address.ts';
import type { AttemptOutcome } from '../domain/webhook-queue.ts';

export interface ResolvedAddress {
  address: string;
  family: number;
}
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface SendOptions {
  /** Test mode: http and this machine's addresses are allowed (a receiver in a test). */
  testMode: boolean;
  timeoutMs?: number;
  resolve?: Resolver;
  /** When the attempt is signed (wall clock: receivers check it against theirs). */
  now?: () => number;
}

export interface WebhookMessage {
  url: string;
  secret: string;
  messageId: string;
  body: string;
}

const failed = (error: string, responseStatus: number | null = null, response: string | null = null) =>
  ({ ok: false, responseStatus, response, error }) satisfies AttemptOutcome;

/** The address to connect to, or why none may be. */
async function pickAddress(url: URL, o: SendOptions): Promise<ResolvedAddress | string> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  const resolve = o.resolve ?? systemResolver;
  if (!o.testMode) {
    if (url.protocol !== 'https:') return 'Only https URLs are delivered to.';
    if (!family) {
      const byName = refusedHostName(host);
      if (byName) return `Refused: ${host} is ${byName}.`;
    }
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = family ? [{ address: host, family }] : await resolve(host);
  } catch (e) {
    return `The host ${host} does not resolve (${e instanceof Error ? e.message : String(e)}).`;
  }
  const first = addresses[0];
  if (!first) return `The host ${host} does not resolve.`;
  if (!o.testMode)
    for (const a of addresses) {
      const why = refusedAddress(a.address);
      if (why) return `Refused: ${host} resolves to ${a.address}, ${why}.`;
    }
  return first;
}

/** Reads at most `max` bytes of the answer, then lets the rest go. */
function readSome(res: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max)));
    res.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= max) {
        res.destroy();
        done();
      }
    });
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });
}

/** Posts one signed message; never throws (a failure is an outcome). */
export async function sendWebhook(m: WebhookMessage, o: SendOptions): Promise<AttemptOutcome> {
  let url: URL;
  try {
    url = new URL(m.url);
  } catch {
    return failed('The URL is not valid.');
  }
  const picked = await pickAddress(url, o);
  if (typeof picked === 'string') return failed(picked);
  const when = new Date((o.now ?? Date.now)());
  let signature: string;
  try {
    signature = new Webhook(m.secret).sign(m.messageId, when, m.body);
  } catch (e) {
    return failed(`Could not sign: ${e instanceof Error ? e.message : String(e)}`);
  }
  // The connection goes to the address checked above, whatever a second DNS answer would say.
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: ResolvedAddress[]) => void)(null, [picked]);
    else callback(null, picked.address, picked.family);
  };
  const timeoutMs = o.timeoutMs ?? WEBHOOK_LIMITS.timeoutMs;
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'SupportKit-Webhooks/1',
    'webhook-id': m.messageId,
    'webhook-timestamp': String(Math.floor(when.getTime() / 1000)),
    'webhook-signature': signature,
  };
  return new Promise<AttemptOutcome>((resolve) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: 'POST', headers, lookup: pinned, agent: false }, (res) => {
      void readSome(res, WEBHOOK_LIMITS.responseKeptBytes).then((text) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        const response = text || null;
        if (status >= 200 && status < 300)
          resolve({ ok: true, responseStatus: status, response, error: null });
        else if (status >= 300 && status < 400)
          resolve(failed(`Redirects are not followed (answered ${status}).`, status, response));
        else resolve(failed(`Answered ${status}.`, status, response));
      });
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`No answer within ${timeoutMs / 1000} seconds.`));
    }, timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      resolve(failed(e.message.slice(0, 500) || 'The connection failed.'));
    });
    req.end(m.body);
  });
}
