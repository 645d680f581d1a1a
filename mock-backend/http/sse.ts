// Live events as Server-Sent Events. Events are stored per recipient, so a client that reconnects
// with Last-Event-ID (header, or `?lastEventId=` where it cannot set headers) misses nothing.
import type { SupportEventEnvelope } from '../../api/types.ts';
import type { Ctx } from '../domain/context.ts';
import { iso } from '../domain/format.ts';
import { eventsFor, inAudience, latestEventId } from '../domain/notify.ts';
import type { EventRow } from '../store/schema.ts';
import { type RouteModule, user } from './common.ts';

export const EVENTS_PATH = '/manage/current-user/events';
export const HEARTBEAT_MS = 15_000;

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
    routes.get(EVENTS_PATH, (c) => {
      const me = user(c).id;
      const resume = lastEventId(c.req.header('Last-Event-ID') ?? c.req.query('lastEventId'));
      // Without a resume point the stream starts now: only events from here on.
      let cursor = resume ?? latestEventId(ctx);
      const encoder = new TextEncoder();
      let cleanup = () => {};

      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          let open = true;
          const write = (text: string) => {
            if (!open) return;
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              cleanup();
            }
          };
          // Pages of 500 until caught up: a client that was away long must not wait for the next event.
          const flush = () => {
            for (;;) {
              const page = eventsFor(ctx, me, cursor, 500);
              for (const e of page) {
                write(sseFrame(e));
                cursor = e.id;
              }
              if (page.length < 500 || !open) return;
            }
          };
          const unsubscribe = ctx.bus.subscribe((s) => {
            if (s.type !== 'events') return;
            // An audience's event: each stream checks its own user (one point look-up), not a list.
            if (
              s.recipients.includes(me) ||
              (s.project && inAudience(ctx, s.project.id, s.project.audience, me))
            )
              flush();
          });
          const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
          cleanup = () => {
            if (!open) return;
            open = false;
            clearInterval(heartbeat);
            unsubscribe();
            try {
              controller.close();
            } catch {}
          };
          c.req.raw.signal?.addEventListener('abort', () => cleanup(), { once: true });
          // A comment first, so the client sees the stream open at once; then whatever it missed.
          write(': connected\nretry: 2000\n\n');
          flush();
        },
        cancel() {
          cleanup();
        },
      });
      return new Response(stream, {
        headers: {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-cache, no-transform',
          'X-Accel-Buffering': 'no',
          'Access-Control-Allow-Origin': '*',
        },
      });
    });
  };
