// The repository stands alone: no tracked file may point at the working notes (a relative path up to
// a `shared` folder, or their docs folder); the contract lives in docs/. No folder of ours is called
// `shared` (the widget's common code is widget/common/), so any such path is refused, wherever it
// resolves: a reader cannot tell one that stays inside from one that leaves.
// The examples below are put together at run time, so this file does not trip its own check.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));
}

/** Every reference to the working notes in one file's text: a path up to `shared`, or their docs. */
function outsideReferences(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\.\.\/)+shared\b(?:\/[\w.-]*)*/g)) found.push(m[0]);
  for (const m of text.matchAll(/(?<!\.\.\/)shared\/docs\b|\/work\/shared\b/g)) found.push(m[0]);
  return found;
}

const UP = ['..', 'shared'].join('/');

describe('the repository stands alone', () => {
  it('finds every reference it must refuse, an import that would resolve inside included', () => {
    expect(outsideReferences(`// The contract of ${UP}/docs/api.md`)).toEqual([`${UP}/docs/api.md`]);
    expect(outsideReferences(`see ${UP}/testing.md`)).toEqual([`${UP}/testing.md`]);
    expect(outsideReferences(`see /work/${'shared'}`)).toEqual([`/work/${'shared'}`]);
    expect(outsideReferences(`see ${'shared'}/docs/api.md`)).toEqual([`${'shared'}/docs`]);
    expect(outsideReferences(`from '${UP}/focus.ts'`)).toEqual([`${UP}/focus.ts`]);
    expect(outsideReferences(`from '../common/focus.ts'`)).toEqual([]);
  });

  it('no tracked file refers to the working notes', () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      if (file === 'package-lock.json') continue;
      const bytes = readFileSync(join(ROOT, file));
      if (bytes.includes(0)) continue; // binary
      for (const ref of outsideReferences(bytes.toString('utf8'))) offenders.push(`${file}: ${ref}`);
    }
    expect(offenders).toEqual([]);
  });
});
