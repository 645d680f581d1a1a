// The widget's locales: one `pickLocale` and one string-pack loader for every part (the launcher, the
// support panel, the users panel and the Auto Join setting). Imports nothing, so any part may use it.

export type Locale = 'en' | 'cs';

/** `cs`, `cs-CZ` → `cs`; anything else → `en`. Without a tag, the browser's language. */
export const pickLocale = (tag = navigator.language): Locale => (/^cs\b/i.test(tag) ? 'cs' : 'en');

export interface Packs<T> {
  /** The pack of `locale` if it is here (English always is). */
  get(locale: Locale): T | undefined;
  /** Resolves once the pack of `locale` is here: only the active locale is ever loaded. */
  load(locale: Locale): Promise<unknown>;
}

/** Locale packs: English bundled, Czech a lazily loaded chunk. */
export function createPacks<T>(en: T, cs: () => Promise<T>): Packs<T> {
  const have: Partial<Record<Locale, T>> = { en };
  return {
    get: (locale) => have[locale],
    load: async (locale) => (have[locale] ??= await cs()),
  };
}
