// Live events as Server-Sent Events. Events are stored per recipient, so a client that reconnects
// with Last-Event-ID (header, or `?lastEventId=`) misses nothing. The token comes in the header only
// (app.ts refuses it in the query), so clients read the stream with fetch.
//
// A stream holds at most STREAM_BUFFER_BYTES that its reader has not taken: the next page of a replay
// (or of live events) is read from the store only once the previous one has drained, so a reader that
// stops reading costs one page, not its whole backlog. A reader that leaves that buffer full and takes
// nothing for STALLED_HEARTBEATS heartbeats is disconnected; it resumes later with Last-Event-ID.
import { z } from 'zod';
import { SupportEventEnvelope as EnvelopeSchema } from '../../api/schemas.ts';
import type { SupportEventEnvelope } from '../../api/types.ts';
import { type Ctx, readCommitted } from '../domain/context.ts';
import { ApiFailure } from '../domain/errors.ts';
import { iso } from '../domain/format.ts';
import { eventsFor, inAudience, latestEventId } from '../domain/notify.ts';
import { seesTicket } from '../domain/ticket-access.ts';
import type { EventRow } from '../store/schema.ts';
import { API_HEADERS, type RouteModule, user } from './common.ts';
import type { RouteDoc } from './declare.ts';

export const EVENTS_PATH = '/manage/current-user/events';
/**
 * The stream's declaration, for the document: its handler holds the open streams' count and the
 * heartbeat, so it is registered below (eventRoutes) rather than through http/declare.ts.
 */
export const EVENTS_ROUTE: RouteDoc = {
  method: 'GET',
  path: EVENTS_PATH,
  summary:
    'Live events (Server-Sent Events: id = envelope id, event = type, data = SupportEventEnvelope). Resume with Last-Event-ID or ?lastEventId. The token only in the X-KBC-ManageApiToken header (read the stream with fetch); ?token is a 401. At most 10 open streams per user, then 429 with Retry-After. Events are stored once per project audience and fanned out when read; they are kept 7 days by default (the retention option), which is the Last-Event-ID window: a client away longer resumes without what it missed.',
  who: "Anyone with a valid token: the events of the projects and organizations they may read, and their own requests' outcomes.",
  tag: 'Support Kit',
  ok: 200,
  response: EnvelopeSchema,
  contentType: 'text/event-stream',
  headers: { 'Last-Event-ID': z.string().optional() },
  query: z.object({
    lastEventId: z.int().min(0).meta({ description: 'Resume after this event id.' }).optional(),
  }),
  errors: [429],
};
export const HEARTBEAT_MS = 15_000;
/** Open streams per user; one more gets 429 (clients then poll, and hold streams only while visible). */
export const MAX_STREAMS_PER_USER = 10;
/** Seconds a refused client should wait: about a heartbeat, by which a dead stream is noticed. */
const STREAM_RETRY_AFTER = 15;
/**
 * Events replayed per turn of the event loop: a client resuming far back is sent its history a page
 * at a time, yielding between pages, so a replay never holds other requests for more than a moment.
 */
export const REPLAY_PAGE = 100;
/**
 * Bytes a stream queues for its reader beyond what the connection itself holds: a page of events is
 * about 25 KB, so a little over two pages. Nothing more is read from the store while this is full.
 */
export const STREAM_BUFFER_BYTES = 64 * 1024;
/**
 * Heartbeats (15 s each) a reader may leave a full buffer untouched before its stream is closed: a
 * slow reader that takes anything in that time keeps its stream; a stalled one frees its slot.
 */
export const STALLED_HEARTBEATS = 2;

const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'X-Accel-Buffering': 'no',
  ...API_HEADERS,
  // Private like every answer of the API; no-transform so no proxy compresses (and so holds) it.
  'Cache-Control': 'private, no-store, no-transform',
} as const;

// setImmediate runs after the poll phase, so other requests' I/O gets in between two pages; a
// setTimeout(0) chain can stay inside one timers phase while the pages keep it busy. The browser-only
// demo (MSW) has no setImmediate and falls back to a timer.
const nextTurn = () =>
  new Promise<void>((resolve) => {
    if (typeof globalThis.setImmediate === 'function') globalThis.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });

function envelope(e: EventRow): SupportEventEnvelope {
  return { id: e.id, created: iso(e.created), event: e.event };
}

function lastEventId(raw: string | undefined): number | undefined {
  return raw !== undefined && /^[0-9]{1,15}$/.test(raw) ? Number(raw) : undefined;
}

export function sseFrame(e: EventRow): string {
  return `id: ${e.id}\nevent: ${e.event.type}\ndata: ${JSON.stringify(envelope(e))}\n\n`;
}

