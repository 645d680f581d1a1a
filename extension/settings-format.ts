// Where and in which version the settings are stored. Its own module, with no imports: the popup's
// boot script (ui/boot.ts) reads the stored settings before any other script has loaded.

/** The extension-storage key of the settings. */
export const SETTINGS_KEY = 'settings';
/** The version `settings.ts` writes; older stored values are migrated when read. */
export const SETTINGS_VERSION = 3;
