// What is captured automatically with a ticket; the form shows exactly this before sending.
import type { ErrorContext, TicketContext } from '../../api/types.ts';
import type { ErrorReport } from '../types.ts';

/** "Chrome 131 (Linux x86_64)": browser, major version and platform; the full UA is not needed. */
export function describeBrowser(ua: string, platform = navigator.platform): string {
  const m = /(Edg|Firefox|OPR|Chrome|Version)\/(\d+)/.exec(
    ua.includes('Edg/') ? ua.replace(/Chrome\//, '') : ua,
  );
  const name = m
    ? `${m[1] === 'Version' ? 'Safari' : m[1] === 'Edg' ? 'Edge' : m[1]} ${m[2]}`
    : ua.slice(0, 60);
  return platform ? `${name} (${platform})` : name;
}

/** Accepts our shape or a Keboola error body as-is (`error` for the message, `status: "error"`). */
export function toErrorContext(report: ErrorReport): ErrorContext {
  const n = Number(report.status);
  const status = Number.isInteger(n) && n > 0 ? n : undefined;
  const ctx: ErrorContext = {
    message: String(report.message || report.error || (status ? `HTTP ${status}` : 'Error')).slice(0, 1000),
  };
  if (report.exceptionId) ctx.exceptionId = String(report.exceptionId);
  if (status) ctx.status = status;
  if (report.requestId) ctx.requestId = String(report.requestId);
  if (report.url) ctx.url = String(report.url);
  return ctx;
}

export function captureContext(input: {
  locale: string;
  appVersion?: string;
  error?: ErrorContext;
}): TicketContext {
  const ctx: TicketContext = {
    pageUrl: location.href,
    browser: describeBrowser(navigator.userAgent),
    viewport: `${innerWidth}×${innerHeight}`,
    locale: input.locale,
  };
  if (input.appVersion) ctx.appVersion = input.appVersion;
  if (input.error) ctx.error = input.error;
  return ctx;
}

/** One line for an error in the context list and the alert. */
export function describeError(e: ErrorContext): string {
  const facts = [e.status && `HTTP ${e.status}`, e.exceptionId, e.requestId].filter(Boolean).join(', ');
  return facts ? `${e.message} (${facts})` : e.message;
}
