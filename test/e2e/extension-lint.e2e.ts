// Firefox: Mozilla's `web-ext lint` on the built extension (the same build Chromium loads) finds no errors,
// and on Firefox's copy of it (dist/extension-firefox) no warning about its manifest either.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.ts';

interface LintMessage {
  code: string;
  message: string;
  file?: string;
}
interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
}

async function lint(dir: string): Promise<LintReport> {
  const bin = join(ROOT, 'node_modules/.bin/web-ext');
  const { stdout } = await promisify(execFile)(
    bin,
    ['lint', '--source-dir', join(ROOT, dir), '--output', 'json', '--no-config-discovery'],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } },
  ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return JSON.parse(stdout) as LintReport;
}

describe('extension for Firefox', () => {
  it('passes web-ext lint with no errors', async () => {
    const report = await lint('dist/extension');
    const summary = report.errors.map((e) => `${e.code} ${e.file ?? ''}: ${e.message}`);
    expect(summary).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });

  it("Firefox's copy has no Chromium-only keys: no error, no warning about its manifest", async () => {
    const report = await lint('dist/extension-firefox');
    const manifest = [...report.errors, ...report.warnings]
      .filter((m) => m.file === 'manifest.json')
      .map((m) => `${m.code}: ${m.message}`);
    expect(manifest).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });
});