export const eventRoutes =
  (heartbeatMs: number = HEARTBEAT_MS): RouteModule =>
  (routes, ctx: Ctx) => {
    const open = new Map<number, number>();
    routes.get(EVENTS_ROUTE.path, async (c) => {
      // Hono answers HEAD with the GET handler and drops its body without cancelling it: a stream
      // opened for a HEAD would never close, its slot and heartbeat leaked for good. Headers only.
      if (c.req.raw.method === 'HEAD') return new Response(null, { headers: STREAM_HEADERS });
      const me = user(c).id;
      const mine = open.get(me) ?? 0;
      if (mine >= MAX_STREAMS_PER_USER)
        throw new ApiFailure(
          429,
          'manage.tooManyRequests',
          `At most ${MAX_STREAMS_PER_USER} event streams may be open per user; close one or poll.`,
          undefined,
          { 'Retry-After': String(STREAM_RETRY_AFTER) },
        );
      open.set(me, mine + 1);
      const release = () => {
        const left = (open.get(me) ?? 1) - 1;
        if (left > 0) open.set(me, left);
        else open.delete(me);
      };
      const resume = lastEventId(c.req.header('Last-Event-ID') ?? c.req.query('lastEventId'));
      // Without a resume point the stream starts now: only events from here on.
      let cursor: number;
      try {
        cursor = resume ?? (await readCommitted(ctx, latestEventId));
      } catch (e) {
        release();
        throw e;
      }
      const encoder = new TextEncoder();
      let cleanup: (close?: boolean) => void = () => {};
      /** Resolves the replay waiting for the reader to drain the buffer (set while it waits). */
      let drained: (() => void) | undefined;
      const socket = c.env?.incoming?.socket;

      const stream = new ReadableStream<Uint8Array>(
        {
          start(controller) {
            let live = true;
            /** Bytes handed to the stream so far; what the reader took is this less what is queued. */
            let written = 0;
            const queued = () => STREAM_BUFFER_BYTES - (controller.desiredSize ?? 0);
            const hasRoom = () => (controller.desiredSize ?? 0) > 0;
            const write = (text: string) => {
              if (!live) return;
              try {
                const bytes = encoder.encode(text);
                controller.enqueue(bytes);
                written += bytes.byteLength;
              } catch {
                cleanup();
              }
            };
            const room = () =>
              hasRoom() || !live
                ? Promise.resolve()
                : new Promise<void>((resolve) => {
                    drained = resolve;
                  });
            // One page at a time, each only once the buffer has room; if there may be more, the rest
            // after yielding. A signal that arrives while a replay is under way only asks for one
            // more pass (the events wait in the store, not here).
            let flushing = false;
            let again = false;
            const flush = async () => {
              if (flushing) {
                again = true;
                return;
              }
              flushing = true;
              try {
                do {
                  again = false;
                  for (;;) {
                    await room();
                    if (!live) break;
                    // Only what committed: a change still in progress may roll back, and its event
                    // ids be given to other events, which this stream would then skip.
                    const after = cursor;
                    const page = await readCommitted(ctx, (c) => eventsFor(c, me, after, REPLAY_PAGE));
                    let text = '';
                    for (const e of page) {
                      text += sseFrame(e);
                      cursor = e.id;
                    }
                    if (text) write(text);
                    if (page.length < REPLAY_PAGE || !live) break;
                    await nextTurn();
                  }
                } while (again && live);
              } catch (e) {
                console.error('Event replay failed', e);
                cleanup();
              } finally {
                flushing = false;
              }
            };
            const unsubscribe = ctx.bus.subscribe((s) => {
              if (s.type !== 'events') return;
              if (s.all || s.recipients.includes(me)) return void flush();
              // An audience's event: each stream checks its own user (one point look-up), not a list.
              if (s.ticket)
                void seesTicket(ctx, s.ticket.id, me).then(
                  (yes) => {
                    if (yes) void flush();
                  },
                  (e: unknown) => console.error('Event audience check failed', e),
                );
              const project = s.project;
              if (project)
                void inAudience(ctx, project.id, project.audience, me).then(
                  (yes) => {
                    if (yes) void flush();
                  },
                  (e: unknown) => console.error('Event audience check failed', e),
                );
            });
            // Each heartbeat also looks at the reader: a full buffer of which nothing was taken since
            // the last beat is a strike; enough strikes in a row and the stream is dropped.
            let takenAtLastBeat = 0;
            let strikes = 0;
            const heartbeat = setInterval(() => {
              const taken = written - queued();
              if (!hasRoom() && taken === takenAtLastBeat) {
                if (++strikes >= STALLED_HEARTBEATS) return dropStalled();
              } else strikes = 0;
              takenAtLastBeat = taken;
              // A reader that is not reading needs no heartbeat (and it would only queue up).
              if (hasRoom()) write(': heartbeat\n\n');
            }, heartbeatMs);
            cleanup = (close = true) => {
              if (!live) return;
              live = false;
              clearInterval(heartbeat);
              unsubscribe();
              release();
              drained?.();
              if (!close) return;
              try {
                controller.close();
              } catch {}
            };
            // Over a socket the connection goes (what the socket still holds is of no use to a
            // reader that resumes from its own last id); in-process the stream errors.
            const dropStalled = () => {
              cleanup(false);
              if (socket?.destroy) socket.destroy();
              else controller.error(new Error('The reader fell behind; resume with Last-Event-ID.'));
            };
            c.req.raw.signal?.addEventListener('abort', () => cleanup(), { once: true });
            // Gone already while the start point was read: nothing to send.
            if (c.req.raw.signal?.aborted) return cleanup();
            // A comment first, so the client sees the stream open at once; then whatever it missed.
            write(': connected\nretry: 2000\n\n');
            void flush();
          },
          pull() {
            // The reader took something and the buffer has room again.
            const resume = drained;
            drained = undefined;
            resume?.();
          },
          cancel() {
            cleanup();
          },
        },
        { highWaterMark: STREAM_BUFFER_BYTES, size: (chunk) => chunk.byteLength },
      );
      return new Response(stream, { headers: STREAM_HEADERS });
    });
  };
