// What every route handler shares: the authenticated user, the answers' headers, where routes register.
import type { Ctx } from '../domain/context.ts';
import type { UserRow } from '../store/schema.ts';
import type { C } from './env.ts';
import type { RateLimitName } from './rate-limit.ts';

export type { Bindings, C, Env } from './env.ts';

export function user(c: C): UserRow {
  return c.get('user');
}

/**
 * On every response under /manage (and the OpenAPI document): the widget is embedded anywhere, the
 * extension calls from chrome-extension://. Never on the mailbox, the demo pages or the test routes.
 * `Date` is exposed so a page on another origin can count down from the server's clock.
 */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Date',
} as const;

/**
 * On every answer under /manage, success or error, the event stream and preflights included: each
 * belongs to the token's owner (a member list, a ticket), and the token travels in a custom header
 * that a shared cache does not key on, so nothing may store it (`private, no-store`), and `Vary`
 * names what the answer depends on: the token header and, since CORS applies, the Origin.
 * (`Authorization` is not read by this API, so it is not named.)
 */
export const PRIVATE_HEADERS = {
  'Cache-Control': 'private, no-store',
  Vary: 'X-KBC-ManageApiToken, Origin',
} as const;

/** Every /manage answer's headers: readable cross-origin, and private. */
export const API_HEADERS = { ...CORS_HEADERS, ...PRIVATE_HEADERS } as const;
export const API_JSON = { 'Content-Type': 'application/json', ...API_HEADERS } as const;
/** The OpenAPI document: public, readable cross-origin, cacheable like any document. */
export const PUBLIC_JSON = { 'Content-Type': 'application/json', ...CORS_HEADERS } as const;
export const NO_CORS = {} as const;
export const NO_CORS_JSON = { 'Content-Type': 'application/json' } as const;

// Responses are built with constant, plain header objects: @hono/node-server writes those straight
// out, while a Headers instance (what c.header() creates) is converted on every response, and
// hono/cors, which edits the finished response, turns the cheap response into a streamed one. That is
// why the API's headers (CORS, and private) are not added by a middleware that edits each finished
// answer: every answer is made with API_HEADERS from the start, and the test that walks every route
// (http/trust.test.ts) holds each one to it.
export const json = (data: unknown, status = 200, headers: Record<string, string> = API_JSON) =>
  new Response(JSON.stringify(data), { status, headers });

export const noContent = (status: 202 | 204 = 204, headers: Record<string, string> = API_HEADERS) =>
  new Response(null, { status, headers });

export type Handler = (c: C) => Response | Promise<Response>;

/** What a route with a body wants in front of it besides the token check. */
export interface BodyRouteOptions {
  /** Largest body in bytes (default `BODY_LIMITS.default` of api/types.ts; 413 while it streams in, beyond). */
  bodyLimit?: number;
  /** The per-user rate limit group this route counts towards. */
  rateLimit?: RateLimitName;
}

/**
 * Where route modules register; app.ts puts the token check, the clock-driven notices and, for routes
 * with a body, the JSON-only check, the rate limit and the streaming body limit in front.
 */
export interface Routes {
  get(path: string, handler: Handler): void;
  post(path: string, handler: Handler, options?: BodyRouteOptions): void;
  put(path: string, handler: Handler, options?: BodyRouteOptions): void;
  patch(path: string, handler: Handler, options?: BodyRouteOptions): void;
  delete(path: string, handler: Handler): void;
}

export type RouteModule = (routes: Routes, ctx: Ctx) => void;
