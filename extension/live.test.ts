import { describe, expect, it, vi } from 'vitest';
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
function oneEventThenEnd(): typeof fetch {
  return vi.fn(async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(`id: 7\nevent: x\ndata: ${JSON.stringify(envelope)}\n\n`),
        );
        controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  }) as unknown as typeof fetch;
}

describe('startLive', () => {
  it('says when the stream opens and when it ends, with the events in between', async () => {
    const calls: string[] = [];
    const stop = startLive({
      url: 'http://stack.test/manage/current-user/events',
      token: 't',
      fetch: oneEventThenEnd(),
      retryMs: 60_000,
      onOpen: () => calls.push('open'),
      onEvent: (e) => calls.push(`event ${e.id}`),
      onClose: () => calls.push('close'),
    });
    await vi.waitFor(() => expect(calls).toEqual(['open', 'event 7', 'close']));
    stop();
  });

  it('does not say it opened when the server refuses the stream', async () => {
    const onOpen = vi.fn();
    const onClose = vi.fn();
    const fetch = vi.fn(
      async () => new Response('{}', { status: 404 }),
    ) as unknown as typeof globalThis.fetch;
    const stop = startLive({
      url: 'http://stack.test/x',
      token: 't',
      fetch,
      retryMs: 60_000,
      onOpen,
      onClose,
      onEvent: () => {},
    });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 10));
    expect(onOpen).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
    stop();
  });
});
