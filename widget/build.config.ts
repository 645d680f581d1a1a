// `vite build --mode widget`:
//  - dist/widget/: the script-tag build. `support-kit.js` (the launcher, a stable name) plus hashed
//    lazy chunks beside it. Chunks are loaded with `import('./x.js')`, which resolves against the
//    launcher's own URL, so the folder works from any URL (relative base, no preload helper).
//  - dist/widget-npm/: the npm ESM build (dependencies external) with `.d.ts` emitted by tsc 7
//    (it has no JS API, so vite-plugin-dts cannot run; tsc itself emits declarations).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { build, type Plugin, type UserConfig } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');
export const WIDGET_OUT_DIR = join(ROOT, 'dist/widget');
export const WIDGET_NPM_OUT_DIR = join(ROOT, 'dist/widget-npm');
export const LAUNCHER_FILE = 'support-kit.js';

// zod for the types only: the contract's types are derived from its schemas (api/schemas.ts), so the
// package's declarations import zod's types; its code imports nothing of zod.
const NPM_DEPS = ['preact', '@preact/signals-core', 'idb-keyval', 'zod'];

/** Our stylesheets are template strings in `styles.ts` files: drop their line breaks (bytes count). */
function compactCss(): Plugin {
  return {
    name: 'support-kit:compact-css',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]widget[\\/].*styles\.ts$/.test(id)) return null;
      return { code: code.replace(/`[^`]*`/g, (css) => css.replace(/\n\s*/g, '')), map: null };
    },
  };
}

/**
 * The minifier leaves `/* @__PURE__ *\/` on every JSX call; they only help a later minifier, and this
 * build is final (the npm build keeps them for the host's bundler).
 */
function stripPureAnnotations(): Plugin {
  return {
    name: 'support-kit:strip-pure',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        // `return/* @__PURE__ */ h(…)` must keep a space: `return h(…)`.
        if (file.type === 'chunk')
          file.code = file.code.replace(/([\w$]?)\/\* @__PURE__ \*\/ /g, (_, w: string) =>
            w ? `${w} ` : '',
          );
      }
    },
  };
}

/**
 * The launcher is one classic script that shares no runtime module with the lazy chunks (a chunk
 * importing from it would run it twice, and it could not be a classic script). The few helpers it
 * shares in the source with the other parts (`common/locale.ts`: one `pickLocale`) are copied into it
 * instead: imported from the launcher's own modules, they resolve to a module of the launcher's own.
 */
