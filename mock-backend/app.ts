// The HTTP app: standard Request in, standard Response out (`app.fetch`), so the Node server and the
// MSW handlers run the very same rules. Nothing here imports a Node-only module: the store, the mailer
// and the server are injected.
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ErrorBody } from '../api/errors.ts';
import { BODY_LIMITS } from '../api/types.ts';
import { type Clock, isShared } from './clock.ts';
import { type Bus, type Ctx, createBus, type Retention } from './domain/context.ts';
import { ApiFailure, unauthorized } from './domain/errors.ts';
import { MAIL_LOCALES, type MailLocale } from './domain/mail-strings.ts';
import { userByToken } from './domain/projects.ts';
import { assertStanding } from './domain/relations.ts';
import { runAllDue, tick } from './domain/tick.ts';
import { sha256Hex, type TokenHasher } from './domain/token-hash.ts';
import { keboolaLayer } from './flavors/keboola.ts';
import {
  API_HEADERS,
  API_JSON,
  type BodyRouteOptions,
  type C,
  CORS_HEADERS,
  type Env,
  type Handler,
  json,
  NO_CORS_JSON,
  PUBLIC_JSON,
  type Routes,
} from './http/common.ts';
import { register } from './http/declare.ts';
import { mailboxRoutes } from './http/mailbox.ts';
import { openapiRoute } from './http/openapi-route.ts';
import {
  clockWindowStore,
  type LimitsStore,
  limitPerUser,
  type RateLimitName,
  type RateLimits,
  rateLimitsWith,
} from './http/rate-limit.ts';
import { API_ROUTES } from './http/routes.ts';
import { VERIFY_PATH } from './http/routes-projects.ts';
import { eventRoutes } from './http/sse.ts';
import { testRoutes } from './http/test-routes.ts';
import type { UserRow } from './store/schema.ts';
import type { Store } from './store/types.ts';

export interface AppOptions {
  /** Enables /__test__/* (404 otherwise). */
  testMode?: boolean;
  /**
   * Serves /mailbox (404 otherwise): every e-mail sent, tickets included, without a login, to this
   * machine only (http/local.ts). The demo turns it on; `npm run backend` with `--mailbox`.
   */
  mailbox?: boolean;
  /** Base of links in e-mails. */
  publicUrl?: string;
  /** Where tickets go when the project's maintainer has no support address. */
  vendorSupportEmail?: string;
  /**
   * The language of the e-mails' fixed text and dates (default English). One per backend: the
   * contract keeps no language per user, so every recipient gets this one.
   */
  mailLocale?: MailLocale;
  /**
   * The domain of the reply-by-e-mail addresses in tickets' e-mails (default
   * reply.supportkit.test): the inbound SMTP listener takes mail for it.
   */
  replyDomain?: string;
  /**
   * The key that signs reply addresses. Default: 32 random bytes made on first use and kept in the
   * store (serverSecrets), so it survives restarts and every instance on one PostgreSQL shares it.
   */
  replySecret?: string;
  /**
   * How long old events (the Last-Event-ID window) and delivered e-mails are kept; defaults in
   * RETENTION (7 days, 30 days).
   */
  retention?: Partial<Retention>;
  /** SSE heartbeat period; 15 s unless a test wants it sooner. */
  heartbeatMs?: number;
  /**
   * Also run due notices on incoming requests (default false: the server's timer runs them, and a
   * request never waits for a sweep). Only for a host without a timer.
   */
  autoTick?: boolean;
  /**
   * What goes over the wire: ours (default) or Keboola's documented shapes, codes and endpoints
   * (flavors/keboola.ts; the same domain and rules either way).
   */
  flavor?: Flavor;
  /**
   * What each rate-limited group allows per user a minute, over the defaults of RATE_LIMITS
   * (http/rate-limit.ts). A setting of whoever starts the server, never of a request: the bench
   * raises `writes` for the one admin who decides every request of its write loops.
   */
  rateLimits?: Partial<RateLimits>;
}

export type Flavor = 'default' | 'keboola';
export const FLAVORS: readonly Flavor[] = ['default', 'keboola'];

export interface AppDeps {
  store: Store;
  clock: Clock;
  options?: AppOptions;
  /** Shared with the mail worker and anything else that wants to hear about commits. */
  bus?: Bus;
  /** SHA-256 hex of a token; default the portable one (the Node server passes node:crypto's). */
  hashToken?: TokenHasher;
  /**
   * The rate limits' counters; default this process's, timed by `clock`. Instances behind one
   * address pass one they share (store/postgres-rate-limit.ts).
   */
  limits?: LimitsStore;
}

