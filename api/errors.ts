import type { z } from 'zod';
import type { Extension } from './capabilities.ts';
import type * as S from './schemas.ts';

// Errors of the contract: the JSON body every non-2xx response carries, and the string codes.

/** Codes the server sends in `code`. The four `manage.*` codes named in docs/api.md#conventions are Keboola's own. */
export type ServerErrorCode =
  | 'manage.unauthorized'
  | 'manage.accessDenied'
  | 'manage.notFound'
  | 'manage.routeNotFound'
  | 'manage.badRequest'
  | 'manage.validationError'
  | 'manage.malformedJson'
  | 'manage.conflict'
  | 'manage.payloadTooLarge'
  | 'manage.unsupportedMediaType'
  | 'manage.tooManyRequests'
  | 'manage.internalError'
  | 'manage.mfaRequired'
  | 'manage.updateOrganizationPermissionDenied'
  | 'manage.projectUserLimitReached'
  | 'manage.joinOrganizationPermissionDenied';

export const SERVER_ERROR_CODES: readonly ServerErrorCode[] = [
  'manage.unauthorized',
  'manage.accessDenied',
  'manage.notFound',
  'manage.routeNotFound',
  'manage.badRequest',
  'manage.validationError',
  'manage.malformedJson',
  'manage.conflict',
  'manage.payloadTooLarge',
  'manage.unsupportedMediaType',
  'manage.tooManyRequests',
  'manage.internalError',
  'manage.mfaRequired',
  'manage.updateOrganizationPermissionDenied',
  'manage.projectUserLimitReached',
  'manage.joinOrganizationPermissionDenied',
];

/** Codes the client produces when no HTTP answer could be read, or the stack lacks an extension. */
export type ClientErrorCode =
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'invalidResponse'
  | 'noToken'
  | 'redirect'
  | 'unsupported';

export type ErrorCode = ServerErrorCode | ClientErrorCode;

export type FieldError = z.output<typeof S.FieldError>;
/** The body of every error response: `{ error, code, status: "error", exceptionId }` (api/schemas.ts). */
export type ErrorBody = z.output<typeof S.ErrorBody>;

/** What the typed client returns as `error`: a server error body with its HTTP status, or a client failure. */
export type ApiError =
  | {
      kind: 'http';
      httpStatus: number;
      message: string;
      code: string;
      exceptionId: string;
      errors: FieldError[];
    }
  | { kind: 'network'; code: 'network'; message: string }
  | { kind: 'timeout'; code: 'timeout'; message: string }
  | { kind: 'aborted'; code: 'aborted'; message: string }
  | { kind: 'invalidResponse'; code: 'invalidResponse'; httpStatus: number; message: string }
  | { kind: 'noToken'; code: 'noToken'; message: string }
  /** The server answered with a redirect, which API calls never follow (the token would go along). */
  | { kind: 'redirect'; code: 'redirect'; message: string }
  /** One of our extensions (tickets, events, access log) that this stack does not have (a Keboola stack). */
  | { kind: 'unsupported'; code: 'unsupported'; extension: Extension; httpStatus: 404; message: string };

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.error === 'string' && typeof v.code === 'string';
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
  if (!isRecord(v) || typeof v.error !== 'string') return undefined;
  const code = typeof v.code === 'string' ? v.code : typeof v.code === 'number' ? String(v.code) : '';
  const errors = Array.isArray(v.errors)
    ? v.errors.flatMap((e): FieldError[] =>
        isRecord(e) && typeof e.message === 'string'
          ? [{ key: typeof e.key === 'string' ? e.key : '', message: e.message }]
          : [],
      )
    : [];
  return {
    message: v.error,
    code,
    exceptionId: typeof v.exceptionId === 'string' ? v.exceptionId : '',
    errors,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
