// `vite build --mode extension`: the MV3 extension from the root manifest.json into dist/extension.
// One build for Chromium and Firefox: crxjs writes `background.service_worker`; we add
// `background.scripts` (what Firefox runs; Chromium 121+ ignores it when a service worker is given).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import type { Plugin, UserConfig } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');
export const EXTENSION_OUT_DIR = join(ROOT, 'dist/extension');

interface BuiltManifest {
  background?: { service_worker?: string; scripts?: string[]; type?: string };
}

/** Adds the Firefox background form next to the Chromium one in the built manifest. */
function firefoxBackground(): Plugin {
  return {
    name: 'support-kit:firefox-background',
    apply: 'build',
    enforce: 'post',
    writeBundle(options) {
      const file = join(options.dir ?? EXTENSION_OUT_DIR, 'manifest.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as BuiltManifest;
      const worker = manifest.background?.service_worker;
      if (!worker) throw new Error('built manifest has no background.service_worker');
      manifest.background = { service_worker: worker, scripts: [worker], type: 'module' };
      writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
}

export function extensionBuild(): UserConfig {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as ManifestV3Export;
  return {
    root: ROOT,
    plugins: [preact(), crx({ manifest, browser: 'chrome' }), firefoxBackground()],
    build: {
      outDir: EXTENSION_OUT_DIR,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
    },
  };
}
