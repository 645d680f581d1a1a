// Every figure of `npm run bench` goes through here: three runs each (min / median / max), the
// targets judged on medians, and bench/results.json written so the next run prints its change.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export const RESULTS_FILE = join(import.meta.dirname, 'results.json');

export interface Figure {
  name: string;
  unit: string;
  runs: number[];
  min: number;
  median: number;
  max: number;
  /** Lower is better (latency, bytes) or higher (throughput). */
  better: 'lower' | 'higher';
}
export interface TargetResult {
  name: string;
  figure: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
  /** What it is compared with, e.g. the fair baseline's figure. */
  beside?: string;
}
interface ResultsFile {
  date: string;
  commit: string;
  machine: string;
  figures: Figure[];
  targets: TargetResult[];
}

export function median(values: number[]): number {
  const s = [...values].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const figures: Figure[] = [];
const targets: TargetResult[] = [];

const fmt = (n: number) =>
  Number.isNaN(n)
    ? 'n/a'
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 10
        ? n.toFixed(1)
        : n.toFixed(2);

export function record(name: string, unit: string, runs: number[], better: Figure['better']): Figure {
  const finite = runs.filter((v) => !Number.isNaN(v));
  const f: Figure = {
    name,
    unit,
    runs,
    min: finite.length ? Math.min(...finite) : Number.NaN,
    median: median(runs),
    max: finite.length ? Math.max(...finite) : Number.NaN,
    better,
  };
  figures.push(f);
  console.log(
    `  ${name.padEnd(58)} ${fmt(f.min).padStart(8)} ${fmt(f.median).padStart(8)} ${fmt(f.max).padStart(8)}  ${unit}`,
  );
  return f;
}

export function header(title: string): void {
  console.log(`\n== ${title}`);
  console.log(`  ${''.padEnd(58)} ${'min'.padStart(8)} ${'median'.padStart(8)} ${'max'.padStart(8)}`);
}

export function target(t: Omit<TargetResult, 'met'>, met: boolean): void {
  targets.push({ ...t, met });
}

export function ratio(name: string, api: Figure, base: Figure): Figure {
  const runs = api.runs.map((v, i) => (v / (base.runs[i] ?? Number.NaN)) * 100);
  return record(name, '% of baseline', runs, 'higher');
}

/**
 * Prints every target with its figure, the change since the last results.json, and writes this run
 * (not when one part of the bench runs alone: `write` false).
 */
export function finish(write = true): void {
  console.log('\n== targets (medians of three runs; expiry: the worst run)');
  for (const t of targets)
    console.log(
      `  ${t.met ? 'MET   ' : 'MISSED'} ${t.name.padEnd(62)} ${`${fmt(t.value)} ${t.unit}`.padStart(16)}  (target ${t.target})${t.beside ? `  ${t.beside}` : ''}`,
    );

  const previous: ResultsFile | undefined = existsSync(RESULTS_FILE)
    ? (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as ResultsFile)
    : undefined;
  if (previous) {
    console.log(`\n== change since the last run (${previous.date}, ${previous.commit}): medians`);
    const before = new Map(previous.figures.map((f) => [f.name, f]));
    for (const f of figures) {
      const b = before.get(f.name);
      if (!b || Number.isNaN(b.median) || Number.isNaN(f.median) || b.median === null) continue;
      const change = b.median === 0 ? 0 : ((f.median - b.median) / Math.abs(b.median)) * 100;
      const good = f.better === 'higher' ? change >= 0 : change <= 0;
      const mark = Math.abs(change) < 5 ? ' ' : good ? '+' : '-';
      console.log(
        `  ${mark} ${f.name.padEnd(58)} ${fmt(b.median).padStart(8)} → ${fmt(f.median).padStart(8)} ${f.unit}  (${change >= 0 ? '+' : ''}${change.toFixed(0)} %)`,
      );
    }
  }
  if (!write) return;
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {}
  const out: ResultsFile = {
    date: new Date().toISOString(),
    commit,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    figures,
    targets,
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwritten to ${RESULTS_FILE}`);
}

/** A figure recorded earlier in this run, by name (to print figures side by side). */
export function recorded(name: string): Figure | undefined {
  return figures.find((f) => f.name === name);
}
