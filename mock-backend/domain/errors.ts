// Every refusal a rule can give, as one throwable value the HTTP layer turns into the error body.
import type { FieldError, ServerErrorCode } from '../../api/errors.ts';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ServerErrorCode,
    message: string,
    readonly errors?: FieldError[],
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, errors?: FieldError[]) =>
  new ApiFailure(400, 'manage.badRequest', message, errors);
export const validation = (message: string, key: string, status = 400) =>
  new ApiFailure(status, 'manage.validationError', message, [{ key, message }]);
export const forbidden = (
  message = 'Action is restricted for your role',
  code: ServerErrorCode = 'manage.accessDenied',
) => new ApiFailure(403, code, message);
export const notFound = (message: string) => new ApiFailure(404, 'manage.notFound', message);
export const conflict = (message: string) => new ApiFailure(409, 'manage.conflict', message);
export const unauthorized = (message = 'Invalid access token') =>
  new ApiFailure(401, 'manage.unauthorized', message);
export const tooLarge = (message: string) => new ApiFailure(413, 'manage.payloadTooLarge', message);
