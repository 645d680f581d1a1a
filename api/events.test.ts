// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createEventsMemory,
  type EventsMemory,
  type FollowOptions,
  followEvents,
  manualVisibility,
  retryAfterMs,
} from './events.ts';
import type { SupportEventEnvelope } from './types.ts';

const BASE = 'http://stack.test';
const EVENTS = `${BASE}/manage/current-user/events`;

const envelope = (id: number): SupportEventEnvelope => ({
  id,
  created: '2026-11-27T10:50:00+0000',
  event: {
    type: 'membership.changed',
    project: { id: 100, name: 'Acme Main' },
    user: { id: 1006, name: 'Sam Support', email: 'sam@supportkit.test' },
  },
});
const frame = (id: number) =>
  `id: ${id}\nevent: membership.changed\ndata: ${JSON.stringify(envelope(id))}\n\n`;

interface Seen {
  url: string;
  headers: Headers;
  init: RequestInit;
}

/**
 * A stack whose events endpoint the test drives: each request gets `answer()` (default an open
 * stream the test writes to with `send` and ends with `drop`), and aborting a request errors its body
 * as a real fetch does.
 */
function fakeStack(answer?: (n: number) => Response | undefined) {
  const seen: Seen[] = [];
  const open: ReadableStreamDefaultController<Uint8Array>[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    seen.push({ url: String(input), headers: new Headers(init.headers), init });
    const custom = answer?.(seen.length);
    if (custom) return custom;
    let ctrl: ReadableStreamDefaultController<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        ctrl = c;
      },
    });
    if (ctrl) {
      const c = ctrl;
      open.push(c);
      init.signal?.addEventListener('abort', () => {
        try {
          c.error(new DOMException('Aborted', 'AbortError'));
        } catch {}
      });
    }
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  });
  const last = () => {
    const c = open.at(-1);
    if (!c) throw new Error('no stream open');
    return c;
  };
  return {
    seen,
    fetch: fetch as unknown as typeof globalThis.fetch,
    send: (text: string) => last().enqueue(new TextEncoder().encode(text)),
    drop: () => last().close(),
  };
}

const status = (code: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: 'x', code: 'x', status: 'error', exceptionId: 'e' }), {
    status: code,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

let memory: EventsMemory;
let stops: (() => void)[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  memory = createEventsMemory();
});
afterEach(() => {
  for (const s of stops) s();
  stops = [];
  vi.useRealTimers();
});