function launcherCopies(): Plugin {
  return {
    name: 'support-kit:launcher-copies',
    enforce: 'pre',
    apply: 'build',
    async resolveId(source, importer, options) {
      if (!importer || !/[\\/]widget[\\/](launcher[\\/]|embed\.ts$)/.test(importer)) return null;
      if (!/[\\/]common[\\/]locale\.ts$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && { ...resolved, id: `${resolved.id}?launcher` };
    },
  };
}

function npmPackage(): Plugin {
  return {
    name: 'support-kit:widget-npm',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root: ROOT,
        logLevel: 'warn',
        plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
        build: {
          outDir: WIDGET_NPM_OUT_DIR,
          emptyOutDir: true,
          minify: false,
          lib: { entry: join(ROOT, 'widget/index.ts'), formats: ['es'], fileName: 'index' },
          rolldownOptions: {
            external: (id) => NPM_DEPS.some((d) => id === d || id.startsWith(`${d}/`)),
          },
        },
      });
      execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'widget/tsconfig.npm.json')], {
        stdio: 'inherit',
      });
      // tsc keeps `./x.ts` in declarations; published types point at `./x.js` like the code does.
      const typesDir = join(WIDGET_NPM_OUT_DIR, 'types');
      for (const file of readdirSync(typesDir, { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.d.ts')) continue;
        const path = join(typesDir, file);
        const text = readFileSync(path, 'utf8');
        writeFileSync(path, text.replace(/(from\s+'\.{1,2}\/[^']+)\.tsx?'/g, "$1.js'"));
      }
      const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        version: string;
        dependencies: Record<string, string>;
      };
      const pkg = {
        name: '@support-kit/widget',
        version: root.version,
        type: 'module',
        main: './index.js',
        types: './types/widget/index.d.ts',
        exports: { '.': { types: './types/widget/index.d.ts', default: './index.js' } },
        sideEffects: false,
        dependencies: Object.fromEntries(NPM_DEPS.map((d) => [d, root.dependencies[d] ?? '*'])),
      };
      writeFileSync(join(WIDGET_NPM_OUT_DIR, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    },
  };
}

/**
 * Chunk names say what each chunk is, so the size budget and the bench can tell them apart:
 *  - support: the menu, ticket form and alert (loaded on intent); shared: what it shares with the
 *    users & access parts (Preact, signals-core, the API client);
 *  - users, org: the "Users & access" panel and the Auto Join setting; users-shared: what those two
 *    share (preact/hooks, their stylesheet, the confirmation dialog);
 *  - tickets: "My tickets" (issue 20), the list and the thread, loaded when someone opens it; live:
 *    what it shares with the users panel only (the events reader, relative times);
 *  - webhooks: the organization's Webhooks section, loaded by the Auto Join setting for organization
 *    users only;
 *  - *-cs: the Czech strings of each part, loaded only when the locale is Czech.
 */
const PARTS: [RegExp, string][] = [
  [/widget\/panel\/index\.tsx$/, 'support'],
  [/widget\/users\/panel\.tsx$/, 'users'],
  [/widget\/org\/panel\.tsx$/, 'org'],
  [/widget\/tickets\/panel\.tsx$/, 'tickets'],
  [/widget\/org\/webhooks\.tsx$/, 'webhooks'],
  [/widget\/org\/webhooks-strings-cs\.ts$/, 'webhooks-cs'],
  [/widget\/strings\/cs\.ts$/, 'support-cs'],
  [/widget\/users\/strings-cs\.ts$/, 'users-cs'],
  [/widget\/org\/strings-cs\.ts$/, 'org-cs'],
  [/widget\/tickets\/strings-cs\.ts$/, 'tickets-cs'],
  [/node_modules\/preact\/dist\//, 'shared'],
  [/node_modules\/preact\/hooks\//, 'users-shared'],
  [/api\/events\.ts$/, 'live'],
];

function chunkName(chunk: { facadeModuleId: string | null; moduleIds: string[] }): string {
  const ids = chunk.facadeModuleId ? [chunk.facadeModuleId] : chunk.moduleIds;
  const part = PARTS.find(([re]) => ids.some((id) => re.test(id.replaceAll('\\', '/'))))?.[1];
  return `chunks/${part ?? '[name]'}-[hash].js`;
}

/**
 * The support path (click → menu → form) in one request: what the support chunk and the users parts
 * share (Preact, signals, the API client) goes into the support chunk itself, instead of a shared
 * chunk the browser would learn of only once the support chunk had arrived (a round trip more on
 * Fast 3G). The users and org parts, opened from the support menu, import it from there. The
 * launcher's own modules, the users-only code and the Czech strings keep their chunks.
 */
type ModuleGraph = { getModuleInfo: (id: string) => { importedIds: readonly string[] } | null };

function supportChunk(id: string, meta: ModuleGraph) {
  const path = id.replaceAll('\\', '/');
  if (/strings-cs\.ts$|strings\/cs\.ts$/.test(path) || closure(meta, 'widget/embed.ts').has(id))
    return undefined;
  // Only what the support entry itself imports: code only the users parts use (hooks, the events
  // reader) stays in their chunks, and the launcher's own modules in the launcher.
  if (
    !/widget\/(users|org|launcher|tickets)\/|widget\/embed\.ts$/.test(path) &&
    closure(meta, 'widget/panel/index.tsx').has(id)
  )
    return 'support';
  // What the users panel shares with the Auto Join setting (the client, hooks, the stylesheet) stays
  // one chunk, as before "My tickets"; what it shares with "My tickets" alone (the events reader,
  // times) the bundler splits off by itself (`live`).
  if (closure(meta, 'widget/users/panel.tsx').has(id) && closure(meta, 'widget/org/panel.tsx').has(id))
    return 'users-shared';
  return undefined;
}

/** The static import closure of an entry (dynamic imports are other chunks), computed once. */
const closures = new Map<string, Set<string>>();
function closure(meta: ModuleGraph, entry: string): Set<string> {
  const known = closures.get(entry);
  if (known) return known;
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const next of meta.getModuleInfo(id)?.importedIds ?? []) visit(next);
  };
  visit(join(ROOT, entry));
  closures.set(entry, seen);
  return seen;
}

export function widgetBuild(): UserConfig {
  return {
    base: './',
    publicDir: false,
    plugins: [
      preact({ devToolsEnabled: false, prefreshEnabled: false }),
      compactCss(),
      stripPureAnnotations(),
      launcherCopies(),
      npmPackage(),
    ],
    build: {
      outDir: WIDGET_OUT_DIR,
      emptyOutDir: true,
      target: 'es2020',
      minify: true,
      // Library mode: no preload helper (it needs `import.meta.url`, which a classic script lacks).
      lib: { entry: join(ROOT, 'widget/embed.ts'), formats: ['es'], fileName: () => LAUNCHER_FILE },
      rolldownOptions: {
        output: { chunkFileNames: chunkName, minify: true, manualChunks: supportChunk },
      },
    },
  };
}
