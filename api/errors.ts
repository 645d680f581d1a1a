// Errors of the contract: the JSON body every non-2xx response carries, and the string codes.

/** Codes the server sends in `code`. The four `manage.*` codes named in api.md are Keboola's own. */
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
  'manage.internalError',
  'manage.mfaRequired',
  'manage.updateOrganizationPermissionDenied',
  'manage.projectUserLimitReached',
  'manage.joinOrganizationPermissionDenied',
];

/** Codes the client produces when no HTTP answer could be read. */
export type ClientErrorCode = 'network' | 'timeout' | 'aborted' | 'invalidResponse' | 'noToken' | 'redirect';

export type ErrorCode = ServerErrorCode | ClientErrorCode;

export interface FieldError {
  key: string;
  message: string;
}

/** The body of every error response: `{ error, code, status: "error", exceptionId }`. */
export interface ErrorBody {
  error: string;
  code: string;
  status: 'error';
  exceptionId: string;
  errors?: FieldError[];
}

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
  | { kind: 'redirect'; code: 'redirect'; message: string };

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.error === 'string' && typeof v.code === 'string';
}
