// Widget figures: gzip bytes of the launcher and of every chunk (and the totals), the launcher's
// main-thread time from script start to the button drawn (performance marks, median of 20 loads in
// headless Chromium), and the requests made before any intent.
import { join } from 'node:path';
import { launchBrowser, ROOT, startBackend } from '../test/e2e/harness.ts';
import { BUDGET, partOf, widgetSizes } from '../test/e2e/widget-sizes.ts';

const RUNS = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function benchWidget(): Promise<void> {
  const sizes = widgetSizes();
  console.log('\n== widget: gzip bytes (dist/widget)');
  for (const [file, bytes] of Object.entries(sizes.files).sort(([, a], [, b]) => b - a)) {
    const path = sizes.supportFiles.includes(file) ? '  (support path)' : '';
    console.log(`  ${file.padEnd(36)} ${String(bytes).padStart(6)}  ${partOf(file)}${path}`);
  }
  const row = (label: string, bytes: number, budget?: number) =>
    console.log(`  ${label.padEnd(36)} ${String(bytes).padStart(6)}${budget ? `  budget ${budget}` : ''}`);
  row('launcher', sizes.launcher, BUDGET.launcher);
  row('support path (launcher, menu, form)', sizes.support, BUDGET.support);
  row('everything, English', sizes.everything, BUDGET.everything);
  row('everything, Czech', sizes.everythingCs);

  const backend = await startBackend({ staticDirs: { '/pages': join(ROOT, 'test/e2e/pages') } });
  await backend.reset();
  const browser = await launchBrowser();
  try {
    const drawn: number[] = [];
    let before = 0;
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await page.goto(`${backend.url}/pages/widget-normal.html`);
      await page.locator('support-kit button.b').waitFor();
      // No named functions inside: tsx would wrap them in a helper the page does not have.
      const t = await page.evaluate(
        () =>
          new Promise<{ drawn: number }>((resolve) => {
            requestAnimationFrame(() => {
              const start = performance.getEntriesByName('support-kit:start')[0]?.startTime ?? Number.NaN;
              const end = performance.getEntriesByName('support-kit:drawn')[0]?.startTime ?? Number.NaN;
              resolve({ drawn: end - start });
            });
          }),
      );
      drawn.push(t.drawn);
      await page.waitForTimeout(i === 0 ? 1500 : 50);
      if (i === 0) {
        const page_ = ['/pages/widget-normal.html', '/pages/widget-setup.js', '/widget/support-kit.js'];
        before = requests.filter((p) => !page_.includes(p)).length;
      }
      await context.close();
    }
    console.log('== widget: launcher in headless Chromium (median of 20 loads)');
    console.log(`  script start → button in the DOM   ${median(drawn).toFixed(2)} ms`);
    console.log(`  requests before intent (1.5 s idle) ${before}`);
  } finally {
    await browser.close();
    await backend.close();
  }
}