function follow(o: Partial<FollowOptions> & Pick<FollowOptions, 'fetch'>) {
  const events: number[] = [];
  const f = followEvents({
    baseUrl: BASE,
    token: () => 'secret-token',
    onEvent: (e) => events.push(e.id),
    memory,
    ...o,
  });
  stops.push(() => f.stop());
  return { f, events };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe('followEvents: the stream', () => {
  it('sends the token in the header, never in the URL, and refuses redirects', async () => {
    const stack = fakeStack();
    follow({ fetch: stack.fetch });
    await tick();
    expect(stack.seen).toHaveLength(1);
    const [first] = stack.seen;
    expect(first?.url).toBe(EVENTS);
    expect(first?.url).not.toContain('secret-token');
    expect(first?.headers.get('X-KBC-ManageApiToken')).toBe('secret-token');
    expect(first?.headers.get('Accept')).toBe('text/event-stream');
    expect(first?.headers.has('Last-Event-ID')).toBe(false);
    expect(first?.init.redirect).toBe('manual');
  });

  it('parses events split anywhere across chunks and skips comments and non-envelopes', async () => {
    const stack = fakeStack();
    const { events, f } = follow({ fetch: stack.fetch });
    await tick();
    const text = `: connected\nretry: 2000\n\n${frame(1)}data: ready\n\n${frame(2)}`;
    stack.send(text.slice(0, 17));
    stack.send(text.slice(17, 60));
    stack.send(text.slice(60));
    await tick();
    expect(events).toEqual([1, 2]);
    expect(f.lastEventId).toBe('2');
    expect(f.mode).toBe('stream');
  });

  it('says when it opened (not resumed the first time) and when the stream ended', async () => {
    const stack = fakeStack();
    const calls: string[] = [];
    follow({
      fetch: stack.fetch,
      onOpen: ({ resumed }) => calls.push(`open ${resumed}`),
      onClose: () => calls.push('close'),
    });
    await tick();
    stack.send(frame(5));
    stack.drop();
    await tick();
    await tick(2000);
    expect(calls).toEqual(['open false', 'close', 'open true']);
  });

  it('reconnects after a drop with Last-Event-ID, backing off 2 s, 4 s, 8 s', async () => {
    const stack = fakeStack();
    const { f } = follow({ fetch: stack.fetch });
    await tick();
    stack.send(frame(41));
    stack.send(frame(42));
    stack.drop();
    await tick();
    expect(f.mode).toBe('retrying');
    await tick(1999);
    expect(stack.seen).toHaveLength(1);
    await tick(1);
    expect(stack.seen).toHaveLength(2);
    expect(stack.seen[1]?.headers.get('Last-Event-ID')).toBe('42');
    stack.drop();
    await tick(3999);
    expect(stack.seen).toHaveLength(2);
    await tick(1);
    expect(stack.seen).toHaveLength(3);
    stack.drop();
    await tick(8000);
    expect(stack.seen).toHaveLength(4);
    expect(stack.seen[3]?.headers.get('Last-Event-ID')).toBe('42');
  });

  it('backs off on server errors and network failures too, capped at the maximum', async () => {
    const stack = fakeStack(() => status(500));
    follow({ fetch: stack.fetch, reconnect: { firstMs: 1000, maxMs: 4000 } });
    await tick();
    await tick(1000 + 2000 + 4000 + 4000 + 4000);
    // 1 + 1 s + 2 s + 4 s + 4 s + 4 s: six attempts in 15 s, never a tight loop.
    expect(stack.seen).toHaveLength(6);
  });

  it('follows the retry interval the server sends', async () => {
    const stack = fakeStack();
    follow({ fetch: stack.fetch });
    await tick();
    stack.send('retry: 5000\n\n');
    stack.drop();
    await tick(4999);
    expect(stack.seen).toHaveLength(1);
    await tick(1);
    expect(stack.seen).toHaveLength(2);
  });

  it('drops a stream that sends an event larger than the limit instead of buffering it', async () => {
    const stack = fakeStack();
    const { events } = follow({ fetch: stack.fetch, maxEventChars: 1000 });
    await tick();
    stack.send(`data: ${'x'.repeat(2000)}`);
    await tick();
    await tick(2000);
    expect(stack.seen).toHaveLength(2);
    stack.send(frame(3));
    await tick();
    expect(events).toEqual([3]);
  });

  it('holds a stream only while visible and resumes with Last-Event-ID when shown again', async () => {
    const stack = fakeStack();
    const visibility = manualVisibility(true);
    const { f } = follow({ fetch: stack.fetch, visibility });
    await tick();
    stack.send(frame(9));
    await tick();
    visibility.set(false);
    await tick();
    expect(f.mode).toBe('paused');
    expect(stack.seen[0]?.init.signal?.aborted).toBe(true);
    await tick(10 * 60_000);
    expect(stack.seen).toHaveLength(1);
    visibility.set(true);
    await tick();
    expect(stack.seen).toHaveLength(2);
    expect(stack.seen[1]?.headers.get('Last-Event-ID')).toBe('9');
    expect(f.mode).toBe('stream');
  });

  it('opens nothing while the page starts hidden', async () => {
    const stack = fakeStack();
    const visibility = manualVisibility(false);
    follow({ fetch: stack.fetch, visibility });
    await tick(60_000);
    expect(stack.seen).toHaveLength(0);
    visibility.set(true);
    await tick();
    expect(stack.seen).toHaveLength(1);
  });

  it('reads the token again for every connection and never opens one without a token', async () => {
    let token: string | null = null;
    const stack = fakeStack();
    follow({ fetch: stack.fetch, token: () => token });
    await tick(2000);
    expect(stack.seen).toHaveLength(0);
    token = 'renewed';
    await tick(4000);
    expect(stack.seen[0]?.headers.get('X-KBC-ManageApiToken')).toBe('renewed');
  });

  it('stops for good', async () => {
    const stack = fakeStack();
    const { f } = follow({ fetch: stack.fetch });
    await tick();
    f.stop();
    await tick(10 * 60_000);
    expect(stack.seen).toHaveLength(1);
    expect(f.mode).toBe('stopped');
  });
});

describe('followEvents: the fallback poll', () => {
  it('polls with back-off on a stack without the events endpoint (404), never retrying the stream', async () => {
    const stack = fakeStack(() => status(404));
    const onPoll = vi.fn();
    const { f } = follow({ fetch: stack.fetch, onPoll, poll: { firstMs: 10_000, maxMs: 40_000 } });
    await tick();
    expect(f.mode).toBe('poll');
    await tick(10_000);
    expect(onPoll).toHaveBeenCalledTimes(1);
    await tick(20_000);
    expect(onPoll).toHaveBeenCalledTimes(2);
    await tick(40_000);
    expect(onPoll).toHaveBeenCalledTimes(3);
    await tick(40_000);
    expect(onPoll).toHaveBeenCalledTimes(4); // capped
    await tick(30 * 60_000);
    expect(stack.seen).toHaveLength(1);
  });

  it('remembers per stack that events do not exist: the next reader does not ask', async () => {
    const stack = fakeStack(() => status(404));
    follow({ fetch: stack.fetch });
    await tick();
    expect(memory.unavailable(BASE)).toBe(true);
    expect(memory.unavailable('http://other.test')).toBe(false);
    // Another page (the memory is read from localStorage) and another reader on the same stack.
    const fresh = createEventsMemory();
    const second = fakeStack();
    follow({ fetch: second.fetch, memory: fresh });
    await tick(60_000);
    expect(second.seen).toHaveLength(0);
    const other = fakeStack();
    follow({ fetch: other.fetch, baseUrl: 'http://other.test', memory: fresh });
    await tick();
    expect(other.seen).toHaveLength(1);
  });

  it('asks again after a day: a stack may gain the endpoint', async () => {
    memory.markUnavailable(BASE);
    await tick(24 * 3600_000 + 1);
    expect(memory.unavailable(BASE)).toBe(false);
  });

  it('pauses the poll while hidden and polls at once when shown, from the first delay again', async () => {
    const stack = fakeStack(() => status(404));
    const onPoll = vi.fn();
    const visibility = manualVisibility(true);
    follow({ fetch: stack.fetch, onPoll, visibility, poll: { firstMs: 10_000, maxMs: 80_000 } });
    await tick(10_000 + 20_000);
    expect(onPoll).toHaveBeenCalledTimes(2);
    visibility.set(false);
    await tick(60 * 60_000);
    expect(onPoll).toHaveBeenCalledTimes(2);
    visibility.set(true);
    await tick();
    expect(onPoll).toHaveBeenCalledTimes(3);
    await tick(10_000);
    expect(onPoll).toHaveBeenCalledTimes(4);
    expect(stack.seen).toHaveLength(1);
  });

  it('falls back to the poll on 429 and tries the stream again only after Retry-After', async () => {
    const stack = fakeStack((n) => (n <= 2 ? status(429, { 'Retry-After': '120' }) : undefined));
    const onPoll = vi.fn();
    const { f } = follow({ fetch: stack.fetch, onPoll, poll: { firstMs: 10_000, maxMs: 40_000 } });
    await tick();
    expect(f.mode).toBe('poll');
    expect(memory.unavailable(BASE)).toBe(false);
    await tick(119_000);
    expect(stack.seen).toHaveLength(1);
    expect(onPoll.mock.calls.length).toBeGreaterThanOrEqual(3);
    await tick(40_000);
    expect(stack.seen).toHaveLength(2); // tried again after 120 s: still 429, so it waits twice as long
    await tick(200_000);
    expect(stack.seen).toHaveLength(2);
    await tick(70_000);
    expect(stack.seen).toHaveLength(3);
    expect(f.mode).toBe('stream');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('30')).toBe(30_000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('with poll: false still tries the stream again after a 429 once Retry-After has passed', async () => {
    const stack = fakeStack((n) => (n === 1 ? status(429, { 'Retry-After': '90' }) : undefined));
    const { f } = follow({ fetch: stack.fetch, poll: false });
    await tick();
    expect(f.mode).toBe('poll');
    await tick(89_000);
    expect(stack.seen).toHaveLength(1);
    await tick(1000);
    expect(stack.seen).toHaveLength(2);
    expect(f.mode).toBe('stream');
  });

  it('with poll: false leaves polling to the caller but still never retries a 404 stream', async () => {
    const stack = fakeStack(() => status(404));
    const onPoll = vi.fn();
    const { f } = follow({ fetch: stack.fetch, onPoll, poll: false });
    await tick(60 * 60_000);
    expect(f.mode).toBe('poll');
    expect(onPoll).not.toHaveBeenCalled();
    expect(stack.seen).toHaveLength(1);
  });
});
