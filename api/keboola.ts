// Tolerant reading of answers: our backend's shapes and Keboola's own (apiary.apib of
// keboola/kbc-manage-api-php-client) both become the objects of types.ts here, and only here. The
// client passes every answer through these; the widget and the extension never see a raw body.
//
// Keboola differs from our extensions in: project `limits`/`metrics` maps keyed by name instead of
// `limits.users`/`usage.users`, no `kind` on project users, `reason: ""` for no reason, no `maintainer`
// in the organization PATCH answer, roles of projects with a protected default branch (`developer`,
// `reviewer`, `productionManager`), and application tokens whose `tokens/verify` has no `user`.
// (Error bodies whose `code` is a string, a number or missing: `readErrorBody` in errors.ts.)
// Written for size: it ships in the widget (test/e2e/widget-sizes.ts).

import { bool, isObj, num, type Obj, str, userRefOf, withId } from './read-base.ts';
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
  TicketRef,
  Timestamp,
  UserRef,
} from './types.ts';

export { readTokenVerification } from './read-base.ts';

export interface ReadOptions {
  /** E-mail domains of support staff (e.g. `['keboola.com']`): project users there are support users. */
  supportEmailDomains?: readonly string[];
}

/** The name of Keboola's limit and metric that counts a project's users. */
export const KBC_USERS_LIMIT = 'kbc.adminsCount';

/** `""`, whitespace or a missing reason are no reason. */
export const readReason = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

const idName = (v: unknown): IdName | undefined => {
  const o = withId(v);
  return o && { id: o.id, name: str(o.name) };
};
const userRef = (v: unknown): UserRef | null => {
  const o = withId(v);
  return o ? userRefOf(o) : null;
};
const NOBODY: UserRef = { id: 0, name: '', email: '' };
/** The ticket a request was made for (ours); Keboola's requests have none: null. */
const ticketRef = (v: unknown): TicketRef | null => {
  const o = withId(v);
  return o && typeof o.number === 'string' ? { id: o.id, number: o.number, subject: str(o.subject) } : null;
};

/** id, created, expires, reason: what requests and invitations share. */
const dated = (o: Obj & { id: number }) => ({
  id: o.id,
  // Keboola's own example spells one `created` as `crated`.
  created: str(o.created, str(o.crated)) as Timestamp,
  expires: typeof o.expires === 'string' ? o.expires : null,
  reason: readReason(o.reason),
});

/** A value of a Keboola limit/metric map: `{ "kbc.adminsCount": { name, value } }`. */
const mapValue = (map: unknown): number | undefined => {
  const e = isObj(map) ? map[KBC_USERS_LIMIT] : undefined;
  return isObj(e) ? num(e.value) : undefined;
};

export function readProject(v: unknown): Project | undefined {
  const o = withId(v);
  if (!o) return undefined;
  const limits = isObj(o.limits) ? o.limits : {};
  const usage = isObj(o.usage) ? o.usage : {};
  // Ours: `limits.users` (null = unlimited). Keboola's: the `kbc.adminsCount` limit; no entry = no limit.
  const limit = 'users' in limits ? num(limits.users) : mapValue(limits);
  return {
    id: o.id,
    name: str(o.name),
    created: str(o.created),
    organization: idName(o.organization) ?? { id: 0, name: '' },
    limits: { users: limit ?? null },
    usage: { users: num(usage.users) ?? mapValue(o.metrics) ?? 0 },
  };
}

export function readOrganization(v: unknown): Organization | undefined {
  const o = withId(v);
  return (
    o && {
      id: o.id,
      name: str(o.name),
      created: str(o.created),
      // Keboola's default is true (apiary: "default `true`").
      allowAutoJoin: o.allowAutoJoin === undefined || bool(o.allowAutoJoin),
      mfaRequired: bool(o.mfaRequired),
      // Keboola's PATCH answer carries no maintainer.
      maintainer: idName(o.maintainer) ?? null,
    }
  );
}

const KINDS: readonly MemberKind[] = ['member', 'support', 'maintainer'];

/** `kind` when the stack sends it; else `isSuperAdmin`; else a support e-mail domain; else member. */
export function readKind(v: Obj, options: ReadOptions): MemberKind {
  const kind = KINDS.find((k) => k === v.kind);
  if (kind) return kind;
  const domain = str(v.email).split('@')[1]?.toLowerCase();
  const support =
    v.isSuperAdmin === true ||
    (!!domain &&
      !!options.supportEmailDomains?.some((d) => d.trim().replace(/^@/, '').toLowerCase() === domain));
  return support ? 'support' : 'member';
}

export function readProjectUser(v: unknown, options: ReadOptions = {}): ProjectUser | undefined {
  const o = withId(v);
  return (
    o && {
      ...userRefOf(o),
      // Keboola's project user has no mfaEnabled: unknown reads as false, which nothing here relies on.
      mfaEnabled: bool(o.mfaEnabled),
      ...dated(o),
      role: str(o.role, 'admin'),
      status: 'active',
      invitor: userRef(o.invitor),
      approver: userRef(o.approver),
      kind: readKind(o, options),
    }
  );
}

export function readJoinRequest(v: unknown): ProjectJoinRequest | undefined {
  const o = withId(v);
  const user = userRef(o?.user);
  return o && user ? { ...dated(o), user, ticket: ticketRef(o.ticket) } : undefined;
}

export function readMyJoinRequest(v: unknown): MyJoinRequest | undefined {
  const o = withId(v);
  const project = idName(o?.project);
  return o && project ? { ...dated(o), project, ticket: ticketRef(o.ticket) } : undefined;
}

// Keboola's invitation list example has no role: its default is admin.
export function readProjectInvitation(v: unknown): ProjectInvitation | undefined {
  const o = withId(v);
  const user = userRef(o?.user);
  return o && user
    ? { ...dated(o), role: str(o.role, 'admin'), user, creator: userRef(o.creator) ?? NOBODY }
    : undefined;
}

export function readMyProjectInvitation(v: unknown): MyProjectInvitation | undefined {
  const o = withId(v);
  const project = idName(o?.project);
  return o && project
    ? { ...dated(o), role: str(o.role, 'admin'), project, creator: userRef(o.creator) ?? NOBODY }
    : undefined;
}

/** Keboola's organization users are `{ id, name, email }` only. */
export function readOrganizationUser(v: unknown): OrganizationUser | undefined {
  const o = withId(v);
  return (
    o && {
      ...userRefOf(o),
      mfaEnabled: bool(o.mfaEnabled),
      created: str(o.created),
      invitor: userRef(o.invitor),
    }
  );
}

/** A list whose every item reads (items that do not are left out); undefined when no list at all. */
export const readList = <T>(v: unknown, item: (x: unknown) => T | undefined): T[] | undefined =>
  Array.isArray(v) ? v.map(item).filter((x): x is T => x !== undefined) : undefined;
