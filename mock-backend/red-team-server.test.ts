// Event streams over real HTTP: a slot of the per-user cap is given back however a stream ends,
// and a HEAD opens no stream at all (found leaking when attacked after issue 9).
import { type ClientRequest, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MAX_STREAMS_PER_USER } from './http/sse.ts';
import { startServer } from './server.ts';
import { DEMO, TOKENS } from './testing.ts';

const EVENTS = '/manage/current-user/events';

/** Sends one request and resolves with its status once the headers are in (the body may go on). */
function open(url: string, method: string): Promise<{ status: number; req: ClientRequest }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${EVENTS}`, { method, headers: { 'X-KBC-ManageApiToken': TOKENS.admin } });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, req });
    });
    req.on('error', reject);
    req.end();
  });
}

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('event stream slots over HTTP', () => {
  it('HEAD requests on the events endpoint take no stream slot', async () => {
    const server = await startServer({ port: 0, db: ':memory:', fixture: DEMO, smtpUrl: null });
    try {
      for (let i = 0; i < MAX_STREAMS_PER_USER + 2; i++) {
        const head = await open(server.url, 'HEAD');
        expect(head.status, `HEAD ${i}`).toBe(200);
      }
      await settle();
      const get = await open(server.url, 'GET');
      expect(get.status).toBe(200);
      get.req.destroy();
    } finally {
      await server.close();
    }
  });

  it('streams whose clients went away give their slots back', async () => {
    const server = await startServer({ port: 0, db: ':memory:', fixture: DEMO, smtpUrl: null });
    try {
      const streams = [];
      for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await open(server.url, 'GET'));
      expect(streams.map((s) => s.status)).toEqual(Array(MAX_STREAMS_PER_USER).fill(200));
      const refused = await open(server.url, 'GET');
      expect(refused.status).toBe(429);
      for (const s of streams) s.req.destroy();
      await settle();
      const again = [];
      for (let i = 0; i < MAX_STREAMS_PER_USER; i++) again.push(await open(server.url, 'GET'));
      expect(again.map((s) => s.status)).toEqual(Array(MAX_STREAMS_PER_USER).fill(200));
      for (const s of again) s.req.destroy();
    } finally {
      await server.close();
    }
  });
});
