// `vite build --mode extension`: the MV3 extension from the root manifest.json into dist/extension.
// crxjs writes `background.service_worker`; we add `background.scripts` (what Firefox runs; Chromium
// 121+ ignores it when a service worker is given), so dist/extension loads in both. After the build,
// dist/extension-firefox is the same files with Firefox's manifest: without the keys only Chromium
// knows (the side panel, the service worker), which Firefox warns about.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { build, type Plugin, type Rollup, type UserConfig } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');
export const EXTENSION_OUT_DIR = join(ROOT, 'dist/extension');
export const FIREFOX_OUT_DIR = join(ROOT, 'dist/extension-firefox');

interface BuiltManifest {
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  permissions?: string[];
  side_panel?: unknown;
}

/** The built manifest as Firefox wants it: its background form only, no Chromium-only keys. */
export function firefoxManifest(built: BuiltManifest): BuiltManifest {
  const { side_panel: _, ...rest } = built;
  const scripts = built.background?.scripts;
  if (!scripts?.length) throw new Error('built manifest has no background.scripts');
  return {
    ...rest,
    background: { scripts, type: 'module' },
    permissions: (built.permissions ?? []).filter((p) => p !== 'sidePanel'),
  };
}

/** dist/extension-firefox: the build's files, with Firefox's manifest. */
function firefoxCopy(): Plugin {
  return {
    name: 'support-kit:firefox-copy',
    apply: 'build',
    enforce: 'post',
    // After every file is written (crxjs writes some in its own closeBundle).
    closeBundle: {
      order: 'post',
      handler() {
        rmSync(FIREFOX_OUT_DIR, { recursive: true, force: true });
        cpSync(EXTENSION_OUT_DIR, FIREFOX_OUT_DIR, { recursive: true });
        const file = join(FIREFOX_OUT_DIR, 'manifest.json');
        const manifest = firefoxManifest(JSON.parse(readFileSync(file, 'utf8')) as BuiltManifest);
        writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
      },
    },
  };
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

/** Where the popup and side panel load the snapshot's boot script from (see ui/boot.ts). */
export const BOOT_SCRIPT = 'extension/boot.js';
const BOOT_PAGES = ['extension/popup.html', 'extension/sidepanel.html'];

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]+)"`).exec(tag)?.[1];

/**
 * The popup's and side panel's built page, for the first paint (issue 12): the stylesheet inlined
 * (no load before the first frame; MV3 restricts scripts, not styles), and the app's module and its
 * chunk preloads handed to the boot script, which loads them once the snapshot is painted.
 */
export function bootPage(html: string, readAsset: (path: string) => string): string {
  const tags = html.match(/<(script|link)\b[^>]*>(<\/script>)?/g) ?? [];
  const entries = tags.filter((t) => t.startsWith('<script') && /type="module"/.test(t));
  const entry = entries[0] && attr(entries[0], 'src');
  if (entries.length !== 1 || !entry) throw new Error('expected one module script in the page');
  const preloads: string[] = [];
  let out = html;
  for (const tag of tags) {
    const href = attr(tag, 'href');
    if (/rel="modulepreload"/.test(tag) && href) {
      preloads.push(href);
      out = out.replace(tag, '');
    } else if (/rel="stylesheet"/.test(tag) && href) {
      const css = readAsset(href.replace(/^\//, ''));
      if (/<\/style/i.test(css)) throw new Error(`${href} cannot be inlined: it holds </style`);
      out = out.replace(tag, () => `<style>${css}</style>`);
    }
  }
  const boot = `<script src="/${BOOT_SCRIPT}" async data-app="${entry}" data-preload="${preloads.join(' ')}"></script>`;
  out = out.replace(entries[0] ?? '', boot).replace(/\n\s*\n/g, '\n');
  return out;
}

/**
 * ui/boot.ts as one small classic script, and the popup's and side panel's pages loading it first:
 * it paints the stored snapshot while nothing else loads, then loads the app (a module script would
 * wait for the app's chunks; MV3 allows no inline script).
 */
function snapshotBoot(): Plugin {
  return {
    name: 'support-kit:snapshot-boot',
    apply: 'build',
    // After vite's own HTML plugin has emitted the pages.
    enforce: 'post',
    async generateBundle(_options, bundle) {
      const out = await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          write: false,
          target: 'es2022',
          minify: true,
          lib: { entry: join(ROOT, 'extension/ui/boot.ts'), formats: ['iife'], name: 'supportKitBoot' },
        },
      });
      const outputs = (Array.isArray(out) ? out : [out]) as Rollup.RollupOutput[];
      const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
      if (!chunk) throw new Error('the boot script was not built');
      this.emitFile({ type: 'asset', fileName: BOOT_SCRIPT, source: chunk.code });
      const text = (path: string): string => {
        const file = bundle[path];
        if (file?.type !== 'asset') throw new Error(`${path} is not in the bundle`);
        return typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
      };
      for (const page of BOOT_PAGES) {
        const file = bundle[page];
        if (file?.type !== 'asset') throw new Error(`${page} is not in the bundle`);
        file.source = bootPage(text(page), text);
      }
    },
  };
}

export function extensionBuild(): UserConfig {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as ManifestV3Export;
  return {
    root: ROOT,
    plugins: [
      preact(),
      crx({ manifest, browser: 'chrome' }),
      firefoxBackground(),
      snapshotBoot(),
      firefoxCopy(),
    ],
    build: {
      outDir: EXTENSION_OUT_DIR,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
    },
  };
}
