import { describe, expect, it } from 'vitest';
import { harness } from './testing.ts';

describe('/openapi.json', () => {
  it('describes exactly the routes the app registers, no more, no fewer', async () => {
    const h = await harness();
    const doc = (await (await h.fetch('http://backend.test/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const routes = h.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    expect([...new Set(routes)].sort()).toEqual(documented.sort());
  });

  it('points every schema reference at a schema it defines', async () => {
    const h = await harness();
    const text = await (await h.fetch('http://backend.test/openapi.json')).text();
    const schemas = Object.keys(
      (JSON.parse(text) as { components: { schemas: Record<string, unknown> } }).components.schemas,
    );
    const refs = [...text.matchAll(/#\/components\/schemas\/(\w+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(schemas).toContain(r);
  });
});
