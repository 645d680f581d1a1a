// The HTTP app: standard Request in, standard Response out (`app.fetch`), so the Node server and the
// MSW handlers run the very same rules. Nothing here imports a Node-only module: the store, the mailer
// and the server are injected.
import { Hono } from 'hono';
import type { ErrorBody } from '../api/errors.ts';
import type { Clock } from './clock.ts';
import { type Bus, type Ctx, createBus } from './domain/context.ts';
import { ApiFailure } from './domain/errors.ts';
import { tokenVerification, userByToken } from './domain/projects.ts';
import { tick } from './domain/tick.ts';
import { keboolaLayer } from './flavors/keboola.ts';
import {
  type C,
  CORS_HEADERS,
  type Env,
  type Handler,
  json,
  type RouteModule,
  type Routes,
  user,
} from './http/common.ts';
import { mailboxRoutes } from './http/mailbox.ts';
import { openapiRoute } from './http/openapi-route.ts';
import { joinRoutes } from './http/routes-join.ts';
import { organizationRoutes } from './http/routes-organizations.ts';
import { projectRoutes } from './http/routes-projects.ts';
import { supportRoutes } from './http/routes-support.ts';
import { userRoutes } from './http/routes-users.ts';
import { EVENTS_PATH, eventRoutes } from './http/sse.ts';
import { testRoutes } from './http/test-routes.ts';
import type { Store } from './store/types.ts';

export interface AppOptions {
  /** Enables /__test__/* (404 otherwise). */
  testMode?: boolean;
  /** Base of links in e-mails. */
  publicUrl?: string;
  /** Where tickets go when the project's maintainer has no support address. */
  vendorSupportEmail?: string;
  /** SSE heartbeat period; 15 s unless a test wants it sooner. */
  heartbeatMs?: number;
  /** Run due notices on incoming requests (default true); off only to prove reads never rely on it. */
  autoTick?: boolean;
  /**
   * What goes over the wire: ours (default) or Keboola's documented shapes, codes and endpoints
   * (flavors/keboola.ts; the same domain and rules either way).
   */
  flavor?: Flavor;
}

export type Flavor = 'default' | 'keboola';
export const FLAVORS: readonly Flavor[] = ['default', 'keboola'];

export interface AppDeps {
  store: Store;
  clock: Clock;
  options?: AppOptions;
  /** Shared with the mail worker and anything else that wants to hear about commits. */
  bus?: Bus;
}

export interface Backend {
  app: Hono<Env>;
  ctx: Ctx;
  /** Runs what is due by the clock now (expiry notices, sweeping). */
  runDue(): void;
}

export const ALLOWED_HEADERS = ['X-KBC-ManageApiToken', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'];

export function errorBody(
  status: number,
  code: ErrorBody['code'],
  error: string,
  errors?: ErrorBody['errors'],
) {
  const body: ErrorBody = {
    error,
    code,
    status: 'error',
    exceptionId: `exception-${globalThis.crypto.randomUUID()}`,
  };
  if (errors?.length) body.errors = errors;
  return json(body, status);
}

export function createBackend(deps: AppDeps): Backend {
  const options = deps.options ?? {};
  const ctx: Ctx = {
    store: deps.store,
    clock: deps.clock,
    bus: deps.bus ?? createBus(),
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:4010',
    vendorSupportEmail: options.vendorSupportEmail ?? 'support@supportkit.test',
    pending: [],
  };
  const runDue = () => tick(ctx);

  const app = new Hono<Env>();
  // Only the Keboola flavor pays for a middleware; the default flavor's routes stay single handlers.
  if (options.flavor === 'keboola') app.use('*', keboolaLayer());

  // Expiry is enforced by every read; this only makes the one-time notices prompt without a timer
  // (the browser-only demo has none). At most once a second, so reads stay cheap.
  let lastTick = Number.NEGATIVE_INFINITY;
  const maybeTick = () => {
    const now = ctx.clock.now();
    if (options.autoTick !== false && now - lastTick >= 1000) {
      lastTick = now;
      runDue();
    }
  };
  const underManage = (path: string) => path === '/manage' || path.startsWith('/manage/');
  const authenticate = (c: C) => {
    let token = c.req.header('X-KBC-ManageApiToken');
    // EventSource cannot send headers, so the event stream alone also takes the token in the query.
    if (!token && c.req.path === EVENTS_PATH) token = c.req.query('token');
    return userByToken(ctx, token);
  };

  // What every request needs first runs inside each route's one handler, not as middleware: a route
  // with a single synchronous handler lets Hono and @hono/node-server skip the middleware chain's
  // promises and write the response at once (list reads went from about 40 % to about 60 % of a
  // bare server's throughput).
  // Every /manage route needs a valid token; CORS headers come with each response (common.ts).
  const guarded = (path: string, handler: Handler): Handler => {
    const withToken = underManage(path);
    const run: Handler = (c) => {
      maybeTick();
      if (withToken) c.set('user', authenticate(c));
      return handler(c);
    };
    if (!options.testMode) return run;
    // The test clock can be moved forward: `Date` says the server's time, which clients count from
    // (api/server-time.ts). Without test mode Node's own `Date` is the server's clock already.
    const stamp = (res: Response) => {
      try {
        res.headers.set('Date', new Date(ctx.clock.now()).toUTCString());
      } catch {
        // An immutable response keeps Node's Date.
      }
      return res;
    };
    return (c) => {
      const res = run(c);
      return res instanceof Promise ? res.then(stamp) : stamp(res);
    };
  };
  const routes: Routes = {
    get: (path, handler) => app.get(path, guarded(path, handler)),
    post: (path, handler) => app.post(path, guarded(path, handler)),
    put: (path, handler) => app.put(path, guarded(path, handler)),
    patch: (path, handler) => app.patch(path, guarded(path, handler)),
    delete: (path, handler) => app.delete(path, guarded(path, handler)),
  };

  // The guard in front has already found the token's user.
  routes.get('/manage/tokens/verify', (c) => json(tokenVerification(user(c))));
  const modules: RouteModule[] = [
    projectRoutes,
    joinRoutes,
    userRoutes,
    organizationRoutes,
    supportRoutes,
    eventRoutes(options.heartbeatMs),
  ];
  for (const register of modules) register(routes, ctx);
  mailboxRoutes(routes, ctx);
  openapiRoute(routes);
  if (options.testMode) testRoutes(routes, ctx, runDue);

  // Whatever matches no route: CORS preflights (any path), then what a route would have checked
  // first (the clock, the token under /manage/), then 404.
  app.notFound((c) => {
    if (c.req.method === 'OPTIONS')
      return new Response(null, {
        status: 204,
        headers: {
          ...CORS_HEADERS,
          'Access-Control-Allow-Headers': ALLOWED_HEADERS.join(', '),
          'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
          'Access-Control-Max-Age': '600',
        },
      });
    maybeTick();
    if (underManage(c.req.path)) authenticate(c);
    return errorBody(404, 'manage.routeNotFound', `Route ${c.req.method} ${c.req.path} not found`);
  });
  app.onError((err) => {
    if (err instanceof ApiFailure) return errorBody(err.status, err.code, err.message, err.errors);
    // Never a stack trace: the message is generic, the detail stays in the server's log.
    console.error('Unhandled error', err);
    return errorBody(500, 'manage.internalError', 'Internal server error');
  });
  return { app, ctx, runDue };
}
