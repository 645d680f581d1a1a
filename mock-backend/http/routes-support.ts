import type { RouteModule } from './common.ts';

export const supportRoutes: RouteModule = () => {};
