// Runs once before the e2e files: make sure Chromium and the built widget and extension exist.
import { existsSync } from 'node:fs';
import { ensureChromium } from './chromium.ts';

export default function setup(): void {
  ensureChromium();
  for (const dir of ['dist/widget', 'dist/extension']) {
    if (!existsSync(dir)) throw new Error(`${dir} is missing: run "npm run build" before the e2e tests.`);
  }
}
