// Every answer the contract suite gets, held to the OpenAPI document (mock-backend/openapi.ts): the
// route and its status must be documented (an explicit status, not `default`), and the body must
// validate against that status's schema with ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
//
// The document describes the default flavor. The Keboola flavor answers the same routes (less our
// extensions) with Keboola's wire shapes, so its answers are held to the same document with the
// schemas that flavor changes replaced by Keboola's (mock-backend/flavors/README.md cites each).
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Flavor } from '../../mock-backend/app.ts';

/** One answer as the suite got it. */
export interface Answer {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  body: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const DOC_ID = 'openapi.json';
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const nullable = (s: Json) => ({ anyOf: [s, { type: 'null' }] });
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const entry = obj({ name: str, value: int });

/** Keboola's shapes of the objects the flavor reshapes; everything else is as documented. */
function keboolaSchemas(schemas: Record<string, Json>): Record<string, Json> {
  const props = (name: string): Json => {
    const p = schemas[name]?.properties;
    if (!isObj(p)) throw new Error(`no schema ${name}`);
    return p;
  };
  const { kind: _kind, mfaEnabled: _mfa, ...projectUser } = props('ProjectUser');
  const { limits: _limits, usage: _usage, ...project } = props('Project');
  const { maintainer: _maintainer, ...organization } = props('Organization');
  // Keboola's requests name no ticket (ours).
  const { ticket: _ticket, ...joinRequest } = props('ProjectJoinRequest');
  const { ticket: _myTicket, ...myJoinRequest } = props('MyJoinRequest');
  return {
    ...schemas,
    Error: obj(
      {
        error: str,
        code: { type: ['string', 'integer'] },
        status: { const: 'error' },
        exceptionId: str,
        errors: { type: 'array', items: obj({ key: str, message: str }) },
      },
      ['error', 'status', 'exceptionId'],
    ),
    TokenVerification: obj({
      id: int,
      description: str,
      created: str,
      lastUsed: nullable(str),
      expires: nullable(str),
      isSessionToken: bool,
      isExpired: bool,
      isDisabled: bool,
      scopes: { type: 'array', items: str },
      type: { const: 'admin' },
      creator: obj({ id: int, name: str }),
      user: obj({ ...props('User'), canAccessLogs: bool }),
    }),
    Project: obj({
      ...project,
      type: str,
      expires: nullable(str),
      features: { type: 'array', items: str },
      limits: obj({ 'kbc.adminsCount': entry }, []),
      metrics: obj({ 'kbc.adminsCount': entry }),
      isDisabled: bool,
      organization: obj({ id: int, name: str, crmId: str, activityCenterProjectId: str }),
    }),
    ProjectUser: obj({ ...projectUser, reason: str, features: { type: 'array', items: str } }),
    Organization: obj(
      {
        ...organization,
        crmId: str,
        activityCenterProjectId: { type: 'null' },
        maintainer: obj({ id: int, name: str, zendeskUrl: { type: 'null' } }),
      },
      // The PATCH answer has no maintainer.
      Object.keys(organization).concat('crmId', 'activityCenterProjectId'),
    ),
    OrganizationUser: obj({ id: int, name: str, email: str }),
    ProjectJoinRequest: obj(joinRequest),
    MyJoinRequest: obj(myJoinRequest),
  };
}

/** `#/components/…` inside the document, as ajv finds it: the document is added under DOC_ID. */
const absolute = (schema: unknown): unknown =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`));

interface Route {
  template: string;
  regex: RegExp;
  params: number;
}

function routesOf(paths: Json): Route[] {
  return (
    Object.keys(paths)
      .map((template) => ({
        template,
        regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      // A literal segment wins over a parameter (`join-requests/count` over `join-requests/{requestId}`).
      .sort((a, b) => a.params - b.params)
  );
}

/** Keboola's 404 for a route it does not have (our extensions on the Keboola flavor). */
function isRouteNotFound(a: Answer): boolean {
  if (a.status !== 404) return false;
  try {
    const body: unknown = JSON.parse(a.body);
    return (
      isObj(body) && !('code' in body) && typeof body.error === 'string' && body.error.startsWith('Route ')
    );
  } catch {
    return false;
  }
}

/**
 * The problems with these answers, one line each: an undocumented route or status, a content type
 * or a body that is not what the document says. Also returns how many answers were checked.
 */
export function walkAnswers(
  doc: Json,
  answers: readonly Answer[],
  flavor: Flavor,
): { problems: string[]; checked: number } {
  const components = isObj(doc.components) ? doc.components : {};
  const docSchemas = (isObj(components.schemas) ? components.schemas : {}) as Record<string, Json>;
  const schemas = flavor === 'keboola' ? keboolaSchemas(docSchemas) : docSchemas;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  ajv.addSchema({ $id: DOC_ID, components: absolute({ schemas }) as Json });
  const paths = isObj(doc.paths) ? doc.paths : {};
  const routes = routesOf(paths);
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const problems = new Set<string>();
  let checked = 0;

  for (const a of answers) {
    const path = new URL(a.url).pathname;
    const label = `${a.method} ${path} ${a.status}`;
    const method = a.method.toLowerCase();
    // Two templates may match one path (`users/{userId}` for GET and PATCH, `users/{userIdOrEmail}`
    // for DELETE): the one with this method.
    const route = routes.find((r) => {
      const item = paths[r.template];
      return r.regex.test(path) && isObj(item) && isObj(item[method]);
    });
    const item = route ? paths[route.template] : undefined;
    const op = isObj(item) ? item[method] : undefined;
    if (!route || !isObj(op)) {
      problems.add(`${label}: route not in the document`);
      continue;
    }
    if (flavor === 'keboola' && isRouteNotFound(a)) continue; // ours, not on Keboola's API
    const key = `${a.method} ${route.template} ${a.status}`;
    const responses = isObj(op.responses) ? op.responses : {};
    const response = responses[String(a.status)];
    if (!isObj(response)) {
      problems.add(`${key}: status not documented`);
      continue;
    }
    checked++;
    const content = isObj(response.content) ? response.content : null;
    if (!content) {
      if (a.body !== '') problems.add(`${key}: documented without a body, answered ${a.body.slice(0, 80)}`);
      continue;
    }
    const type = Object.keys(content).find((t) => a.contentType?.startsWith(t));
    if (!type) {
      problems.add(
        `${key}: content type ${a.contentType} not documented (${Object.keys(content).join(', ')})`,
      );
      continue;
    }
    if (type !== 'application/json') continue;
    const media = content[type];
    const schema = isObj(media) ? media.schema : undefined;
    if (!isObj(schema)) continue;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(absolute(schema) as Json);
      validators.set(key, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(a.body);
    } catch {
      problems.add(`${key}: body is not JSON`);
      continue;
    }
    if (!validate(body)) {
      const first = validate.errors?.[0];
      problems.add(
        `${key}: ${first?.instancePath || '(root)'} ${first?.message ?? 'does not validate'} ${JSON.stringify(first?.params ?? {})}`,
      );
    }
  }
  return { problems: [...problems].sort(), checked };
}
