// The OpenAPI 3.1 document of every endpoint (Keboola's and ours), written from the routes'
// declarations (http/declare.ts, http/routes-*.ts) and the schemas of api/schemas.ts: nothing here
// is typed out by hand but the words around them. `npm run openapi` writes it to docs/openapi.json;
// openapi.test.ts fails when a route of the app is missing here or one here has no route, when
// docs/openapi.json is not current, or when the document is not valid OpenAPI 3.1; the contract
// suite (test/contract/openapi-walk.ts) holds every answer it gets to these schemas.
import { z } from 'zod';
import { COMPONENTS } from '../api/schemas.ts';
import { BODY_LIMITS } from '../api/types.ts';
import type { RouteDoc } from './http/declare.ts';
import { MAILBOX_ROUTES } from './http/mailbox.ts';
import { API_ROUTES } from './http/routes.ts';
import { EVENTS_ROUTE } from './http/sse.ts';
import { testRoutes } from './http/test-routes.ts';

type Schema = Record<string, unknown>;

/** The document's own routes: registered by http/openapi-route.ts. */
export const OPENAPI_ROUTES = {
  json: {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    who: 'Anyone (no token).',
    tag: 'Support Kit',
    ok: 200,
    public: true,
    response: z.looseObject({}).meta({ description: 'This OpenAPI document.' }),
  },
  page: {
    method: 'GET',
    path: '/docs',
    summary: 'This document as a page to read (HTML)',
    who: 'Anyone (no token).',
    tag: 'Support Kit',
    ok: 200,
    public: true,
    contentType: 'text/html',
    response: z.string(),
  },
} as const satisfies Record<string, RouteDoc>;

const noop = async () => {};
/** Every route the app can register, in the order they are documented. */
const ROUTES: readonly RouteDoc[] = [
  ...API_ROUTES,
  EVENTS_ROUTE,
  OPENAPI_ROUTES.json,
  OPENAPI_ROUTES.page,
  ...MAILBOX_ROUTES,
  ...testRoutes(noop, noop),
];

const ref = (id: string): Schema => ({ $ref: `#/components/schemas/${id}` });
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * What zod writes that the document does not want: every integer's safe range (JSON numbers of the
 * API are safe integers anyway), and `type` next to an `enum` that already says it.
 */
const tidy = (json: Schema) => {
  if (json.minimum === -SAFE) delete json.minimum;
  if (json.maximum === SAFE) delete json.maximum;
  if (Array.isArray(json.enum) && json.type === 'string') delete json.type;
};
const OPTIONS = {
  target: 'draft-2020-12',
  uri: (id: string) => `#/components/schemas/${id}`,
  unrepresentable: 'any',
  override: (ctx: { jsonSchema: Schema }) => tidy(ctx.jsonSchema),
} as const;

/** A schema as the document writes it: a reference to its component, or inline. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Schema {
  const id = COMPONENTS.get(schema)?.id;
  if (id) return ref(id);
  if (schema instanceof z.ZodArray)
    return { type: 'array', items: schemaOf(schema.element as z.ZodType, io) };
  const { $schema: _, ...json } = z.toJSONSchema(schema, { ...OPTIONS, io }) as Schema;
  tidy(json);
  return json;
}

/** Request bodies are written as a client sends them (zod's input), everything else as it is answered. */
function components(): Record<string, Schema> {
  const bodies = new Set(ROUTES.flatMap((r) => (r.body ? [COMPONENTS.get(r.body)?.id] : [])));
  const inputs = z.toJSONSchema(COMPONENTS, { ...OPTIONS, io: 'input' }).schemas;
  const outputs = z.toJSONSchema(COMPONENTS, { ...OPTIONS, io: 'output' }).schemas;
  const out: Record<string, Schema> = {};
  for (const id of Object.keys(outputs).sort()) {
    const { $schema: _s, $id: _i, ...json } = ((bodies.has(id) ? inputs : outputs)[id] ?? {}) as Schema;
    out[id] = json;
  }
  return out;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request: a body, a path id or a parameter that is not valid, or a rule that refuses it (docs/rules.md)',
  401: 'Missing, unknown or over-long token, or a token in the query string',
  403: 'The caller may not do this (docs/rules.md)',
  404: 'No such object, or not one the caller may see',
  409: 'Decided already',
  413: 'The body is larger than the limit (counted while it streams in)',
  415: 'The body is not application/json',
  422: 'The e-mail address is not valid',
  429: 'Too many requests: try again after Retry-After seconds',
};

