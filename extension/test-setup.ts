// Setup for the extension's unit and component tests: IndexedDB in memory, and the browser API stubbed
// here, in one place. UI calls through callWorker() reach the real handler map in-process.
import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/preact';
import { afterEach, beforeEach, vi } from 'vitest';
import { fakeBrowser } from './test-browser.ts';

vi.mock('webextension-polyfill', async () => ({ default: (await import('./test-browser.ts')).fakeBrowser }));

const { routeMessage } = await import('./handlers.ts');
const { clearCache } = await import('./db.ts');

fakeBrowser.runtime.onMessage.addListener((message, sender) => routeMessage(message, sender.id));

beforeEach(async () => {
  fakeBrowser.reset();
  // The popup's stored first view (ui/snapshot.ts) lives in the page's localStorage.
  localStorage.clear();
  await clearCache();
});

afterEach(() => {
  cleanup();
});
