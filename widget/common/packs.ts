// The one string-pack loader of the lazily loaded parts (the support panel, the users panel and the
// Auto Join setting): English bundled, Czech a chunk of its own, loaded only when the locale is Czech.
// Apart from locale.ts, so that the launcher's copy of that stays small and the support chunk does
// not carry pickLocale for the users parts.
import type { Locale } from './locale.ts';

export interface Packs<T> {
  /** The pack of `locale` if it is here (English always is). */
  get(locale: Locale): T | undefined;
  /** Resolves once the pack of `locale` is here: only the active locale is ever loaded. */
  load(locale: Locale): Promise<unknown>;
}

/** Locale packs: English bundled, Czech a lazily loaded chunk (a module exporting `cs`). */
export function createPacks<T>(en: T, csModule: () => Promise<{ cs: T }>): Packs<T> {
  const have: Partial<Record<Locale, T>> = { en };
  return {
    get: (locale) => have[locale],
    load: async (locale) => (have[locale] ??= (await csModule()).cs),
  };
}
