// What the popup and the side panel read: my requests and accesses, the projects to find by name,
// and the text of the leave confirmation. Plain functions and hooks; App.tsx renders.
import { useMemo } from 'preact/hooks';
import { type CachedProject, type CachedTicket, db, type TrackedAccess } from '../db.ts';
import { stackLabel } from '../settings.ts';
import { parseTime } from '../time.ts';
import type { KnownProject } from './GetAccess.tsx';
import type { MyAccessData, RecentItem } from './MyAccess.tsx';

const RECENT_MS = 7 * 24 * 3600 * 1000;

/** Rows of several stacks merged: by creation time (ids of two stacks say nothing of their order). */
export const newestFirst = (a: { created: string; id: number }, b: { created: string; id: number }) =>
  parseTime(b.created) - parseTime(a.created) || b.id - a.id;

export async function loadMine(): Promise<MyAccessData> {
  const [requests, accesses] = await Promise.all([db.requests.toArray(), db.accesses.toArray()]);
  const cutoff = Date.now() - RECENT_MS;
  // An approved request lives on as its access (active, then expired, left or ended): show that one.
  // Same project id on two stacks is two projects: every key names the stack.
  const tracked = new Set(accesses.map((a) => `${a.stack} ${a.projectId}`));
  const recent: RecentItem[] = [
    ...requests
      .filter((r) => r.status !== 'pending' && r.updatedAt > cutoff)
      .filter((r) => !(r.status === 'approved' && tracked.has(`${r.stack} ${r.projectId}`)))
      .map((r) => ({
        key: `r ${r.stack} ${r.id}`,
        stack: r.stack,
        projectId: r.projectId,
        projectName: r.projectName,
        reason: r.reason,
        status: r.status,
        at: r.updatedAt,
      })),
    ...accesses
      .filter((a) => a.status !== 'active' && a.updatedAt > cutoff)
      .map((a) => ({
        key: `a ${a.stack} ${a.projectId}`,
        stack: a.stack,
        projectId: a.projectId,
        projectName: a.projectName,
        reason: a.reason,
        status: a.status,
        at: a.updatedAt,
      })),
  ]
    .sort((a, b) => b.at - a.at)
    .slice(0, 10);
  return {
    pending: requests.filter((r) => r.status === 'pending').sort(newestFirst),
    active: accesses.filter((a) => a.status === 'active').sort((a, b) => b.updatedAt - a.updatedAt),
    recent,
  };
}

/** Projects to find by name: looked up recently, my accesses and requests, then those in tickets. */
export function useKnownProjects(
  projects: CachedProject[] | undefined,
  mine: MyAccessData | undefined,
  tickets: CachedTicket[] | undefined,
): KnownProject[] {
  return useMemo<KnownProject[]>(
    () => [
      ...[...(projects ?? [])]
        .sort((a, b) => b.fetchedAt - a.fetchedAt)
        .map((p) => ({ stack: p.stack, id: p.id, name: p.name, source: 'recent' as const })),
      ...(mine?.active ?? []).map((a) => ({
        stack: a.stack,
        id: a.projectId,
        name: a.projectName,
        source: 'recent' as const,
      })),
      ...(mine?.pending ?? []).map((r) => ({
        stack: r.stack,
        id: r.projectId,
        name: r.projectName,
        source: 'recent' as const,
      })),
      ...(tickets ?? []).flatMap((t) =>
        t.projectId !== null && t.projectName
          ? [{ stack: t.stack, id: t.projectId, name: t.projectName, source: 'ticket' as const }]
          : [],
      ),
    ],
    [projects, mine, tickets],
  );
}

/** Leaving asks first, and says what getting back takes (Auto Join of the project's organization). */
export function leaveBody(a: TrackedAccess, projects: CachedProject[] | undefined, several: boolean): string {
  // The organization's setting when it could be read; else how this access came (joined at once:
  // Auto Join was on; approved: it was off).
  const read = projects?.find((p) => p.stack === a.stack && p.id === a.projectId)?.allowAutoJoin ?? null;
  const autoJoin = read ?? a.via === 'joined';
  const back =
    autoJoin === true
      ? 'Its organization allows Auto Join, so you can join again at once, with a new reason.'
      : 'Its organization has Auto Join off: getting back needs a new request and a project admin’s approval.';
  const on = several ? ` on ${stackLabel(a.stack)}` : '';
  return `Your access to ${a.projectName} (#${a.projectId}${on}) ends now. ${back}`;
}
