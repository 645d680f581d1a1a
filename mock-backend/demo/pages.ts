// The demo host app: a small fake SaaS ("Keboola-like") whose pages embed the widget.
// Server-rendered shells; everything user-related is fetched by the page through the typed client,
// signed in as the persona chosen in the switcher (a cookie holding a demo user's id).
import type { Fixture } from '../../api/types.ts';
import { escapeHtml } from '../domain/emails.ts';

export interface Persona {
  id: number;
  name: string;
  email: string;
  token: string;
  /** What this user is in the demo story, e.g. "admin of Acme Main". */
  label: string;
}

/** Every fixture user with a token becomes a persona, described by how they relate to projects. */
export function personasFrom(fixture: Fixture): Persona[] {
  const projects = new Map((fixture.projects ?? []).map((p) => [p.id, p.name]));
  const orgs = new Map((fixture.organizations ?? []).map((o) => [o.id, o.name]));
  const maintainers = new Map((fixture.maintainers ?? []).map((m) => [m.id, m.name]));
  return (fixture.users ?? []).flatMap((u) => {
    if (!u.token) return [];
    const roles: string[] = [];
    if (u.isSuperAdmin) roles.push(u.mfaEnabled ? 'support user' : 'support user without MFA');
    for (const m of fixture.maintainerMembers ?? [])
      if (m.userId === u.id)
        roles.push(`maintainer user (${maintainers.get(m.maintainerId) ?? m.maintainerId})`);
    for (const m of fixture.organizationMembers ?? [])
      if (m.userId === u.id)
        roles.push(`organization user of ${orgs.get(m.organizationId) ?? m.organizationId}`);
    for (const m of fixture.projectMembers ?? [])
      if (m.userId === u.id)
        roles.push(`${m.role ?? 'admin'} of ${projects.get(m.projectId) ?? m.projectId}`);
    return [
      { id: u.id, name: u.name, email: u.email, token: u.token, label: roles.join(', ') || 'no access' },
    ];
  });
}

/** JSON safe inside a `<script type="application/json">` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export type DemoPageKind = 'dashboard' | 'users' | 'organization';

export interface DemoPageConfig {
  page: DemoPageKind;
  apiBaseUrl: string;
  persona: Persona | null;
  personas: Persona[];
  projectId: number | null;
  /** The persona's role in the project, as the fixture says (a member's default role is admin). */
  role?: string | null;
  organizationId: number | null;
  /** Projects of the demo, for the navigation. */
  projects: { id: number; name: string; organizationId: number }[];
}

export function renderPage(config: DemoPageConfig): string {
  const title =
    config.page === 'users'
      ? 'Project users'
      : config.page === 'organization'
        ? 'Organization settings'
        : 'Dashboard';
  const options = config.personas
    .map(
      (p) =>
        `<option value="${p.id}"${p.id === config.persona?.id ? ' selected' : ''}>${escapeHtml(p.name)} — ${escapeHtml(p.label)}</option>`,
    )
    .join('');
  const nav = config.projects
    .map(
      (p) =>
        `<li><a href="/admin/projects/${p.id}">${escapeHtml(p.name)}</a> · <a href="/admin/projects/${p.id}/users">Users</a> · <a href="/admin/organizations/${p.organizationId}">Organization</a></li>`,
    )
    .join('');
  // The token of the signed-in persona goes to the page's own script only (never into markup text).
  const pageConfig = {
    page: config.page,
    apiBaseUrl: config.apiBaseUrl,
    token: config.persona?.token ?? null,
    user: config.persona
      ? {
          id: config.persona.id,
          name: config.persona.name,
          email: config.persona.email,
          ...(config.role ? { role: config.role } : {}),
        }
      : null,
    projectId: config.projectId,
    projectName: config.projects.find((p) => p.id === config.projectId)?.name ?? null,
    organizationId: config.organizationId,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Acme data platform (Support Kit demo)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo/static/demo.css">
</head>
<body>
<header class="topbar">
  <a class="brand" href="/">◆ DataPlatform <span>demo</span></a>
  <form class="persona" action="/demo/persona" method="post">
    <label for="persona">Signed in as</label>
    <select id="persona" name="userId">${options}</select>
    <button type="submit">Switch</button>
  </form>
  <a class="mailbox-link" href="/mailbox">Mailbox</a>
</header>
<div class="layout">
<nav aria-label="Projects"><h2>Projects</h2><ul>${nav}</ul></nav>
<main id="main">
  <h1 id="page-title">${title}</h1>
  <p id="page-status" role="status"></p>
  <section id="page-content"></section>
  ${config.page === 'dashboard' ? '<p><button type="button" id="trigger-error" class="danger">Run a job that fails (server error)</button></p>' : ''}
  ${config.page === 'users' ? '<div id="users-root"></div>' : ''}
  ${config.page === 'organization' ? '<div id="org-root"></div>' : ''}
</main>
</div>
<script type="application/json" id="demo-config">${scriptJson(pageConfig)}</script>
<script type="module" src="/demo/assets/demo.js"></script>
</body>
</html>`;
}
