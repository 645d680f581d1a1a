// Test-mode endpoints (registered only with --test-mode; 404 otherwise).
import { z } from 'zod';
import { AdvanceClockBody, ClockAnswer, Fixture, OutboxMessage } from '../../api/schemas.ts';
import { BODY_LIMITS } from '../../api/types.ts';
import { isAdjustable, isShared } from '../clock.ts';
import { nowSec } from '../domain/context.ts';
import { badRequest } from '../domain/errors.ts';
import { isFixture, loadFixture } from '../domain/fixture.ts';
import { iso } from '../domain/format.ts';
import { outboxMessages } from '../domain/outbox.ts';
import { json, NO_CORS, NO_CORS_JSON, noContent } from './common.ts';
import { type RouteDecl, route } from './declare.ts';

const WHO = 'Anyone who reaches a server started with --test-mode (no token).';

// No CORS headers on any of these: a page of another origin must not read or drive them (and JSON
// only, so it cannot post to them without a preflight, which gets no CORS either).
export function testRoutes(runDue: () => Promise<void>, resetLimits: () => Promise<void>): RouteDecl[] {
  return [
    route({
      method: 'POST',
      path: '/__test__/reset',
      summary: `Empty the store, clear the rate limits' counters and load a fixture (body at most ${BODY_LIMITS.fixture} bytes; --test-mode only)`,
      who: WHO,
      tag: 'Test mode',
      body: Fixture,
      ok: 204,
      public: true,
      bodyLimit: BODY_LIMITS.fixture,
      handler: async ({ ctx, body }) => {
        // The schema takes any object: the rule checks every part of it.
        const fixture: unknown = body;
        if (!isFixture(fixture))
          throw badRequest('The body must be a fixture (see docs/api.md#the-fixture).');
        // One transaction: a fixture that fails to load leaves the old data in place.
        await ctx.store.transaction(async (tx) => {
          await tx.clear();
          await loadFixture(tx, fixture, nowSec(ctx), ctx.hashToken);
        });
        await resetLimits();
        return noContent(204, NO_CORS);
      },
    }),
    route({
      method: 'POST',
      path: '/__test__/clock',
      summary: 'Move the clock forward; returns once everything due has happened (--test-mode only)',
      who: WHO,
      tag: 'Test mode',
      body: AdvanceClockBody,
      ok: 200,
      response: ClockAnswer,
      public: true,
      handler: async ({ ctx, body }) => {
        const { advanceSeconds } = body;
        // Shared by instances (PostgreSQL): moved in the database, so every instance sees the new time.
        if (isShared(ctx.clock)) await ctx.clock.advanceShared(advanceSeconds * 1000);
        else if (isAdjustable(ctx.clock)) ctx.clock.advance(advanceSeconds * 1000);
        else throw badRequest('This clock cannot be moved.');
        // Returns only once everything due by the new time has happened (expiry notices and e-mails).
        await runDue();
        return json({ now: iso(nowSec(ctx)) }, 200, NO_CORS_JSON);
      },
    }),
    route({
      method: 'GET',
      path: '/__test__/outbox',
      summary: 'Every e-mail queued, oldest first (--test-mode only)',
      who: WHO,
      tag: 'Test mode',
      ok: 200,
      response: z.array(OutboxMessage),
      public: true,
      handler: async ({ ctx }) => json(await outboxMessages(ctx), 200, NO_CORS_JSON),
    }),
  ];
}
