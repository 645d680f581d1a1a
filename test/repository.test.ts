// The repository stands alone: no tracked file may point outside it for the contract or the notes
// (a relative path up to a `shared` folder outside the repository, or the working notes' docs folder).
// The contract lives in docs/. `widget/shared/` is a folder of ours, and a relative import of it from
// widget/ is fine: only paths that resolve outside the repository, or to nothing in it, are refused.
// The examples below are put together at run time, so this file does not trip its own check.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));
}

/** Every reference to a `shared` folder outside the repository in one file's text. */
function outsideReferences(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\.\.\/)+shared(?:\/[\w.-]*)*/g)) {
    const target = resolve(ROOT, dirname(file), m[0]);
    const inside = !relative(ROOT, target).startsWith('..');
    if (!inside || !existsSync(target)) found.push(m[0]);
  }
  for (const m of text.matchAll(/shared\/docs\b|\/work\/shared\b/g)) found.push(m[0]);
  return found;
}

const UP = ['..', 'shared'].join('/');

describe('the repository stands alone', () => {
  it('finds the references it must refuse, and lets widget/shared be', () => {
    expect(outsideReferences('api/types.ts', `// The contract of ${UP}/docs/api.md`)).toEqual([
      `${UP}/docs/api.md`,
      `${'shared'}/docs`,
    ]);
    expect(outsideReferences('README.md', `see ${UP}/testing.md`)).toEqual([`${UP}/testing.md`]);
    expect(outsideReferences('README.md', `see /work/${'shared'}`)).toEqual([`/work/${'shared'}`]);
    expect(outsideReferences('widget/users/confirm.tsx', `from '${UP}/focus.ts'`)).toEqual([]);
    expect(outsideReferences('widget/users/x.ts', `from '${UP}/nothing-here.ts'`)).toEqual([
      `${UP}/nothing-here.ts`,
    ]);
  });

  it('no tracked file refers to a shared folder outside the repository or to the working notes', () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      if (file === 'package-lock.json') continue;
      const bytes = readFileSync(join(ROOT, file));
      if (bytes.includes(0)) continue; // binary
      for (const ref of outsideReferences(file, bytes.toString('utf8'))) offenders.push(`${file}: ${ref}`);
    }
    expect(offenders).toEqual([]);
  });
});
