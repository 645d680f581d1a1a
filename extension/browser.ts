// The one module that imports webextension-polyfill. Everything else imports the browser API from here,
// so tests stub it in one place (extension/test-setup.ts) and Chromium-only APIs are typed once.
import browser from 'webextension-polyfill';

export type { Runtime } from 'webextension-polyfill';
export { browser };

/** Chromium's side panel (not in the polyfill); undefined in Firefox, which has `sidebarAction`. */
export function chromeSidePanel(): typeof chrome.sidePanel | undefined {
  const c = (globalThis as { chrome?: typeof chrome }).chrome;
  return c?.sidePanel;
}

/** Firefox's sidebar; undefined in Chromium. */
export function firefoxSidebar(): { open(): Promise<void> } | undefined {
  const b = browser as unknown as { sidebarAction?: { open(): Promise<void> } };
  return b.sidebarAction;
}

/** Firefox does not support buttons on notifications; Chromium does. */
export function notificationButtonsSupported(): boolean {
  return typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo !== 'function';
}

/** After an update or reload the old page's API is gone: expected, not a crash. */
export function isContextInvalidated(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Extension context invalidated|Receiving end does not exist|message port closed/i.test(message);
}
