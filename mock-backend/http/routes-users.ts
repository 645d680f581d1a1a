import { validation } from '../domain/errors.ts';
import { textProblem } from '../domain/inputs.ts';
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
import { body, id, json, noContent, type RouteModule, user } from './common.ts';
import { int, maybe, object, optional, str } from './validate.ts';

const newMemberBody = object({
  email: str({ max: 1000 }),
  role: optional(str({ max: 100 })),
  reason: maybe(str({ max: 10_000 })),
  expirationSeconds: maybe(int()),
});
const roleBody = object({ role: str({ max: 100 }) });

/** `DELETE /users/{userIdOrEmail}`: a positive integer id, or an e-mail address. */
function userIdOrEmail(raw: string | undefined): number | string {
  if (raw && /^[1-9][0-9]{0,14}$/.test(raw)) return Number(raw);
  // The text rule before any look-up: PostgreSQL answers a NUL in a query with an error.
  if (raw?.includes('@') && textProblem(raw, { max: 254, multiline: false }) === null) return raw;
  throw validation('userIdOrEmail must be a user id or an e-mail address.', 'userIdOrEmail');
}

export const userRoutes: RouteModule = (routes, ctx) => {
  routes.get('/manage/projects/:projectId/users', async (c) =>
    json(await listProjectUsers(ctx, user(c), id(c, 'projectId'))),
  );
  // Ours: Keboola has PATCH and DELETE on this path, no GET.
  routes.get('/manage/projects/:projectId/users/:userId', async (c) =>
    json(await getProjectUser(ctx, user(c), id(c, 'projectId'), id(c, 'userId'))),
  );
  routes.post('/manage/projects/:projectId/users', async (c) => {
    const projectId = id(c, 'projectId');
    await addProjectUser(ctx, user(c), projectId, await body(c, newMemberBody));
    return noContent();
  });
  routes.patch('/manage/projects/:projectId/users/:userId', async (c) => {
    const [projectId, userId] = [id(c, 'projectId'), id(c, 'userId')];
    return json(await updateProjectUser(ctx, user(c), projectId, userId, await body(c, roleBody)));
  });
  routes.delete('/manage/projects/:projectId/users/:userIdOrEmail', async (c) => {
    const projectId = id(c, 'projectId');
    await removeProjectUser(ctx, user(c), projectId, userIdOrEmail(c.req.param('userIdOrEmail')));
    return noContent();
  });

  routes.get('/manage/projects/:projectId/invitations', async (c) =>
    json(await listProjectInvitations(ctx, user(c), id(c, 'projectId'))),
  );
  routes.post('/manage/projects/:projectId/invitations', async (c) => {
    const projectId = id(c, 'projectId');
    return json(await createProjectInvitation(ctx, user(c), projectId, await body(c, newMemberBody)), 201);
  });
  routes.get('/manage/projects/:projectId/invitations/:invitationId', async (c) =>
    json(await getProjectInvitation(ctx, user(c), id(c, 'projectId'), id(c, 'invitationId'))),
  );
  routes.delete('/manage/projects/:projectId/invitations/:invitationId', async (c) => {
    await cancelProjectInvitation(ctx, user(c), id(c, 'projectId'), id(c, 'invitationId'));
    return noContent();
  });

  routes.get('/manage/current-user/projects-invitations', async (c) =>
    json(await listMyProjectInvitations(ctx, user(c))),
  );
  routes.get('/manage/current-user/projects-invitations/:invitationId', async (c) =>
    json(await getMyProjectInvitation(ctx, user(c), id(c, 'invitationId'))),
  );
  routes.put('/manage/current-user/projects-invitations/:invitationId', async (c) => {
    const invitationId = id(c, 'invitationId');
    await body(c, object({}));
    await acceptProjectInvitation(ctx, user(c), invitationId);
    return noContent(202);
  });
  routes.delete('/manage/current-user/projects-invitations/:invitationId', async (c) => {
    await declineProjectInvitation(ctx, user(c), id(c, 'invitationId'));
    return noContent();
  });
};
