// Live updates: the user's event stream (`GET /manage/current-user/events`, Server-Sent Events) read
// with fetch, so the token travels in the X-KBC-ManageApiToken header and never in a URL (EventSource
// cannot set headers; it also does not exist in service workers). One reader for the widget and the
// extension: it holds a stream only while the page is visible, resumes with Last-Event-ID, reconnects
// with back-off, and where the stack has no events endpoint (404, e.g. real Keboola) or refuses another
// stream (429) it falls back to a poll that backs off and pauses while the page is hidden.
import { createSseParser } from './sse.ts';
import { TOKEN_HEADER } from './transport.ts';
import type { SupportEventEnvelope } from './types.ts';

export const EVENTS_PATH = '/manage/current-user/events';

/** Whether the page is visible, and a way to hear when that changes. */
export interface Visibility {
  visible(): boolean;
  subscribe(onChange: () => void): () => void;
}

/** The document's visibility; outside a document (a service worker) always visible. */
export const documentVisibility: Visibility = {
  visible: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
  subscribe(onChange) {
    if (typeof document === 'undefined') return () => {};
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  },
};

/** A visibility set by hand: the extension's worker is "visible" while a popup or side panel is open. */
export function manualVisibility(initial: boolean): Visibility & { set(visible: boolean): void } {
  let visible = initial;
  const listeners = new Set<() => void>();
  return {
    visible: () => visible,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    set(next) {
      if (next === visible) return;
      visible = next;
      for (const fn of [...listeners]) fn();
    },
  };
}

/** Which stacks answered 404 for the events endpoint, so nobody asks them again for a while. */
export interface EventsMemory {
  unavailable(baseUrl: string): boolean;
  markUnavailable(baseUrl: string): void;
}

const NO_EVENTS_KEY = 'support-kit:no-events:';
/** A stack may gain the endpoint (an upgrade): after a day it is asked once more. */
const NO_EVENTS_TTL_MS = 24 * 3600_000;

function pageStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // blocked storage throws on access
  }
}

/**
 * In memory for this page (or worker), and in localStorage where there is one (`storage: null` for
 * memory only), per stack root.
 */
export function createEventsMemory(
  o: { now?: () => number; storage?: Pick<Storage, 'getItem' | 'setItem'> | null } = {},
): EventsMemory {
  const now = o.now ?? Date.now;
  const storage = () => (o.storage === undefined ? pageStorage() : (o.storage ?? undefined));
  const known = new Map<string, number>();
  const until = (base: string): number => {
    const mine = known.get(base);
    if (mine !== undefined) return mine;
    try {
      const stored = Number(storage()?.getItem(NO_EVENTS_KEY + base));
      return Number.isFinite(stored) ? stored : 0;
    } catch {
      return 0;
    }
  };
  return {
    unavailable: (base) => until(base) > now(),
    markUnavailable(base) {
      const t = now() + NO_EVENTS_TTL_MS;
      known.set(base, t);
      try {
        storage()?.setItem(NO_EVENTS_KEY + base, String(t));
      } catch {}
    },
  };
}

export const eventsMemory: EventsMemory = createEventsMemory();

export type LiveMode =
  /** Asking for the stream. */
  | 'connecting'
  /** The stream is open: changes arrive as events. */
  | 'stream'
  /** Waiting to reconnect after a drop. */
  | 'retrying'
  /** No stream on this stack (404) or no stream left for this user (429): polling. */
  | 'poll'
  /** The page is hidden: nothing open, nothing scheduled. */
  | 'paused'
  | 'stopped';

export interface Backoff {
  firstMs?: number;
  maxMs?: number;
}

