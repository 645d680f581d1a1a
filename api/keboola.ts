// Tolerant reading of answers: our backend's shapes and Keboola's own (apiary.apib of
// keboola/kbc-manage-api-php-client) both become the objects of types.ts here, and only here. The
// client passes every answer through these; the widget and the extension never see a raw body.
//
// Keboola differs from our extensions in: project `limits`/`metrics` maps keyed by name instead of
// `limits.users`/`usage.users`, no `kind` on project users, `reason: ""` for no reason, no `maintainer`
// in the organization PATCH answer, roles of projects with a protected default branch (`developer`,
// `reviewer`, `productionManager`), error bodies whose `code` is a string, a number or missing, and
// application tokens whose `tokens/verify` has no `user`.
import type { FieldError } from './errors.ts';
import type {
  IdName,
  MemberKind,
  MyJoinRequest,
  MyProjectInvitation,
  Organization,
  OrganizationUser,
  Project,
  ProjectInvitation,
  ProjectJoinRequest,
  ProjectUser,
  TokenVerification,
  User,
  UserRef,
} from './types.ts';

export interface ReadOptions {
  /** E-mail domains of support staff (e.g. `['keboola.com']`): project users there are support users. */
  supportEmailDomains?: readonly string[];
}

/** The name of Keboola's limit and metric that counts a project's users. */
export const KBC_USERS_LIMIT = 'kbc.adminsCount';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && /^\d+$/.test(v)
      ? Number(v)
      : undefined;
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** `""`, whitespace or a missing reason are no reason. */
export function readReason(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function idName(v: unknown): IdName | undefined {
  if (!isObj(v)) return undefined;
  const id = num(v.id);
  return id === undefined ? undefined : { id, name: str(v.name) };
}

function userRef(v: unknown): UserRef | null {
  if (!isObj(v)) return null;
  const id = num(v.id);
  return id === undefined ? null : { id, name: str(v.name), email: str(v.email) };
}

/** A value of a Keboola limit/metric map (`{ "kbc.adminsCount": { name, value } }`) or our own field. */
function mapValue(map: unknown, name: string): number | null | undefined {
  if (!isObj(map)) return undefined;
  const entry = map[name];
  if (isObj(entry)) {
    if (entry.value === null) return null;
    return num(entry.value);
  }
  return undefined;
}

export function readProject(v: unknown): Project | undefined {
  if (!isObj(v)) return undefined;
  const id = num(v.id);
  if (id === undefined) return undefined;
  const limits = isObj(v.limits) ? v.limits : {};
  const usage = isObj(v.usage) ? v.usage : {};
  // Ours: `limits.users` (null = unlimited). Keboola's: the `kbc.adminsCount` limit; no entry = no limit.
  const limit =
    'users' in limits
      ? limits.users === null
        ? null
        : (num(limits.users) ?? null)
      : mapValue(limits, KBC_USERS_LIMIT);
  const used = num(usage.users) ?? mapValue(v.metrics, KBC_USERS_LIMIT) ?? 0;
  return {
    id,
    name: str(v.name),
    created: str(v.created),
    organization: idName(v.organization) ?? { id: 0, name: '' },
    limits: { users: limit ?? null },
    usage: { users: used ?? 0 },
  };
}

export function readOrganization(v: unknown): Organization | undefined {
  if (!isObj(v)) return undefined;
  const id = num(v.id);
  if (id === undefined) return undefined;
  return {
    id,
    name: str(v.name),
    created: str(v.created),
    // Keboola's default is true (apiary: "default `true`").
    allowAutoJoin: v.allowAutoJoin === undefined ? true : bool(v.allowAutoJoin),
    mfaRequired: bool(v.mfaRequired),
    // Keboola's PATCH answer carries no maintainer.
    maintainer: idName(v.maintainer) ?? null,
  };
}

function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).toLowerCase();
}

const KINDS: readonly MemberKind[] = ['member', 'support', 'maintainer'];

export function readKind(v: Obj, options: ReadOptions): MemberKind {
  const kind = KINDS.find((k) => k === v.kind);
  if (kind) return kind;
  if (v.isSuperAdmin === true) return 'support';
  const domain = emailDomain(str(v.email));
  const domains = (options.supportEmailDomains ?? []).map((d) => d.trim().replace(/^@/, '').toLowerCase());
  if (domain && domains.includes(domain)) return 'support';
  return 'member';
}

