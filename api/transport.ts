// The transport under the typed client: the token header, timeouts, the one retry after a 401, error
// bodies, and which of our extensions the stack has. The ticket form needs only this and the ticket
// methods, so the widget's support path does not carry every endpoint and the Keboola readers.
import { capabilitiesNow, type Extension, extensionOf, isMissingRoute, learn } from './capabilities.ts';
import { type ApiError, readErrorBody } from './errors.ts';
import type { ReadOptions } from './keboola.ts';
import type { CreateTicketBody, Ticket, TokenVerification } from './types.ts';

export type ApiResult<T> =
  | { data: T; error: undefined; response: Response }
  | { data: undefined; error: ApiError; response: Response | undefined };

export interface ClientOptions extends ReadOptions {
  /** Stack root, e.g. `https://connection.keboola.com` or `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** A fixed Manage API token... */
  token?: string;
  /**
   * ...or a function that returns the current one (read on every call). On a 401 it is asked once
   * more, and the request is retried once when it gives a different token (an expired session token).
   */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  fetch?: typeof fetch;
  /** Per-request timeout; default 15 s. */
  timeoutMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Id = number | string;

export const enc = encodeURIComponent;

/** The Manage API's token header: the only place a token ever travels. */
export const TOKEN_HEADER = 'X-KBC-ManageApiToken';

function redirectError(baseUrl: string, response: Response): ApiError {
  // A browser hides an opaque redirect's target; Node shows it.
  const to = response.headers.get('Location');
  return {
    kind: 'redirect',
    code: 'redirect',
    message: `${baseUrl} answered with a redirect${to ? ` to ${to}` : ''}; API calls do not follow redirects.`,
  };
}

function httpError(status: number, body: unknown): ApiError {
  const read = readErrorBody(body);
  if (read) return { kind: 'http', httpStatus: status, ...read };
  return { kind: 'invalidResponse', code: 'invalidResponse', httpStatus: status, message: `HTTP ${status}` };
}

const EXTENSION_NAMES: Record<Extension, string> = {
  tickets: 'support tickets',
  conversations: 'ticket conversations',
  events: 'live events',
  accessLog: 'an access log',
};

function unsupported(extension: Extension): ApiError {
  return {
    kind: 'unsupported',
    code: 'unsupported',
    extension,
    httpStatus: 404,
    message: `This stack has no ${EXTENSION_NAMES[extension]} (our extension of the Manage API).`,
  };
}

export function createTransport(options: ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function token(): Promise<string | null> {
    if (options.getToken) return (await options.getToken()) || null;
    return options.token || null;
  }

  async function request<T>(
    method: Method,
    path: string,
    body?: unknown,
    init: RequestOptions = {},
  ): Promise<ApiResult<T>> {
    const extension = extensionOf(`/manage${path}`);
    // A stack known to lack the extension is not asked again.
    if (extension && capabilitiesNow(baseUrl)[extension] === false)
      return { data: undefined, error: unsupported(extension), response: undefined };
    const t = await token();
    let res = await send<T>(t, method, path, body, init);
    if (res.response?.status === 401 && options.getToken && !init.signal?.aborted) {
      // A session token may have expired: ask for the current one once; the same token would fail again.
      const again = await token();
      if (again && again !== t) res = await send<T>(again, method, path, body, init);
    }
    if (!extension || !res.response) return res;
    if (res.error?.kind === 'http' && isMissingRoute(res.error.httpStatus, res.error.code)) {
      learn(baseUrl, extension, false);
      return { data: undefined, error: unsupported(extension), response: res.response };
    }
    if (res.response.ok) learn(baseUrl, extension, true);
    return res;
  }

  async function send<T>(
    t: string | null,
    method: Method,
    path: string,
    body: unknown,
    init: RequestOptions,
  ): Promise<ApiResult<T>> {
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    if (!t)
      return {
        data: undefined,
        error: { kind: 'noToken', code: 'noToken', message: 'No token' },
        response: undefined,
      };
    const headers: Record<string, string> = {
      [TOKEN_HEADER]: t,
      Accept: 'application/json',
      ...init.headers,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    // The caller may have aborted while we were reading the token: no request, no timer, no listener.
    if (init.signal?.aborted)
      return {
        data: undefined,
        error: { kind: 'aborted', code: 'aborted', message: 'Aborted' },
        response: undefined,
      };

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, init.timeoutMs ?? timeoutMs);
    const onAbort = () => controller.abort();
    init.signal?.addEventListener('abort', onAbort, { once: true });

    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/manage${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        // Never follow a redirect: the token header would go along to wherever it points. 'manual'
        // rather than 'error': a browser rejects 'error' with a bare "Failed to fetch", which cannot
        // be told from a network failure; 'manual' stops just the same and lets us say what happened.
        redirect: 'manual',
      });
    } catch (e) {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
      if (timedOut)
        return {
          data: undefined,
          error: { kind: 'timeout', code: 'timeout', message: 'Timed out' },
          response: undefined,
        };
      if (init.signal?.aborted)
        return {
          data: undefined,
          error: { kind: 'aborted', code: 'aborted', message: 'Aborted' },
          response: undefined,
        };
      const message = e instanceof Error ? e.message : String(e);
      return { data: undefined, error: { kind: 'network', code: 'network', message }, response: undefined };
    }

    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
      void response.body?.cancel().catch(() => undefined);
      return { data: undefined, error: redirectError(baseUrl, response), response };
    }

    try {
      const text = await response.text();
      let parsed: unknown;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          if (response.ok)
            return {
              data: undefined,
              error: {
                kind: 'invalidResponse',
                code: 'invalidResponse',
                httpStatus: response.status,
                message: 'Invalid JSON',
              },
              response,
            };
        }
      }
      if (!response.ok) return { data: undefined, error: httpError(response.status, parsed), response };
      return { data: parsed as T, error: undefined, response };
    } catch (e) {
      if (timedOut)
        return {
          data: undefined,
          error: { kind: 'timeout', code: 'timeout', message: 'Timed out' },
          response,
        };
      const message = e instanceof Error ? e.message : String(e);
      return { data: undefined, error: { kind: 'network', code: 'network', message }, response };
    } finally {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    baseUrl,
    /** Low-level escape hatch: any path under `/manage`. */
    request,
    /** What is known now, without asking: true, false, or undefined (not known yet). */
    supports: (extension: Extension) => capabilitiesNow(baseUrl)[extension],
  };
}

