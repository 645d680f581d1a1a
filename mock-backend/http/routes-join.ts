import {
  approveJoinRequest,
  cancelMyJoinRequest,
  getJoinRequest,
  getMyJoinRequest,
  joinProject,
  listJoinRequests,
  listMyJoinRequests,
  rejectJoinRequest,
  requestAccess,
} from '../domain/join.ts';
import { body, id, noContent, type RouteModule, user } from './common.ts';
import { int, maybe, object, str } from './validate.ts';

// Reasons over 1,000 characters are refused by the rule (with key "reason"); the cap here only stops absurd input.
const entryBody = object({ reason: maybe(str({ max: 10_000 })), expirationSeconds: maybe(int()) });
const emptyBody = object({});

export const joinRoutes: RouteModule = (app, ctx) => {
  app.post('/manage/projects/:projectId/join-project', async (c) => {
    const projectId = id(c, 'projectId');
    joinProject(ctx, user(c), projectId, await body(c, entryBody));
    return noContent(c);
  });
  app.post('/manage/projects/:projectId/request-access', async (c) => {
    const projectId = id(c, 'projectId');
    return c.json(requestAccess(ctx, user(c), projectId, await body(c, entryBody)), 201);
  });
  app.get('/manage/projects/:projectId/join-requests', (c) =>
    c.json(listJoinRequests(ctx, user(c), id(c, 'projectId'))),
  );
  app.get('/manage/projects/:projectId/join-requests/:requestId', (c) =>
    c.json(getJoinRequest(ctx, user(c), id(c, 'projectId'), id(c, 'requestId'))),
  );
  app.put('/manage/projects/:projectId/join-requests/:requestId', async (c) => {
    const [projectId, requestId] = [id(c, 'projectId'), id(c, 'requestId')];
    await body(c, emptyBody);
    approveJoinRequest(ctx, user(c), projectId, requestId);
    return noContent(c, 202);
  });
  app.delete('/manage/projects/:projectId/join-requests/:requestId', (c) => {
    rejectJoinRequest(ctx, user(c), id(c, 'projectId'), id(c, 'requestId'));
    return noContent(c);
  });
  app.get('/manage/current-user/projects-join-requests', (c) => c.json(listMyJoinRequests(ctx, user(c))));
  app.get('/manage/current-user/projects-join-requests/:requestId', (c) =>
    c.json(getMyJoinRequest(ctx, user(c), id(c, 'requestId'))),
  );
  app.delete('/manage/current-user/projects-join-requests/:requestId', (c) => {
    cancelMyJoinRequest(ctx, user(c), id(c, 'requestId'));
    return noContent(c);
  });
};