export function readProjectUser(v: unknown, options: ReadOptions = {}): ProjectUser | undefined {
  if (!isObj(v)) return undefined;
  const id = num(v.id);
  if (id === undefined) return undefined;
  return {
    id,
    name: str(v.name),
    email: str(v.email),
    // Keboola's project user has no mfaEnabled: unknown reads as false, which nothing here relies on.
    mfaEnabled: bool(v.mfaEnabled),
    created: str(v.created),
    expires: strOrNull(v.expires),
    reason: readReason(v.reason),
    role: str(v.role, 'admin'),
    status: 'active',
    invitor: userRef(v.invitor),
    approver: userRef(v.approver),
    kind: readKind(v, options),
  };
}

export function readJoinRequest(v: unknown): ProjectJoinRequest | undefined {
  if (!isObj(v)) return undefined;
  const id = num(v.id);
  const user = userRef(v.user);
  if (id === undefined || !user) return undefined;
  return { id, created: str(v.created), expires: strOrNull(v.expires), reason: readReason(v.reason), user };
}

export function readMyJoinRequest(v: unknown): MyJoinRequest | undefined {
  if (!isObj(v)) return undefined;
  const id = num(v.id);
  const project = idName(v.project);
  if (id === undefined || !project) return undefined;
  // Keboola's own example spells one `created` as `crated`.
  const created = str(v.created, str(v.crated));
  return { id, created, expires: strOrNull(v.expires), reason: readReason(v.reason), project };
}

export function readProjectInvitation(v: unknown): ProjectInvitation | undefined {
  if (!isObj(v)) return undefined;
  const id = num(v.id);
  const user = userRef(v.user);
  if (id === undefined || !user) return undefined;
  return {
    id,
    created: str(v.created),
    expires: strOrNull(v.expires),
    reason: readReason(v.reason),
    // Keboola's list example has no role: its default is admin.
    role: str(v.role, 'admin'),
    user,
    creator: userRef(v.creator) ?? { id: 0, name: '', email: '' },
  };
}

export function readMyProjectInvitation(v: unknown): MyProjectInvitation | undefined {
  if (!isObj(v)) return undefined;
  const id = num(v.id);
  const project = idName(v.project);
  if (id === undefined || !project) return undefined;
  return {
    id,
    created: str(v.created),
    expires: strOrNull(v.expires),
    reason: readReason(v.reason),
    role: str(v.role, 'admin'),
    project,
    creator: userRef(v.creator) ?? { id: 0, name: '', email: '' },
  };
}

/** Keboola's organization users are `{ id, name, email }` only. */
export function readOrganizationUser(v: unknown): OrganizationUser | undefined {
  if (!isObj(v)) return undefined;
  const id = num(v.id);
  if (id === undefined) return undefined;
  return {
    id,
    name: str(v.name),
    email: str(v.email),
    mfaEnabled: bool(v.mfaEnabled),
    created: str(v.created),
    invitor: userRef(v.invitor),
  };
}

/** `user` is null for a token without a user (Keboola's application and super tokens). */
export function readTokenVerification(v: unknown): TokenVerification | undefined {
  if (!isObj(v)) return undefined;
  const u = v.user;
  let user: User | null = null;
  if (isObj(u)) {
    const id = num(u.id);
    if (id !== undefined)
      user = {
        id,
        name: str(u.name),
        email: str(u.email),
        mfaEnabled: bool(u.mfaEnabled),
        isSuperAdmin: bool(u.isSuperAdmin),
        features: Array.isArray(u.features) ? u.features.filter((f) => typeof f === 'string') : [],
      };
  }
  return { id: num(v.id) ?? 0, description: str(v.description), user };
}

/** A list whose every item reads; undefined when the answer is no list at all. */
export function readList<T>(v: unknown, item: (x: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: T[] = [];
  for (const x of v) {
    const r = item(x);
    if (r !== undefined) out.push(r);
  }
  return out;
}

export interface ReadError {
  message: string;
  code: string;
  exceptionId: string;
  errors: FieldError[];
}

/**
 * An error body: ours (`code` a string) or Keboola's (`code` a string, an integer or missing). Any
 * object with a string `error` keeps that message; the code becomes a string (`""` when missing).
 */
export function readErrorBody(v: unknown): ReadError | undefined {
  if (!isObj(v) || typeof v.error !== 'string') return undefined;
  const code = typeof v.code === 'string' ? v.code : typeof v.code === 'number' ? String(v.code) : '';
  const errors = Array.isArray(v.errors)
    ? v.errors.flatMap((e): FieldError[] =>
        isObj(e) && typeof e.message === 'string' ? [{ key: str(e.key), message: e.message }] : [],
      )
    : [];
  return {
    message: v.error,
    code,
    exceptionId: typeof v.exceptionId === 'string' ? v.exceptionId : '',
    errors,
  };
}
