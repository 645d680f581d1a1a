// What every route handler shares: the authenticated user, ids from the path, validated bodies.
import type { Context } from 'hono';
import type { Ctx } from '../domain/context.ts';
import { tooLarge } from '../domain/errors.ts';
import type { UserRow } from '../store/schema.ts';
import { type Check, parseId, parseJson } from './validate.ts';

export type Env = { Variables: { user: UserRow } };
export type C = Context<Env>;

/** Bodies larger than this get 413; tickets (with attachments) have their own, larger limit. */
export const BODY_LIMIT = 64 * 1024;

export function user(c: C): UserRow {
  return c.get('user');
}

export function id(c: C, name: string): number {
  return parseId(c.req.param(name), name);
}

async function readText(c: C, limit: number): Promise<string> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw tooLarge(`Request body is larger than ${limit} bytes.`);
  const text = await c.req.text();
  if (new TextEncoder().encode(text).length > limit)
    throw tooLarge(`Request body is larger than ${limit} bytes.`);
  return text;
}

export async function body<T>(c: C, check: Check<T>, limit = BODY_LIMIT): Promise<T> {
  return check(parseJson(await readText(c, limit)), 'body');
}

/** On every response of the API: the widget is embedded anywhere, the extension calls from chrome-extension://. */
// `Date` is exposed so a page on another origin can count down from the server's clock.
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Date',
} as const;
const JSON_HEADERS = { 'Content-Type': 'application/json', ...CORS_HEADERS } as const;

// Responses are built with constant, plain header objects: @hono/node-server writes those straight
// out, while a Headers instance (what c.header() creates) is converted on every response, and
// hono/cors, which edits the finished response, turns the cheap response into a streamed one.
export const json = (data: unknown, status = 200) =>
  new Response(JSON.stringify(data), { status, headers: JSON_HEADERS });

export const noContent = (status: 202 | 204 = 204) => new Response(null, { status, headers: CORS_HEADERS });

export type Handler = (c: C) => Response | Promise<Response>;

/** Where route modules register; app.ts puts the token check and the clock-driven notices in front. */
export interface Routes {
  get(path: string, handler: Handler): void;
  post(path: string, handler: Handler): void;
  put(path: string, handler: Handler): void;
  patch(path: string, handler: Handler): void;
  delete(path: string, handler: Handler): void;
}

export type RouteModule = (routes: Routes, ctx: Ctx) => void;
