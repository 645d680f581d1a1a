// Gzip sizes of the built widget (dist/widget), for the budget test and `npm run bench`.
// "Core" is what the widget loads for its own flows: the launcher, the panel chunk it imports on
// intent, and that chunk's static imports. "Everything" is every file it can ever load, the
// lazily loaded Users & access panel included.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './harness.ts';

export const WIDGET_DIR = join(ROOT, 'dist/widget');
export const LAUNCHER = 'support-kit.js';
/** 1 KB = 1024 bytes. */
export const BUDGET = { launcher: 2.5 * 1024, total: 20 * 1024 } as const;

export interface WidgetSizes {
  /** path relative to dist/widget → gzip bytes */
  files: Record<string, number>;
  launcher: number;
  core: number;
  coreFiles: string[];
  everything: number;
}

function listJs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listJs(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

const gzip = (file: string) => gzipSync(readFileSync(file)).length;

/** Relative imports of a built file: `import("./x.js")` and `from"./x.js"`. */
function imports(file: string, dynamic: boolean): string[] {
  const code = readFileSync(file, 'utf8');
  const re = dynamic
    ? /import\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g
    : /from\s*["'`](\.{1,2}\/[^"'`]+)["'`]/g;
  return [...code.matchAll(re)].map((m) => join(file, '..', m[1] ?? ''));
}

export function widgetSizes(dir = WIDGET_DIR): WidgetSizes {
  const all = listJs(dir);
  const files = Object.fromEntries(all.map((f) => [relative(dir, f), gzip(f)]));
  const launcherPath = join(dir, LAUNCHER);
  // The launcher's first dynamic import is the panel; follow its static imports.
  const core = new Set([launcherPath]);
  const queue = imports(launcherPath, false).concat(imports(launcherPath, true).slice(0, 1));
  while (queue.length) {
    const next = queue.shift();
    if (!next || core.has(next)) continue;
    core.add(next);
    queue.push(...imports(next, false));
  }
  const sum = (list: string[]) => list.reduce((n, f) => n + (files[relative(dir, f)] ?? 0), 0);
  return {
    files,
    launcher: files[LAUNCHER] ?? 0,
    core: sum([...core]),
    coreFiles: [...core].map((f) => relative(dir, f)),
    everything: sum(all),
  };
}
