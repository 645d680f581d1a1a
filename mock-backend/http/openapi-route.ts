import { OPENAPI_ROUTES, openapiDocument } from '../openapi.ts';
import { renderReference } from '../openapi-html.ts';
import { json, PUBLIC_JSON, type Routes } from './common.ts';

// The reference page runs no script and loads nothing: its CSP allows its inline style only. No CORS
// headers (like the mailbox and the demo pages), and it is never framed.
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

export function openapiRoute(routes: Routes): void {
  const doc = openapiDocument();
  const page = renderReference(doc);
  routes.get(OPENAPI_ROUTES.json.path, () => json(doc, 200, PUBLIC_JSON));
  routes.get(OPENAPI_ROUTES.page.path, () => new Response(page, { status: 200, headers: PAGE_HEADERS }));
}
