// The base of the tolerant reading (keboola.ts): the helpers every reader uses, and tokens/verify.
import type { TokenVerification, UserRef } from './types.ts';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
export const num = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
export const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';

/** An object with an id, or undefined. */
export const withId = (v: unknown): (Obj & { id: number }) | undefined => {
  const id = isObj(v) ? num(v.id) : undefined;
  return id === undefined ? undefined : { ...(v as Obj), id };
};
export const userRefOf = (o: Obj & { id: number }): UserRef => ({
  id: o.id,
  name: str(o.name),
  email: str(o.email),
});
/** `user` is null for a token without a user (Keboola's application and super tokens). */
export function readTokenVerification(v: unknown): TokenVerification | undefined {
  if (!isObj(v)) return undefined;
  const u = withId(v.user);
  return {
    id: num(v.id) ?? 0,
    description: str(v.description),
    user: u
      ? {
          ...userRefOf(u),
          mfaEnabled: bool(u.mfaEnabled),
          isSuperAdmin: bool(u.isSuperAdmin),
          features: Array.isArray(u.features) ? u.features.filter((f) => typeof f === 'string') : [],
        }
      : null,
  };
}
