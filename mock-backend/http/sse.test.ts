import { describe, expect, it } from 'vitest';
import { followEvents, manualVisibility } from '../../api/events.ts';
import type { SupportEventEnvelope } from '../../api/types.ts';
import { createMemoryStore } from '../store/memory.ts';
import type { Store } from '../store/types.ts';
import { type Harness, harness, T0, watchFinds } from '../testing.ts';
import { MAX_STREAMS_PER_USER, REPLAY_PAGE } from './sse.ts';

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads SSE frames from a response until `count` events arrived (or the time is up). */
async function readFrames(res: Response, count: number, ms = 2000): Promise<Frame[]> {
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = '';
  const deadline = Date.now() + ms;
  while (frames.filter((f) => f.event).length < count && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((r) =>
        setTimeout(() => r({ done: true, value: undefined }), ms),
      ),
    ]);
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let i = buffer.indexOf('\n\n');
    while (i >= 0) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const frame: Frame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else if (line.startsWith('id: ')) frame.id = line.slice(4);
        else if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) frame.data = line.slice(6);
      }
      frames.push(frame);
      i = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return frames;
}

const events = (frames: Frame[]) => frames.filter((f) => f.event);

describe('live events', () => {
  it('streams events as they happen: id, event type and the JSON envelope', async () => {
    const h = await harness();
    const res = await h.fetch('http://backend.test/manage/current-user/events', {
      headers: { 'X-KBC-ManageApiToken': 'demo-admin-token' },
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reading = readFrames(res, 1);
    await h.client('support').requestAccess(100, { reason: 'live' });
    const [frame] = events(await reading);
    const envelope = JSON.parse(frame?.data ?? '{}') as SupportEventEnvelope;
    expect(frame?.event).toBe('joinRequest.created');
    expect(frame?.id).toBe(String(envelope.id));
    expect(envelope.event).toMatchObject({ type: 'joinRequest.created', project: { id: 100 } });
  });

  it('a reconnect with Last-Event-ID (header or ?lastEventId) gets everything it missed, in order', async () => {
    const h = await harness();
    const a = await h.client('support').requestAccess(100, { reason: 'one' });
    await h.client('maintainer').requestAccess(100, { reason: 'two' });
    await h.client('admin').approveJoinRequest(100, a.data?.id ?? 0);
    const mine = await h.events(1000);
    // Without events to miss, the comparisons below would hold for an empty stream.
    expect(mine.length).toBeGreaterThan(2);
    const first = mine[0]?.id ?? 0;
    const byHeader = await h.fetch('http://backend.test/manage/current-user/events', {
      headers: { 'X-KBC-ManageApiToken': 'demo-admin-token', 'Last-Event-ID': String(first) },
    });
    const resumed = events(await readFrames(byHeader, mine.length - 1));
    expect(resumed.map((f) => Number(f.id))).toEqual(mine.slice(1).map((e) => e.id));
    const byQuery = await h.fetch(`http://backend.test/manage/current-user/events?lastEventId=${first}`, {
      headers: { 'X-KBC-ManageApiToken': 'demo-admin-token' },
    });
    expect(events(await readFrames(byQuery, mine.length - 1)).map((f) => f.event)).toEqual(
      mine.slice(1).map((e) => e.event.type),
    );
  });

  it('a client that missed more than one page of events gets all of them at once', async () => {
    const h = await harness();
    const project = { id: 100, name: 'Acme Main' };
    const user = { id: 1006, name: 'Sam Support', email: 'sam@supportkit.test' };
    for (let i = 0; i < 1201; i++)
      await h.store.insert('events', {
        recipientId: 1000,
        projectId: null,
        audience: null,
        ticketId: null,
        created: Math.floor(T0 / 1000),
        event: { type: 'membership.changed', project, user },
      });
    const res = await h.fetch('http://backend.test/manage/current-user/events', {
      headers: { 'X-KBC-ManageApiToken': 'demo-admin-token', 'Last-Event-ID': '0' },
    });
    expect(events(await readFrames(res, 1201, 5000))).toHaveLength(1201);
  });

  it('refuses a token in the query string with 401 and says to use the header, the stream included', async () => {
    const h = await harness();
    const other = await h.fetch(
      'http://backend.test/manage/projects/100?X-KBC-ManageApiToken=demo-admin-token',
    );
    expect(other.status).toBe(401);
    for (const path of ['/manage/projects/100', '/manage/current-user/events']) {
      const res = await h.fetch(`http://backend.test${path}?token=demo-admin-token`);
      const body = (await res.json()) as { error: string };
      expect(res.status, path).toBe(401);
      expect(body.error).toContain('X-KBC-ManageApiToken header');
      // Even together with a valid header: the token has leaked into the URL, so nothing is served.
      const both = await h.fetch(`http://backend.test${path}?token=demo-admin-token`, {
        headers: { 'X-KBC-ManageApiToken': 'demo-admin-token' },
      });
      await both.body?.cancel();
      expect(both.status, path).toBe(401);
    }
  });

  it('sends comment heartbeats', async () => {
    const h = await harness({ options: { heartbeatMs: 30 } });
    const res = await h.fetch('http://backend.test/manage/current-user/events', {
      headers: { 'X-KBC-ManageApiToken': 'demo-guest-token' },
    });
    const frames = await readFrames(res, 1, 200);
    expect(frames.filter((f) => f.comment === 'heartbeat').length).toBeGreaterThan(0);
  });
});

/** Puts `count` events in the admin's (user 1000) backlog; their ids, in order. */
async function backlog(h: Harness, count: number): Promise<number[]> {
  const project = { id: 100, name: 'Acme Main' };
  const user = { id: 1006, name: 'Sam Support', email: 'sam@supportkit.test' };
  const ids: number[] = [];
  for (let i = 0; i < count; i++)
    ids.push(
      await h.store.insert('events', {
        recipientId: 1000,
        projectId: null,
        audience: null,
        ticketId: null,
        created: Math.floor(T0 / 1000),
        event: { type: 'membership.changed', project, user },
      }),
    );
  return ids;
}

/** A stream's reader that the test reads from when it wants to, and leaves alone in between. */
function frameReader(res: Response) {
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  const ids: number[] = [];
  return {
    ids,
    /** Reads until at least `count` events in all arrived; false when the stream ended first. */
    async readUntil(count: number): Promise<boolean> {
      while (ids.length < count) {
        const chunk = await reader.read();
        if (chunk.done) return false;
        buffer += decoder.decode(chunk.value, { stream: true });
        let i = buffer.indexOf('\n\n');
        while (i >= 0) {
          const id = /^id: (\d+)$/m.exec(buffer.slice(0, i))?.[1];
          if (id) ids.push(Number(id));
          buffer = buffer.slice(i + 2);
          i = buffer.indexOf('\n\n');
        }
      }
      return true;
    },
    cancel: () => reader.cancel().catch(() => undefined),
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a stream whose reader does not read', () => {
  const open = (h: Harness, from: number) =>
    h.fetch('http://backend.test/manage/current-user/events', {
      headers: { 'X-KBC-ManageApiToken': 'demo-admin-token', 'Last-Event-ID': String(from) },
    });

  it('reads the next page of its backlog only once the previous one drained: a stalled reader holds a page or two, not 3,000 events', async () => {
    let eventRows = 0;
    const store: Store = watchFinds(createMemoryStore(), (table, rows) => {
      if (table === 'events') eventRows += rows;
    });
    const h = await harness({ store });
    const ids = await backlog(h, 3000);
    eventRows = 0;
    const res = await open(h, 0);
    // Let the stream run as far as it will: until it has read nothing more for a while.
    let before = -1;
    while (before !== eventRows) {
      before = eventRows;
      await settle(50);
    }
    // A page is 100 events of about 250 bytes; the stream buffers 64 KiB, so three or four pages.
    expect(eventRows).toBeGreaterThan(0);
    expect(eventRows).toBeLessThanOrEqual(5 * REPLAY_PAGE);
    // Once read, everything comes, in order, and the store was read as the reader went.
    const reader = frameReader(res);
    expect(await reader.readUntil(ids.length)).toBe(true);
    expect(reader.ids).toEqual(ids);
    await reader.cancel();
  });

  it('is dropped once it leaves a full buffer untouched for two heartbeats; the client resumes from Last-Event-ID with no gap and no repeat', async () => {
    const h = await harness({ options: { heartbeatMs: 20 } });
    const ids = await backlog(h, 1500);
    const first = frameReader(await open(h, 0));
    expect(await first.readUntil(150)).toBe(true);
    // The reader stops reading: the buffer fills, two heartbeats see nothing taken.
    await settle(200);
    // What was queued is gone with the stream; the reader learns the stream ended.
    await expect(first.readUntil(ids.length)).rejects.toThrow(/fell behind/);
    expect(first.ids.length).toBeLessThan(ids.length);
    const last = first.ids.at(-1) ?? 0;
    const second = frameReader(await open(h, last));
    expect(await second.readUntil(ids.length - first.ids.length)).toBe(true);
    expect([...first.ids, ...second.ids]).toEqual(ids);
    await second.cancel();
  });

  it('keeps the stream of a reader that reads slowly but reads', async () => {
    const h = await harness({ options: { heartbeatMs: 20 } });
    const ids = await backlog(h, 1500);
    const reader = frameReader(await open(h, 0));
    // About one page per heartbeat: slower than the stream could send, never stalled for two beats.
    for (let n = 100; n < ids.length; n += 100) {
      expect(await reader.readUntil(n)).toBe(true);
      await settle(15);
    }
    expect(await reader.readUntil(ids.length)).toBe(true);
    expect(reader.ids).toEqual(ids);
    await reader.cancel();
  });

  it('gives its slot back when dropped: stalled streams do not lock their user out for good', async () => {
    const h = await harness({ options: { heartbeatMs: 20 } });
    await backlog(h, 1500);
    const stalled = await Promise.all(Array.from({ length: MAX_STREAMS_PER_USER }, () => open(h, 0)));
    expect(stalled.map((r) => r.status)).toEqual(stalled.map(() => 200));
    const refused = await open(h, 0);
    expect(refused.status).toBe(429);
    await refused.body?.cancel();
    await settle(200);
    const again = await open(h, 0);
    expect(again.status).toBe(200);
    await again.body?.cancel();
    for (const r of stalled) await r.body?.cancel().catch(() => undefined);
  });
});

describe("the clients' reader (api/events.ts, which the widget and the extension use)", () => {
  it('held up until its stream is dropped, resumes from Last-Event-ID: every event once, in order', async () => {
    const h = await harness({ options: { heartbeatMs: 20 } });
    const ids = await backlog(h, 1500);
    // The first stream's body is read by the client only while `flowing`: after 300 events it stops
    // until the server has dropped it (the page held up, a throttled tab). Later streams flow.
    let streams = 0;
    const resumedFrom: (string | null)[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      // The client starts at "now" unless it has a last id: the first stream asks from the start, as
      // a client that had seen nothing of the backlog would.
      const headers = new Headers(init?.headers);
      resumedFrom.push(headers.get('Last-Event-ID'));
      if (!headers.has('Last-Event-ID')) headers.set('Last-Event-ID', '0');
      const res = await h.fetch(input, { ...init, headers });
      if (++streams > 1 || !res.body) return res;
      const upstream = res.body.getReader();
      let passed = 0;
      const held = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            if (passed > 300 * 250) await settle(300);
            const chunk = await upstream.read().catch((e: unknown) => {
              controller.error(e);
              return undefined;
            });
            if (!chunk) return;
            if (chunk.done) return controller.close();
            passed += chunk.value.byteLength;
            controller.enqueue(chunk.value);
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(held, { status: res.status, headers: res.headers });
    };
    const seen: number[] = [];
    const follower = followEvents({
      baseUrl: 'http://backend.test',
      token: () => 'demo-admin-token',
      onEvent: (e) => seen.push(e.id),
      fetch,
      visibility: manualVisibility(true),
      memory: { unavailable: () => false, markUnavailable: () => {} },
      reconnect: { firstMs: 10 },
      poll: false,
    });
    try {
      const deadline = Date.now() + 10_000;
      while (seen.length < ids.length && Date.now() < deadline) await settle(20);
    } finally {
      follower.stop();
    }
    // Dropped once, resumed from an event in the middle of the backlog, and nothing lost or repeated.
    expect(streams).toBe(2);
    const resumed = Number(resumedFrom[1]);
    expect(ids.indexOf(resumed)).toBeGreaterThanOrEqual(300);
    expect(ids.indexOf(resumed)).toBeLessThan(ids.length - 1);
    expect(seen).toEqual(ids);
  });
});
