// The demo host app's page script: embeds the widget the way a customer's app would (snippet + async
// script), shows the signed-in persona's view of the project, and wires the demo's failing job to the
// widget's error alert.
import { createClient } from '../../../api/client.ts';

interface PageConfig {
  page: 'dashboard' | 'users' | 'organization';
  apiBaseUrl: string;
  token: string | null;
  user: { id: number; name: string; email: string; role?: string } | null;
  projectId: number | null;
  projectName: string | null;
  organizationId: number | null;
}

type SupportKitFn = ((command: string, ...args: unknown[]) => unknown) & { q?: unknown[][] };
declare global {
  interface Window {
    SupportKit?: SupportKitFn;
  }
}

const configEl = document.getElementById('demo-config');
const config = JSON.parse(configEl?.textContent ?? '{}') as PageConfig;
const client = createClient({ baseUrl: config.apiBaseUrl, getToken: () => config.token });

const status = document.getElementById('page-status');
const content = document.getElementById('page-content');

function say(text: string): void {
  if (status) status.textContent = text;
}

function row(label: string, value: string): HTMLElement {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value;
  const wrap = document.createElement('div');
  wrap.append(dt, dd);
  return wrap;
}

// The embed snippet, exactly as the README gives it to host apps: calls queue until the script arrives.
const w = window;
w.SupportKit =
  w.SupportKit ||
  ((...args: unknown[]) => {
    const fn = w.SupportKit as SupportKitFn;
    fn.q = fn.q || [];
    fn.q.push(args);
  });
const SupportKit = w.SupportKit;
const script = document.createElement('script');
script.type = 'module';
script.async = true;
script.src = '/widget/support-kit.js';
document.head.append(script);

const widgetOptions = {
  apiBaseUrl: config.apiBaseUrl,
  getToken: () => config.token,
  project: config.projectId
    ? { id: config.projectId, name: config.projectName ?? `#${config.projectId}` }
    : undefined,
  user: config.user ?? undefined,
  appVersion: 'demo-2026.11',
  // Follows the visitor's light or dark setting.
  theme: 'system',
  usersPanel: config.projectId !== null,
  // The widget's own menu items, worded in the visitor's language (`links` would be the host's words).
  docsUrl: 'https://help.keboola.com/management/support/',
  statusUrl: 'https://status.keboola.com/',
};
SupportKit('init', widgetOptions);

async function showDashboard(projectId: number): Promise<void> {
  const project = await client.getProject(projectId);
  if (project.error) {
    say(`You cannot see this project: ${project.error.message}`);
    return;
  }
  const list = document.createElement('dl');
  list.className = 'facts';
  list.append(
    row('Project', `${project.data.name} (#${project.data.id})`),
    row('Organization', project.data.organization.name),
    row('Users', `${project.data.usage.users} of ${project.data.limits.users ?? 'unlimited'}`),
  );
  const access = document.createElement('p');
  access.id = 'project-access';
  // Guests and read-only members may read but not enter with a Storage token: say what they can do,
  // not the 403 the token call would give.
  const users = await client.listProjectUsers(projectId);
  const me = users.data?.find((u) => u.id === config.user?.id);
  if (me && (me.role === 'guest' || me.role === 'readOnly')) {
    access.className = 'readonly';
    access.textContent = `You are a ${me.role === 'guest' ? 'guest' : 'read-only member'} of this project: you can look at its tables, flows and jobs, but not change them or run anything.`;
  } else {
    // Entering a project means getting a Storage token for it: the server decides, at this very second.
    const entry = await client.createStorageToken(projectId, {
      description: 'Support Kit demo session',
      expiresIn: 3600,
    });
    access.className = entry.error ? 'denied' : 'granted';
    access.textContent = entry.error
      ? me
        ? `You are a member, but the project refused you a session: ${entry.error.message}.`
        : 'You are not a member of this project. Support and maintainer users get in with the Support Kit extension.'
      : 'You are in the project: tables, flows and jobs would be here.';
  }
  content?.replaceChildren(list, access);
  say('');
}

document.getElementById('trigger-error')?.addEventListener('click', async () => {
  say('Running job…');
  const res = await fetch('/demo/api/run-job');
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
    say('The job failed.');
    SupportKit('reportError', { ...(body as object), status: res.status, url: location.href });
  }
});

const mountRoot = (id: string) => document.getElementById(id);
if (config.page === 'dashboard' && config.projectId) void showDashboard(config.projectId);
if (config.page === 'users' && config.projectId) {
  SupportKit('mountUsers', mountRoot('users-root'), { ...widgetOptions, projectId: config.projectId });
}
if (config.page === 'organization' && config.organizationId) {
  SupportKit('mountOrganizationSettings', mountRoot('org-root'), {
    ...widgetOptions,
    organizationId: config.organizationId,
  });
}
