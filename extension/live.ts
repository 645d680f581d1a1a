// The events stream (Server-Sent Events) read with fetch: EventSource does not exist in service workers
// and cannot send the token header. Reconnects with Last-Event-ID after a drop.
import type { SupportEventEnvelope } from '../api/types.ts';

export interface SseMessage {
  event: string;
  id: string | null;
  data: string;
}

/** Incremental SSE parser: feed text chunks, get complete messages. */
export function createSseParser(onMessage: (m: SseMessage) => void) {
  let buffer = '';
  let event = '';
  let id: string | null = null;
  let data: string[] = [];
  return (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length) onMessage({ event: event || 'message', id, data: data.join('\n') });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
  };
}

export interface LiveOptions {
  url: string;
  token: string;
  onEvent: (e: SupportEventEnvelope) => void;
  /** Called after (re)connecting: anything may have changed while we were away. */
  onOpen?: () => void;
  /** Called when an open stream ends (dropped, or stopped): until the next onOpen, nothing is live. */
  onClose?: () => void;
  fetch?: typeof fetch;
  retryMs?: number;
}

/** Starts streaming; returns stop(). */
export function startLive(options: LiveOptions): () => void {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let stopped = false;
  let lastId: string | null = null;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const parse = createSseParser((m) => {
    if (m.id) lastId = m.id;
    try {
      const envelope = JSON.parse(m.data) as SupportEventEnvelope;
      if (envelope && typeof envelope === 'object' && envelope.event) options.onEvent(envelope);
    } catch {
      // not an event envelope (e.g. a keep-alive "ready" message)
    }
  });

  async function connect(): Promise<void> {
    if (stopped) return;
    controller = new AbortController();
    const headers: Record<string, string> = {
      Accept: 'text/event-stream',
      'X-KBC-ManageApiToken': options.token,
    };
    if (lastId) headers['Last-Event-ID'] = lastId;
    try {
      const res = await doFetch(options.url, { headers, signal: controller.signal, cache: 'no-store' });
      if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
      options.onOpen?.();
      try {
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parse(value);
        }
      } finally {
        options.onClose?.();
      }
    } catch {
      // dropped or refused: retry below
    }
    if (!stopped) timer = setTimeout(() => void connect(), options.retryMs ?? 2000);
  }

  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    controller?.abort();
  };
}
