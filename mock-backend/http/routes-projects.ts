import { z } from 'zod';
import {
  CreateStorageTokenBody,
  NameBody,
  OutsiderStorageToken,
  PageQuery,
  Project,
  StorageApiToken,
  StorageToken,
  StorageTokenVerification,
  TokenVerification,
} from '../../api/schemas.ts';
import {
  createProject,
  createStorageToken,
  deleteProject,
  getProject,
  tokenVerification,
} from '../domain/projects.ts';
import { listOutsiderTokens, revokeStorageToken, verifyStorageToken } from '../domain/storage-tokens.ts';
import { json, NO_CORS_JSON } from './common.ts';
import { type RouteDecl, route, WHO } from './declare.ts';

/** The one route an account without standing (a support or maintainer account without MFA) is answered. */
export const VERIFY_PATH = '/manage/tokens/verify';

export const projectRoutes: RouteDecl[] = [
  route({
    method: 'GET',
    path: VERIFY_PATH,
    summary: 'Who the token belongs to',
    who: 'Anyone with a token, a support or maintainer account without MFA too (so a client can tell why it is refused elsewhere).',
    tag: 'Keboola',
    ok: 200,
    response: TokenVerification,
    handler: ({ user }) => tokenVerification(user),
  }),
  route({
    method: 'GET',
    path: '/manage/projects/:projectId',
    summary: 'Read a project',
    who: WHO.viewer,
    tag: 'Keboola',
    ok: 200,
    response: Project,
    handler: ({ ctx, user, params }) => getProject(ctx, user, params.projectId),
  }),
  route({
    method: 'DELETE',
    path: '/manage/projects/:projectId',
    summary: 'Delete a project (soft)',
    who: WHO.manager,
    tag: 'Keboola',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await deleteProject(ctx, user, params.projectId);
    },
  }),
  route({
    method: 'POST',
    path: '/manage/organizations/:organizationId/projects',
    summary: 'Create a project (organization members)',
    who: WHO.orgMember,
    tag: 'Keboola',
    body: NameBody,
    ok: 201,
    response: Project,
    handler: ({ ctx, user, params, body }) => createProject(ctx, user, params.organizationId, body),
  }),
  route({
    method: 'POST',
    path: '/manage/projects/:projectId/tokens',
    summary:
      "Create a Storage token to enter the project (at most 20 a minute per user, then 429 with Retry-After). A token made by a support or maintainer member lives only as long as the membership that made it (Support Kit's rule).",
    who: 'Admin and share members of the project, and members of its organization.',
    tag: 'Keboola',
    body: CreateStorageTokenBody,
    ok: 201,
    response: StorageToken,
    rateLimit: 'storageTokens',
    handler: ({ ctx, user, params, body }) => createStorageToken(ctx, user, params.projectId, body),
  }),
  // Ours: the project's deciders see and revoke the tokens its outsiders made.
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/tokens',
    summary:
      "The live Storage tokens the project's support and maintainer members made, newest first, one page (offset, limit: default 100, at most 1000); never the token itself. Only the project's deciders (admin/share members of the customer's own people); anyone else 403.",
    who: WHO.decider,
    tag: 'Support Kit',
    query: PageQuery,
    ok: 200,
    response: z.array(OutsiderStorageToken),
    handler: ({ ctx, user, params, query }) => listOutsiderTokens(ctx, user, params.projectId, query),
  }),
  route({
    method: 'DELETE',
    path: '/manage/projects/:projectId/tokens/:tokenId',
    summary:
      "Revoke a live Storage token a support or maintainer member of the project made (the project's deciders; 404 for any other token). Recorded in the access history.",
    who: WHO.decider,
    tag: 'Support Kit',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await revokeStorageToken(ctx, user, params.projectId, params.tokenId);
    },
  }),
  // Using a Storage token, as Keboola's Storage API verifies one: its own header, no Manage API token.
  route({
    method: 'GET',
    path: '/v2/storage/tokens/verify',
    summary:
      "Use a Storage token (Keboola's Storage API, the fields we keep): 401 when it is missing, unknown, expired, or its outsider's membership has ended. The token goes in X-StorageApi-Token, no Manage API token.",
    who: 'Whoever holds a live Storage token.',
    tag: 'Keboola',
    ok: 200,
    response: StorageTokenVerification,
    public: true,
    headers: { 'X-StorageApi-Token': StorageApiToken },
    handler: async ({ ctx, headers }) =>
      json(await verifyStorageToken(ctx, headers['X-StorageApi-Token']), 200, NO_CORS_JSON),
  }),
];
