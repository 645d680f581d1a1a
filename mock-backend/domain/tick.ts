// What happens because time passed. Expiry itself needs nothing here (every read filters by the clock);
// this sends the one-time notices and sweeps rows that are long gone.
import { type Ctx, mutate, nowSec } from './context.ts';
import { iso, projectRef, userRef } from './format.ts';
import { expireJoinRequest } from './join.ts';
import { decidersOf, emit, logAccess } from './notify.ts';

/** Members hear that their access is about to end this long before it does. */
export const EXPIRING_NOTICE_SECONDS = 15 * 60;

export function tick(ctx: Ctx): void {
  const now = nowSec(ctx);
  mutate(ctx, () => {
    for (const r of ctx.store.find('joinRequests', { status: 'pending' }))
      if (r.expires !== null && r.expires <= now) expireJoinRequest(ctx, r);

    for (const m of ctx.store.find('projectMembers', {})) {
      if (m.expires === null) continue;
      const project = ctx.store.get('projects', m.projectId);
      const user = ctx.store.get('users', m.userId);
      if (!project || !user) continue;
      if (m.expires <= now) {
        const event = {
          type: 'membership.expired',
          project: projectRef(project),
          user: userRef(user),
        } as const;
        emit(ctx, [m.userId, ...decidersOf(ctx, m.projectId)], event);
        logAccess(ctx, m.projectId, 'expired', {
          actor: null,
          subject: userRef(user),
          reason: m.reason,
          details: { role: m.role, kind: m.kind },
        });
        // The row grants nothing any more; deleting it here is also what makes this notice go out once.
        ctx.store.delete('projectMembers', m.id);
      } else if (!m.expiringNotified && m.expires - now <= EXPIRING_NOTICE_SECONDS) {
        ctx.store.update('projectMembers', m.id, { expiringNotified: true });
        emit(ctx, [m.userId], {
          type: 'membership.expiring',
          project: projectRef(project),
          user: userRef(user),
          expires: iso(m.expires),
        });
      }
    }

    for (const i of ctx.store.find('projectInvitations', {}))
      if (i.expires !== null && i.expires <= now) ctx.store.delete('projectInvitations', i.id);
  });
}
