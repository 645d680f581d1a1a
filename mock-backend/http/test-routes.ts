// Test-mode endpoints (registered only with --test-mode; 404 otherwise).
import { ACCESS_LIMITS, BODY_LIMITS } from '../../api/types.ts';
import { isAdjustable, isShared } from '../clock.ts';
import { type Ctx, nowSec } from '../domain/context.ts';
import { badRequest } from '../domain/errors.ts';
import { isFixture, loadFixture } from '../domain/fixture.ts';
import { iso } from '../domain/format.ts';
import { outboxMessages } from '../domain/outbox.ts';
import { body, json, NO_CORS, NO_CORS_JSON, noContent, type Routes } from './common.ts';
import { int, object } from './validate.ts';

// No CORS headers on any of these: a page of another origin must not read or drive them (and JSON
// only, so it cannot post to them without a preflight, which gets no CORS either).
export function testRoutes(
  routes: Routes,
  ctx: Ctx,
  runDue: () => Promise<void>,
  resetLimits: () => Promise<void>,
): void {
  routes.post(
    '/__test__/reset',
    async (c) => {
      const fixture = await body(c, (v) => v);
      if (!isFixture(fixture)) throw badRequest('The body must be a fixture (see docs/api.md#the-fixture).');
      // One transaction: a fixture that fails to load leaves the old data in place.
      await ctx.store.transaction(async (tx) => {
        await tx.clear();
        await loadFixture(tx, fixture, nowSec(ctx), ctx.hashToken);
      });
      await resetLimits();
      return noContent(204, NO_CORS);
    },
    { bodyLimit: BODY_LIMITS.fixture },
  );

  routes.post('/__test__/clock', async (c) => {
    const { advanceSeconds } = await body(
      c,
      object({ advanceSeconds: int({ min: 0, max: ACCESS_LIMITS.expirationMaxSeconds }) }),
    );
    // Shared by instances (PostgreSQL): moved in the database, so every instance sees the new time.
    if (isShared(ctx.clock)) await ctx.clock.advanceShared(advanceSeconds * 1000);
    else if (isAdjustable(ctx.clock)) ctx.clock.advance(advanceSeconds * 1000);
    else throw badRequest('This clock cannot be moved.');
    // Returns only once everything due by the new time has happened (expiry notices and e-mails).
    await runDue();
    return json({ now: iso(nowSec(ctx)) }, 200, NO_CORS_JSON);
  });

  routes.get('/__test__/outbox', async () => json(await outboxMessages(ctx), 200, NO_CORS_JSON));
}
