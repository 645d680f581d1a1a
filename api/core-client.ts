// The typed Manage API client without our ticket threads and grants (api/client.ts adds them). One
// method per endpoint; every call resolves to `{ data, error, response }` and never throws on an HTTP
// error, a network failure or a timeout. Answers are read through api/keboola.ts, so Keboola's shapes
// and ours come out the same. Its own module so that the widget's users and organization parts, which
// import createPanelClient from it, do not carry api/conversations.ts (the bundler keeps whatever a
// module imports, and the widget's manual chunks follow imports).

import {
  type ReadOptions,
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
import { probeCapabilities } from './probe.ts';
import {
  type ClientOptions,
  enc,
  type Id,
  type RequestOptions,
  reading,
  type SupportClient,
  supportClient,
} from './transport.ts';
import type {
  AccessLogEntry,
  AccessLogQuery,
  AddProjectUserBody,
  CreateProjectBody,
  CreateProjectInvitationBody,
  CreateStorageTokenBody,
  EmailBody,
  JoinProjectBody,
  MyJoinRequest,
  MyOrganizationInvitation,
  MyProjectInvitation,
  Organization,
  OrganizationInvitation,
  OrganizationUser,
  OutsiderStorageToken,
  PageQuery,
  Project,
  ProjectInvitation,
  ProjectJoinRequest,
  ProjectUser,
  RequestAccessBody,
  StorageToken,
  TokenVerification,
  UpdateOrganizationBody,
  UpdateProjectUserBody,
} from './types.ts';

function query(q: AccessLogQuery | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  if (q.offset !== undefined) p.set('offset', String(q.offset));
  if (q.limit !== undefined) p.set('limit', String(q.limit));
  if (q.action !== undefined) p.set('action', q.action);
  const s = p.toString();
  return s ? `?${s}` : '';
}

const p = (id: Id) => `/projects/${enc(String(id))}`;
const o = (id: Id) => `/organizations/${enc(String(id))}`;

/**
 * What the widget's users and organization parts call, and no more: every method is code they would
 * load (the bundler cannot drop one property of an object), so the rest stays in createCoreClient.
 */
function panelMethods(t: SupportClient, options: ClientOptions) {
  const { request } = t;
  const read: ReadOptions = { supportEmailDomains: options.supportEmailDomains };
  const asToken = reading<TokenVerification>(readTokenVerification);
  const asProject = reading<Project>(readProject);
  const asProjectUsers = reading<ProjectUser[]>((v) => readList(v, (x) => readProjectUser(x, read)));
  const asJoinRequest = reading<ProjectJoinRequest>(readJoinRequest);
  const asJoinRequests = reading<ProjectJoinRequest[]>((v) => readList(v, readJoinRequest));
  const asInvitation = reading<ProjectInvitation>(readProjectInvitation);
  const asInvitations = reading<ProjectInvitation[]>((v) => readList(v, readProjectInvitation));
  const asOrganization = reading<Organization>(readOrganization);
  const asOrganizationUsers = reading<OrganizationUser[]>((v) => readList(v, readOrganizationUser));
  return {
    verifyToken: (r?: RequestOptions) => request('GET', '/tokens/verify', undefined, r).then(asToken),
    // Projects
    getProject: (projectId: Id, r?: RequestOptions) =>
      request('GET', p(projectId), undefined, r).then(asProject),
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
    // Project users
    listProjectUsers: (projectId: Id, r?: RequestOptions) =>
      request('GET', `${p(projectId)}/users`, undefined, r).then(asProjectUsers),
    removeProjectUser: (projectId: Id, userIdOrEmail: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${p(projectId)}/users/${enc(String(userIdOrEmail))}`, undefined, r),

    // Project invitations
    listProjectInvitations: (projectId: Id, r?: RequestOptions) =>
      request('GET', `${p(projectId)}/invitations`, undefined, r).then(asInvitations),
    createProjectInvitation: (projectId: Id, body: CreateProjectInvitationBody, r?: RequestOptions) =>
      request('POST', `${p(projectId)}/invitations`, body, r).then(asInvitation),
    // Organizations
    getOrganization: (organizationId: Id, r?: RequestOptions) =>
      request('GET', o(organizationId), undefined, r).then(asOrganization),
    updateOrganization: (organizationId: Id, body: UpdateOrganizationBody, r?: RequestOptions) =>
      request('PATCH', o(organizationId), body, r).then(asOrganization),
    listOrganizationUsers: (organizationId: Id, r?: RequestOptions) =>
      request('GET', `${o(organizationId)}/users`, undefined, r).then(asOrganizationUsers),
    // Our extensions
    listAccessLog: (projectId: Id, page?: AccessLogQuery, r?: RequestOptions) =>
      request<AccessLogEntry[]>('GET', `${p(projectId)}/access-log${query(page)}`, undefined, r),
  };
}

/** The widget's users and organization parts' client: the transport and panelMethods. */
export function createPanelClient(options: ClientOptions) {
  const t = supportClient(options);
  return { ...t, ...panelMethods(t, options) };
}

export type PanelClient = ReturnType<typeof createPanelClient>;

/** Every Manage API method but our ticket threads and grants (api/client.ts adds those). */
export function createCoreClient(options: ClientOptions) {
  const t = supportClient(options);
  const { baseUrl, request } = t;
  const read: ReadOptions = { supportEmailDomains: options.supportEmailDomains };
  const asProject = reading<Project>(readProject);
  const asProjectUser = reading<ProjectUser>((v) => readProjectUser(v, read));
  const asMyJoinRequest = reading<MyJoinRequest>(readMyJoinRequest);
  const asMyJoinRequests = reading<MyJoinRequest[]>((v) => readList(v, readMyJoinRequest));
  const asInvitation = reading<ProjectInvitation>(readProjectInvitation);
  const asMyInvitation = reading<MyProjectInvitation>(readMyProjectInvitation);
  const asMyInvitations = reading<MyProjectInvitation[]>((v) => readList(v, readMyProjectInvitation));

  return {
    ...t,
    ...panelMethods(t, options),
    /**
     * Which of our extensions this stack has, learned once per stack (our `/openapi.json`, else the
     * endpoints' own 404s). Values stay `undefined` while unknown.
     */
    capabilities: () => probeCapabilities(baseUrl, options.fetch ?? globalThis.fetch.bind(globalThis)),

    deleteProject: (projectId: Id, r?: RequestOptions) => request<void>('DELETE', p(projectId), undefined, r),
    createProject: (organizationId: Id, body: CreateProjectBody, r?: RequestOptions) =>
      request('POST', `${o(organizationId)}/projects`, body, r).then(asProject),
    createStorageToken: (projectId: Id, body: CreateStorageTokenBody, r?: RequestOptions) =>
      request<StorageToken>('POST', `${p(projectId)}/tokens`, body, r),
    /** Ours: the live Storage tokens the project's support and maintainer members made (its deciders only). */
    listOutsiderStorageTokens: (projectId: Id, page?: PageQuery, r?: RequestOptions) =>
      request<OutsiderStorageToken[]>('GET', `${p(projectId)}/tokens${query(page)}`, undefined, r),
    /** Ours: a decider revokes one of them. */
    revokeStorageToken: (projectId: Id, tokenId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `${p(projectId)}/tokens/${enc(String(tokenId))}`, undefined, r),

    // Support access
    joinProject: (projectId: Id, body: JoinProjectBody, r?: RequestOptions) =>
      request<void>('POST', `${p(projectId)}/join-project`, body, r),
    requestAccess: (projectId: Id, body: RequestAccessBody, r?: RequestOptions) =>
      request('POST', `${p(projectId)}/request-access`, body, r).then(asMyJoinRequest),
    /** Ours: the number of pending requests, for deciders only (403 otherwise). */
    countPendingJoinRequests: (projectId: Id, r?: RequestOptions) =>
      request<{ count: number }>('GET', `${p(projectId)}/join-requests/count`, undefined, r),
    listMyJoinRequests: (r?: RequestOptions) =>
      request('GET', '/current-user/projects-join-requests', undefined, r).then(asMyJoinRequests),
    getMyJoinRequest: (requestId: Id, r?: RequestOptions) =>
      request('GET', `/current-user/projects-join-requests/${enc(String(requestId))}`, undefined, r).then(
        asMyJoinRequest,
      ),
    cancelMyJoinRequest: (requestId: Id, r?: RequestOptions) =>
      request<void>('DELETE', `/current-user/projects-join-requests/${enc(String(requestId))}`, undefined, r),

    /** Ours: one active member (404 when none), e.g. the caller's own membership. */
    getProjectUser: (projectId: Id, userId: Id, r?: RequestOptions) =>
      request('GET', `${p(projectId)}/users/${enc(String(userId))}`, undefined, r).then(asProjectUser),
    addProjectUser: (projectId: Id, body: AddProjectUserBody, r?: RequestOptions) =>
      request<void>('POST', `${p(projectId)}/users`, body, r),
    updateProjectUser: (projectId: Id, userId: Id, body: UpdateProjectUserBody, r?: RequestOptions) =>
      request('PATCH', `${p(projectId)}/users/${enc(String(userId))}`, body, r).then(asProjectUser),
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

    joinOrganization: (organizationId: Id, r?: RequestOptions) =>
      request<void>('POST', `${o(organizationId)}/join-organization`, undefined, r),
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

    /** URL of the Server-Sent Events stream (read it with followEvents in events.ts: the token goes in the header). */
    eventsUrl: () => `${baseUrl}/manage/current-user/events`,
  };
}
