// The project's user limit counts members of kind "member" only (and their pending invitations).
import type { MemberKind } from '../../api/types.ts';
import type { ProjectRow } from '../store/schema.ts';
import type { Ctx } from './context.ts';
import { ApiFailure } from './errors.ts';
import { activeMemberCount, alive } from './relations.ts';

export async function assertMemberLimit(
  ctx: Ctx,
  project: ProjectRow,
  kind: MemberKind,
  extraPending = 0,
): Promise<void> {
  if (kind !== 'member' || project.usersLimit === null) return;
  if ((await activeMemberCount(ctx, project.id, 'member')) + extraPending >= project.usersLimit)
    throw new ApiFailure(
      400,
      'manage.projectUserLimitReached',
      `The project has reached its limit of ${project.usersLimit} users.`,
    );
}

/** Pending invitations of would-be "member" users hold a seat too. */
export async function pendingMemberInvitations(
  ctx: Ctx,
  projectId: number,
  isMemberKind: (userId: number) => Promise<boolean>,
): Promise<number> {
  let seats = 0;
  for (const i of await ctx.store.find('projectInvitations', { projectId }))
    if (alive(ctx, i.expires) && (await isMemberKind(i.userId))) seats++;
  return seats;
}
