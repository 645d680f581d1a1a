// The project's user limit counts members of kind "member" only (and their pending invitations).
import type { MemberKind } from '../../api/types.ts';
import type { ProjectRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';
import { ApiFailure } from './errors.ts';
import { activeMemberCount, alive } from './relations.ts';

export function assertMemberLimit(ctx: Ctx, project: ProjectRow, kind: MemberKind, extraPending = 0): void {
  if (kind !== 'member' || project.usersLimit === null) return;
  if (activeMemberCount(ctx, project.id, 'member') + extraPending >= project.usersLimit)
    throw new ApiFailure(
      400,
      'manage.projectUserLimitReached',
      `The project has reached its limit of ${project.usersLimit} users.`,
    );
}

/** Pending invitations of would-be "member" users hold a seat too. */
export function pendingMemberInvitations(
  ctx: Ctx,
  projectId: number,
  isMemberKind: (userId: number) => boolean,
): number {
  return ctx.store
    .find('projectInvitations', { projectId })
    .filter((i) => alive(ctx, i.expires) && isMemberKind(i.userId)).length;
}
