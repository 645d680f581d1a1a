// The launcher's part of the locale packs (the panel's part is in ../strings/): kept apart so the
// launcher stays tiny and shares no runtime module with the panel chunk.

import type { LauncherStrings } from '../strings/types.ts';
import type { Locale } from '../types.ts';

export const LAUNCHER_STRINGS: Record<Locale, LauncherStrings> = {
  en: {
    launcherLabel: 'Support',
    contactSupport: 'Contact support',
    pendingRequests: 'pending access requests: {count}',
  },
  cs: {
    launcherLabel: 'Podpora',
    contactSupport: 'Kontaktovat podporu',
    pendingRequests: 'čekající žádosti o přístup: {count}',
  },
};

/** `cs`, `cs-CZ` → `cs`; anything else (no tag included: it tests as "undefined") → `en`. */
export const pickLocale = (tag?: string): Locale => (/^cs\b/i.test(tag as string) ? 'cs' : 'en');
