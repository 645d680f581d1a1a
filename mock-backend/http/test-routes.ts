// Test-mode endpoints (registered only with --test-mode; 404 otherwise).
import type { Hono } from 'hono';
import type { OutboxMessage } from '../../api/types.ts';
import { isAdjustable } from '../clock.ts';
import { type Ctx, nowSec } from '../domain/context.ts';
import { badRequest } from '../domain/errors.ts';
import { isFixture, loadFixture } from '../domain/fixture.ts';
import { iso } from '../domain/format.ts';
import { body, type Env } from './common.ts';
import { int, object } from './validate.ts';

const TEN_YEARS = 315_360_000;

export function testRoutes(app: Hono<Env>, ctx: Ctx, runDue: () => void): void {
  app.post('/__test__/reset', async (c) => {
    const fixture = await body(c, (v) => v, 10 * 1024 * 1024);
    if (!isFixture(fixture)) throw badRequest('The body must be a fixture (see api.md).');
    ctx.store.transaction(() => {
      ctx.store.clear();
      loadFixture(ctx.store, fixture, nowSec(ctx));
    });
    return c.body(null, 204);
  });

  app.post('/__test__/clock', async (c) => {
    const { advanceSeconds } = await body(c, object({ advanceSeconds: int({ min: 0, max: TEN_YEARS }) }));
    if (!isAdjustable(ctx.clock)) throw badRequest('This clock cannot be moved.');
    ctx.clock.advance(advanceSeconds * 1000);
    // Returns only once everything due by the new time has happened (expiry notices and e-mails).
    runDue();
    return c.json({ now: iso(nowSec(ctx)) });
  });

  app.get('/__test__/outbox', (c) => {
    const messages: OutboxMessage[] = ctx.store
      .find('outbox', {})
      .map((m) => ({ to: m.to, subject: m.subject, text: m.text, html: m.html, created: iso(m.created) }));
    return c.json(messages);
  });
}
