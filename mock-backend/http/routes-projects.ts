import { ACCESS_LIMITS } from '../../api/types.ts';
import { createProject, createStorageToken, deleteProject, getProject } from '../domain/projects.ts';
import {
  listOutsiderTokens,
  revokeStorageToken,
  STORAGE_TOKENS_MAX_LIMIT,
  verifyStorageToken,
} from '../domain/storage-tokens.ts';
import { body, id, json, NO_CORS_JSON, noContent, type RouteModule, user } from './common.ts';
import { int, maybe, object, pageParam, str } from './validate.ts';

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
  routes.post(
    '/manage/projects/:projectId/tokens',
    async (c) => {
      const projectId = id(c, 'projectId');
      return json(await createStorageToken(ctx, user(c), projectId, await body(c, storageTokenBody)), 201);
    },
    { rateLimit: 'storageTokens' },
  );
  // Ours: the project's deciders see and revoke the tokens its outsiders made.
  routes.get('/manage/projects/:projectId/tokens', async (c) => {
    const projectId = id(c, 'projectId');
    const offset = pageParam(c.req.query('offset'), 'offset', 1_000_000_000);
    const limit = pageParam(c.req.query('limit'), 'limit', STORAGE_TOKENS_MAX_LIMIT);
    return json(await listOutsiderTokens(ctx, user(c), projectId, { offset, limit }));
  });
  routes.delete('/manage/projects/:projectId/tokens/:tokenId', async (c) => {
    await revokeStorageToken(ctx, user(c), id(c, 'projectId'), id(c, 'tokenId'));
    return noContent();
  });
  // Using a Storage token, as Keboola's Storage API verifies one: its own header, no Manage API token.
  routes.get('/v2/storage/tokens/verify', async (c) =>
    json(await verifyStorageToken(ctx, c.req.header('X-StorageApi-Token')), 200, NO_CORS_JSON),
  );
};
