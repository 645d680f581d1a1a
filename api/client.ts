// The typed Manage API client. One method per endpoint; every call resolves to
// `{ data, error, response }` and never throws on an HTTP error, a network failure or a timeout.
import type { ApiError, FieldError } from './errors.ts';
import { isErrorBody } from './errors.ts';
import type {
  AccessLogEntry,
  AddProjectUserBody,
  CreateProjectBody,
  CreateProjectInvitationBody,
  CreateStorageTokenBody,
  CreateTicketBody,
  EmailBody,
  JoinProjectBody,
  MyJoinRequest,
  MyOrganizationInvitation,
  MyProjectInvitation,
  Organization,
  OrganizationInvitation,
  OrganizationUser,
  PageQuery,
  Project,
  ProjectInvitation,
  ProjectJoinRequest,
  ProjectUser,
  RequestAccessBody,
  StorageToken,
  Ticket,
  TokenVerification,
  UpdateOrganizationBody,
  UpdateProjectUserBody,
} from './types.ts';

export type ApiResult<T> =
  | { data: T; error: undefined; response: Response }
  | { data: undefined; error: ApiError; response: Response | undefined };

export interface ClientOptions {
  /** Stack root, e.g. `https://connection.keboola.com` or `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** A fixed Manage API token... */
  token?: string;
  /** ...or a function that returns the current one (read on every call). */
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
type Id = number | string;

const enc = encodeURIComponent;

function query(q: PageQuery | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  if (q.offset !== undefined) p.set('offset', String(q.offset));
  if (q.limit !== undefined) p.set('limit', String(q.limit));
  const s = p.toString();
  return s ? `?${s}` : '';
}

function httpError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) {
    const errors: FieldError[] = Array.isArray(body.errors) ? body.errors : [];
    return {
      kind: 'http',
      httpStatus: status,
      message: body.error,
      code: body.code,
      exceptionId: typeof body.exceptionId === 'string' ? body.exceptionId : '',
      errors,
    };
  }
  return { kind: 'invalidResponse', code: 'invalidResponse', httpStatus: status, message: `HTTP ${status}` };
}

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

