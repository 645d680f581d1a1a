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

export const noContent = (c: C, status: 202 | 204 = 204) => c.body(null, status);

export type RouteModule = (app: import('hono').Hono<Env>, ctx: Ctx) => void;
