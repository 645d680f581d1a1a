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
import { body, id, json, noContent, type RouteModule, user } from './common.ts';
import { bool, object, optional, str } from './validate.ts';

const updateBody = object({
  name: optional(str({ max: 255 })),
  allowAutoJoin: optional(bool),
  mfaRequired: optional(bool),
});
const emailBody = object({ email: str({ max: 1000 }) });

export const organizationRoutes: RouteModule = (routes, ctx) => {
  const o = (c: Parameters<typeof id>[0]) => id(c, 'organizationId');
  routes.get('/manage/organizations/:organizationId', async (c) =>
    json(await getOrganization(ctx, user(c), o(c))),
  );
  routes.patch('/manage/organizations/:organizationId', async (c) => {
    const orgId = o(c);
    return json(await updateOrganization(ctx, user(c), orgId, await body(c, updateBody)));
  });
  // Counted with join-project and request-access: each join of an outsider writes to the access log
  // of every project of the organization, so join / leave cycles must not run unbounded.
  routes.post(
    '/manage/organizations/:organizationId/join-organization',
    async (c) => {
      const orgId = o(c);
      await body(c, object({}));
      await joinOrganization(ctx, user(c), orgId);
      return noContent();
    },
    { rateLimit: 'entry' },
  );
  routes.get('/manage/organizations/:organizationId/users', async (c) =>
    json(await listOrganizationUsers(ctx, user(c), o(c))),
  );
  routes.post('/manage/organizations/:organizationId/users', async (c) => {
    const orgId = o(c);
    await addOrganizationUser(ctx, user(c), orgId, await body(c, emailBody));
    return noContent();
  });
  routes.delete('/manage/organizations/:organizationId/users/:userId', async (c) => {
    await removeOrganizationUser(ctx, user(c), o(c), id(c, 'userId'));
    return noContent();
  });
  routes.get('/manage/organizations/:organizationId/invitations', async (c) =>
    json(await listOrganizationInvitations(ctx, user(c), o(c))),
  );
  routes.post('/manage/organizations/:organizationId/invitations', async (c) => {
    const orgId = o(c);
    return json(await createOrganizationInvitation(ctx, user(c), orgId, await body(c, emailBody)), 201);
  });
  routes.delete('/manage/organizations/:organizationId/invitations/:invitationId', async (c) => {
    await cancelOrganizationInvitation(ctx, user(c), o(c), id(c, 'invitationId'));
    return noContent();
  });
  routes.get('/manage/current-user/organizations-invitations', async (c) =>
    json(await listMyOrganizationInvitations(ctx, user(c))),
  );
  routes.put('/manage/current-user/organizations-invitations/:invitationId', async (c) => {
    const invitationId = id(c, 'invitationId');
    await body(c, object({}));
    await acceptOrganizationInvitation(ctx, user(c), invitationId);
    return noContent(202);
  });
  routes.delete('/manage/current-user/organizations-invitations/:invitationId', async (c) => {
    await declineOrganizationInvitation(ctx, user(c), id(c, 'invitationId'));
    return noContent();
  });
};
