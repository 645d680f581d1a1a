import type { Hono } from 'hono';
import type { Env } from './common.ts';

export function openapiRoute(app: Hono<Env>): void {
  app.get('/openapi.json', (c) =>
    c.json({ openapi: '3.1.0', info: { title: 'Support Kit', version: '0.1.0' }, paths: {} }),
  );
}
