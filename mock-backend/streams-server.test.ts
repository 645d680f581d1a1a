// Event streams over real TCP: a connection that never reads is dropped once it stalls, its slot
// comes back, and what it had not read comes again when it resumes from Last-Event-ID.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_STREAMS_PER_USER } from './http/sse.ts';
import { startServer } from './server.ts';
import { createMemoryStore } from './store/memory.ts';
import { DEMO } from './testing.ts';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `ok` holds, polling; fails after 40 s. */
async function until(ok: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + 40_000;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await settle(20);
  }
}

/** Ids of the complete events in a piece of an event stream (a cut-off last frame is not one). */
const completeIds = (text: string) =>
  [...text.slice(0, text.lastIndexOf('\n\n') + 2).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

/** An event stream from Last-Event-ID `from` over a raw connection that reads nothing yet. */
function stalledStream(url: string, from: number): Socket {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(
    `GET /manage/current-user/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-KBC-ManageApiToken: demo-admin-token\r\nLast-Event-ID: ${from}\r\n\r\n`,
  );
  socket.pause();
  socket.on('error', () => {});
  return socket;
}

/** Reads the rest of a connection until the server has closed it; the body as text. */
function readToEnd(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      text += d;
    });
    socket.on('close', () => resolve(text));
    socket.resume();
  });
}

describe('event streams over TCP', () => {
  it('drops connections that stop reading, gives their slots back, and the reader resumes with no gap', async () => {
    const store = createMemoryStore();
    const server = await startServer({ port: 0, store, fixture: DEMO, smtpUrl: null, heartbeatMs: 500 });
    try {
      // Long names make large events: 3,000 of about 2 KB, more than the connection's own buffers
      // take on this machine, in few pages.
      const project = { id: 100, name: `Acme Main ${'·'.repeat(1000)}` };
      const user = { id: 1006, name: 'Sam Support', email: 'sam@supportkit.test' };
      const ids: number[] = [];
      for (let i = 0; i < 3000; i++)
        ids.push(
          await store.insert('events', {
            recipientId: 1000,
            projectId: null,
            audience: null,
            ticketId: null,
            created: Math.floor(Date.now() / 1000),
            event: { type: 'membership.changed', project, user },
          }),
        );
      const stalled = Array.from({ length: MAX_STREAMS_PER_USER }, () => stalledStream(server.url, 0));
      const open = () =>
        fetch(`${server.url}/manage/current-user/events`, {
          headers: { 'X-KBC-ManageApiToken': 'demo-admin-token', 'Last-Event-ID': String(ids.at(-1)) },
        });
      // Every slot is held while the streams fill their buffers ...
      const statusOfOpen = async () => {
        const answer = await open();
        await answer.body?.cancel();
        return answer.status;
      };
      await until(async () => (await statusOfOpen()) === 429);
      // ...and given back once two heartbeats saw nothing taken: polled, not timed, so a loaded
      // machine makes the test slower, never red.
      // All of them: ten new streams at once get in only when every stalled one has been dropped (one
      // slot back is not enough: the connection read below must be one the server has closed).
      await until(async () => {
        const answers = await Promise.all(stalled.map(() => open()));
        await Promise.all(answers.map((a) => a.body?.cancel()));
        return answers.every((a) => a.status === 200);
      });

      // What a dropped connection had received is still there to read, then the connection ends.
      const [first, ...others] = stalled;
      for (const s of others) s.destroy();
      const got = completeIds(await readToEnd(first ?? stalledStream(server.url, 0)));
      expect(got.length).toBeGreaterThan(0);
      expect(got.length).toBeLessThan(ids.length);
      // Resuming from the last complete event: the rest, none twice, none missing.
      const rest = await fetch(`${server.url}/manage/current-user/events`, {
        headers: { 'X-KBC-ManageApiToken': 'demo-admin-token', 'Last-Event-ID': String(got.at(-1)) },
      });
      const reader = rest.body?.getReader();
      let text = '';
      const decoder = new TextDecoder();
      // Heartbeats keep the reads coming: a gap fails the comparison below instead of hanging.
      const readUntil = Date.now() + 30_000;
      while (reader && completeIds(text).length < ids.length - got.length && Date.now() < readUntil) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
      await reader?.cancel();
      expect([...got, ...completeIds(text)]).toEqual(ids);
    } finally {
      await server.close();
    }
  }, 90_000);
});
