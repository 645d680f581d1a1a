// One declaration per route: its method and path, its query, body and answers (zod schemas of
// api/schemas.ts), who may call it, its limits and its handler. app.ts registers the declarations,
// mock-backend/openapi.ts writes the OpenAPI document from them, and this module turns a body or a
// query the schemas refuse into the error body a client gets (the messages the API has always given).
import { z } from 'zod';
import { REFUSALS, type Refusal } from '../../api/schemas.ts';
import type { Ctx } from '../domain/context.ts';
import { ApiFailure } from '../domain/errors.ts';
import type { UserRow } from '../store/schema.ts';
import { type C, type Handler, json, noContent, type Routes } from './common.ts';
import type { RateLimitName } from './rate-limit.ts';
import { parseId, parseJson, userIdOrEmail } from './validate.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Tag = 'Keboola' | 'Support Kit' | 'Test mode' | 'Demo';
type OkStatus = 200 | 201 | 202 | 204;

/** `'/a/:x/b/:y'` → `'x' | 'y'`. */
type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer R}`
  ? N | ParamNames<`/${R}`>
  : P extends `${string}:${infer N}`
    ? N
    : never;
/** Path ids are positive integers; a project's member is named by id or by e-mail address. */
type Params<P extends string> = {
  [N in ParamNames<P>]: N extends 'userIdOrEmail' ? number | string : number;
};

type Query = z.ZodObject | undefined;
type Body = z.ZodType | undefined;
type Answer = z.ZodType | undefined;
type Headers = Record<string, z.ZodType> | undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type HeaderValues<H> = H extends Record<string, z.ZodType> ? { [K in keyof H]: z.output<H[K]> } : undefined;

/** What the OpenAPI document says of a route (and what app.ts puts in front of it). */
export interface RouteDoc<
  P extends string = string,
  Q extends Query = Query,
  B extends Body = Body,
  R = Answer,
  H extends Headers = Headers,
> {
  method: Method;
  /** Hono's form, `:name` for a path parameter. */
  path: P;
  summary: string;
  /** Who may call it, a sentence for the docs (the rule behind it lives in mock-backend/domain). */
  who: string;
  tag: Tag;
  query?: Q;
  body?: B;
  /** The success status, and what it answers (none for 202 and 204). */
  ok: OkStatus;
  response?: R;
  /** The answer's media type when not JSON (the event stream, the HTML pages). */
  contentType?: string;
  /** Request headers it reads, each parsed (after the query, before the body) by its schema. */
  headers?: H;
  /** Refusals besides those that follow from its form (a token, a path id, a body, a query, a limit). */
  errors?: number[];
  /** Not under /manage: no token. */
  public?: boolean;
  /** The per-user rate limit group it counts towards (429 with Retry-After beyond it). */
  rateLimit?: RateLimitName;
  /** Largest body in bytes (default BODY_LIMITS.default). */
  bodyLimit?: number;
}

export interface RouteInput<P extends string, Q extends Query, B extends Body, H extends Headers> {
  c: C;
  ctx: Ctx;
  /** The token's user (routes under /manage only). */
  user: UserRow;
  params: Params<P>;
  query: Out<Q>;
  headers: HeaderValues<H>;
  body: Out<B>;
}

export interface RouteDecl<
  P extends string = string,
  Q extends Query = Query,
  B extends Body = Body,
  R = Answer,
  H extends Headers = Headers,
> extends RouteDoc<P, Q, B, R, H> {
  /** Answers the declared response (sent with the `ok` status), nothing for 202 and 204, or a Response of its own. */
  handler: (input: RouteInput<P, Q, B, H>) => R extends z.ZodType
    ? Promise<z.output<R> | Response> | z.output<R> | Response
    : // biome-ignore lint/suspicious/noConfusingVoidType: a handler of a 202 or 204 route returns nothing (an async function without a return is a Promise<void>).
      Promise<Response | undefined | void> | Response | undefined | void;
}

/** A declaration, typed by its path and schemas (the handler's input and answer follow from them). */
export function route<
  P extends string,
  Q extends Query = undefined,
  B extends Body = undefined,
  R extends Answer = undefined,
  H extends Headers = undefined,
>(decl: RouteDecl<P, Q, B, R, H>): RouteDecl {
  return decl as unknown as RouteDecl;
}

// ---- From zod's issues to the API's error bodies ---------------------------------------------------

/** The schema at `path` under `root`, seen through optional, nullable and pipes; with the refusal on the way. */
function refusalAt(root: z.ZodType, path: readonly PropertyKey[]): Refusal | undefined {
  let schema: z.ZodType | undefined = root;
  let found: Refusal | undefined;
  const look = () => {
    for (;;) {
      if (!schema) return;
      found = REFUSALS.get(schema) ?? found;
      const def = schema._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
      if (def.innerType && (def.type === 'optional' || def.type === 'nullable')) schema = def.innerType;
      else if (def.type === 'pipe' && def.in) schema = def.in;
      else return;
    }
  };
  look();
  for (const step of path) {
    found = undefined;
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(step)];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return undefined;
    look();
  }
  return found;
}

function keyOf(path: readonly PropertyKey[], top: string): string {
  const last = path.at(-1);
  if (last === undefined) return top;
  return typeof last === 'number' ? `${keyOf(path.slice(0, -1), top)}[${last}]` : String(last);
}

const SAFE = Number.MAX_SAFE_INTEGER;

function messageOf(issue: z.core.$ZodIssue, key: string): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'string') return `${key} must be a string.`;
      if (issue.expected === 'int' || issue.expected === 'number') return `${key} must be an integer.`;
      if (issue.expected === 'object') return `${key} must be a JSON object.`;
      if (issue.expected === 'array') return `${key} must be an array.`;
      break;
    case 'too_big':
      if (issue.origin === 'string') return `${key} must be at most ${issue.maximum} characters long.`;
      if (issue.origin === 'array') return `${key} may hold at most ${issue.maximum} items.`;
      if (issue.maximum === SAFE) return `${key} must be an integer.`;
      return `${key} must be at most ${issue.maximum}.`;
    case 'too_small':
      if (issue.origin === 'string') return `${key} is too short.`;
      if (issue.minimum === -SAFE) return `${key} must be an integer.`;
      return `${key} must be at least ${issue.minimum}.`;
    case 'invalid_value':
      return `${key} must be one of: ${issue.values.join(', ')}.`;
  }
  return `${key} is not valid.`;
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) =>
  prefix.every((step, i) => path[i] === step);

/**
 * The one refusal a client gets for a value the schema refuses: the first problem in the order of
 * the schema's fields, an object's unknown fields before its fields' own problems, worded as the
 * API words it (a 400 `manage.validationError` whose `errors[]` names the field, or the field's own
 * refusal of api/schemas.ts).
 */
function failureOf(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  top: string,
): ApiFailure {
  const [first] = issues;
  if (!first) return new ApiFailure(400, 'manage.validationError', `${top} is not valid.`);
  const unknown = issues
    .filter((i) => i.code === 'unrecognized_keys' && startsWith(first.path, i.path))
    .sort((a, b) => a.path.length - b.path.length)[0];
  const issue = unknown ?? first;
  if (issue.code === 'unrecognized_keys') {
    const k = String(issue.keys[0]);
    return new ApiFailure(400, 'manage.validationError', `Unknown field "${k}".`, [
      { key: k, message: `Unknown field "${k}".` },
    ]);
  }
  const key = keyOf(issue.path, top);
  const refusal = refusalAt(schema, issue.path);
  const value = issue.path.reduce<unknown>(
    (v, step) =>
      v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[step] : undefined,
    input,
  );
  const own = refusal?.(value, key);
  const message = own?.message ?? messageOf(issue, key);
  return new ApiFailure(400, own?.code ?? 'manage.validationError', message, [
    { key, message: own?.detail ?? message },
  ]);
}

/** The value as the schema reads it, or the API's refusal (400). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, top: string): z.output<S> {
  // The Standard Schema entry point: the same parse as safeParse, but a refusal builds no ZodError
  // (an Error, with its stack) on the way to the ApiFailure that is thrown. Our schemas are all sync.
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) throw new Error('A request schema must not be async.');
  if (!result.issues) return result.value as z.output<S>;
  throw failureOf(schema, result.issues as readonly z.core.$ZodIssue[], value, top);
}

// ---- Registering ------------------------------------------------------------------------------------

const PARAM = /:([A-Za-z]+)/g;

/** The handler app.ts registers for a declaration: the path, the query and the body parsed, then the answer. */
function handlerOf(decl: RouteDecl, ctx: Ctx): Handler {
  const names = [...decl.path.matchAll(PARAM)].map((m) => m[1] ?? '');
  const { query, headers, body, ok } = decl;
  const headerEntries = Object.entries(headers ?? {});
  return async (c) => {
    // Path ids first, then the query, then the body: the order refusals have always come in.
    const params: Record<string, number | string> = {};
    for (const name of names)
      params[name] =
        name === 'userIdOrEmail' ? userIdOrEmail(c.req.param(name)) : parseId(c.req.param(name), name);
    const parsedQuery = query ? parseWith(query, c.req.query(), 'query') : undefined;
    let parsedHeaders: Record<string, unknown> | undefined;
    if (headers) {
      parsedHeaders = {};
      for (const [name, schema] of headerEntries)
        parsedHeaders[name] = parseWith(schema, c.req.header(name), name);
    }
    const input = {
      c,
      ctx,
      user: c.get('user'),
      params,
      query: parsedQuery,
      headers: parsedHeaders,
      body: body ? parseWith(body, parseJson(await c.req.text()), 'body') : undefined,
    } as RouteInput<string, Query, Body, Headers>;
    const out = await decl.handler(input);
    if (out instanceof Response) return out;
    return ok === 202 || ok === 204 ? noContent(ok) : json(out, ok);
  };
}

/** Registers declarations where app.ts put the token check, the limits and the body checks in front. */
export function register(routes: Routes, ctx: Ctx, decls: readonly RouteDecl[]): void {
  for (const decl of decls) {
    const handler = handlerOf(decl, ctx);
    const options = { rateLimit: decl.rateLimit, bodyLimit: decl.bodyLimit };
    switch (decl.method) {
      case 'GET':
        routes.get(decl.path, handler);
        break;
      case 'DELETE':
        routes.delete(decl.path, handler);
        break;
      case 'POST':
        routes.post(decl.path, handler, options);
        break;
      case 'PUT':
        routes.put(decl.path, handler, options);
        break;
      case 'PATCH':
        routes.patch(decl.path, handler, options);
        break;
    }
  }
}

/** Who may call a route, in the words of docs/rules.md (the checks are mock-backend/domain/relations.ts). */
export const WHO = {
  viewer:
    'Anyone who may see the project: its members (any role), organization users, and support and maintainer users (who must see what they ask to enter).',
  reader:
    'Its active members (any role) and organization users; support and maintainer users only while they are members.',
  decider:
    "Admin and share members who are the customer's own people (never a support or maintainer member).",
  manager:
    "Admin and share members who are the customer's own people, and organization users; never a support or maintainer user.",
  orgMember: 'Members of the organization.',
  self: 'The caller, about their own requests or invitations only.',
  anyone: 'Anyone with a valid token.',
} as const;
