import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, openapiDocument, openapiFileText } from './openapi.ts';
import { renderReference } from './openapi-html.ts';
import { harness } from './testing.ts';

type Doc = {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};

describe('/openapi.json', () => {
  it('describes exactly the routes the app registers, no more, no fewer', async () => {
    const h = await harness();
    const doc = (await (await h.fetch('http://backend.test/openapi.json')).json()) as Doc;
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const routes = h.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    expect([...new Set(routes)].sort()).toEqual(documented.sort());
  });

  it('points every schema reference at a schema it defines', async () => {
    const h = await harness();
    const text = await (await h.fetch('http://backend.test/openapi.json')).text();
    const schemas = Object.keys((JSON.parse(text) as Doc).components.schemas);
    const refs = [...text.matchAll(/#\/components\/schemas\/(\w+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(schemas).toContain(r);
  });

  // The official OpenAPI 3.1 schema (with its JSON Schema 2020-12 dialect), as packaged by
  // @seriousme/openapi-schema-validator over ajv.
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(openapiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('refuses a document that is not valid OpenAPI 3.1 (the check can fail)', async () => {
    const doc = openapiDocument() as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const verify = doc.paths['/manage/tokens/verify']?.get;
    if (!verify) throw new Error('no GET /manage/tokens/verify');
    verify.responses = { 200: { content: {} } }; // a response without its required description
    expect((await new Validator().validate(doc)).valid).toBe(false);
  });

  it(`is written, current, to ${OPENAPI_FILE} (npm run openapi writes it)`, () => {
    const file = readFileSync(join(import.meta.dirname, '..', OPENAPI_FILE), 'utf8');
    expect(file === openapiFileText(), `${OPENAPI_FILE} is not current: run npm run openapi`).toBe(true);
  });

  it('takes its enums and limits from api/types.ts', () => {
    const s = openapiDocument() as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const schemas = s.components.schemas;
    expect(schemas.RoleBody?.properties.role).toEqual({ enum: ['admin', 'guest', 'readOnly', 'share'] });
    expect(schemas.Organization?.properties.maintainer).toMatchObject({ anyOf: [{}, { type: 'null' }] });
    expect(schemas.EntryBody?.properties.reason).toEqual({
      anyOf: [{ type: 'string', maxLength: 1000 }, { type: 'null' }],
    });
  });
});

describe('/docs', () => {
  it('answers with the reference page: every path, method and schema of the document, no script', async () => {
    const h = await harness();
    const res = await h.fetch('http://backend.test/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const page = await res.text();
    const doc = openapiDocument() as Doc;
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(30);
    for (const [path, ops] of Object.entries(doc.paths))
      for (const method of Object.keys(ops))
        expect(page, `${method} ${path}`).toMatch(
          new RegExp(`>${method.toUpperCase()}</span> <code>${path.replace(/[{}]/g, '\\$&')}</code>`),
        );
    for (const name of Object.keys(doc.components.schemas)) expect(page).toContain(`id="schema-${name}"`);
    expect(page).not.toMatch(/<script|src=|https?:\/\/(?!www\.w3)/i);
  });

  it('escapes every string of the document', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const page = renderReference({
      openapi: '3.1.0',
      info: { title: evil, version: evil, description: evil },
      tags: [{ name: evil, description: evil }],
      paths: {
        [`/x/${evil}`]: {
          get: {
            summary: evil,
            tags: [evil],
            parameters: [{ name: evil, in: evil, schema: { type: evil, enum: [evil] } }],
            responses: { [evil]: { description: evil, content: { [evil]: { schema: { $ref: evil } } } } },
          },
        },
      },
      components: { schemas: { [evil]: { description: evil, properties: { [evil]: { type: evil } } } } },
    });
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
