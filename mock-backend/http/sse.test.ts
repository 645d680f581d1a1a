import { describe, expect, it } from 'vitest';
import type { SupportEventEnvelope } from '../../api/types.ts';
import { harness, T0 } from '../testing.ts';

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
