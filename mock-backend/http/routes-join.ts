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
import { body, id, json, noContent, type RouteModule, user } from './common.ts';
import { int, maybe, object, str } from './validate.ts';

// Reasons over 1,000 characters are refused by the rule (with key "reason"); the cap here only stops absurd input.
const entryBody = object({ reason: maybe(str({ max: 10_000 })), expirationSeconds: maybe(int()) });
const emptyBody = object({});
/** Joining and requesting access share one per-user limit (each request e-mails people). */
const ENTRY = { rateLimit: 'entry' } as const;

export const joinRoutes: RouteModule = (routes, ctx) => {
  routes.post(
    '/manage/projects/:projectId/join-project',
    async (c) => {
      const projectId = id(c, 'projectId');
      await joinProject(ctx, user(c), projectId, await body(c, entryBody));
      return noContent();
    },
    ENTRY,
  );
  routes.post(
    '/manage/projects/:projectId/request-access',
    async (c) => {
      const projectId = id(c, 'projectId');
      return json(await requestAccess(ctx, user(c), projectId, await body(c, entryBody)), 201);
    },
    ENTRY,
  );
  routes.get('/manage/projects/:projectId/join-requests', async (c) =>
    json(await listJoinRequests(ctx, user(c), id(c, 'projectId'))),
  );
  // Ours (before the :requestId route, which would take "count" for an id).
  routes.get('/manage/projects/:projectId/join-requests/count', async (c) =>
    json(await countPendingJoinRequests(ctx, user(c), id(c, 'projectId'))),
  );
  routes.get('/manage/projects/:projectId/join-requests/:requestId', async (c) =>
    json(await getJoinRequest(ctx, user(c), id(c, 'projectId'), id(c, 'requestId'))),
  );
  routes.put('/manage/projects/:projectId/join-requests/:requestId', async (c) => {
    const [projectId, requestId] = [id(c, 'projectId'), id(c, 'requestId')];
    await body(c, emptyBody);
    await approveJoinRequest(ctx, user(c), projectId, requestId);
    return noContent(202);
  });
  routes.delete('/manage/projects/:projectId/join-requests/:requestId', async (c) => {
    await rejectJoinRequest(ctx, user(c), id(c, 'projectId'), id(c, 'requestId'));
    return noContent();
  });
  routes.get('/manage/current-user/projects-join-requests', async (c) =>
    json(await listMyJoinRequests(ctx, user(c))),
  );
  routes.get('/manage/current-user/projects-join-requests/:requestId', async (c) =>
    json(await getMyJoinRequest(ctx, user(c), id(c, 'requestId'))),
  );
  routes.delete('/manage/current-user/projects-join-requests/:requestId', async (c) => {
    await cancelMyJoinRequest(ctx, user(c), id(c, 'requestId'));
    return noContent();
  });
};