export interface Backend {
  app: Hono<Env>;
  ctx: Ctx;
  /** Runs everything due by the clock now (expiry notices, sweeping), to the end. */
  runDue(): Promise<void>;
  /** Runs one small batch of what is due; true when more is due. The timer calls it once per turn. */
  runDueBatch(): Promise<boolean>;
  /** Clears every rate limit's counters (the test reset does). */
  resetLimits(): Promise<void>;
}

export const ALLOWED_HEADERS = ['X-KBC-ManageApiToken', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'];

export function errorBody(
  status: number,
  code: ErrorBody['code'],
  error: string,
  errors?: ErrorBody['errors'],
  headers?: Record<string, string>,
) {
  const body: ErrorBody = {
    error,
    code,
    status: 'error',
    exceptionId: `exception-${globalThis.crypto.randomUUID()}`,
  };
  if (errors?.length) body.errors = errors;
  return json(body, status, headers);
}

/**
 * CORS belongs to the API only: not to the mailbox, the demo pages or the test routes. Every answer
 * under /manage is private too (common.ts, PRIVATE_HEADERS); the OpenAPI document is public.
 */
const underManage = (path: string) => path === '/manage' || path.startsWith('/manage/');
const crossOrigin = (path: string) => underManage(path) || path === '/openapi.json';
const errorHeaders = (path: string, extra?: Record<string, string>) => ({
  ...(underManage(path) ? API_JSON : crossOrigin(path) ? PUBLIC_JSON : NO_CORS_JSON),
  ...extra,
});

/** Query parameter names a token might travel under, compared lower-cased and %-decoded. */
const TOKEN_PARAMS = new Set(['token', 'x-kbc-manageapitoken', 'access_token', 'manageapitoken']);

/**
 * Whether the URL carries a token: under one of those names (any case, %-escaped or not), or the
 * header's token itself under any name. Only URLs with a query are looked at.
 */
function tokenInQuery(url: string, headerToken: string | undefined): boolean {
  const q = url.indexOf('?');
  if (q === -1) return false;
  for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
    if (TOKEN_PARAMS.has(key.toLowerCase())) return true;
    if (headerToken && value === headerToken) return true;
  }
  return false;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * True when the request carries body bytes (or may: a chunked one), without reading any. Over HTTP
 * the headers say so (@hono/node-server gives every POST a body stream, even an empty one); a
 * Request made in-process (tests, MSW) has a body or has none.
 */
function hasBody(c: C): boolean {
  const length = c.req.raw.headers.get('content-length');
  if (length !== null) return length.trim() !== '0';
  if (c.req.raw.headers.has('transfer-encoding')) return true;
  return c.env?.incoming === undefined && c.req.raw.body !== null;
}

/**
 * Bodies are JSON only (415 otherwise): a form or `text/plain` post, which a page of any origin may
 * send without a preflight, is refused before anything is read or done. On POST, PUT and PATCH a
 * non-JSON Content-Type is refused even with no body.
 */
function assertJsonBody(c: C, bodyMethod: boolean): void {
  const type = c.req.header('Content-Type');
  const refused = type === undefined ? hasBody(c) : (bodyMethod || hasBody(c)) && !JSON_TYPE.test(type);
  if (refused)
    throw new ApiFailure(
      415,
      'manage.unsupportedMediaType',
      'Request bodies must be JSON: send them with "Content-Type: application/json".',
    );
}

/** Seen on a client that went away mid-request: not a server error, nothing to log. */
function isAbort(c: C, err: unknown): boolean {
  if (c.req.raw.signal?.aborted) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as Error & { code?: unknown }).code;
  return (
    err.name === 'AbortError' ||
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    code === 'ABORT_ERR' ||
    /^(aborted|terminated)$/i.test(err.message)
  );
}

