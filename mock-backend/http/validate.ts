// What the declarations' schemas do not parse: the JSON text itself and the path's parameters
// (plain patterns, read on every request before anything else).
import { ApiFailure, validation } from '../domain/errors.ts';
import { textProblem } from '../domain/inputs.ts';

/** Parses a JSON body; an empty body reads as `{}` so endpoints with optional bodies accept none. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiFailure(400, 'manage.malformedJson', 'Malformed JSON in request body.');
  }
}

const ID = /^[1-9][0-9]{0,14}$/;

/** Path ids are positive integers; anything else is a 400, not a 404 or a 500. */
export function parseId(raw: string | undefined, key: string): number {
  if (raw === undefined || !ID.test(raw)) throw validation(`${key} must be a positive integer.`, key);
  return Number(raw);
}

/** `DELETE /users/{userIdOrEmail}`: a positive integer id, or an e-mail address. */
export function userIdOrEmail(raw: string | undefined): number | string {
  if (raw && ID.test(raw)) return Number(raw);
  // The text rule before any look-up: PostgreSQL answers a NUL in a query with an error.
  if (raw?.includes('@') && textProblem(raw, { max: 254, multiline: false }) === null) return raw;
  throw validation('userIdOrEmail must be a user id or an e-mail address.', 'userIdOrEmail');
}
