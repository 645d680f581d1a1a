import { z } from 'zod';
import {
  Count,
  Empty,
  EntryBody,
  MyJoinRequest,
  ProjectJoinRequest,
  RequestAccessBody,
} from '../../api/schemas.ts';
import {
  approveJoinRequest,
  cancelMyJoinRequest,
  countPendingJoinRequests,
  getJoinRequest,
  getMyJoinRequest,
  joinProject,
  listJoinRequests,
  listMyJoinRequests,
  rejectJoinRequest,
  requestAccess,
} from '../domain/join.ts';
import { type RouteDecl, route, WHO } from './declare.ts';

export const joinRoutes: RouteDecl[] = [
  // Joining and requesting access share one per-user limit (each request e-mails people).
  route({
    method: 'POST',
    path: '/manage/projects/:projectId/join-project',
    summary: 'Join a project directly (Auto Join on; organization users always)',
    who: 'Organization users always; support and maintainer users while Auto Join is on (with MFA, a reason, and an expiry of at most 7 days).',
    tag: 'Keboola',
    body: EntryBody,
    ok: 204,
    rateLimit: 'entry',
    handler: async ({ ctx, user, params, body }) => {
      await joinProject(ctx, user, params.projectId, body);
    },
  }),
  route({
    method: 'POST',
    path: '/manage/projects/:projectId/request-access',
    summary: 'Ask for access (support and maintainer users, Auto Join off)',
    who: 'Support and maintainer users with MFA, while Auto Join is off, with a reason.',
    tag: 'Keboola',
    body: RequestAccessBody,
    ok: 201,
    response: MyJoinRequest,
    rateLimit: 'entry',
    handler: ({ ctx, user, params, body }) => requestAccess(ctx, user, params.projectId, body),
  }),
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/join-requests',
    summary: 'Pending join requests of a project',
    who: WHO.reader,
    tag: 'Keboola',
    ok: 200,
    response: z.array(ProjectJoinRequest),
    handler: ({ ctx, user, params }) => listJoinRequests(ctx, user, params.projectId),
  }),
  // Ours (before the :requestId route, which would take "count" for an id).
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/join-requests/count',
    summary:
      "How many join requests wait (Support Kit's extension, for the launcher's dot: one small answer instead of the whole list). Only members who may decide (admin/share) may ask; anyone else 403. The launcher asks only when the host says the user's role is admin or share.",
    who: WHO.decider,
    tag: 'Support Kit',
    ok: 200,
    response: Count,
    handler: ({ ctx, user, params }) => countPendingJoinRequests(ctx, user, params.projectId),
  }),
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/join-requests/:requestId',
    summary: 'One pending join request',
    who: `${WHO.reader} The requester too.`,
    tag: 'Keboola',
    ok: 200,
    response: ProjectJoinRequest,
    handler: ({ ctx, user, params }) => getJoinRequest(ctx, user, params.projectId, params.requestId),
  }),
  route({
    method: 'PUT',
    path: '/manage/projects/:projectId/join-requests/:requestId',
    summary: 'Approve a join request (admin/share members)',
    who: WHO.decider,
    tag: 'Keboola',
    body: Empty,
    ok: 202,
    errors: [409],
    handler: async ({ ctx, user, params }) => {
      await approveJoinRequest(ctx, user, params.projectId, params.requestId);
    },
  }),
  route({
    method: 'DELETE',
    path: '/manage/projects/:projectId/join-requests/:requestId',
    summary: 'Reject a join request (admin/share members)',
    who: WHO.decider,
    tag: 'Keboola',
    ok: 204,
    errors: [409],
    handler: async ({ ctx, user, params }) => {
      await rejectJoinRequest(ctx, user, params.projectId, params.requestId);
    },
  }),
  route({
    method: 'GET',
    path: '/manage/current-user/projects-join-requests',
    summary: 'My pending join requests',
    who: WHO.self,
    tag: 'Keboola',
    ok: 200,
    response: z.array(MyJoinRequest),
    handler: ({ ctx, user }) => listMyJoinRequests(ctx, user),
  }),
  route({
    method: 'GET',
    path: '/manage/current-user/projects-join-requests/:requestId',
    summary: 'One of my pending join requests',
    who: WHO.self,
    tag: 'Keboola',
    ok: 200,
    response: MyJoinRequest,
    handler: ({ ctx, user, params }) => getMyJoinRequest(ctx, user, params.requestId),
  }),
  route({
    method: 'DELETE',
    path: '/manage/current-user/projects-join-requests/:requestId',
    summary: 'Cancel my join request',
    who: WHO.self,
    tag: 'Keboola',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await cancelMyJoinRequest(ctx, user, params.requestId);
    },
  }),
];
