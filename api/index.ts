// The public entry of the contract: types, error codes and the typed client.

export type { Capabilities, Extension } from './capabilities.ts';
export type { ApiResult, Client, ClientOptions, RequestOptions } from './client.ts';
export { createClient } from './client.ts';
export type {
  ApiError,
  ClientErrorCode,
  ErrorBody,
  ErrorCode,
  FieldError,
  ServerErrorCode,
} from './errors.ts';
export { isErrorBody, SERVER_ERROR_CODES } from './errors.ts';
export { parseTimestamp } from './time.ts';
export * from './types.ts';
