// Runtime shapes of the contract objects, derived from their schemas (api/schemas.ts, the routes'
// declared answers), and a tiny checker that names the first path where a JSON value does not match:
// a missing field, an extra field, a wrong JSON type, a value outside an enum or a timestamp in the
// wrong format. Where our backend promises more than the contract (a role of ours, a token's user),
// the shape says so over the derived one.
import { z } from 'zod';
import * as S from '../../api/schemas.ts';
import { PROJECT_ROLES } from '../../api/types.ts';

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

// ---- The contract's objects, derived from their schemas ---------------------------------------------

/** The shape of a schema of api/schemas.ts: the same fields, JSON types, enums and timestamps. */
export function shapeOf(schema: z.ZodType): Shape {
  if (schema === S.timestamp) return 'timestamp';
  if (schema instanceof z.ZodNullable) {
    const inner = shapeOf(schema.unwrap() as z.ZodType);
    return typeof inner === 'string' ? (`${inner}|null` as PrimSpec) : nullable(inner);
  }
  if (schema instanceof z.ZodObject) {
    const out: Record<string, Shape | OptionalShape> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>))
      out[key] =
        field instanceof z.ZodOptional ? optional(shapeOf(field.unwrap() as z.ZodType)) : shapeOf(field);
    return out;
  }
  if (schema instanceof z.ZodArray) return arrayOf(shapeOf(schema.element as z.ZodType));
  if (schema instanceof z.ZodRecord) return recordOf(shapeOf(schema.valueType as z.ZodType));
  if (schema instanceof z.ZodEnum) return oneOf(...(schema.options as string[]));
  if (schema instanceof z.ZodLiteral) return oneOf(...(schema.values as Set<string>));
  if (schema instanceof z.ZodUnion) {
    const prims = (schema.options as z.ZodType[]).map(shapeOf);
    if (prims.every((p) => typeof p === 'string')) return prims.join('|') as PrimSpec;
  }
  if (schema instanceof z.ZodString) return 'string';
  if (schema instanceof z.ZodNumber) return schema.format === 'safeint' ? 'integer' : 'number';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodNull) return 'null';
  throw new Error(`No shape for a schema of type ${schema._zod.def.type}`);
}
const objectShape = (schema: z.ZodObject): ObjectShape => shapeOf(schema) as ObjectShape;

export const IdNameShape = objectShape(S.IdName);
export const UserShape = objectShape(S.User);
export const ProjectShape = objectShape(S.Project);
export const ProjectJoinRequestShape = objectShape(S.ProjectJoinRequest);
export const MyJoinRequestShape = objectShape(S.MyJoinRequest);
export const OrganizationUserShape = objectShape(S.OrganizationUser);
export const OrganizationInvitationShape = objectShape(S.OrganizationInvitation);
export const MyOrganizationInvitationShape = objectShape(S.MyOrganizationInvitation);
export const StorageTokenShape = objectShape(S.StorageToken);
export const OutsiderStorageTokenShape = objectShape(S.OutsiderStorageToken);
export const TicketShape = objectShape(S.Ticket);
export const TicketMessageShape = objectShape(S.TicketMessage);
export const SupportBadgeShape = objectShape(S.SupportBadge);
export const AccessGrantShape = objectShape(S.AccessGrant);
export const UserRefShape = objectShape(S.UserRef);
export const AccessLogEntryShape = objectShape(S.AccessLogEntry);
/** docs/api.md#conventions: `{ error, code, status: "error", exceptionId }`, validation errors may add `errors`. */
export const ErrorBodyShape = objectShape(S.ErrorBody);

// What our backend holds itself to beyond the contract, which leaves room for other stacks: it gives
// only our roles, a token always has its user, and an organization always names its maintainer.
const ROLE = oneOf(...PROJECT_ROLES);
export const ProjectUserShape = { ...objectShape(S.ProjectUser), role: ROLE };
export const ProjectInvitationShape = { ...objectShape(S.ProjectInvitation), role: ROLE };
export const MyProjectInvitationShape = { ...objectShape(S.MyProjectInvitation), role: ROLE };
export const TokenVerificationShape = { ...objectShape(S.TokenVerification), user: UserShape };
export const OrganizationShape = { ...objectShape(S.Organization), maintainer: IdNameShape };
