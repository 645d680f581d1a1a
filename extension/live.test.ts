import { describe, expect, it, vi } from 'vitest';
import { createEventsMemory } from '../api/events.ts';
import type { SupportEventEnvelope } from '../api/types.ts';
import { startLive } from './live.ts';

const envelope: SupportEventEnvelope = {
  id: 7,
  created: '2026-11-27T10:50:00+0000',
  event: {
    type: 'membership.changed',
    project: { id: 100, name: 'Acme Main' },
    user: { id: 1006, name: 'Sam Support', email: 'sam@supportkit.test' },
  },
};

/** A fetch whose event stream sends one event and then ends, like a dropped connection. */
function oneEventThenEnd() {
  const seen: { url: string; headers: Headers }[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    seen.push({ url: String(input), headers: new Headers(init.headers) });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(`id: 7\nevent: x\ndata: ${JSON.stringify(envelope)}\n\n`),
        );
        controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen };
}

describe('startLive', () => {
  it('says when the stream opens and when it ends, with the events in between', async () => {
    const calls: string[] = [];
    const { fetch, seen } = oneEventThenEnd();
    const live = startLive({
      baseUrl: 'http://stack.test',
      token: 't',
      fetch,
      memory: createEventsMemory({ storage: null }),
      retryMs: 60_000,
      onOpen: () => calls.push('open'),
      onEvent: (e) => calls.push(`event ${e.id}`),
      onClose: () => calls.push('close'),
    });
    await vi.waitFor(() => expect(calls).toEqual(['open', 'event 7', 'close']));
    expect(seen[0]?.url).toBe('http://stack.test/manage/current-user/events');
    expect(seen[0]?.headers.get('X-KBC-ManageApiToken')).toBe('t');
    live.stop();
  });

  it('does not say it opened when the server refuses the stream, and never asks a 404 stack again', async () => {
    const onOpen = vi.fn();
    const onClose = vi.fn();
    const memory = createEventsMemory({ storage: null });
    const fetch = vi.fn(
      async () => new Response('{}', { status: 404 }),
    ) as unknown as typeof globalThis.fetch;
    const live = startLive({
      baseUrl: 'http://stack.test',
      token: 't',
      fetch,
      memory,
      retryMs: 10,
      onOpen,
      onClose,
      onEvent: () => {},
    });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 50));
    live.setVisible(false);
    live.setVisible(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(memory.unavailable('http://stack.test')).toBe(true);
    expect(onOpen).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
    live.stop();
  });

  it('closes the stream while no UI shows and resumes with Last-Event-ID when one does', async () => {
    const { fetch, seen } = oneEventThenEnd();
    const live = startLive({
      baseUrl: 'http://stack.test',
      token: 't',
      fetch,
      memory: createEventsMemory({ storage: null }),
      retryMs: 60_000,
      onEvent: () => {},
    });
    await vi.waitFor(() => expect(live.lastEventId).toBe('7'));
    live.setVisible(false);
    live.setVisible(true);
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]?.headers.get('Last-Event-ID')).toBe('7');
    live.stop();
  });
});