export function createBackend(deps: AppDeps): Backend {
  const options = deps.options ?? {};
  const mailLocale = options.mailLocale ?? 'en';
  // From JavaScript or a config file any string can come: refused at start, not at the first e-mail.
  if (!MAIL_LOCALES.includes(mailLocale))
    throw new Error(`mailLocale must be one of ${MAIL_LOCALES.join(', ')}, got ${String(mailLocale)}`);
  const ctx: Ctx = {
    store: deps.store,
    clock: deps.clock,
    bus: deps.bus ?? createBus(),
    hashToken: deps.hashToken ?? sha256Hex,
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:4010',
    vendorSupportEmail: options.vendorSupportEmail ?? 'support@supportkit.test',
    mailLocale,
    retention: options.retention,
    ...(options.replyDomain ? { replyDomain: options.replyDomain } : {}),
    ...(options.replySecret ? { replySecret: options.replySecret } : {}),
  };
  // A clock shared by instances (test mode on PostgreSQL) is read again before anything looks at the
  // time: each request and each sweep sees a move made through any instance.
  const shared = isShared(deps.clock) ? deps.clock : null;
  const syncClock = async () => {
    if (shared) await shared.sync();
  };
  const runDue = async () => {
    await syncClock();
    await runAllDue(ctx);
  };
  const runDueBatch = async () => {
    await syncClock();
    return tick(ctx);
  };

  const app = new Hono<Env>();
  // Only the Keboola flavor pays for a middleware; the default flavor's routes stay single handlers.
  if (options.flavor === 'keboola') app.use('*', keboolaLayer());

  // Expiry is enforced by every read; the notices and sweeping run on the server's timer. Only a host
  // without a timer asks for them here (autoTick), at most once a second; requests that come while
  // a run is under way wait for it, as they did when it ran synchronously.
  let lastTick = Number.NEGATIVE_INFINITY;
  let ticking: Promise<void> | null = null;
  const maybeTick = async (): Promise<void> => {
    if (shared) await shared.sync();
    if (options.autoTick !== true) return;
    if (ticking) return ticking;
    const now = ctx.clock.now();
    if (now - lastTick < 1000) return;
    lastTick = now;
    ticking = runDue().finally(() => {
      ticking = null;
    });
    return ticking;
  };
  // The caller, resolved once per request: who the token belongs to and whether that account has
  // any standing (a support or maintainer account without MFA has none). Only the route that says
  // who the token is (tokens/verify) answers an account without standing, so a client can tell why.
  const authenticate = async (c: C, route: string | null): Promise<UserRow> => {
    // Never in the URL (it would land in access logs and browser history), the event stream included.
    const token = c.req.header('X-KBC-ManageApiToken');
    if (tokenInQuery(c.req.url, token))
      throw unauthorized(
        'The token is accepted only in the X-KBC-ManageApiToken header, never in the query string.',
      );
    const caller = await userByToken(ctx, token);
    if (route !== VERIFY_PATH) await assertStanding(ctx, caller);
    return caller;
  };

  const limits = deps.limits ?? clockWindowStore(ctx.clock);
  const tooMany = (retryAfter: number, limit: number) =>
    errorBody(
      429,
      'manage.tooManyRequests',
      `Too many requests: at most ${limit} a minute. Try again in ${retryAfter} seconds.`,
      undefined,
      errorHeaders('/manage', { 'Retry-After': String(retryAfter) }),
    );
  const allowed = rateLimitsWith(options.rateLimits);
  const limiter = (name: RateLimitName) => limitPerUser(name, limits, tooMany, allowed[name]);
  const limiters: Record<RateLimitName, MiddlewareHandler<Env>> = {
    tickets: limiter('tickets'),
    entry: limiter('entry'),
    storageTokens: limiter('storageTokens'),
    writes: limiter('writes'),
  };
  // Every write under /manage counts towards the user's `writes` limit, whatever else it counts for.
  // DELETE routes keep their one handler (guarded): the limiter runs inside it, in front of the rule.
  const writeLimited =
    (handler: Handler): Handler =>
    async (c) => {
      let answer: Response | undefined;
      const refused = await limiters.writes(c, async () => {
        answer = await handler(c);
      });
      return refused ?? answer ?? errorBody(500, 'manage.internalError', 'Internal server error');
    };
  const tooLarge = (limit: number) => () =>
    errorBody(
      413,
      'manage.payloadTooLarge',
      `Request body is larger than ${limit} bytes.`,
      undefined,
      errorHeaders('/manage'),
    );

  // What every request needs first runs inside each route's one handler, not as middleware: a route
  // with a single handler lets Hono skip composing the middleware chain and its promises (list reads
  // went from about 40 % to about 60 % of a bare server's throughput); the store's answers are now
  // awaited in that one handler.
  // Every /manage route needs a valid token; CORS headers come with each response (common.ts).
  // Nothing to wait for before a request unless the clock is shared or requests run the sweep.
  const ticks = shared !== null || options.autoTick === true;
  const guarded = (path: string, handler: Handler): Handler => {
    const withToken = underManage(path);
    const run: Handler = async (c) => {
      if (ticks) await maybeTick();
      if (withToken) c.set('user', await authenticate(c, path));
      if (c.req.method === 'DELETE') assertJsonBody(c, false);
      return handler(c);
    };
    if (!options.testMode) return run;
    // The test clock can be moved forward: `Date` says the server's time, which clients count from
    // (api/server-time.ts). Without test mode Node's own `Date` is the server's clock already.
    const stamp = (res: Response) => {
      try {
        res.headers.set('Date', new Date(ctx.clock.now()).toUTCString());
      } catch {
        // An immutable response keeps Node's Date.
      }
      return res;
    };
    return async (c) => stamp(await run(c));
  };
  // Routes with a body: the same checks, then the JSON-only check (415), the user's limit of writes
  // and the route's own group limit (429, before the body is read), and Hono's bodyLimit, which counts the body while it streams in and answers 413 as soon as it is
  // over (a declared Content-Length over the limit is refused before a byte is read).
  const passOn: MiddlewareHandler<Env> = (_c, next) => next();
  const withBody = (path: string, handler: Handler, options: BodyRouteOptions = {}) => {
    const withToken = underManage(path);
    const limit = options.bodyLimit ?? BODY_LIMITS.default;
    const checks: MiddlewareHandler<Env> = async (c, next) => {
      if (ticks) await maybeTick();
      if (withToken) c.set('user', await authenticate(c, path));
      assertJsonBody(c, true);
      return next();
    };
    const writes = withToken ? limiters.writes : passOn;
    const rateLimit = options.rateLimit && withToken ? limiters[options.rateLimit] : passOn;
    return [
      checks,
      writes,
      rateLimit,
      bodyLimit({ maxSize: limit, onError: tooLarge(limit) }),
      handler,
    ] as const;
  };
  const routes: Routes = {
    get: (path, handler) => app.get(path, guarded(path, handler)),
    post: (path, handler, options) => app.post(path, ...withBody(path, handler, options)),
    put: (path, handler, options) => app.put(path, ...withBody(path, handler, options)),
    patch: (path, handler, options) => app.patch(path, ...withBody(path, handler, options)),
    delete: (path, handler) =>
      app.delete(path, guarded(path, underManage(path) ? writeLimited(handler) : handler)),
  };

  register(routes, ctx, API_ROUTES);
  eventRoutes(options.heartbeatMs)(routes, ctx);
  if (options.mailbox === true) mailboxRoutes(routes, ctx);
  openapiRoute(routes);
  const resetLimits = async () => {
    await limits.resetAll();
  };
  if (options.testMode) register(routes, ctx, testRoutes(runDue, resetLimits));

  // Whatever matches no route: CORS preflights (the API's paths only), then what a route would have
  // checked first (the clock, the token under /manage/), then 404.
  app.notFound(async (c) => {
    if (c.req.method === 'OPTIONS' && crossOrigin(c.req.path))
      return new Response(null, {
        status: 204,
        headers: {
          ...(underManage(c.req.path) ? API_HEADERS : CORS_HEADERS),
          'Access-Control-Allow-Headers': ALLOWED_HEADERS.join(', '),
          'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
          'Access-Control-Max-Age': '600',
        },
      });
    await maybeTick();
    if (underManage(c.req.path)) await authenticate(c, null);
    return errorBody(
      404,
      'manage.routeNotFound',
      `Route ${c.req.method} ${c.req.path} not found`,
      undefined,
      errorHeaders(c.req.path),
    );
  });
  app.onError((err, c) => {
    const headers = errorHeaders(c.req.path);
    if (err instanceof ApiFailure)
      return errorBody(err.status, err.code, err.message, err.errors, { ...headers, ...err.headers });
    // A client that went away mid-body: nobody reads the answer, and it is not the server's fault.
    if (isAbort(c, err)) return errorBody(400, 'manage.badRequest', 'Request aborted.', undefined, headers);
    // Never a stack trace: the message is generic, the detail stays in the server's log.
    console.error('Unhandled error', err);
    return errorBody(500, 'manage.internalError', 'Internal server error', undefined, headers);
  });
  return { app, ctx, runDue, runDueBatch, resetLimits };
}
