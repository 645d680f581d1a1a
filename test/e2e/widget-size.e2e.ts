// The widget's size budget, on the build that `npm test` makes before the e2e phase. Every chunk's
// gzip size is printed; the figures, the core's 40 KB and the opt-in parts' own budgets are in
// widget-sizes.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGET, isOptIn, LAUNCHER, OPT_IN, partOf, WIDGET_DIR, widgetSizes } from './widget-sizes.ts';

describe('widget size budget (gzip)', () => {
  const sizes = widgetSizes();
  const code = (file: string) => readFileSync(join(WIDGET_DIR, file), 'utf8');
  const chunks = Object.keys(sizes.files).filter((f) => f !== LAUNCHER);

  it('prints every chunk', () => {
    console.log('[widget size]', JSON.stringify(sizes, null, 2));
    expect(chunks.map(partOf).sort()).toEqual(
      [
        'fallback',
        'live',
        'org',
        'org-cs',
        'support',
        'support-cs',
        'tickets',
        'tickets-cs',
        'users',
        'users-cs',
        'users-shared',
        'webhooks',
        'webhooks-cs',
      ].sort(),
    );
  });

  it(`keeps the launcher within ${BUDGET.launcher} bytes`, () => {
    expect(sizes.launcher).toBeGreaterThan(0);
    expect(sizes.launcher).toBeLessThanOrEqual(BUDGET.launcher);
  });

  it(`keeps the support path (launcher, menu, ticket form, one locale) within ${BUDGET.support} bytes, one chunk after the launcher`, () => {
    // One chunk: nothing the browser learns of only once the support chunk arrived (no waterfall).
    expect(sizes.supportFiles.map(partOf).sort()).toEqual(['support', LAUNCHER].sort());
    expect(sizes.support).toBeLessThanOrEqual(BUDGET.support);
  });

  it(`keeps everything the core can load in one locale (all but the opt-in parts) within ${BUDGET.everything} bytes`, () => {
    expect(sizes.everything).toBeLessThanOrEqual(BUDGET.everything);
    // Czech adds its packs to the parts (English stays bundled): less than 4 KB on top.
    expect(sizes.everythingCs - sizes.everything).toBeLessThan(4 * 1024);
    // Nothing else is left out of the core: only the opt-in parts and their Czech chunks.
    expect(chunks.filter(isOptIn).map(partOf).sort()).toEqual(Object.keys(BUDGET.optIn).sort());
    console.log('[widget size] every file', sizes.all, 'in Czech', sizes.allCs);
  });

  for (const [name, budget] of Object.entries(BUDGET.optIn) as [keyof typeof BUDGET.optIn, number][]) {
    it(`keeps the opt-in part ${name} within ${budget} bytes, off the support path`, () => {
      expect(sizes.optIn[name]).toBeGreaterThan(0);
      expect(sizes.optIn[name]).toBeLessThanOrEqual(budget);
      expect(sizes.supportFiles.map(partOf)).not.toContain(name);
    });
  }

  it('keeps the opt-in parts loaded only by import(): no chunk imports them statically', () => {
    for (const file of chunks) {
      for (const part of OPT_IN)
        expect(code(file), file).not.toMatch(new RegExp(`from\\s*["'\`]\\./${part}-`));
    }
    console.log('[widget size] My tickets', sizes.tickets, 'loaded on opening it', sizes.ticketsPath);
  });

  it('holds each library once: Preact, signals-core and the client in the support chunk, hooks in users-shared', () => {
    const holding = (marker: string) => chunks.filter((f) => code(f).includes(marker)).map(partOf);
    expect(holding('Symbol.for(`pv`)')).toEqual(['support']); // preact
    expect(holding('preact-signals')).toEqual(['support']); // @preact/signals-core
    expect(holding('X-KBC-ManageApiToken')).toEqual(['support']); // the API client
    expect(holding('__H')).toEqual(['users-shared']); // preact/hooks
  });

  it('keeps Czech out of the English path: the parts load their -cs chunk only by import()', () => {
    for (const file of chunks) {
      expect(code(file), file).not.toMatch(/from\s*["'`]\.\/[\w-]+-cs-/);
    }
  });

  it('keeps the launcher free of Preact and of module syntax, so it runs as a classic script too', () => {
    const launcher = code(LAUNCHER);
    expect(launcher).not.toMatch(/import\.meta|^\s*(import|export)\s|[;}]\s*(import|export)\s*[{*]/m);
    expect(launcher).not.toContain('__PREACT');
    expect(launcher).not.toMatch(/from\s*["']/);
  });

  it('keeps the lazy chunks from importing the launcher (it would run twice)', () => {
    for (const file of chunks) expect(code(file), file).not.toContain(LAUNCHER);
  });
});
