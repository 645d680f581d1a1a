// Checks on values that the rules themselves own (reasons, durations, roles, e-mails), so the same
// messages come out whichever endpoint takes them.
import { PROJECT_ROLES, type ProjectRole } from '../../api/types.ts';
import type { UserRow } from '../store/schema.ts';
import { type Ctx, nowSec } from './context.ts';
import { ApiFailure, badRequest, validation } from './errors.ts';

export const REASON_MAX = 1000;
export const PRIVILEGED_DEFAULT_SECONDS = 48 * 3600;
export const PRIVILEGED_MAX_SECONDS = 7 * 24 * 3600;
/** Anything longer than ten years is a mistake, not a plan. */
export const ABSOLUTE_MAX_SECONDS = 10 * 365 * 24 * 3600;

/** Empty or white-space-only reasons count as missing; support and maintainer users must give one. */
export function normalizeReason(raw: string | null | undefined, required: boolean): string | null {
  const reason = raw?.trim() ? raw : null;
  if (reason !== null && reason.length > REASON_MAX)
    throw badRequest(`Reason must be at most ${REASON_MAX} characters long.`, [
      { key: 'reason', message: `Reason must be at most ${REASON_MAX} characters long.` },
    ]);
  if (reason === null && required)
    throw badRequest('Support and maintainer users must state a reason to enter a project.', [
      { key: 'reason', message: 'A reason is required.' },
    ]);
  return reason;
}

/** Expiry as epoch seconds. Privileged (support/maintainer) access always expires: 48 h by default, at most 7 days. */
export function expiryFrom(ctx: Ctx, seconds: number | undefined | null, privileged: boolean): number | null {
  if (seconds === undefined || seconds === null)
    return privileged ? nowSec(ctx) + PRIVILEGED_DEFAULT_SECONDS : null;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > ABSOLUTE_MAX_SECONDS)
    throw validation('expirationSeconds must be a positive whole number of seconds.', 'expirationSeconds');
  if (privileged && seconds > PRIVILEGED_MAX_SECONDS)
    throw validation(
      'Support and maintainer access may last at most 7 days (604800 seconds).',
      'expirationSeconds',
    );
  return nowSec(ctx) + seconds;
}

export function parseRole(raw: string | undefined): ProjectRole {
  if (raw === undefined) return 'admin';
  if ((PROJECT_ROLES as readonly string[]).includes(raw)) return raw as ProjectRole;
  throw badRequest(`Role "${raw}" is not valid. Allowed roles are: admin, guest, readOnly, share`, [
    { key: 'role', message: 'Invalid role' },
  ]);
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

export function parseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email))
    throw new ApiFailure(422, 'manage.validationError', 'Email address is not valid.', [
      { key: 'email', message: 'Email address is not valid.' },
    ]);
  return email;
}

/** Users named by e-mail who have no account yet get one (without a token), as an invitation would. */
export function userByEmail(ctx: Ctx, email: string): UserRow {
  const existing = ctx.store.first('users', { email });
  if (existing) return existing;
  const name = email.split('@')[0] ?? email;
  const id = ctx.store.insert('users', {
    email,
    name,
    mfaEnabled: false,
    isSuperAdmin: false,
    tokenHash: null,
    created: nowSec(ctx),
  });
  const created = ctx.store.get('users', id);
  if (!created) throw new Error('User insert failed');
  return created;
}

export const PROJECT_MFA_MESSAGE = 'This project requires users to have multi-factor authentication enabled';
export const ORG_MFA_MESSAGE = 'This organization requires users to have multi-factor authentication enabled';
