// The error text of the users and organization parts.
import type { ApiError } from '../../api/errors.ts';
import { format } from './format.ts';

export interface ErrorTexts {
  errorNetwork: string;
  errorTimeout: string;
  errorNoToken: string;
  errorUnknown: string;
}

/** The server's own message when it sent one; otherwise ours for the failure kind. */
export function errorText(e: ApiError, s: ErrorTexts): string {
  if (e.kind === 'http') return e.errors[0]?.message ?? e.message;
  if (e.kind === 'network' || e.kind === 'aborted') return s.errorNetwork;
  if (e.kind === 'timeout') return s.errorTimeout;
  if (e.kind === 'noToken') return s.errorNoToken;
  return format(s.errorUnknown, { message: e.message });
}
