// The launcher's part of the locale packs (the panel's part is in ../strings/): kept apart so the
// launcher stays tiny and shares no runtime module with the panel chunk.

import type { LauncherStrings } from '../strings/types.ts';
import type { Locale } from '../types.ts';

export const LAUNCHER_STRINGS: Record<Locale, LauncherStrings> = {
  en: { launcherLabel: 'Support', contactSupport: 'Contact support' },
  cs: { launcherLabel: 'Podpora', contactSupport: 'Kontaktovat podporu' },
};

/** `cs`, `cs-CZ` → `cs`; anything else → `en`. */
export function pickLocale(tag: string | undefined): Locale {
  return /^cs\b/i.test(tag ?? '') ? 'cs' : 'en';
}
