import { ACCESS_LIMITS } from '../../api/types.ts';
import { createProject, createStorageToken, deleteProject, getProject } from '../domain/projects.ts';
import { body, id, json, noContent, type RouteModule, user } from './common.ts';
import { int, maybe, object, str } from './validate.ts';

const createProjectBody = object({ name: str({ max: 255 }) });
const storageTokenBody = object({
  description: str({ max: 255 }),
  expiresIn: maybe(int({ min: 1, max: ACCESS_LIMITS.expirationMaxSeconds })),
});

export const projectRoutes: RouteModule = (routes, ctx) => {
  routes.get('/manage/projects/:projectId', async (c) =>
    json(await getProject(ctx, user(c), id(c, 'projectId'))),
  );
  routes.delete('/manage/projects/:projectId', async (c) => {
    await deleteProject(ctx, user(c), id(c, 'projectId'));
    return noContent();
  });
  routes.post('/manage/organizations/:organizationId/projects', async (c) => {
    const orgId = id(c, 'organizationId');
    return json(await createProject(ctx, user(c), orgId, await body(c, createProjectBody)), 201);
  });
  routes.post('/manage/projects/:projectId/tokens', async (c) => {
    const projectId = id(c, 'projectId');
    return json(await createStorageToken(ctx, user(c), projectId, await body(c, storageTokenBody)), 201);
  });
};
