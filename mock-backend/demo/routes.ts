// Routes of the demo host app, mounted on the mock backend's server for `npm start` and the e2e tests.
// URLs follow Keboola Connection's (`/admin/projects/{id}`), so the extension's "Open project" lands here.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import type { Fixture } from '../../api/types.ts';
import type { Bindings } from '../http/common.ts';
import { localRefusal } from '../http/local.ts';
import type { OuterApp } from '../server.ts';
import { type DemoPageKind, personasFrom, renderPage } from './pages.ts';

const COOKIE = 'sk_demo_user';

/**
 * The demo's pages: scripts and everything else from this origin only (the widget's styles are
 * constructed stylesheets, or nonce'd), never framed, no sniffing, no Referer to other origins.
 */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'strict-origin-when-cross-origin',
  xFrameOptions: 'DENY',
  crossOriginEmbedderPolicy: false,
});

/**
 * Every page carries a persona's token: to this machine only, under a loopback name, never through a
 * proxy (http/local.ts). A page of another site that rebinds its name to 127.0.0.1 asks under its own
 * name and gets 421, not a token.
 */
const localOnly: MiddlewareHandler<{ Bindings: Bindings }> = async (c, next) => {
  const refusal = localRefusal(c);
  if (!refusal) return next();
  return c.text(refusal.message, refusal.status, { 'Cache-Control': 'no-store' });
};

/** The Referer to go back to: only a well-formed URL of this very origin. */
function sameOriginReferer(c: Context): string | undefined {
  const back = c.req.header('Referer');
  if (!back) return undefined;
  try {
    return new URL(back).origin === new URL(c.req.url).origin ? back : undefined;
  } catch {
    return undefined;
  }
}

export interface DemoOptions {
  /** The demo data: personas and navigation come from it. */
  fixture: Fixture;
  /** Persona shown before anyone picks one (the project admin in the demo data). */
  defaultUserId?: number;
}

export function registerDemoRoutes(app: OuterApp, options: DemoOptions): void {
  const personas = personasFrom(options.fixture);
  const projects = (options.fixture.projects ?? []).map((p) => ({
    id: p.id,
    name: p.name,
    organizationId: p.organizationId,
  }));
  const firstProject = projects[0];

  /** A fixture member's role (admin unless it says otherwise), or null for a non-member. */
  const roleIn = (projectId: number, userId: number | undefined): string | null => {
    const m = (options.fixture.projectMembers ?? []).find(
      (x) => x.projectId === projectId && x.userId === userId,
    );
    return m ? (m.role ?? 'admin') : null;
  };

  const page = (kind: DemoPageKind) => (c: Context) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0) return c.text('Not found', 404);
    const chosen = Number(getCookie(c, COOKIE));
    const persona =
      personas.find((p) => p.id === chosen) ??
      personas.find((p) => p.id === options.defaultUserId) ??
      personas[0] ??
      null;
    const project = kind === 'organization' ? undefined : projects.find((p) => p.id === id);
    c.header('Cache-Control', 'no-store');
    return c.html(
      renderPage({
        page: kind,
        apiBaseUrl: new URL(c.req.url).origin,
        persona,
        personas,
        projectId: kind === 'organization' ? null : id,
        // What a host knows of its user: their role in the project (the widget offers deciders a grant).
        role: kind === 'organization' ? null : roleIn(id, persona?.id),
        organizationId: kind === 'organization' ? id : (project?.organizationId ?? null),
        projects,
      }),
    );
  };

  for (const path of ['/', '/admin/*', '/demo/*']) app.use(path, pageHeaders, localOnly);
  app.get('/', (c) => c.redirect(firstProject ? `/admin/projects/${firstProject.id}` : '/mailbox'));
  app.get('/admin/projects/:id', page('dashboard'));
  app.get('/admin/projects/:id/users', page('users'));
  app.get('/admin/organizations/:id', page('organization'));

  // The persona switcher works without JavaScript: a form post sets the cookie and goes back. Only
  // from this origin's own pages (csrf checks Origin), and a small body read with a limit.
  app.post(
    '/demo/persona',
    csrf(),
    bodyLimit({ maxSize: 1024, onError: (c) => c.text('Request body too large', 413) }),
    async (c) => {
      const form = await c.req.parseBody();
      const id = Number(form.userId);
      if (!personas.some((p) => p.id === id)) return c.text('Unknown persona', 400);
      setCookie(c, COOKIE, String(id), { path: '/', sameSite: 'Lax', httpOnly: true });
      return c.redirect(sameOriginReferer(c) ?? '/', 303);
    },
  );

  // A host-app endpoint that fails like Keboola does, so the dashboard can show the error alert.
  app.get('/demo/api/run-job', (c) =>
    c.json(
      {
        error: 'Job 4521 failed: the Snowflake warehouse is suspended.',
        code: 'storage.jobFailed',
        status: 'error',
        exceptionId: `exception-${crypto.randomUUID().slice(0, 12)}`,
      },
      500,
    ),
  );
}
