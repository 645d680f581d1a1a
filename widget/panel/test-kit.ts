// Component tests' harness for the widget: the real launcher and panel, the real backend app behind
// MSW (memory store, demo data), a fresh IndexedDB per test.
import { within } from '@testing-library/preact';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach } from 'vitest';
import { createSupportKit } from '../launcher/core.ts';
import type { SupportKitApi, SupportKitOptions } from '../types.ts';
import { BASE, TOKENS } from '../users/test-backend.ts';

export { as, BASE, TOKENS, useBackend } from '../users/test-backend.ts';

export const PROJECT = { id: 100, name: 'Acme Main' };

let kits: SupportKitApi[] = [];

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  // MSW leaves `fetch` read-only; a page's is writable (catchFetchErrors wraps it).
  Object.defineProperty(globalThis, 'fetch', { value: globalThis.fetch, writable: true, configurable: true });
  localStorage.clear();
  setOnline(true);
});

afterEach(() => {
  for (const kit of kits) kit.destroy();
  kits = [];
  document.body.innerHTML = '';
});

export function setOnline(online: boolean): void {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
}

/** `init` a new widget (a page load); `ui` queries inside its shadow root. */
export function startWidget(options: Partial<SupportKitOptions> = {}) {
  const kit = createSupportKit(() => import('./index.tsx'));
  kits.push(kit);
  kit.init({
    apiBaseUrl: BASE,
    token: TOKENS.admin,
    project: PROJECT,
    user: { name: 'Ada Admin', email: 'admin@acme.test' },
    locale: 'en',
    appVersion: '2.4.1',
    ...options,
  });
  const hosts = document.querySelectorAll('support-kit');
  const host = hosts[hosts.length - 1];
  const root = host?.shadowRoot;
  if (!root) throw new Error('no shadow root');
  const ui = within(root as unknown as HTMLElement);
  const button = () => {
    const b = root.querySelector<HTMLButtonElement>('button.b');
    if (!b) throw new Error('no launcher button');
    return b;
  };
  return { kit, root, ui, button };
}

/** A page reload: the old widget goes away, a new one starts over the same IndexedDB. */
export function reload(widget: { kit: SupportKitApi }, options: Partial<SupportKitOptions> = {}) {
  widget.kit.destroy();
  kits = kits.filter((k) => k !== widget.kit);
  return startWidget(options);
}
