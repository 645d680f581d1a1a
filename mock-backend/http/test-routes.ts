// Test-mode endpoints (registered only with --test-mode; 404 otherwise).
import { isAdjustable } from '../clock.ts';
import { type Ctx, nowSec } from '../domain/context.ts';
import { badRequest } from '../domain/errors.ts';
import { isFixture, loadFixture } from '../domain/fixture.ts';
import { iso } from '../domain/format.ts';
import { outboxMessages } from '../domain/outbox.ts';
import { body, json, noContent, type Routes } from './common.ts';
import { int, object } from './validate.ts';

const TEN_YEARS = 315_360_000;

export function testRoutes(routes: Routes, ctx: Ctx, runDue: () => void): void {
  routes.post('/__test__/reset', async (c) => {
    const fixture = await body(c, (v) => v, 10 * 1024 * 1024);
    if (!isFixture(fixture)) throw badRequest('The body must be a fixture (see api.md).');
    ctx.store.transaction(() => {
      ctx.store.clear();
      loadFixture(ctx.store, fixture, nowSec(ctx));
    });
    return noContent();
  });

  routes.post('/__test__/clock', async (c) => {
    const { advanceSeconds } = await body(c, object({ advanceSeconds: int({ min: 0, max: TEN_YEARS }) }));
    if (!isAdjustable(ctx.clock)) throw badRequest('This clock cannot be moved.');
    ctx.clock.advance(advanceSeconds * 1000);
    // Returns only once everything due by the new time has happened (expiry notices and e-mails).
    runDue();
    return json({ now: iso(nowSec(ctx)) });
  });

  routes.get('/__test__/outbox', () => json(outboxMessages(ctx)));
}