/** A success whose body does not read as the object asked for is an invalid response, never a crash. */
export function reading<T>(read: (v: unknown) => T | undefined) {
  return (res: ApiResult<unknown>): ApiResult<T> => {
    if (res.error) return res;
    const data = read(res.data);
    if (data !== undefined) return { data, error: undefined, response: res.response };
    return {
      data: undefined,
      error: {
        kind: 'invalidResponse',
        code: 'invalidResponse',
        httpStatus: res.response.status,
        message: 'Unexpected answer',
      },
      response: res.response,
    };
  };
}

export type Transport = ReturnType<typeof createTransport>;

/** Our support tickets (an extension): all the widget's ticket form needs. */
export function ticketMethods(t: Transport) {
  return {
    createTicket: (body: CreateTicketBody, idempotencyKey: string, r?: RequestOptions) =>
      t.request<Ticket>('POST', '/support/tickets', body, {
        ...r,
        headers: { ...r?.headers, 'Idempotency-Key': idempotencyKey },
      }),
    listTickets: (r?: RequestOptions) => t.request<Ticket[]>('GET', '/support/tickets', undefined, r),
    getTicket: (ticketId: Id, r?: RequestOptions) =>
      t.request<Ticket>('GET', `/support/tickets/${enc(String(ticketId))}`, undefined, r),
  };
}

/**
 * The transport, tokens/verify and the ticket methods: what the widget's ticket form needs. The
 * endpoint methods and the other Keboola readers are in client.ts, loaded only by the panels.
 */
export function supportClient(options: ClientOptions) {
  const t = createTransport(options);
  return {
    ...t,
    // As sent: the widget reads only `user?.id` (absent for an application token); client.ts reads it all.
    verifyToken: (r?: RequestOptions) => t.request<TokenVerification>('GET', '/tokens/verify', undefined, r),
    ...ticketMethods(t),
  };
}

export type SupportClient = ReturnType<typeof supportClient>;
