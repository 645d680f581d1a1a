// A small hand-written validator: typed results, unknown fields refused, every failure a 400/422
// error body. Small enough that a dependency would not pay for itself.
import { ApiFailure, badRequest, validation } from '../domain/errors.ts';

export type Check<T> = (value: unknown, key: string) => T;

export const str =
  (opts: { max?: number; min?: number } = {}): Check<string> =>
  (v, key) => {
    if (typeof v !== 'string') throw validation(`${key} must be a string.`, key);
    if (opts.min !== undefined && v.length < opts.min) throw validation(`${key} is too short.`, key);
    if (opts.max !== undefined && v.length > opts.max)
      throw validation(`${key} must be at most ${opts.max} characters long.`, key);
    return v;
  };

export const int =
  (opts: { min?: number; max?: number } = {}): Check<number> =>
  (v, key) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      throw validation(`${key} must be an integer.`, key);
    if (opts.min !== undefined && v < opts.min) throw validation(`${key} must be at least ${opts.min}.`, key);
    if (opts.max !== undefined && v > opts.max) throw validation(`${key} must be at most ${opts.max}.`, key);
    return v;
  };

/** Booleans in request bodies accept true/false and 0/1. */
export const bool: Check<boolean> = (v, key) => {
  if (v === true || v === 1) return true;
  if (v === false || v === 0) return false;
  throw validation(`${key} must be true, false, 0 or 1.`, key);
};

export const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, key) => {
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    throw validation(`${key} must be one of: ${values.join(', ')}.`, key);
  };

export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v, key) =>
    v === undefined ? undefined : check(v, key);

/** Absent or null both mean "not given". */
export const maybe =
  <T>(check: Check<T>): Check<T | null | undefined> =>
  (v, key) =>
    v === undefined || v === null ? v : check(v, key);

export const arrayOf =
  <T>(check: Check<T>, max: number): Check<T[]> =>
  (v, key) => {
    if (!Array.isArray(v)) throw validation(`${key} must be an array.`, key);
    if (v.length > max) throw validation(`${key} may hold at most ${max} items.`, key);
    return v.map((item, i) => check(item, `${key}[${i}]`));
  };

type Shape = Record<string, Check<unknown>>;
export type Infer<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

export const object =
  <S extends Shape>(shape: S): Check<Infer<S>> =>
  (v, key) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw validation(`${key} must be a JSON object.`, key);
    const record = v as Record<string, unknown>;
    for (const k of Object.keys(record))
      if (!Object.hasOwn(shape, k)) throw validation(`Unknown field "${k}".`, k);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(shape)) {
      const check = shape[k];
      if (check) out[k] = check(record[k], k);
    }
    return out as Infer<S>;
  };

/** Parses a JSON body; an empty body reads as `{}` so endpoints with optional bodies accept none. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiFailure(400, 'manage.malformedJson', 'Malformed JSON in request body.');
  }
}

/** Path ids are positive integers; anything else is a 400, not a 404 or a 500. */
export function parseId(raw: string | undefined, key: string): number {
  if (raw === undefined || !/^[1-9][0-9]{0,14}$/.test(raw))
    throw validation(`${key} must be a positive integer.`, key);
  return Number(raw);
}

/** A paging query parameter (offset, limit) of our lists: a whole number from 0 to `max`, else 400. */
export function pageParam(raw: string | undefined, key: string, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(raw) || Number(raw) > max)
    throw badRequest(`${key} must be a whole number from 0 to ${max}.`, [{ key, message: 'Invalid value' }]);
  return Number(raw);
}
