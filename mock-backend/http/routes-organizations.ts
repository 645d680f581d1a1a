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
import { body, id, noContent, type RouteModule, user } from './common.ts';
import { bool, object, optional, str } from './validate.ts';

const updateBody = object({
  name: optional(str({ max: 255 })),
  allowAutoJoin: optional(bool),
  mfaRequired: optional(bool),
});
const emailBody = object({ email: str({ max: 1000 }) });

export const organizationRoutes: RouteModule = (app, ctx) => {
  const o = (c: Parameters<typeof id>[0]) => id(c, 'organizationId');
  app.get('/manage/organizations/:organizationId', (c) => c.json(getOrganization(ctx, user(c), o(c))));
  app.patch('/manage/organizations/:organizationId', async (c) => {
    const orgId = o(c);
    return c.json(updateOrganization(ctx, user(c), orgId, await body(c, updateBody)));
  });
  app.post('/manage/organizations/:organizationId/join-organization', async (c) => {
    const orgId = o(c);
    await body(c, object({}));
    joinOrganization(ctx, user(c), orgId);
    return noContent(c);
  });
  app.get('/manage/organizations/:organizationId/users', (c) =>
    c.json(listOrganizationUsers(ctx, user(c), o(c))),
  );
  app.post('/manage/organizations/:organizationId/users', async (c) => {
    const orgId = o(c);
    addOrganizationUser(ctx, user(c), orgId, await body(c, emailBody));
    return noContent(c);
  });
  app.delete('/manage/organizations/:organizationId/users/:userId', (c) => {
    removeOrganizationUser(ctx, user(c), o(c), id(c, 'userId'));
    return noContent(c);
  });
  app.get('/manage/organizations/:organizationId/invitations', (c) =>
    c.json(listOrganizationInvitations(ctx, user(c), o(c))),
  );
  app.post('/manage/organizations/:organizationId/invitations', async (c) => {
    const orgId = o(c);
    return c.json(createOrganizationInvitation(ctx, user(c), orgId, await body(c, emailBody)), 201);
  });
  app.delete('/manage/organizations/:organizationId/invitations/:invitationId', (c) => {
    cancelOrganizationInvitation(ctx, user(c), o(c), id(c, 'invitationId'));
    return noContent(c);
  });
  app.get('/manage/current-user/organizations-invitations', (c) =>
    c.json(listMyOrganizationInvitations(ctx, user(c))),
  );
  app.put('/manage/current-user/organizations-invitations/:invitationId', async (c) => {
    const invitationId = id(c, 'invitationId');
    await body(c, object({}));
    acceptOrganizationInvitation(ctx, user(c), invitationId);
    return noContent(c, 202);
  });
  app.delete('/manage/current-user/organizations-invitations/:invitationId', (c) => {
    declineOrganizationInvitation(ctx, user(c), id(c, 'invitationId'));
    return noContent(c);
  });
};
