// Public types of the widget: options, events and the JS API. Type-only: both the launcher and the
// lazily loaded panel import from here without sharing any runtime code.
import type { CreateTicketBody, TicketSeverity, TicketType } from '../api/types.ts';
import type { Locale } from './common/locale.ts';
import type { OrganizationStrings } from './org/strings.ts';
import type { Strings } from './strings/types.ts';
import type { LiveOptions } from './users/model.ts';
import type { UsersStrings } from './users/strings.ts';

export type { Locale };
export type ColorScheme = 'light' | 'dark' | 'system';

/** Colours and shapes; each maps to a CSS custom property on the widget's host element. */
export interface ThemeOptions {
  scheme?: ColorScheme;
  /** `--support-kit-accent` */
  accent?: string;
  /** `--support-kit-accent-text`: text on the accent colour. */
  accentText?: string;
  /** `--support-kit-radius` in px. */
  radius?: number;
  /** `--support-kit-font` */
  font?: string;
}

export interface MenuLink {
  label: string;
  href: string;
}

export interface SupportKitOptions {
  /** Stack root, e.g. `https://connection.keboola.com`. */
  apiBaseUrl: string;
  /** A fixed Manage API token... */
  token?: string;
  /** ...or a function returning the current one (called on every request). */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  project?: { id: number; name: string };
  /**
   * The signed-in user. `role` is their role in `project`: with `admin` or `share` (who may decide
   * join requests) and `usersPanel`, the button shows the pending requests' count (one small request
   * at idle); with any other role, or none, nothing is asked before intent.
   */
  user?: { id?: number; name?: string; email?: string; role?: string };
  /** `en` or `cs`; a tag like `cs-CZ` picks `cs`. Default: the page's `lang`, then English. */
  locale?: string;
  /** Overrides any string of the active locale pack. */
  strings?: Partial<Strings>;
  theme?: ColorScheme | ThemeOptions;
  position?: 'bottom-right' | 'bottom-left';
  /** Distance of the button from the viewport's corner, in px. */
  offset?: { x?: number; y?: number };
  zIndex?: number;
  /** Menu entries: documentation and status page links, plus any of the host's own. */
  docsUrl?: string;
  statusUrl?: string;
  links?: MenuLink[];
  /** Show the "Users & access" entry (project members). */
  usersPanel?: boolean;
  /** The host app's version, sent with tickets. */
  appVersion?: string;
  /** Raise the error alert when the host page's own `fetch` gets a 5xx. */
  catchFetchErrors?: boolean;
  /** Draw the floating button (default true); without it, open the widget through the API. */
  showButton?: boolean;
  /** Ticket submit timeout in ms (default 15 000). */
  timeoutMs?: number;
  /** CSP nonce for the `<style>` fallback in browsers without constructable stylesheets. */
  nonce?: string;
  /**
   * E-mail domains of the vendor's support staff (e.g. `['keboola.com']`): on a stack whose project users
   * carry no `kind` (Keboola's), members with such an address are badged as support users.
   */
  supportEmailDomains?: string[];
  /**
   * On a stack without our tickets endpoint (Keboola's), the ticket form offers to e-mail the ticket
   * here (a `mailto:` link with subject, description and the context block); the draft is kept.
   */
  supportEmail?: string;
  /**
   * On a stack without our tickets endpoint, the form hands the ticket to this function instead (the
   * host's own support channel, e.g. its Zendesk) and shows the id it resolves to.
   */
  submitTicket?: (ticket: CreateTicketBody) => string | number | Promise<string | number>;
}

/** What `reportError` and `contactButton` accept: our shape or a Keboola error body as-is. */
export interface ErrorReport {
  message?: string;
  /** Keboola's error body calls the message `error`. */
  error?: string;
  exceptionId?: string;
  /** HTTP status; Keboola bodies carry `"status": "error"`, which is ignored. */
  status?: number | string;
  /** Ours is a string; Keboola may send an integer or none. */
  code?: string | number;
  requestId?: string;
  url?: string;
  errors?: unknown;
}

export interface PrefillData {
  subject?: string;
  description?: string;
  type?: TicketType;
  severity?: TicketSeverity;
  error?: ErrorReport;
}

