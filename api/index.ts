// The public entry of the contract: types, error codes and the typed client.

export type { Capabilities, Extension } from './capabilities.ts';
export type { ApiResult, Client, ClientOptions, RequestOptions } from './client.ts';
export { createClient, TOKEN_HEADER } from './client.ts';
export type {
  ApiError,
  ClientErrorCode,
  ErrorBody,
  ErrorCode,
  FieldError,
  ServerErrorCode,
} from './errors.ts';
export { isErrorBody, SERVER_ERROR_CODES } from './errors.ts';
export type { EventsMemory, Follower, FollowOptions, LiveMode, Visibility } from './events.ts';
export {
  createEventsMemory,
  documentVisibility,
  eventsMemory,
  followEvents,
  manualVisibility,
  retryAfterMs,
} from './events.ts';
export { parseTimestamp } from './time.ts';
export * from './types.ts';
