// The seam between the launcher (no Preact, always loaded) and the panel chunk (loaded on intent).
// Type-only on purpose: the panel must not import launcher code, or the bundler would make the
// panel chunk import the launcher file and run it a second time.
import type { LauncherStrings } from './strings/types.ts';
import type { ErrorReport, Locale, PrefillData, SupportKitEventName, SupportKitOptions } from './types.ts';

export interface Bridge {
  root: ShadowRoot;
  /** The launcher button, or null when `showButton: false`. Focus returns here on close. */
  button: HTMLButtonElement | null;
  options(): SupportKitOptions;
  /** The active locale, resolved from the options or the page's `lang`. */
  locale(): Locale;
  /** The launcher's strings of the active locale, overrides applied. */
  launcherStrings(): LauncherStrings;
  /** Adopts a stylesheet into the shadow root (constructable; a nonce'd `<style>` as the fallback). */
  addStyles(css: string): void;
  /** The page's `fetch` as it was before `catchFetchErrors` wrapped it. */
  fetch: typeof fetch;
  /** The host's event listeners (`on`/`off`); the panel calls them (see emit in models/widget.ts). */
  listeners: Partial<Record<SupportKitEventName, Set<(payload: never) => void>>>;
  /**
   * The dot with a count on the launcher button (0 hides it): pending join requests (issue 5) and
   * tickets with an unread reply (issue 20).
   */
  setBadge(count: number): void;
}

export interface PanelHandle {
  open(prefill?: PrefillData): void;
  close(): void;
  toggle(): void;
  prefill(data: PrefillData): void;
  reportError(error: ErrorReport): void;
  /** A 5xx the host page's own `fetch` got (`catchFetchErrors`): its body, if JSON, is the report. */
  reportResponse(response: Response): void;
  /** Options, locale or theme changed. */
  update(): void;
  destroy(): void;
}

/** A promise while the active locale's strings load. */
export type MountPanel = (bridge: Bridge) => PanelHandle | Promise<PanelHandle>;