export function createClient(options: ClientOptions) {
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
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    const t = await token();
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

  const p = (id: Id) => `/projects/${enc(String(id))}`;
  const o = (id: Id) => `/organizations/${enc(String(id))}`;

  return {
    baseUrl,
    /** Low-level escape hatch: any path under `/manage`. */
    request,

    verifyToken: (r?: RequestOptions) => request<TokenVerification>('GET', '/tokens/verify', undefined, r),

    // Projects
    getProject: (projectId: Id, r?: RequestOptions) => request<Project>('GET', p(projectId), undefined, r),
    deleteProject: (projectId: Id, r?: RequestOptions) => request<void>('DELETE', p(projectId), undefined, r),
    createProject: (organizationId: Id, body: CreateProjectBody, r?: RequestOptions) =>
      request<Project>('POST', `${o(organizationId)}/projects`, body, r),
    createStorageToken: (projectId: Id, body: CreateStorageTokenBody, r?: RequestOptions) =>
      request<StorageToken>('POST', `${p(projectId)}/tokens`, body, r),

    // Support access
    joinProject: (projectId: Id, body: JoinProjectBody, r?: RequestOptions) =>
      request<void>('POST', `${p(projectId)}/join-project`, body, r),
    requestAccess: (projectId: Id, body: RequestAccessBody, r?: RequestOptions) =>
      request<MyJoinRequest>('POST', `${p(projectId)}/request-access`, body, r),
    listJoinRequests: (projectId: Id, r?: RequestOptions) =>
      request<ProjectJoinRequest[]>('GET', `${p(projectId)}/join-requests`, undefined, r),
    getJoinRequest: (projectId: Id, requestId: Id, r?: RequestOptions) =>
      request<ProjectJoinRequest>(
        'GET',
        `${p(projectId)}/join-requests/${enc(String(requestId))}`,
        undefined,
        r,
      ),
    approveJoinRequest: (projectId: Id, requestId: Id, r?: RequestOptions) =>
      request<void>('PUT', `${p(projectId)}/join-requests/${enc(String(requestId))}`, {}, r),
    rejectJoinRequest: (projectId: Id, requestId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${p(projectId)}/join-requests/${enc(String(requestId))}`, undefined, r),
    listMyJoinRequests: (r?: RequestOptions) =>
      request<MyJoinRequest[]>('GET', '/current-user/projects-join-requests', undefined, r),
    getMyJoinRequest: (requestId: Id, r?: RequestOptions) =>
      request<MyJoinRequest>(
        'GET',
        `/current-user/projects-join-requests/${enc(String(requestId))}`,
        undefined,
        r,
      ),
    cancelMyJoinRequest: (requestId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `/current-user/projects-join-requests/${enc(String(requestId))}`, undefined, r),

    // Project users
    listProjectUsers: (projectId: Id, r?: RequestOptions) =>
      request<ProjectUser[]>('GET', `${p(projectId)}/users`, undefined, r),
    addProjectUser: (projectId: Id, body: AddProjectUserBody, r?: RequestOptions) =>
      request<void>('POST', `${p(projectId)}/users`, body, r),
    updateProjectUser: (projectId: Id, userId: Id, body: UpdateProjectUserBody, r?: RequestOptions) =>
      request<ProjectUser>('PATCH', `${p(projectId)}/users/${enc(String(userId))}`, body, r),
    removeProjectUser: (projectId: Id, userIdOrEmail: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${p(projectId)}/users/${enc(String(userIdOrEmail))}`, undefined, r),

    // Project invitations
    listProjectInvitations: (projectId: Id, r?: RequestOptions) =>
      request<ProjectInvitation[]>('GET', `${p(projectId)}/invitations`, undefined, r),
    createProjectInvitation: (projectId: Id, body: CreateProjectInvitationBody, r?: RequestOptions) =>
      request<ProjectInvitation>('POST', `${p(projectId)}/invitations`, body, r),
    getProjectInvitation: (projectId: Id, invitationId: Id, r?: RequestOptions) =>
      request<ProjectInvitation>(
        'GET',
        `${p(projectId)}/invitations/${enc(String(invitationId))}`,
        undefined,
        r,
      ),
    cancelProjectInvitation: (projectId: Id, invitationId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${p(projectId)}/invitations/${enc(String(invitationId))}`, undefined, r),
    listMyProjectInvitations: (r?: RequestOptions) =>
      request<MyProjectInvitation[]>('GET', '/current-user/projects-invitations', undefined, r),
    getMyProjectInvitation: (invitationId: Id, r?: RequestOptions) =>
      request<MyProjectInvitation>(
        'GET',
        `/current-user/projects-invitations/${enc(String(invitationId))}`,
        undefined,
        r,
      ),
    acceptProjectInvitation: (invitationId: Id, r?: RequestOptions) =>
      request<void>('PUT', `/current-user/projects-invitations/${enc(String(invitationId))}`, {}, r),
    declineProjectInvitation: (invitationId: Id, r?: RequestOptions) =>
      request<void>(
        'DELETE',
        `/current-user/projects-invitations/${enc(String(invitationId))}`,
        undefined,
        r,
      ),

    // Organizations
    getOrganization: (organizationId: Id, r?: RequestOptions) =>
      request<Organization>('GET', o(organizationId), undefined, r),
    updateOrganization: (organizationId: Id, body: UpdateOrganizationBody, r?: RequestOptions) =>
      request<Organization>('PATCH', o(organizationId), body, r),
    joinOrganization: (organizationId: Id, r?: RequestOptions) =>
      request<void>('POST', `${o(organizationId)}/join-organization`, undefined, r),
    listOrganizationUsers: (organizationId: Id, r?: RequestOptions) =>
      request<OrganizationUser[]>('GET', `${o(organizationId)}/users`, undefined, r),
    addOrganizationUser: (organizationId: Id, body: EmailBody, r?: RequestOptions) =>
      request<void>('POST', `${o(organizationId)}/users`, body, r),
    removeOrganizationUser: (organizationId: Id, userId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${o(organizationId)}/users/${enc(String(userId))}`, undefined, r),
    listOrganizationInvitations: (organizationId: Id, r?: RequestOptions) =>
      request<OrganizationInvitation[]>('GET', `${o(organizationId)}/invitations`, undefined, r),
    createOrganizationInvitation: (organizationId: Id, body: EmailBody, r?: RequestOptions) =>
      request<OrganizationInvitation>('POST', `${o(organizationId)}/invitations`, body, r),
    cancelOrganizationInvitation: (organizationId: Id, invitationId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${o(organizationId)}/invitations/${enc(String(invitationId))}`, undefined, r),
    listMyOrganizationInvitations: (r?: RequestOptions) =>
      request<MyOrganizationInvitation[]>('GET', '/current-user/organizations-invitations', undefined, r),
    acceptOrganizationInvitation: (invitationId: Id, r?: RequestOptions) =>
      request<void>('PUT', `/current-user/organizations-invitations/${enc(String(invitationId))}`, {}, r),
    declineOrganizationInvitation: (invitationId: Id, r?: RequestOptions) =>
      request<void>(
        'DELETE',
        `/current-user/organizations-invitations/${enc(String(invitationId))}`,
        undefined,
        r,
      ),

    // Our extensions
    createTicket: (body: CreateTicketBody, idempotencyKey: string, r?: RequestOptions) =>
      request<Ticket>('POST', '/support/tickets', body, {
        ...r,
        headers: { ...r?.headers, 'Idempotency-Key': idempotencyKey },
      }),
    listTickets: (r?: RequestOptions) => request<Ticket[]>('GET', '/support/tickets', undefined, r),
    getTicket: (ticketId: Id, r?: RequestOptions) =>
      request<Ticket>('GET', `/support/tickets/${enc(String(ticketId))}`, undefined, r),
    listAccessLog: (projectId: Id, page?: PageQuery, r?: RequestOptions) =>
      request<AccessLogEntry[]>('GET', `${p(projectId)}/access-log${query(page)}`, undefined, r),
    /** URL of the Server-Sent Events stream (read it with followEvents in events.ts: the token goes in the header). */
    eventsUrl: () => `${baseUrl}/manage/current-user/events`,
  };
}

export type Client = ReturnType<typeof createClient>;
