// Widget error codes (a union, like Sentry feedback's) and how an API failure maps onto them.
// Each code has a message in the locale packs: key `error` + capitalised code.
import type { ApiError } from '../../api/errors.ts';
import { format } from '../common/format.ts';
import type { ErrorStrings, Strings } from '../strings/types.ts';

export type WidgetErrorCode =
  | 'offline'
  | 'network'
  | 'timeout'
  | 'server'
  | 'forbidden'
  | 'unauthorized'
  | 'tooLarge'
  | 'validation'
  | 'noToken'
  | 'unknown'
  | 'subjectRequired'
  | 'descriptionRequired'
  | 'tooManyFiles'
  | 'fileTooBig'
  | 'fileRead'
  /** The stack has no tickets endpoint (a Keboola stack): the form offers e-mail instead. */
  | 'unsupported';

export interface WidgetError {
  code: WidgetErrorCode;
  /** Placeholders of the message: status, message, name, count, size. */
  vars?: Record<string, string | number>;
}

/** Failures after which the ticket waits in the outbox and is retried with the same key. */
export function isQueueable(code: WidgetErrorCode): boolean {
  return code === 'offline' || code === 'network' || code === 'timeout' || code === 'server';
}

export function classify(error: ApiError, online = navigator.onLine): WidgetError {
  switch (error.kind) {
    case 'network':
      return { code: online ? 'network' : 'offline' };
    case 'timeout':
      return { code: 'timeout' };
    case 'noToken':
      return { code: 'noToken' };
    case 'aborted':
    case 'redirect':
      return { code: 'unknown', vars: { message: error.message } };
    case 'unsupported':
      return { code: 'unsupported' };
    case 'invalidResponse':
    case 'http': {
      const status = error.httpStatus;
      if (status >= 500) return { code: 'server', vars: { status } };
      if (status === 401) return { code: 'unauthorized' };
      if (status === 403) return { code: 'forbidden' };
      if (status === 413) return { code: 'tooLarge' };
      if (status === 400 || status === 422) return { code: 'validation', vars: { message: error.message } };
      return { code: 'unknown', vars: { message: `HTTP ${status}` } };
    }
  }
}

export function errorMessage(strings: Strings, error: WidgetError): string {
  const key = `error${error.code[0]?.toUpperCase()}${error.code.slice(1)}` as keyof ErrorStrings;
  return format(strings[key], error.vars);
}
