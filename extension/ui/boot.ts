// The first script of the popup and the side panel: paints the stored snapshot of the first view
// (snapshot.ts), then loads the app. Built apart into one small classic script, /extension/boot.js
// (see build.config.ts): MV3 allows no inline script, and a module would wait for the app's chunks.
// The build moved the app's module and chunk preloads from the page to this script's data-app and
// data-preload: loaded from here once the snapshot is painted (or at once without one), they do not
// compete with it for the browser's file loads.
import { SETTINGS_KEY } from '../settings-format.ts';
import { bootSnapshot, SNAPSHOT_CLASS, type SnapshotMode } from './snapshot.ts';

type StorageArea = { get(key: string): Promise<Record<string, unknown>> };
const ext = globalThis as { browser?: { storage?: { local?: StorageArea } }; chrome?: typeof chrome };
const local: StorageArea | undefined = ext.browser?.storage?.local ?? ext.chrome?.storage?.local;
const mode: SnapshotMode = location.pathname.endsWith('/sidepanel.html') ? 'sidepanel' : 'popup';
// Only while this script runs for the first time.
const me = document.currentScript as HTMLScriptElement | null;

let started = false;
function startApp(): void {
  if (started) return;
  started = true;
  const entry = me?.dataset.app;
  if (!entry) return;
  for (const href of (me?.dataset.preload ?? '').split(' ').filter(Boolean)) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = href;
    document.head.append(link);
  }
  const script = document.createElement('script');
  script.type = 'module';
  script.crossOrigin = '';
  script.src = entry;
  document.head.append(script);
}

/** As Preact runs effects: after the next animation frame, or 35 ms when frames do not come. */
function afterNextFrame(callback: () => void): void {
  let raf = 0;
  const done = () => {
    clearTimeout(timeout);
    cancelAnimationFrame(raf);
    setTimeout(callback);
  };
  const timeout = setTimeout(done, 35);
  raf = requestAnimationFrame(done);
}

try {
  if (!local) throw new Error('no extension storage');
  void bootSnapshot(
    {
      doc: document,
      storage: localStorage,
      readSettings: async () => (await local.get(SETTINGS_KEY))[SETTINGS_KEY],
      now: Date.now,
      afterNextFrame,
      setTimeout: (callback, ms) => void setTimeout(callback, ms),
      mark: (name, detail) => void performance.mark(name, { detail }),
      hasMark: (name) => performance.getEntriesByName(name).length > 0,
      startApp,
    },
    mode,
  )
    // bootSnapshot starts the app itself on every path: at once when there is nothing to paint, after
    // the snapshot's frame when there is. Starting it here as well (it once did, in a `finally`) began
    // the app's loads before that frame, and on a loaded machine the app painted first.
    .catch(() => {
      document.documentElement.classList.remove(SNAPSHOT_CLASS);
      startApp();
    });
} catch {
  // No localStorage (disabled) or extension storage: the app paints as it always did.
  startApp();
}
