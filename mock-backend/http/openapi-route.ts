import { openapiDocument } from '../openapi.ts';
import { json, type Routes } from './common.ts';

export function openapiRoute(routes: Routes): void {
  const doc = openapiDocument();
  routes.get('/openapi.json', () => json(doc));
}
