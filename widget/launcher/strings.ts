// The launcher's part of the locale packs (the panel's part is in ../strings/): kept apart so the
// launcher stays tiny and shares no runtime module with the panel chunk.

import type { Locale } from '../common/locale.ts';
import type { LauncherStrings } from '../strings/types.ts';

export const LAUNCHER_STRINGS: Record<Locale, LauncherStrings> = {
  en: {
    launcherLabel: 'Support',
    contactSupport: 'Contact support',
    pendingRequests: '{count} new',
  },
  cs: {
    launcherLabel: 'Podpora',
    contactSupport: 'Kontaktovat podporu',
    pendingRequests: 'nové: {count}',
  },
};
