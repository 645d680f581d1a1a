// The public entry of the npm package: named functions and types, nothing else.
export {
  close,
  contactButton,
  destroy,
  init,
  off,
  on,
  open,
  prefill,
  reportError,
  setLocale,
  setTheme,
} from './sdk.ts';
export type { LauncherStrings, PanelStrings, Strings } from './strings/types.ts';
export type {
  ColorScheme,
  ErrorReport,
  Listener,
  Locale,
  MenuLink,
  PrefillData,
  SupportKitApi,
  SupportKitEventName,
  SupportKitEvents,
  SupportKitOptions,
  ThemeOptions,
  TicketCreatedEvent,
} from './types.ts';
