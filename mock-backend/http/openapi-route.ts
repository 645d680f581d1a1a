import type { Hono } from 'hono';
import { openapiDocument } from '../openapi.ts';
import type { Env } from './common.ts';

export function openapiRoute(app: Hono<Env>): void {
  const doc = openapiDocument();
  app.get('/openapi.json', (c) => c.json(doc));
}