/**
 * The refusals a route can answer: those that follow from its form (a token, a path id, a body, a
 * query, a rate limit, the project's or the organization's access check), and its own.
 */
function refusals(r: RouteDoc): number[] {
  const out = new Set<number>(r.errors);
  if (!r.public) out.add(401);
  if (/:[A-Za-z]+/.test(r.path)) {
    out.add(400);
    out.add(404);
  }
  if (/^\/manage\/(projects|organizations)\/:/.test(r.path)) out.add(403);
  if (r.body) for (const status of [400, 413, 415]) out.add(status);
  if (r.method === 'DELETE') out.add(415);
  if (r.query) out.add(400);
  if (r.rateLimit) out.add(429);
  return [...out].sort((a, b) => a - b);
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

const TAGS = [
  {
    name: 'Keboola',
    description: "Routes of Keboola's Manage API (docs/api.md#routes; the differences: docs/keboola.md).",
  },
  { name: 'Support Kit', description: 'Our extensions (docs/api.md#our-extensions).' },
  { name: 'Test mode', description: 'Only with --test-mode (docs/api.md#test-mode).' },
  { name: 'Demo', description: "The demo's mailbox." },
];

const accepts = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;
const unwrapOptional = (schema: z.ZodType): z.ZodType =>
  schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;

function parameters(r: RouteDoc): Schema[] {
  return [
    ...[...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: m[1] === 'userIdOrEmail' ? { type: 'string' } : { type: 'integer', minimum: 1 },
    })),
    ...Object.entries(r.headers ?? {}).map(([name, schema]) => ({
      name,
      in: 'header',
      required: !accepts(schema, undefined),
      schema: schemaOf(schema, 'input'),
    })),
    ...Object.entries((r.query?.shape ?? {}) as Record<string, z.ZodType>).map(([name, schema]) => ({
      name,
      in: 'query',
      required: !accepts(schema, undefined),
      schema: schemaOf(unwrapOptional(schema), 'output'),
    })),
  ];
}

function operation(r: RouteDoc): Schema {
  const params = parameters(r);
  const content = r.response
    ? { [r.contentType ?? 'application/json']: { schema: schemaOf(r.response as z.ZodType, 'output') } }
    : undefined;
  const responses: Schema = { [String(r.ok)]: { description: 'Success', ...(content ? { content } : {}) } };
  for (const status of refusals(r))
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? 'Refused',
      content: { 'application/json': { schema: ref('Error') } },
    };
  responses.default = {
    description: 'Anything else (an internal error: 500)',
    content: { 'application/json': { schema: ref('Error') } },
  };
  return {
    operationId: `${r.method.toLowerCase()}${toOpenApiPath(r.path)
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]?.toUpperCase() + w.slice(1))
      .join('')}`,
    summary: r.summary,
    description: `Who may call it: ${r.who}`,
    tags: [r.tag],
    ...(r.public ? { security: [] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(r.body
      ? {
          requestBody: {
            // An empty body reads as `{}`: a body whose fields are all optional may be left out.
            required: !accepts(r.body, {}),
            content: { 'application/json': { schema: schemaOf(r.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

export function openapiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const item = paths[toOpenApiPath(r.path)] ?? {};
    paths[toOpenApiPath(r.path)] = item;
    item[r.method.toLowerCase()] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Support Kit Manage API (mock backend)',
      version: '0.1.0',
      description: [
        "A part of Keboola's Manage API plus Support Kit's extensions (tickets, access log, live events).",
        'The conventions (errors, times, booleans) are in docs/api.md#conventions, who may call what in',
        'docs/rules.md, where we differ from Keboola in docs/keboola.md.',
        `Request bodies are JSON only (415 otherwise) and limited while they stream in (413): ${BODY_LIMITS.default} bytes unless an operation says otherwise.`,
        'join-project, request-access and join-organization together: at most 20 a minute per user (429 with Retry-After).',
      ].join(' '),
    },
    tags: TAGS,
    components: {
      schemas: components(),
      securitySchemes: { manageToken: { type: 'apiKey', in: 'header', name: 'X-KBC-ManageApiToken' } },
    },
    security: [{ manageToken: [] }],
    paths,
  };
}

/** Where `npm run openapi` writes the document, from the repository's root. */
export const OPENAPI_FILE = 'docs/openapi.json';

/** The document as `npm run openapi` writes it (and as the test expects to find it). */
export function openapiFileText(): string {
  return `${JSON.stringify(openapiDocument(), null, 2)}\n`;
}
