// Runs once before the e2e files: make sure Chromium, Firefox ESR and the built widget and extension
// (Chromium's and Firefox's copy) exist.
import { existsSync } from 'node:fs';
import { ensureChromium } from './chromium.ts';
import { ensureFirefox } from './firefox.ts';

export default function setup(): void {
  ensureChromium();
  ensureFirefox();
  for (const dir of ['dist/widget', 'dist/extension', 'dist/extension-firefox']) {
    if (!existsSync(dir)) throw new Error(`${dir} is missing: run "npm run build" before the e2e tests.`);
  }
}
