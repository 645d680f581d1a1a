import type { RouteModule } from './common.ts';

export const EVENTS_PATH = '/manage/current-user/events';
export const eventRoutes: RouteModule = () => {};
