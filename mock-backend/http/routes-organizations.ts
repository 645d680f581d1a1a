import { z } from 'zod';
import {
  EmailBody,
  Empty,
  MyOrganizationInvitation,
  Organization,
  OrganizationInvitation,
  OrganizationUser,
  UpdateOrganizationBody,
} from '../../api/schemas.ts';
import {
  acceptOrganizationInvitation,
  addOrganizationUser,
  cancelOrganizationInvitation,
  createOrganizationInvitation,
  declineOrganizationInvitation,
  getOrganization,
  joinOrganization,
  listMyOrganizationInvitations,
  listOrganizationInvitations,
  listOrganizationUsers,
  removeOrganizationUser,
  updateOrganization,
} from '../domain/organizations.ts';
import { type RouteDecl, route, WHO } from './declare.ts';

const ORG_READERS =
  'Organization users, support and maintainer users, and members of its projects (its name and settings).';
const PEOPLE_READERS =
  'Organization users; support and maintainer users only while they are members of it (they joined it).';

export const organizationRoutes: RouteDecl[] = [
  route({
    method: 'GET',
    path: '/manage/organizations/:organizationId',
    summary: 'Read an organization',
    who: ORG_READERS,
    tag: 'Keboola',
    ok: 200,
    response: Organization,
    handler: ({ ctx, user, params }) => getOrganization(ctx, user, params.organizationId),
  }),
  route({
    method: 'PATCH',
    path: '/manage/organizations/:organizationId',
    summary: 'Change name, Auto Join or MFA requirement (organization members)',
    who: WHO.orgMember,
    tag: 'Keboola',
    body: UpdateOrganizationBody,
    ok: 200,
    response: Organization,
    handler: ({ ctx, user, params, body }) => updateOrganization(ctx, user, params.organizationId, body),
  }),
  // Counted with join-project and request-access: each join of an outsider writes to the access log
  // of every project of the organization, so join / leave cycles must not run unbounded.
  route({
    method: 'POST',
    path: '/manage/organizations/:organizationId/join-organization',
    summary: 'Join the organization (support/maintainer users, Auto Join on)',
    who: 'Support and maintainer users with MFA, while Auto Join is on.',
    tag: 'Keboola',
    body: Empty,
    ok: 204,
    rateLimit: 'entry',
    handler: async ({ ctx, user, params }) => {
      await joinOrganization(ctx, user, params.organizationId);
    },
  }),
  route({
    method: 'GET',
    path: '/manage/organizations/:organizationId/users',
    summary: 'Organization members',
    who: PEOPLE_READERS,
    tag: 'Keboola',
    ok: 200,
    response: z.array(OrganizationUser),
    handler: ({ ctx, user, params }) => listOrganizationUsers(ctx, user, params.organizationId),
  }),
  route({
    method: 'POST',
    path: '/manage/organizations/:organizationId/users',
    summary: 'Add an organization member',
    who: WHO.orgMember,
    tag: 'Keboola',
    body: EmailBody,
    ok: 204,
    errors: [422],
    handler: async ({ ctx, user, params, body }) => {
      await addOrganizationUser(ctx, user, params.organizationId, body);
    },
  }),
  route({
    method: 'DELETE',
    path: '/manage/organizations/:organizationId/users/:userId',
    summary: 'Remove an organization member',
    who: `${WHO.orgMember} Any member may remove themselves (leave).`,
    tag: 'Keboola',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await removeOrganizationUser(ctx, user, params.organizationId, params.userId);
    },
  }),
  route({
    method: 'GET',
    path: '/manage/organizations/:organizationId/invitations',
    summary: 'Pending organization invitations',
    who: PEOPLE_READERS,
    tag: 'Keboola',
    ok: 200,
    response: z.array(OrganizationInvitation),
    handler: ({ ctx, user, params }) => listOrganizationInvitations(ctx, user, params.organizationId),
  }),
  route({
    method: 'POST',
    path: '/manage/organizations/:organizationId/invitations',
    summary: 'Invite to the organization (its members)',
    who: WHO.orgMember,
    tag: 'Keboola',
    body: EmailBody,
    ok: 201,
    response: OrganizationInvitation,
    errors: [422],
    handler: ({ ctx, user, params, body }) =>
      createOrganizationInvitation(ctx, user, params.organizationId, body),
  }),
  route({
    method: 'DELETE',
    path: '/manage/organizations/:organizationId/invitations/:invitationId',
    summary: 'Cancel an organization invitation',
    who: WHO.orgMember,
    tag: 'Keboola',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await cancelOrganizationInvitation(ctx, user, params.organizationId, params.invitationId);
    },
  }),
  route({
    method: 'GET',
    path: '/manage/current-user/organizations-invitations',
    summary: 'My organization invitations',
    who: WHO.self,
    tag: 'Keboola',
    ok: 200,
    response: z.array(MyOrganizationInvitation),
    handler: ({ ctx, user }) => listMyOrganizationInvitations(ctx, user),
  }),
  route({
    method: 'PUT',
    path: '/manage/current-user/organizations-invitations/:invitationId',
    summary: 'Accept an organization invitation',
    who: WHO.self,
    tag: 'Keboola',
    body: Empty,
    ok: 202,
    handler: async ({ ctx, user, params }) => {
      await acceptOrganizationInvitation(ctx, user, params.invitationId);
    },
  }),
  route({
    method: 'DELETE',
    path: '/manage/current-user/organizations-invitations/:invitationId',
    summary: 'Decline an organization invitation',
    who: WHO.self,
    tag: 'Keboola',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await declineOrganizationInvitation(ctx, user, params.invitationId);
    },
  }),
];