export interface FollowOptions {
  /** Stack root, e.g. `https://connection.keboola.com` (the reader adds the events path). */
  baseUrl: string;
  /** The Manage API token, read before every connection attempt (it may have been renewed). */
  token: () => string | null | undefined | Promise<string | null | undefined>;
  onEvent(envelope: SupportEventEnvelope): void;
  /**
   * A stream opened. `resumed` is true when it continues from a Last-Event-ID (the server replays
   * what was missed); otherwise the caller should refetch, since events before now are not sent.
   */
  onOpen?(info: { resumed: boolean }): void;
  /** An open stream ended (dropped, paused or stopped): until the next onOpen nothing is live. */
  onClose?(): void;
  /** Each tick of the fallback poll: refetch what the events would have said. */
  onPoll?(): unknown;
  onMode?(mode: LiveMode): void;
  fetch?: typeof fetch;
  visibility?: Visibility;
  memory?: EventsMemory;
  /** Reconnecting after a drop: default 2 s doubling to 60 s (the server's `retry:` sets the first). */
  reconnect?: Backoff;
  /** The fallback poll: default 15 s doubling to 5 min; `false` when the caller polls by itself. */
  poll?: Backoff | false;
  /** Largest event the parser buffers (a stream that sends more is dropped). Default 1 MiB. */
  maxEventChars?: number;
}

export interface Follower {
  readonly mode: LiveMode;
  readonly lastEventId: string | null;
  stop(): void;
}

/** A stream that stayed open this long counts as healthy: the next drop reconnects fast again. */
const STABLE_MS = 30_000;
/** After a 429 the stream is tried again no sooner than this (or Retry-After, if longer). */
const BUSY_RETRY_MIN_MS = 60_000;
const BUSY_RETRY_MAX_MS = 15 * 60_000;

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function isEnvelope(v: unknown): v is SupportEventEnvelope {
  if (typeof v !== 'object' || v === null) return false;
  const e = (v as { event?: unknown }).event;
  return typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string';
}