export interface TicketCreatedEvent {
  id: number;
  number: string;
  /** True when the ticket had waited in the outbox. */
  queued: boolean;
}

export interface SupportKitEvents {
  open: undefined;
  close: undefined;
  ticketCreated: TicketCreatedEvent;
  ticketQueued: { idempotencyKey: string; reason: string };
  error: { code: string; message: string };
}
export type SupportKitEventName = keyof SupportKitEvents;
export type Listener<K extends SupportKitEventName> = (payload: SupportKitEvents[K]) => void;

/** The public JS API: `window.SupportKit.open()`, or the named exports of the npm package. */
export interface SupportKitApi {
  init(options: SupportKitOptions): void;
  open(): void;
  close(): void;
  prefill(data: PrefillData): void;
  reportError(error: ErrorReport): void;
  contactButton(error?: ErrorReport): HTMLButtonElement;
  on<K extends SupportKitEventName>(type: K, listener: Listener<K>): () => void;
  off<K extends SupportKitEventName>(type: K, listener: Listener<K>): void;
  /**
   * Mounts the "Users & access" panel into a host page element (its code loads on this call). The
   * snippet's queued form cannot return it; a direct call resolves to the handle.
   */
  mountUsers(el: HTMLElement, options: UsersPanelOptions): Promise<UsersHandle>;
  /** Mounts the organization's Auto Join setting into a host page element. */
  mountOrganizationSettings(
    el: HTMLElement,
    options: OrganizationSettingsOptions,
  ): Promise<OrganizationSettingsHandle>;
  setLocale(locale: string): void;
  setTheme(theme: ColorScheme | ThemeOptions): void;
  destroy(): void;
}

/** The Manage API token of a users or organization part, fixed or read on every request. */
export type TokenGetter = () => string | null | undefined | Promise<string | null | undefined>;

export interface UsersPanelOptions {
  /** Stack root, e.g. `https://connection.keboola.com`. */
  apiBaseUrl: string;
  /** A fixed Manage API token... */
  token?: string;
  /** ...or a function returning the current one (read on every request). */
  getToken?: TokenGetter;
  projectId: number;
  /** E-mail domains of support staff, for stacks whose project users carry no `kind` (see api/keboola.ts). */
  supportEmailDomains?: string[];
  /** `en` or `cs` (`cs-CZ` picks `cs`); default: the page's `lang`, then English. */
  locale?: string;
  /** Overrides any string of the active locale pack. */
  strings?: Partial<UsersStrings>;
  /** Called with the number of pending requests the signed-in user may decide, whenever it changes. */
  onPendingCount?(count: number): void;
  /** Follow the events stream (default true). */
  live?: boolean;
  /** Access history entries per page (default 20). */
  logPageSize?: number;
  /** CSP nonce for the `<style>` fallback where constructable stylesheets are missing. */
  nonce?: string;
  /** For tests and hosts that wrap `fetch`. */
  fetch?: typeof fetch;
  /** For tests: how live updates run (visibility, the events memory, poll and reconnect delays). */
  liveOptions?: Omit<LiveOptions, 'fetch'>;
  /**
   * The element whose `lang` and `data-scheme` the mounted panel follows (default: the page's
   * launcher, `<support-kit>`, so `setLocale` and `setTheme` reach it).
   */
  look?: HTMLElement;
}

export interface UsersHandle {
  destroy(): void;
  refresh(): Promise<void>;
}

export interface OrganizationSettingsOptions {
  apiBaseUrl: string;
  token?: string;
  getToken?: TokenGetter;
  organizationId: number;
  /** `en` or `cs`; default: the page's `lang`, then English. */
  locale?: string;
  strings?: Partial<OrganizationStrings>;
  nonce?: string;
  fetch?: typeof fetch;
  /**
   * The element whose `lang` and `data-scheme` the mounted panel follows (default: the page's
   * launcher, `<support-kit>`, so `setLocale` and `setTheme` reach it).
   */
  look?: HTMLElement;
}

export interface OrganizationSettingsHandle {
  destroy(): void;
  refresh(): Promise<void>;
}
