// The widget's locales and the one `pickLocale` of every part (the launcher, the support panel, the
// users panel and the Auto Join setting). Imports nothing: the launcher builds in its own copy
// (build.config.ts), and the lazy parts share one.

export type Locale = 'en' | 'cs';

/** `cs`, `cs-CZ` → `cs`; anything else → `en`. Without a tag, the browser's language. */
export const pickLocale = (tag = navigator.language): Locale => (/^cs\b/i.test(tag) ? 'cs' : 'en');
