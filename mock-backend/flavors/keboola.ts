// The Keboola flavor (`--flavor keboola`): the same domain and rules, answered over the wire as
// Keboola's Manage API documents it (README.md in this folder cites each shape). A layer in front of
// the routes: our extension endpoints are 404, and every JSON answer is reshaped on its way out. The
// default flavor never runs any of this.
import type { MiddlewareHandler } from 'hono';
import { API_JSON, type Env } from '../http/common.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Ours only: tickets (their conversations and grants), the launcher's badge, the event stream, the
 * access log, revoking an outsider's Storage token, the OpenAPI document of our extensions and its page.
 */
const EXTENSION_PATHS = [
  /^\/manage\/support\/tickets(\/|$)/,
  /^\/manage\/support\/grants(\/|$)/,
  /^\/manage\/projects\/[^/]+\/support-badge\/?$/,
  /^\/manage\/current-user\/events\/?$/,
  /^\/manage\/projects\/[^/]+\/access-log\/?$/,
  /^\/manage\/projects\/[^/]+\/tokens\/[^/]+\/?$/,
  /^\/openapi\.json$/,
  /^\/docs\/?$/,
];
/** Ours on a path of Keboola's: listing a project's outsiders' Storage tokens (POST there makes one). */
const EXTENSION_READS = [/^\/manage\/projects\/[^/]+\/tokens\/?$/];

/** The string codes Keboola's own tests assert (`getStringCode()`); every other code goes as the status. */
const KEBOOLA_STRING_CODES = new Set([
  'manage.mfaRequired',
  'manage.updateOrganizationPermissionDenied',
  'manage.joinOrganizationPermissionDenied',
  'manage.projectUserLimitReached',
]);
/** Sent without any code, as the PHP client tolerates (`$body['code'] ?? ''`). */
const NO_CODE = new Set(['manage.routeNotFound', 'manage.internalError']);

const send = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: API_JSON });

export const isExtensionPath = (path: string, method = 'GET') =>
  EXTENSION_PATHS.some((re) => re.test(path)) ||
  (method === 'GET' && EXTENSION_READS.some((re) => re.test(path)));

function routeNotFound(method: string, path: string): Response {
  return send(
    {
      error: `Route ${method} ${path} not found`,
      status: 'error',
      exceptionId: `exception-${globalThis.crypto.randomUUID()}`,
    },
    404,
  );
}

export function keboolaError(body: Obj, status: number): Obj {
  const { code, ...rest } = body;
  if (typeof code !== 'string' || NO_CODE.has(code)) return rest;
  return KEBOOLA_STRING_CODES.has(code) ? body : { ...rest, code: status };
}

const entry = (name: string, value: unknown) => ({ name, value });

export function keboolaProject(p: Obj): Obj {
  const { limits, usage, organization, ...rest } = p;
  const users = isObj(limits) ? limits.users : undefined;
  const used = isObj(usage) ? usage.users : 0;
  return {
    ...rest,
    type: 'production',
    expires: null,
    features: [],
    // An unlimited project has no kbc.adminsCount limit; the metric is always there.
    limits: typeof users === 'number' ? { 'kbc.adminsCount': entry('kbc.adminsCount', users) } : {},
    metrics: { 'kbc.adminsCount': entry('kbc.adminsCount', used) },
    isDisabled: false,
    organization: isObj(organization)
      ? { ...organization, crmId: '', activityCenterProjectId: '' }
      : organization,
  };
}

/** Keboola's project user: no `kind`, no `mfaEnabled`, `features: []`, `reason: ""` for none. */
export function keboolaProjectUser(u: Obj): Obj {
  const { kind: _kind, mfaEnabled: _mfa, reason, ...rest } = u;
  return { ...rest, features: [], reason: reason ?? '' };
}

/** Keboola's requests and invitations: `reason: ""` for none, and no ticket (ours). */
const withReason = (o: Obj): Obj => {
  const { ticket: _ticket, ...rest } = o;
  return 'reason' in rest ? { ...rest, reason: rest.reason ?? '' } : rest;
};

/** Keboola's organization users: `{ id, name, email }` only. */
const keboolaOrganizationUser = (u: Obj): Obj => ({ id: u.id, name: u.name, email: u.email });

function keboolaOrganization(o: Obj, patch: boolean): Obj {
  const { maintainer, ...rest } = o;
  const base = { ...rest, crmId: '', activityCenterProjectId: null };
  // The documented PATCH answer carries no maintainer; GET has it with its zendeskUrl.
  if (patch || !isObj(maintainer)) return base;
  return { ...base, maintainer: { ...maintainer, zendeskUrl: null } };
}

function keboolaTokenVerification(v: Obj): Obj {
  const user = isObj(v.user) ? v.user : {};
  return {
    id: v.id,
    description: v.description,
    created: '2026-01-01T00:00:00+0000',
    lastUsed: null,
    expires: null,
    isSessionToken: false,
    isExpired: false,
    isDisabled: false,
    scopes: [],
    type: 'admin',
    creator: { id: user.id, name: user.name },
    user: { ...user, canAccessLogs: false },
  };
}

const each = (v: unknown, f: (o: Obj) => Obj): unknown =>
  Array.isArray(v) ? v.map((x) => (isObj(x) ? f(x) : x)) : isObj(v) ? f(v) : v;

/** The reshaping of a success body, by route. */
function reshape(method: string, path: string, body: unknown): unknown {
  const p = path.replace(/\/+$/, '');
  if (p === '/manage/tokens/verify') return each(body, keboolaTokenVerification);
  if (/^\/manage\/projects\/[^/]+$/.test(p) || /^\/manage\/organizations\/[^/]+\/projects$/.test(p))
    return each(body, keboolaProject);
  if (/^\/manage\/projects\/[^/]+\/users(\/[^/]+)?$/.test(p)) return each(body, keboolaProjectUser);
  if (/^\/manage\/organizations\/[^/]+$/.test(p))
    return each(body, (o) => keboolaOrganization(o, method === 'PATCH'));
  if (/^\/manage\/organizations\/[^/]+\/users$/.test(p)) return each(body, keboolaOrganizationUser);
  if (
    /^\/manage\/projects\/[^/]+\/(join-requests|invitations|request-access)(\/[^/]+)?$/.test(p) ||
    /^\/manage\/current-user\/projects-(join-requests|invitations)(\/[^/]+)?$/.test(p)
  )
    return each(body, withReason);
  return body;
}

export function keboolaLayer(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const { method, path } = c.req;
    if (method !== 'OPTIONS' && isExtensionPath(path, method)) return routeNotFound(method, path);
    await next();
    const res = c.res;
    if (!res.headers.get('Content-Type')?.startsWith('application/json')) return;
    const text = await res.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return;
    }
    const out = res.ok ? reshape(method, path, body) : isObj(body) ? keboolaError(body, res.status) : body;
    const headers = new Headers(res.headers);
    headers.delete('Content-Length');
    c.res = new Response(JSON.stringify(out), { status: res.status, headers });
  };
}
