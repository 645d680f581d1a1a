// The extension's own membership in a project, without downloading the project's whole user list:
// our one-row read (GET /projects/{p}/users/{id}) where the backend has it; Keboola's Manage API has
// no such GET, so there (a route it does not know) the list is read as before.
import type { Client } from '../api/client.ts';
import type { ProjectUser } from '../api/types.ts';

/** The row, null when not a member (or no access, or no such project), undefined when unknown. */
export async function ownMembership(
  client: Client,
  projectId: number,
  userId: number,
): Promise<ProjectUser | null | undefined> {
  const one = await client.getProjectUser(projectId, userId);
  if (one.data) return one.data;
  // Offline or timed out: unknown. (Another backend's 404 may not even be our error shape.)
  const status = 'httpStatus' in one.error ? one.error.httpStatus : undefined;
  if (status === undefined) return undefined;
  // Ours: 403 no access, 404 `manage.notFound` no such member or project.
  if (status === 403 || (status === 404 && one.error.code === 'manage.notFound')) return null;
  if (status !== 404 && status !== 405) return undefined;
  const users = await client.listProjectUsers(projectId);
  if (users.data) return users.data.find((u) => u.id === userId) ?? null;
  if (users.error.kind === 'http' && (users.error.httpStatus === 403 || users.error.httpStatus === 404))
    return null;
  return undefined;
}
