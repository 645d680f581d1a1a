// Live events for the worker: the shared reader of api/events.ts (fetch with the token header,
// Last-Event-ID, back-off). The worker has no page of its own, so "visible" means a popup or side panel
// is showing; while none is, the stream is closed and the alarm's poll carries on (background.ts).
import { type EventsMemory, followEvents, manualVisibility } from '../api/events.ts';
import type { SupportEventEnvelope } from '../api/types.ts';

export interface LiveOptions {
  /** Stack root; the reader adds the events path. */
  baseUrl: string;
  token: string;
  onEvent: (e: SupportEventEnvelope) => void;
  /** Called after (re)connecting: anything may have changed while we were away. */
  onOpen?: (info: { resumed: boolean }) => void;
  /** Called when an open stream ends (dropped, paused or stopped): until the next onOpen, nothing is live. */
  onClose?: () => void;
  fetch?: typeof fetch;
  memory?: EventsMemory;
  retryMs?: number;
}

export interface Live {
  /** A UI is showing (true) or none is (false): the stream is held only meanwhile. */
  setVisible(visible: boolean): void;
  stop(): void;
  readonly lastEventId: string | null;
}

/** Starts following (visible at first); the alarm polls instead where the stack has no stream. */
export function startLive(options: LiveOptions): Live {
  const visibility = manualVisibility(true);
  const follower = followEvents({
    baseUrl: options.baseUrl,
    token: () => options.token,
    onEvent: options.onEvent,
    ...(options.onOpen ? { onOpen: options.onOpen } : {}),
    ...(options.onClose ? { onClose: options.onClose } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.memory ? { memory: options.memory } : {}),
    ...(options.retryMs ? { reconnect: { firstMs: options.retryMs } } : {}),
    visibility,
    // The worker's alarm already polls every 30 s (and must, for notifications while no UI is open).
    poll: false,
  });
  return {
    setVisible: visibility.set,
    stop: follower.stop,
    get lastEventId() {
      return follower.lastEventId;
    },
  };
}
