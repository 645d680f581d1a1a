// Every declared route of the API, in the order they are registered (and documented).
import type { RouteDecl } from './declare.ts';
import { grantRoutes } from './routes-grants.ts';
import { joinRoutes } from './routes-join.ts';
import { organizationRoutes } from './routes-organizations.ts';
import { projectRoutes } from './routes-projects.ts';
import { supportRoutes } from './routes-support.ts';
import { userRoutes } from './routes-users.ts';
import { webhookRoutes } from './routes-webhooks.ts';

export const API_ROUTES: readonly RouteDecl[] = [
  ...projectRoutes,
  ...joinRoutes,
  ...userRoutes,
  ...organizationRoutes,
  ...supportRoutes,
  ...webhookRoutes,
  ...grantRoutes,
];
