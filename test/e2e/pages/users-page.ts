// The e2e page's script: mounts the users panel and/or the Auto Join switch from the URL fragment
// (`#token=…&project=100&org=10&locale=cs`: a fragment is never sent to the server, so no request URL
// carries the token). Built by test/e2e/users.e2e.ts into dist-e2e/users/.
import { mountOrganizationSettings } from '../../../widget/org/panel.tsx';
import { mountUsers } from '../../../widget/users/panel.tsx';

const q = new URLSearchParams(location.hash.slice(1));
const token = q.get('token') ?? '';
const locale = q.get('locale') ?? undefined;
const w = window as unknown as { pendingCount?: number };
const users = document.getElementById('users');
const org = document.getElementById('org');
if (users && q.get('project'))
  mountUsers(users, {
    apiBaseUrl: location.origin,
    token,
    projectId: Number(q.get('project')),
    locale,
    onPendingCount: (n) => {
      w.pendingCount = n;
    },
  });
if (org && q.get('org'))
  mountOrganizationSettings(org, {
    apiBaseUrl: location.origin,
    token,
    organizationId: Number(q.get('org')),
    locale,
  });