/** Follows the signed-in user's events until stop(). */
export function followEvents(o: FollowOptions): Follower {
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  const visibility = o.visibility ?? documentVisibility;
  const memory = o.memory ?? eventsMemory;
  const base = o.baseUrl.replace(/\/+$/, '');
  const url = `${base}${EVENTS_PATH}`;
  const reconnectFirst = o.reconnect?.firstMs ?? 2000;
  const reconnectMax = o.reconnect?.maxMs ?? 60_000;
  const poll =
    o.poll === false ? undefined : { first: o.poll?.firstMs ?? 15_000, max: o.poll?.maxMs ?? 300_000 };

  let mode: LiveMode = 'connecting';
  let lastEventId: string | null = null;
  /** Bumped by every pause and stop: an attempt that belongs to an older generation does nothing. */
  let generation = 0;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let serverRetry: number | undefined;
  let failures = 0;
  let pollDelay = poll?.first ?? 0;
  /** Set after a 429: no stream before this time; the poll stands in meanwhile. */
  let busyUntil = 0;
  let busyStrikes = 0;

  const setMode = (next: LiveMode) => {
    if (next === mode) return;
    mode = next;
    o.onMode?.(next);
  };

  const parser = createSseParser({
    max: o.maxEventChars ?? 1024 * 1024,
    onEvent(m) {
      if (m.id) lastEventId = m.id;
      let parsed: unknown;
      try {
        parsed = JSON.parse(m.data);
      } catch {
        return; // not an envelope (a keep-alive message, say)
      }
      if (isEnvelope(parsed)) o.onEvent(parsed);
    },
    onRetry(ms) {
      serverRetry = Math.min(Math.max(ms, 500), reconnectMax);
    },
    onOverflow() {
      // A stream that buffers past the limit is dropped and reconnected, never held in memory.
      controller?.abort();
    },
  });

  const later = (ms: number, run: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };

  function scheduleReconnect(gen: number): void {
    if (gen !== generation) return;
    const first = serverRetry ?? reconnectFirst;
    const ms = Math.min(first * 2 ** failures, reconnectMax);
    failures++;
    setMode('retrying');
    later(ms, () => void connect());
  }

  function pollTick(gen: number): void {
    if (gen !== generation || !poll) return;
    // A 429 is not for ever: once its time is up the stream is tried again instead of polling.
    if (busyUntil && Date.now() >= busyUntil && !memory.unavailable(base)) {
      void connect();
      return;
    }
    void Promise.resolve()
      .then(() => o.onPoll?.())
      .catch(() => undefined)
      .then(() => nextPoll(gen));
  }

  /** The next tick after the current delay, and each one after that waits twice as long. */
  function nextPoll(gen: number): void {
    if (gen !== generation || !poll) return;
    later(pollDelay, () => pollTick(gen));
    pollDelay = Math.min(pollDelay * 2, poll.max);
  }

  function startPolling(gen: number, now: boolean): void {
    setMode('poll');
    if (poll) {
      if (now) pollTick(gen);
      else nextPoll(gen);
    } else if (busyUntil) {
      // The caller polls by itself; after a 429 the stream is still tried again once its time is up.
      later(Math.max(busyUntil - Date.now(), 0), () => void connect());
    }
  }

  async function connect(): Promise<void> {
    clearTimeout(timer);
    const gen = generation;
    setMode('connecting');
    const token = await o.token();
    if (gen !== generation) return;
    if (!token) return scheduleReconnect(gen);
    const ctrl = new AbortController();
    controller = ctrl;
    const headers: Record<string, string> = { Accept: 'text/event-stream', [TOKEN_HEADER]: token };
    const resumed = lastEventId !== null;
    if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
    let res: Response;
    try {
      // Never follow a redirect: the token header would go along to wherever it points.
      res = await doFetch(url, {
        headers,
        signal: ctrl.signal,
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'manual',
      });
    } catch {
      return scheduleReconnect(gen);
    }
    if (gen !== generation) {
      void res.body?.cancel().catch(() => undefined);
      return;
    }
    if (res.status === 404 || res.status === 429) {
      void res.body?.cancel().catch(() => undefined);
      if (res.status === 404) {
        memory.markUnavailable(base);
      } else {
        const wait = Math.max(retryAfterMs(res.headers.get('Retry-After')) ?? 0, BUSY_RETRY_MIN_MS);
        busyUntil = Date.now() + Math.min(wait * 2 ** busyStrikes, BUSY_RETRY_MAX_MS);
        busyStrikes++;
      }
      pollDelay = poll?.first ?? 0;
      return startPolling(gen, false);
    }
    if (!res.ok || !res.body) {
      void res.body?.cancel().catch(() => undefined);
      return scheduleReconnect(gen);
    }

    busyUntil = 0;
    busyStrikes = 0;
    parser.reset();
    const openedAt = Date.now();
    setMode('stream');
    o.onOpen?.({ resumed });
    try {
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // dropped, or aborted by a pause or stop
    } finally {
      o.onClose?.();
    }
    if (gen !== generation) return;
    if (Date.now() - openedAt >= STABLE_MS) failures = 0;
    scheduleReconnect(gen);
  }

  /** Hidden or stopped: close the stream and every timer; lastEventId is kept for the resume. */
  function halt(next: 'paused' | 'stopped'): void {
    generation++;
    clearTimeout(timer);
    controller?.abort();
    controller = undefined;
    setMode(next);
  }

  function resume(): void {
    failures = 0;
    pollDelay = poll?.first ?? 0;
    const gen = generation;
    if (memory.unavailable(base) || Date.now() < busyUntil) startPolling(gen, true);
    else void connect();
  }

  const onVisibility = () => {
    if (mode === 'stopped') return;
    if (!visibility.visible()) {
      if (mode !== 'paused') halt('paused');
    } else if (mode === 'paused') {
      resume();
    }
  };
  const unsubscribe = visibility.subscribe(onVisibility);

  if (visibility.visible()) {
    if (memory.unavailable(base)) startPolling(generation, false);
    else void connect();
  } else {
    mode = 'paused';
  }

  return {
    get mode() {
      return mode;
    },
    get lastEventId() {
      return lastEventId;
    },
    stop() {
      if (mode === 'stopped') return;
      unsubscribe();
      halt('stopped');
    },
  };
}
