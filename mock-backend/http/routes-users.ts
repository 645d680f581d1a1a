import { z } from 'zod';
import {
  Empty,
  MyProjectInvitation,
  NewMemberBody,
  ProjectInvitation,
  ProjectUser,
  RoleBody,
} from '../../api/schemas.ts';
import {
  acceptProjectInvitation,
  cancelProjectInvitation,
  createProjectInvitation,
  declineProjectInvitation,
  getMyProjectInvitation,
  getProjectInvitation,
  listMyProjectInvitations,
  listProjectInvitations,
} from '../domain/project-invitations.ts';
import {
  addProjectUser,
  getProjectUser,
  listProjectUsers,
  removeProjectUser,
  updateProjectUser,
} from '../domain/project-users.ts';
import { type RouteDecl, route, WHO } from './declare.ts';

export const userRoutes: RouteDecl[] = [
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/users',
    summary: 'Active members of a project',
    who: WHO.reader,
    tag: 'Keboola',
    ok: 200,
    response: z.array(ProjectUser),
    handler: ({ ctx, user, params }) => listProjectUsers(ctx, user, params.projectId),
  }),
  // Ours: Keboola has PATCH and DELETE on this path, no GET.
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/users/:userId',
    summary:
      "One active member (Support Kit's extension; Keboola has only PATCH and DELETE on this path): the extension reads its own membership without the whole list. The same readers as the list, and anyone who may see the project asking for their own row (a support or maintainer user checking whether they are in yet); 404 when the user is no active member.",
    who: `${WHO.reader} Anyone who may see the project, about themselves.`,
    tag: 'Support Kit',
    ok: 200,
    response: ProjectUser,
    handler: ({ ctx, user, params }) => getProjectUser(ctx, user, params.projectId, params.userId),
  }),
  route({
    method: 'POST',
    path: '/manage/projects/:projectId/users',
    summary: 'Add a user',
    who: WHO.manager,
    tag: 'Keboola',
    body: NewMemberBody,
    ok: 204,
    errors: [422],
    handler: async ({ ctx, user, params, body }) => {
      await addProjectUser(ctx, user, params.projectId, body);
    },
  }),
  route({
    method: 'PATCH',
    path: '/manage/projects/:projectId/users/:userId',
    summary: "Change a member's role",
    who: `${WHO.manager} Only organization users may grant "share".`,
    tag: 'Keboola',
    body: RoleBody,
    ok: 200,
    response: ProjectUser,
    handler: ({ ctx, user, params, body }) =>
      updateProjectUser(ctx, user, params.projectId, params.userId, body),
  }),
  route({
    method: 'DELETE',
    path: '/manage/projects/:projectId/users/:userIdOrEmail',
    summary: 'Remove a member, or leave',
    who: `${WHO.manager} Any member may remove themselves (leave).`,
    tag: 'Keboola',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await removeProjectUser(ctx, user, params.projectId, params.userIdOrEmail);
    },
  }),
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/invitations',
    summary: 'Pending invitations of a project',
    who: WHO.reader,
    tag: 'Keboola',
    ok: 200,
    response: z.array(ProjectInvitation),
    handler: ({ ctx, user, params }) => listProjectInvitations(ctx, user, params.projectId),
  }),
  route({
    method: 'POST',
    path: '/manage/projects/:projectId/invitations',
    summary: 'Invite a user',
    who: WHO.manager,
    tag: 'Keboola',
    body: NewMemberBody,
    ok: 201,
    response: ProjectInvitation,
    errors: [422],
    handler: ({ ctx, user, params, body }) => createProjectInvitation(ctx, user, params.projectId, body),
  }),
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/invitations/:invitationId',
    summary: 'One invitation',
    who: WHO.reader,
    tag: 'Keboola',
    ok: 200,
    response: ProjectInvitation,
    handler: ({ ctx, user, params }) =>
      getProjectInvitation(ctx, user, params.projectId, params.invitationId),
  }),
  route({
    method: 'DELETE',
    path: '/manage/projects/:projectId/invitations/:invitationId',
    summary: 'Cancel an invitation',
    who: WHO.manager,
    tag: 'Keboola',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await cancelProjectInvitation(ctx, user, params.projectId, params.invitationId);
    },
  }),
  route({
    method: 'GET',
    path: '/manage/current-user/projects-invitations',
    summary: 'My project invitations',
    who: WHO.self,
    tag: 'Keboola',
    ok: 200,
    response: z.array(MyProjectInvitation),
    handler: ({ ctx, user }) => listMyProjectInvitations(ctx, user),
  }),
  route({
    method: 'GET',
    path: '/manage/current-user/projects-invitations/:invitationId',
    summary: 'One of my project invitations',
    who: WHO.self,
    tag: 'Keboola',
    ok: 200,
    response: MyProjectInvitation,
    handler: ({ ctx, user, params }) => getMyProjectInvitation(ctx, user, params.invitationId),
  }),
  route({
    method: 'PUT',
    path: '/manage/current-user/projects-invitations/:invitationId',
    summary: 'Accept a project invitation',
    who: WHO.self,
    tag: 'Keboola',
    body: Empty,
    ok: 202,
    handler: async ({ ctx, user, params }) => {
      await acceptProjectInvitation(ctx, user, params.invitationId);
    },
  }),
  route({
    method: 'DELETE',
    path: '/manage/current-user/projects-invitations/:invitationId',
    summary: 'Decline a project invitation',
    who: WHO.self,
    tag: 'Keboola',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await declineProjectInvitation(ctx, user, params.invitationId);
    },
  }),
];
