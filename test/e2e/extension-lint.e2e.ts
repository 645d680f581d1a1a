// Firefox: Mozilla's `web-ext lint` on the built extension (the same build Chromium loads) finds no errors.
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

describe('extension for Firefox', () => {
  it('passes web-ext lint with no errors', async () => {
    const bin = join(ROOT, 'node_modules/.bin/web-ext');
    const { stdout } = await promisify(execFile)(
      bin,
      ['lint', '--source-dir', join(ROOT, 'dist/extension'), '--output', 'json', '--no-config-discovery'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } },
    ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const report = JSON.parse(stdout) as LintReport;
    const summary = report.errors.map((e) => `${e.code} ${e.file ?? ''}: ${e.message}`);
    expect(summary).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });
});
