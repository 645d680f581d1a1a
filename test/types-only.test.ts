// The contract's schemas (api/schemas.ts, zod) are the backend's to run: the browser code (the widget,
// the extension and the parts of api/ they bundle) imports only their types, so no schema code enters
// a bundle and the widget's size budget does not move. A value import of zod or of the schemas there
// fails here, before any build.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const BROWSER = ['widget', 'extension', 'api'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The modules a source imports or re-exports as values (not `import type` / `export type`). */
function valueImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(import|export)\s+(?!type\b)([^;'"]*?)\bfrom\s+['"]([^'"]+)['"]/g)) {
    const names = m[2] ?? '';
    // `import { type A, type B } from` brings no value either.
    const inBraces = /^\{([^}]*)\}\s*$/.exec(names.trim());
    if (inBraces?.[1]?.split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim()))) continue;
    out.push(m[3] ?? '');
  }
  for (const m of text.matchAll(/\bimport\s+['"]([^'"]+)['"]/g)) out.push(m[1] ?? '');
  return out;
}

const isSchemaCode = (spec: string) =>
  spec === 'zod' || spec.startsWith('zod/') || /(^|\/)schemas\.ts$/.test(spec);

describe('the browser code imports the contract as types only', () => {
  it('tells a value import from a type import', () => {
    expect(valueImports("import { z } from 'zod';")).toEqual(['zod']);
    expect(valueImports("import type { z } from 'zod';\nimport type * as S from './schemas.ts';")).toEqual(
      [],
    );
    expect(valueImports("import { type A, type B } from './schemas.ts';")).toEqual([]);
    expect(valueImports("import { type A, B } from './schemas.ts';")).toEqual(['./schemas.ts']);
    expect(valueImports("export * from './schemas.ts';")).toEqual(['./schemas.ts']);
    expect(valueImports("export type { A } from './schemas.ts';")).toEqual([]);
  });

  it('no value import of zod or api/schemas.ts in widget/, extension/ or api/ (but the schemas themselves)', () => {
    const found: string[] = [];
    for (const dir of BROWSER)
      for (const file of sources(join(ROOT, dir))) {
        const rel = relative(ROOT, file);
        if (rel === join('api', 'schemas.ts')) continue;
        for (const spec of valueImports(readFileSync(file, 'utf8')))
          if (isSchemaCode(spec)) found.push(`${rel}: ${spec}`);
      }
    expect(found).toEqual([]);
  });
});
