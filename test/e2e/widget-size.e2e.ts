// The widget's size budget, on the build that `npm test` makes before the e2e phase.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGET, LAUNCHER, WIDGET_DIR, widgetSizes } from './widget-sizes.ts';

describe('widget size budget (gzip)', () => {
  const sizes = widgetSizes();

  it(`keeps the launcher within ${BUDGET.launcher} bytes`, () => {
    expect(sizes.launcher).toBeGreaterThan(0);
    expect(sizes.launcher).toBeLessThanOrEqual(BUDGET.launcher);
  });

  it(`keeps the launcher and the panel it loads within ${BUDGET.total} bytes`, () => {
    console.log('[widget size]', JSON.stringify(sizes, null, 2));
    expect(sizes.coreFiles.length).toBeGreaterThan(1);
    expect(sizes.core).toBeLessThanOrEqual(BUDGET.total);
  });

  it('keeps the launcher free of Preact and of module syntax, so it runs as a classic script too', () => {
    const code = readFileSync(join(WIDGET_DIR, LAUNCHER), 'utf8');
    expect(code).not.toMatch(/import\.meta|^\s*(import|export)\s|[;}]\s*(import|export)\s*[{*]/m);
    expect(code).not.toContain('__PREACT');
    expect(code).not.toMatch(/from\s*["']/);
  });

  it('keeps the lazy chunks from importing the launcher (it would run twice)', () => {
    for (const file of Object.keys(sizes.files).filter((f) => f !== LAUNCHER)) {
      expect(readFileSync(join(WIDGET_DIR, file), 'utf8'), file).not.toContain(LAUNCHER);
    }
  });
});
