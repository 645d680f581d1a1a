// Runtime shapes of the contract objects (docs/api.md#objects, api/types.ts), written once, and a tiny checker
// that names the first path where a JSON value does not match: a missing field, an extra field, a
// wrong JSON type, a value outside an enum or a timestamp in the wrong format.
//
// Every object shape `satisfies ShapeOf<T>` of its contract type, so a field added to or removed from
// api/types.ts without a shape here fails `tsc` (and a field the server sends that the type lacks fails
// the contract tests at run time).
import {
  type AccessLogAction,
  type AccessLogEntry,
  type ErrorBody,
  type ErrorContext,
  type FieldError,
  type IdName,
  type MemberKind,
  type MyJoinRequest,
  type MyOrganizationInvitation,
  type MyProjectInvitation,
  type Organization,
  type OrganizationInvitation,
  type OrganizationUser,
  type OutsiderStorageToken,
  PROJECT_ROLES,
  type Project,
  type ProjectInvitation,
  type ProjectJoinRequest,
  type ProjectUser,
  type StorageToken,
  TICKET_SEVERITIES,
  TICKET_TYPES,
  type Ticket,
  type TicketAttachment,
  type TicketContext,
  type TokenVerification,
  type User,
  type UserRef,
} from '../../api/index.ts';

/** `2026-11-27T10:50:00+0000` (docs/api.md#conventions: ISO-8601 with offset). */
export const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/;

type Prim = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'null';
/** A JSON type, or a union of up to four: `'timestamp|null'`. */
export type PrimSpec =
  | Prim
  | `${Prim}|${Prim}`
  | `${Prim}|${Prim}|${Prim}`
  | `${Prim}|${Prim}|${Prim}|${Prim}`;

const TAG = Symbol('shape');

/** One of these string values exactly. */
export interface EnumShape {
  readonly [TAG]: 'enum';
  readonly values: readonly string[];
}
export interface ArrayShape {
  readonly [TAG]: 'array';
  readonly of: Shape;
}
export interface NullableShape {
  readonly [TAG]: 'nullable';
  readonly of: Shape;
}
/** An object with any keys, every value of one shape (e.g. an access log entry's `details`). */
export interface RecordShape {
  readonly [TAG]: 'record';
  readonly of: Shape;
}
/** Only inside an object shape: the key may be absent; when present its value has this shape. */
export interface OptionalShape {
  readonly [TAG]: 'optional';
  readonly of: Shape;
}
/** An object with exactly these keys. */
export interface ObjectShape {
  readonly [key: string]: Shape | OptionalShape;
}
export type Shape = PrimSpec | EnumShape | ArrayShape | NullableShape | RecordShape | ObjectShape;

/** An object shape with exactly the keys of `T` (checked by `satisfies`). */
export type ShapeOf<T> = { readonly [K in keyof T]-?: Shape | OptionalShape };

export const oneOf = (...values: readonly string[]): EnumShape => ({ [TAG]: 'enum', values });
export const arrayOf = (of: Shape): ArrayShape => ({ [TAG]: 'array', of });
export const nullable = (of: Shape): NullableShape => ({ [TAG]: 'nullable', of });
export const recordOf = (of: Shape): RecordShape => ({ [TAG]: 'record', of });
export const optional = (of: Shape): OptionalShape => ({ [TAG]: 'optional', of });

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

