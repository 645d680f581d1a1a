// Routes of the demo host app, mounted on the mock backend's server for `npm start` and the e2e tests.
// URLs follow Keboola Connection's (`/admin/projects/{id}`), so the extension's "Open project" lands here.
import type { Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Fixture } from '../../api/types.ts';
import { type DemoPageKind, personasFrom, renderPage } from './pages.ts';

const COOKIE = 'sk_demo_user';

export interface DemoOptions {
  /** The demo data: personas and navigation come from it. */
  fixture: Fixture;
  /** Persona shown before anyone picks one (the project admin in the demo data). */
  defaultUserId?: number;
}

export function registerDemoRoutes(app: Hono, options: DemoOptions): void {
  const personas = personasFrom(options.fixture);
  const projects = (options.fixture.projects ?? []).map((p) => ({
    id: p.id,
    name: p.name,
    organizationId: p.organizationId,
  }));
  const firstProject = projects[0];

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
        organizationId: kind === 'organization' ? id : (project?.organizationId ?? null),
        projects,
      }),
    );
  };

  app.get('/', (c) => c.redirect(firstProject ? `/admin/projects/${firstProject.id}` : '/mailbox'));
  app.get('/admin/projects/:id', page('dashboard'));
  app.get('/admin/projects/:id/users', page('users'));
  app.get('/admin/organizations/:id', page('organization'));

  // The persona switcher works without JavaScript: a form post sets the cookie and goes back.
  app.post('/demo/persona', async (c) => {
    const form = await c.req.parseBody();
    const id = Number(form.userId);
    if (!personas.some((p) => p.id === id)) return c.text('Unknown persona', 400);
    setCookie(c, COOKIE, String(id), { path: '/', sameSite: 'Lax', httpOnly: true });
    const back = c.req.header('Referer');
    const sameOrigin = back && new URL(back).origin === new URL(c.req.url).origin;
    return c.redirect(sameOrigin ? back : '/', 303);
  });

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
