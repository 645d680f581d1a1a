// The public entry of the npm package: named functions and types, nothing else.

export type { OrganizationStrings } from './org/strings.ts';
export {
  close,
  contactButton,
  destroy,
  init,
  mountOrganizationSettings,
  mountUsers,
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
  OrganizationSettingsHandle,
  OrganizationSettingsOptions,
  PrefillData,
  SupportKitApi,
  SupportKitEventName,
  SupportKitEvents,
  SupportKitOptions,
  ThemeOptions,
  TicketCreatedEvent,
  UsersHandle,
  UsersPanelOptions,
} from './types.ts';
export type { UsersStrings } from './users/strings.ts';