function primMatches(prim: string, value: unknown): boolean {
  switch (prim) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return typeof value === 'string' && TIMESTAMP.test(value);
    case 'null':
      return value === null;
    default:
      throw new Error(`Unknown type "${prim}" in a shape`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first mismatch as `path: expected …, got …`, or null when the value has the shape. */
export function checkShape(value: unknown, shape: Shape, path = '$'): string | null {
  if (typeof shape === 'string') {
    const prims = shape.split('|');
    return prims.some((p) => primMatches(p, value)) ? null : `${path}: expected ${shape}, got ${show(value)}`;
  }
  if (!(TAG in shape)) return checkObject(value, shape, path);
  switch (shape[TAG]) {
    case 'enum':
      return typeof value === 'string' && shape.values.includes(value)
        ? null
        : `${path}: expected one of ${shape.values.map((v) => JSON.stringify(v)).join(', ')}, got ${show(value)}`;
    case 'nullable':
      return value === null ? null : checkShape(value, shape.of, path);
    case 'array': {
      if (!Array.isArray(value)) return `${path}: expected array, got ${show(value)}`;
      for (const [i, item] of value.entries()) {
        const m = checkShape(item, shape.of, `${path}[${i}]`);
        if (m) return m;
      }
      return null;
    }
    case 'record': {
      if (!isRecord(value)) return `${path}: expected object, got ${show(value)}`;
      for (const [k, v] of Object.entries(value)) {
        const m = checkShape(v, shape.of, `${path}.${k}`);
        if (m) return m;
      }
      return null;
    }
  }
}

function checkObject(value: unknown, shape: ObjectShape, path: string): string | null {
  if (!isRecord(value)) return `${path}: expected object, got ${show(value)}`;
  for (const [key, spec] of Object.entries(shape)) {
    const at = `${path}.${key}`;
    const optionalKey = typeof spec === 'object' && TAG in spec && spec[TAG] === 'optional';
    if (!Object.hasOwn(value, key)) {
      if (optionalKey) continue;
      return `${at}: missing`;
    }
    const m = checkShape(value[key], optionalKey ? spec.of : (spec as Shape), at);
    if (m) return m;
  }
  for (const key of Object.keys(value))
    if (!Object.hasOwn(shape, key)) return `${path}.${key}: unexpected field (${show(value[key])})`;
  return null;
}

/** Throws naming the first mismatching path; `label` starts the path (e.g. the endpoint). */
export function assertShape(value: unknown, shape: Shape, label = '$'): void {
  const mismatch = checkShape(value, shape, label);
  if (mismatch) throw new Error(`Shape mismatch at ${mismatch}`);
}

// ---- The contract's objects --------------------------------------------------------------------------

// Enum values come from the contract's own lists; where types.ts has only a union, a `Record` over it
// makes tsc insist on every member and nothing else.
const ROLE = oneOf(...PROJECT_ROLES);
const KINDS = { member: true, support: true, maintainer: true } as const satisfies Record<MemberKind, true>;
export const ACTIONS = {
  requested: true,
  joined: true,
  approved: true,
  rejected: true,
  cancelled: true,
  expired: true,
  left: true,
  removed: true,
  roleChanged: true,
  added: true,
  autoJoinChanged: true,
  invited: true,
  invitationCancelled: true,
  invitationAccepted: true,
  invitationDeclined: true,
  organizationJoined: true,
  organizationLeft: true,
  storageTokenCreated: true,
  storageTokenRevoked: true,
  projectDeleted: true,
} as const satisfies Record<AccessLogAction, true>;

export const UserRefShape = {
  id: 'integer',
  name: 'string',
  email: 'string',
} as const satisfies ShapeOf<UserRef>;
export const IdNameShape = { id: 'integer', name: 'string' } as const satisfies ShapeOf<IdName>;

export const UserShape = {
  id: 'integer',
  name: 'string',
  email: 'string',
  mfaEnabled: 'boolean',
  isSuperAdmin: 'boolean',
  features: arrayOf('string'),
} as const satisfies ShapeOf<User>;

export const TokenVerificationShape = {
  id: 'integer',
  description: 'string',
  user: UserShape,
} as const satisfies ShapeOf<TokenVerification>;

export const OrganizationShape = {
  id: 'integer',
  name: 'string',
  created: 'timestamp',
  allowAutoJoin: 'boolean',
  mfaRequired: 'boolean',
  maintainer: IdNameShape,
} as const satisfies ShapeOf<Organization>;

export const ProjectShape = {
  id: 'integer',
  name: 'string',
  created: 'timestamp',
  organization: IdNameShape,
  limits: { users: 'integer|null' },
  usage: { users: 'integer' },
} as const satisfies ShapeOf<Project>;

export const ProjectUserShape = {
  id: 'integer',
  name: 'string',
  email: 'string',
  mfaEnabled: 'boolean',
  created: 'timestamp',
  expires: 'timestamp|null',
  reason: 'string|null',
  role: ROLE,
  status: oneOf('active'),
  invitor: nullable(UserRefShape),
  approver: nullable(UserRefShape),
  kind: oneOf(...Object.keys(KINDS)),
} as const satisfies ShapeOf<ProjectUser>;

export const ProjectJoinRequestShape = {
  id: 'integer',
  created: 'timestamp',
  expires: 'timestamp|null',
  reason: 'string|null',
  user: UserRefShape,
} as const satisfies ShapeOf<ProjectJoinRequest>;

export const MyJoinRequestShape = {
  id: 'integer',
  created: 'timestamp',
  expires: 'timestamp|null',
  reason: 'string|null',
  project: IdNameShape,
} as const satisfies ShapeOf<MyJoinRequest>;

export const ProjectInvitationShape = {
  id: 'integer',
  created: 'timestamp',
  expires: 'timestamp|null',
  reason: 'string|null',
  role: ROLE,
  user: UserRefShape,
  creator: UserRefShape,
} as const satisfies ShapeOf<ProjectInvitation>;

export const MyProjectInvitationShape = {
  id: 'integer',
  created: 'timestamp',
  expires: 'timestamp|null',
  reason: 'string|null',
  role: ROLE,
  project: IdNameShape,
  creator: UserRefShape,
} as const satisfies ShapeOf<MyProjectInvitation>;

export const OrganizationUserShape = {
  id: 'integer',
  name: 'string',
  email: 'string',
  mfaEnabled: 'boolean',
  created: 'timestamp',
  invitor: nullable(UserRefShape),
} as const satisfies ShapeOf<OrganizationUser>;

export const OrganizationInvitationShape = {
  id: 'integer',
  created: 'timestamp',
  expires: 'timestamp|null',
  user: UserRefShape,
  creator: UserRefShape,
} as const satisfies ShapeOf<OrganizationInvitation>;

export const MyOrganizationInvitationShape = {
  id: 'integer',
  created: 'timestamp',
  expires: 'timestamp|null',
  organization: IdNameShape,
  creator: UserRefShape,
} as const satisfies ShapeOf<MyOrganizationInvitation>;

export const StorageTokenShape = {
  id: 'integer',
  token: 'string',
  description: 'string',
  created: 'timestamp',
  expires: 'timestamp|null',
} as const satisfies ShapeOf<StorageToken>;

export const OutsiderStorageTokenShape = {
  id: 'integer',
  description: 'string',
  created: 'timestamp',
  expires: 'timestamp|null',
  user: UserRefShape,
  kind: oneOf('member', 'support', 'maintainer'),
} as const satisfies ShapeOf<OutsiderStorageToken>;

const ErrorContextShape = {
  message: 'string',
  exceptionId: optional('string'),
  status: optional('integer'),
  requestId: optional('string'),
  url: optional('string'),
} as const satisfies ShapeOf<ErrorContext>;

const TicketContextShape = {
  pageUrl: optional('string'),
  browser: optional('string'),
  viewport: optional('string'),
  locale: optional('string'),
  appVersion: optional('string'),
  error: optional(ErrorContextShape),
} as const satisfies ShapeOf<TicketContext>;

const TicketAttachmentShape = {
  name: 'string',
  type: 'string',
  size: 'integer',
} as const satisfies ShapeOf<TicketAttachment>;

export const TicketShape = {
  id: 'integer',
  number: 'string',
  created: 'timestamp',
  subject: 'string',
  description: 'string',
  type: oneOf(...TICKET_TYPES),
  severity: nullable(oneOf(...TICKET_SEVERITIES)),
  project: nullable(IdNameShape),
  reporter: UserRefShape,
  routedTo: 'string',
  context: TicketContextShape,
  attachments: arrayOf(TicketAttachmentShape),
} as const satisfies ShapeOf<Ticket>;

export const AccessLogEntryShape = {
  id: 'integer',
  created: 'timestamp',
  action: oneOf(...Object.keys(ACTIONS)),
  actor: nullable(UserRefShape),
  subject: nullable(UserRefShape),
  reason: 'string|null',
  details: recordOf('string|number|boolean|null'),
} as const satisfies ShapeOf<AccessLogEntry>;

const FieldErrorShape = { key: 'string', message: 'string' } as const satisfies ShapeOf<FieldError>;

/** docs/api.md#conventions: `{ error, code, status: "error", exceptionId }`, validation errors may add `errors`. */
export const ErrorBodyShape = {
  error: 'string',
  code: 'string',
  status: oneOf('error'),
  exceptionId: 'string',
  errors: optional(arrayOf(FieldErrorShape)),
} as const satisfies ShapeOf<ErrorBody>;
