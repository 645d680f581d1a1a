// Effects of the popup and the side panel: holding the worker's live stream while the view is shown,
// and the snapshot the next open paints first (snapshot.ts). App.tsx renders.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from '../browser.ts';
import { reportError } from '../errors.ts';
import { LIVE_PORT, OPEN_TICKET_KEY, OPEN_TICKET_MS } from '../messages.ts';
import { readyStacks, type Settings } from '../settings.ts';
import {
  CACHE_PAINT_MARK,
  captureView,
  dropSnapshots,
  pageStorage,
  type SnapshotMode,
  saveSnapshot,
  snapshotKey,
  takeOver,
} from './snapshot.ts';

/**
 * While open and visible: keep the worker streaming live events (a hidden side panel lets the stream
 * go, and shown again resumes it); `onShown` runs once per set of stacks (refresh, prefill).
 */
export function useLiveStream(configured: boolean, stacksKey: string, onShown: () => void): void {
  useEffect(() => {
    if (!configured) return;
    let port: ReturnType<typeof browser.runtime.connect> | null = null;
    let ping: ReturnType<typeof setInterval> | undefined;
    const hold = () => {
      if (port) return;
      try {
        port = browser.runtime.connect({ name: LIVE_PORT });
      } catch (e) {
        reportError(e, 'connect');
        return;
      }
      ping = setInterval(() => {
        try {
          port?.postMessage({ ping: Date.now() });
        } catch {
          clearInterval(ping);
        }
      }, 20_000);
    };
    const release = () => {
      clearInterval(ping);
      port?.disconnect();
      port = null;
    };
    const onVisibility = () => (document.visibilityState === 'hidden' ? release() : hold());
    if (document.visibilityState !== 'hidden') hold();
    document.addEventListener('visibilitychange', onVisibility);
    onShown();
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      release();
    };
  }, [configured, stacksKey]);
}

/**
 * The view is the app's own once `viewReady`: the snapshot boot.ts painted goes, in that same frame.
 * What the next open paints before its scripts load: this view while `pristine` (nothing typed or
 * opened in it), under the key of these settings; signed out, no snapshot is kept. `shown` lists
 * what the view shows, so a change of it saves again.
 */
export function usePageSnapshot(o: {
  root: { current: HTMLElement | null };
  settings: Settings | null;
  viewReady: boolean;
  pristine: boolean;
  mode: SnapshotMode;
  shown: unknown[];
}): void {
  const { viewReady, settings, pristine, mode } = o;
  useLayoutEffect(() => {
    if (viewReady) takeOver(document);
  }, [viewReady]);
  const keyPromise = useMemo(() => (settings ? snapshotKey(readyStacks(settings)) : null), [settings]);
  const keyRef = useRef(keyPromise);
  keyRef.current = keyPromise;
  // Read in the commit itself (a layout effect): later, the page may hold what the user has typed since.
  useLayoutEffect(() => {
    const storage = pageStorage();
    const root = o.root.current;
    if (!viewReady || !keyPromise || !storage || !root) return;
    const nodes = pristine ? captureView(root) : null;
    void keyPromise.then((key) => {
      if (keyRef.current !== keyPromise) return;
      dropSnapshots(storage, key);
      if (key && nodes) saveSnapshot(storage, mode, key, nodes, Date.now());
    });
  }, [viewReady, keyPromise, pristine, mode, ...o.shown]);
}

/** For the benchmark: when the first cached rows were painted (a mark in the page's timeline). */
export function useCachePaintMark(painted: boolean): void {
  useEffect(() => {
    if (painted && performance.getEntriesByName(CACHE_PAINT_MARK).length === 0)
      performance.mark(CACHE_PAINT_MARK, { detail: 'app' });
  }, [painted]);
}

/**
 * A reply notification clicked a moment ago (background.ts): this open goes to its thread, once.
 * Answers the ticket to open, and calls `onFound` (which shows the Tickets tab).
 */
export function useTicketFromNotification(
  configured: boolean,
  onFound: () => void,
): { stack: string; id: number } | null {
  const [target, setTarget] = useState<{ stack: string; id: number } | null>(null);
  useEffect(() => {
    if (!configured) return;
    void (async () => {
      const got = (await browser.storage.local.get(OPEN_TICKET_KEY))[OPEN_TICKET_KEY] as
        | { stack?: unknown; ticketId?: unknown; at?: unknown }
        | undefined;
      if (!got) return;
      await browser.storage.local.remove(OPEN_TICKET_KEY);
      const { stack, ticketId, at } = got;
      if (typeof stack !== 'string' || typeof ticketId !== 'number' || typeof at !== 'number') return;
      if (Date.now() - at > OPEN_TICKET_MS) return;
      setTarget({ stack, id: ticketId });
      onFound();
    })().catch((e: unknown) => reportError(e, 'openTicket'));
  }, [configured]);
  return target;
}
