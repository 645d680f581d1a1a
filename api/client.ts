// The typed Manage API client. One method per endpoint; every call resolves to
// `{ data, error, response }` and never throws on an HTTP error, a network failure or a timeout.
import {
  capabilitiesNow,
  type Extension,
  extensionOf,
  isMissingRoute,
  learn,
  probeCapabilities,
} from './capabilities.ts';
import type { ApiError } from './errors.ts';
import {
  type ReadOptions,
  readErrorBody,
  readJoinRequest,
  readList,
  readMyJoinRequest,
  readMyProjectInvitation,
  readOrganization,
  readOrganizationUser,
  readProject,
  readProjectInvitation,
  readProjectUser,
  readTokenVerification,
} from './keboola.ts';
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
  const read = readErrorBody(body);
  if (read) return { kind: 'http', httpStatus: status, ...read };
  return { kind: 'invalidResponse', code: 'invalidResponse', httpStatus: status, message: `HTTP ${status}` };
}

/** A success whose body does not read as the object asked for is an invalid response, never a crash. */
function reading<T>(read: (v: unknown) => T | undefined) {
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

const EXTENSION_NAMES: Record<Extension, string> = {
  tickets: 'support tickets',
  events: 'live events',
  accessLog: 'an access log',
};

function unsupported(extension: Extension): ApiError {
  return {
    kind: 'unsupported',
    code: 'unsupported',
    extension,
    httpStatus: 404,
    message: `This stack has no ${EXTENSION_NAMES[extension]} (an extension of the Manage API that Keboola's stacks do not serve).`,
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
      'X-KBC-ManageApiToken': t,
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

  const read: ReadOptions = { supportEmailDomains: options.supportEmailDomains };
  const asToken = reading<TokenVerification>(readTokenVerification);
  const asProject = reading<Project>(readProject);
  const asProjectUser = reading<ProjectUser>((v) => readProjectUser(v, read));
  const asProjectUsers = reading<ProjectUser[]>((v) => readList(v, (x) => readProjectUser(x, read)));
  const asJoinRequest = reading<ProjectJoinRequest>(readJoinRequest);
  const asJoinRequests = reading<ProjectJoinRequest[]>((v) => readList(v, readJoinRequest));
  const asMyJoinRequest = reading<MyJoinRequest>(readMyJoinRequest);
  const asMyJoinRequests = reading<MyJoinRequest[]>((v) => readList(v, readMyJoinRequest));
  const asInvitation = reading<ProjectInvitation>(readProjectInvitation);
  const asInvitations = reading<ProjectInvitation[]>((v) => readList(v, readProjectInvitation));
  const asMyInvitation = reading<MyProjectInvitation>(readMyProjectInvitation);
  const asMyInvitations = reading<MyProjectInvitation[]>((v) => readList(v, readMyProjectInvitation));
  const asOrganization = reading<Organization>(readOrganization);
  const asOrganizationUsers = reading<OrganizationUser[]>((v) => readList(v, readOrganizationUser));

  const p = (id: Id) => `/projects/${enc(String(id))}`;
  const o = (id: Id) => `/organizations/${enc(String(id))}`;

  return {
    baseUrl,
    /** Low-level escape hatch: any path under `/manage`. */
    request,
    /**
     * Which of our extensions this stack has, learned once per stack (our `/openapi.json`, else the
     * endpoints' own 404s). Values stay `undefined` while unknown.
     */
    capabilities: () => probeCapabilities(baseUrl, options.fetch ?? globalThis.fetch.bind(globalThis)),
    /** What is known now, without asking: true, false, or undefined (not known yet). */
    supports: (extension: Extension) => capabilitiesNow(baseUrl)[extension],

    verifyToken: (r?: RequestOptions) => request('GET', '/tokens/verify', undefined, r).then(asToken),

    // Projects
    getProject: (projectId: Id, r?: RequestOptions) =>
      request('GET', p(projectId), undefined, r).then(asProject),
    deleteProject: (projectId: Id, r?: RequestOptions) => request<void>('DELETE', p(projectId), undefined, r),
    createProject: (organizationId: Id, body: CreateProjectBody, r?: RequestOptions) =>
      request('POST', `${o(organizationId)}/projects`, body, r).then(asProject),
    createStorageToken: (projectId: Id, body: CreateStorageTokenBody, r?: RequestOptions) =>
      request<StorageToken>('POST', `${p(projectId)}/tokens`, body, r),

    // Support access
    joinProject: (projectId: Id, body: JoinProjectBody, r?: RequestOptions) =>
      request<void>('POST', `${p(projectId)}/join-project`, body, r),
    requestAccess: (projectId: Id, body: RequestAccessBody, r?: RequestOptions) =>
      request('POST', `${p(projectId)}/request-access`, body, r).then(asMyJoinRequest),
    listJoinRequests: (projectId: Id, r?: RequestOptions) =>
      request('GET', `${p(projectId)}/join-requests`, undefined, r).then(asJoinRequests),
    getJoinRequest: (projectId: Id, requestId: Id, r?: RequestOptions) =>
      request('GET', `${p(projectId)}/join-requests/${enc(String(requestId))}`, undefined, r).then(
        asJoinRequest,
      ),
    approveJoinRequest: (projectId: Id, requestId: Id, r?: RequestOptions) =>
      request<void>('PUT', `${p(projectId)}/join-requests/${enc(String(requestId))}`, {}, r),
    rejectJoinRequest: (projectId: Id, requestId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${p(projectId)}/join-requests/${enc(String(requestId))}`, undefined, r),
    listMyJoinRequests: (r?: RequestOptions) =>
      request('GET', '/current-user/projects-join-requests', undefined, r).then(asMyJoinRequests),
    getMyJoinRequest: (requestId: Id, r?: RequestOptions) =>
      request('GET', `/current-user/projects-join-requests/${enc(String(requestId))}`, undefined, r).then(
        asMyJoinRequest,
      ),
    cancelMyJoinRequest: (requestId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `/current-user/projects-join-requests/${enc(String(requestId))}`, undefined, r),

    // Project users
    listProjectUsers: (projectId: Id, r?: RequestOptions) =>
      request('GET', `${p(projectId)}/users`, undefined, r).then(asProjectUsers),
    addProjectUser: (projectId: Id, body: AddProjectUserBody, r?: RequestOptions) =>
      request<void>('POST', `${p(projectId)}/users`, body, r),
    updateProjectUser: (projectId: Id, userId: Id, body: UpdateProjectUserBody, r?: RequestOptions) =>
      request('PATCH', `${p(projectId)}/users/${enc(String(userId))}`, body, r).then(asProjectUser),
    removeProjectUser: (projectId: Id, userIdOrEmail: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${p(projectId)}/users/${enc(String(userIdOrEmail))}`, undefined, r),

    // Project invitations
    listProjectInvitations: (projectId: Id, r?: RequestOptions) =>
      request('GET', `${p(projectId)}/invitations`, undefined, r).then(asInvitations),
    createProjectInvitation: (projectId: Id, body: CreateProjectInvitationBody, r?: RequestOptions) =>
      request('POST', `${p(projectId)}/invitations`, body, r).then(asInvitation),
    getProjectInvitation: (projectId: Id, invitationId: Id, r?: RequestOptions) =>
      request('GET', `${p(projectId)}/invitations/${enc(String(invitationId))}`, undefined, r).then(
        asInvitation,
      ),
    cancelProjectInvitation: (projectId: Id, invitationId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${p(projectId)}/invitations/${enc(String(invitationId))}`, undefined, r),
    listMyProjectInvitations: (r?: RequestOptions) =>
      request('GET', '/current-user/projects-invitations', undefined, r).then(asMyInvitations),
    getMyProjectInvitation: (invitationId: Id, r?: RequestOptions) =>
      request('GET', `/current-user/projects-invitations/${enc(String(invitationId))}`, undefined, r).then(
        asMyInvitation,
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
      request('GET', o(organizationId), undefined, r).then(asOrganization),
    updateOrganization: (organizationId: Id, body: UpdateOrganizationBody, r?: RequestOptions) =>
      request('PATCH', o(organizationId), body, r).then(asOrganization),
    joinOrganization: (organizationId: Id, r?: RequestOptions) =>
      request<void>('POST', `${o(organizationId)}/join-organization`, undefined, r),
    listOrganizationUsers: (organizationId: Id, r?: RequestOptions) =>
      request('GET', `${o(organizationId)}/users`, undefined, r).then(asOrganizationUsers),
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
    /** URL of the Server-Sent Events stream; the token goes in the header where the transport allows it. */
    eventsUrl: () => `${baseUrl}/manage/current-user/events`,
  };
}

export type Client = ReturnType<typeof createClient>;
