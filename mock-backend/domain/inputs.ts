// Checks on values that the rules themselves own (reasons, durations, e-mails: what depends on who asks
// or answers 422; a role is checked by its schema in api/schemas.ts), so the same
// messages come out whichever endpoint takes them.
import { ACCESS_LIMITS } from '../../api/types.ts';
import type { UserRow } from '../store/schema.ts';
import { type Ctx, nowSec } from './context.ts';
import { ApiFailure, badRequest, validation } from './errors.ts';

const { reasonMax, outsiderDefaultSeconds, outsiderMaxSeconds, expirationMaxSeconds } = ACCESS_LIMITS;

/**
 * Text must say something: at least one letter or digit, in any script, that is not a default
 * ignorable one (the Hangul fillers are letters that render as nothing).
 */
const SAYS_SOMETHING = /(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{N}]/u;
/**
 * Refused outright: control characters other than tab, LF and CR (NUL, escapes, C1), the
 * bidirectional embeddings, overrides and isolates that make a text read differently than it is,
 * and unpaired surrogates (not text at all: PostgreSQL refuses them in JSON, SQLite mangles them).
 * docs/rules.md#reasons allows "line breaks": we read that strictly as LF and CR, so VT, FF and NEL are refused too.
 * The implicit marks (LRM, RLM, ALM) stay allowed: right-to-left names need them, and they reorder
 * only the punctuation and digits beside them, never a run of letters.
 */
function refusedCharacter(codePoint: number): boolean {
  if (codePoint < 0x20) return codePoint !== 0x09 && codePoint !== 0x0a && codePoint !== 0x0d;
  return (
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069) ||
    (codePoint >= 0xd800 && codePoint <= 0xdfff)
  );
}

export type TextProblem = 'character' | 'lineBreak' | 'length';

/**
 * THE text rule for everything a person reads that another person typed (reasons, names, ticket
 * subjects and descriptions, token descriptions, attachment names, e-mail addresses): what is wrong
 * with `raw`, or null. Line breaks (LF, CR) only where the field is `multiline`; `max` counts code
 * points. (A lone surrogate is one code point of its own when iterated, so it is seen here.)
 */
export function textProblem(raw: string, o: { max: number; multiline: boolean }): TextProblem | null {
  let length = 0;
  let lineBreak = false;
  for (const ch of raw) {
    length++;
    const cp = ch.codePointAt(0) ?? 0;
    if (refusedCharacter(cp)) return 'character';
    if (cp === 0x0a || cp === 0x0d) lineBreak = true;
  }
  if (lineBreak && !o.multiline) return 'lineBreak';
  return length > o.max ? 'length' : null;
}

/** Whether a text says something: a letter or digit that renders. */
export const saysSomething = (text: string): boolean => SAYS_SOMETHING.test(text);

/** A field of text a person reads: its key in errors, what messages call it, its limits. */
export interface TextField {
  key: string;
  label: string;
  max: number;
  multiline?: boolean;
  /** It must say something (a letter or digit), else 400; otherwise it may also be empty. */
  required?: boolean;
}

/**
 * The text rule applied to one field: the text trimmed, or 400 `manage.validationError` with the
 * field's key. Every user-supplied name, subject and message goes through here (or, for reasons,
 * normalizeReason, which keeps the reason as given).
 */
export function cleanText(raw: string, field: TextField): string {
  const problem = textProblem(raw, { max: Number.POSITIVE_INFINITY, multiline: field.multiline === true });
  if (problem === 'character')
    throw validation(
      `${field.label} must not contain control characters, bidirectional overrides or unpaired surrogates.`,
      field.key,
    );
  if (problem === 'lineBreak') throw validation(`${field.label} must be one line.`, field.key);
  const text = raw.trim();
  if (text.length > field.max)
    throw validation(`${field.label} must be at most ${field.max} characters long.`, field.key);
  if (field.required && !saysSomething(text))
    throw validation(`${field.label} must have at least one letter or digit.`, field.key);
  return text;
}

/** A project's or organization's name: one line, a letter or digit, at most 255 characters. */
export const NAME_FIELD: TextField = { key: 'name', label: 'Name', max: 255, required: true };

const reasonError = (message: string) => badRequest(message, [{ key: 'reason', message }]);

/**
 * The reason rule of docs/rules.md#reasons (the text rule, multi-line). Without a letter or digit a reason counts
 * as missing (null), an error only where one is required; refused characters and more than 1,000
 * characters (code points) are errors for everyone. The reason is kept as given: it is plain text,
 * rendered as text.
 */
export function normalizeReason(raw: string | null | undefined, required: boolean): string | null {
  if (raw !== null && raw !== undefined) {
    const problem = textProblem(raw, { max: reasonMax, multiline: true });
    if (problem === 'character')
      throw reasonError('Reason must not contain control characters or bidirectional overrides.');
    if (problem === 'length') throw reasonError(`Reason must be at most ${reasonMax} characters long.`);
  }
  const reason = raw && saysSomething(raw) ? raw : null;
  if (reason === null && required)
    throw badRequest('Support and maintainer users must state a reason to enter a project.', [
      { key: 'reason', message: 'A reason is required.' },
    ]);
  return reason;
}

/** Expiry as epoch seconds. Privileged (support/maintainer) access always expires: 48 h by default, at most 7 days. */
export function expiryFrom(ctx: Ctx, seconds: number | undefined | null, privileged: boolean): number | null {
  if (seconds === undefined || seconds === null)
    return privileged ? nowSec(ctx) + outsiderDefaultSeconds : null;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > expirationMaxSeconds)
    throw validation('expirationSeconds must be a positive whole number of seconds.', 'expirationSeconds');
  if (privileged && seconds > outsiderMaxSeconds)
    throw validation(
      `Support and maintainer access may last at most 7 days (${outsiderMaxSeconds} seconds).`,
      'expirationSeconds',
    );
  return nowSec(ctx) + seconds;
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

/** Addresses are names people read too (and become a new user's name): the text rule, one line. */
export function parseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email) || textProblem(email, { max: 254, multiline: false }) !== null)
    throw new ApiFailure(422, 'manage.validationError', 'Email address is not valid.', [
      { key: 'email', message: 'Email address is not valid.' },
    ]);
  return email;
}

/** Users named by e-mail who have no account yet get one (without a token), as an invitation would. */
export async function userByEmail(ctx: Ctx, email: string): Promise<UserRow> {
  const existing = await ctx.store.first('users', { email });
  if (existing) return existing;
  const name = email.split('@')[0] ?? email;
  const id = await ctx.store.insert('users', {
    email,
    name,
    mfaEnabled: false,
    isSuperAdmin: false,
    tokenHash: null,
    created: nowSec(ctx),
  });
  const created = await ctx.store.get('users', id);
  if (!created) throw new Error('User insert failed');
  return created;
}

/** Our rule: support and maintainer users always have MFA, whatever the organization requires. */
export const outsiderMfaRequired = (to: 'enter a project' | 'join an organization') =>
  new ApiFailure(
    400,
    'manage.mfaRequired',
    `Support and maintainer users must have multi-factor authentication enabled to ${to}.`,
  );

export const PROJECT_MFA_MESSAGE = 'This project requires users to have multi-factor authentication enabled';
export const ORG_MFA_MESSAGE = 'This organization requires users to have multi-factor authentication enabled';
