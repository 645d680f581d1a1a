import { createProject, createStorageToken, deleteProject, getProject } from '../domain/projects.ts';
import { body, id, noContent, type RouteModule, user } from './common.ts';
import { int, maybe, object, str } from './validate.ts';

const createProjectBody = object({ name: str({ max: 255 }) });
const storageTokenBody = object({
  description: str({ max: 255 }),
  expiresIn: maybe(int({ min: 1, max: 315_360_000 })),
});

export const projectRoutes: RouteModule = (app, ctx) => {
  app.get('/manage/projects/:projectId', (c) => c.json(getProject(ctx, user(c), id(c, 'projectId'))));
  app.delete('/manage/projects/:projectId', (c) => {
    deleteProject(ctx, user(c), id(c, 'projectId'));
    return noContent(c);
  });
  app.post('/manage/organizations/:organizationId/projects', async (c) => {
    const orgId = id(c, 'organizationId');
    return c.json(createProject(ctx, user(c), orgId, await body(c, createProjectBody)), 201);
  });
  app.post('/manage/projects/:projectId/tokens', async (c) => {
    const projectId = id(c, 'projectId');
    return c.json(createStorageToken(ctx, user(c), projectId, await body(c, storageTokenBody)), 201);
  });
};
