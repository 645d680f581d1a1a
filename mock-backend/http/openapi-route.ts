import { openapiDocument } from '../openapi.ts';
import { json, PUBLIC_JSON, type Routes } from './common.ts';

export function openapiRoute(routes: Routes): void {
  const doc = openapiDocument();
  routes.get('/openapi.json', () => json(doc, 200, PUBLIC_JSON));
}
