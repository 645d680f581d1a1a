// Errors are captured globally, reported once (de-duplicated), and "Extension context invalidated."
// (the old page after an update) is expected rather than a crash.
import { isContextInvalidated } from './browser.ts';

const PREFIX = '[support-kit]';
const seen = new Set<string>();
const MAX_SEEN = 200;

export function reportError(error: unknown, where = 'unknown'): void {
  if (isContextInvalidated(error)) return;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const key = `${where}|${message}`;
  if (seen.has(key)) return;
  if (seen.size >= MAX_SEEN) seen.clear();
  seen.add(key);
  console.error(PREFIX, where, error);
}

type ErrorTarget = {
  addEventListener(type: 'error', l: (e: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', l: (e: PromiseRejectionEvent) => void): void;
};

/** Install once per context (worker, popup, options). */
export function captureErrors(
  where: string,
  target: ErrorTarget = globalThis as unknown as ErrorTarget,
): void {
  target.addEventListener('error', (e) => reportError(e.error ?? e.message, where));
  target.addEventListener('unhandledrejection', (e) => {
    if (isContextInvalidated(e.reason)) e.preventDefault();
    reportError(e.reason, where);
  });
}
