// The demo's mailbox: every message of the outbox, readable in a browser. A message's HTML is shown in
// a sandboxed iframe (it runs no script; allow-same-origin lets this page size it), and all text
// around it is escaped. It needs no login, so it is served only when asked for (`--mailbox`, the
// demo), to this machine only (local.ts), never framed, and without CORS headers.
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { Ctx } from '../domain/context.ts';
import { escapeHtml, readableTime } from '../domain/emails.ts';
import { iso } from '../domain/format.ts';
import { expandMailJobs, newestOutboxRows } from '../domain/outbox.ts';
import type { C, Routes } from './common.ts';
import type { RouteDoc } from './declare.ts';
import { localRefusal } from './local.ts';

// A message's preview is as tall as the e-mail, so all of it shows (the button at its end too): this
// script sizes the frame to its content, on load and when the window's width changes. The frame may
// be read by this page (allow-same-origin) but runs no script itself (no allow-scripts); without the
// script the frame keeps a fixed height and scrolls.
const FIT_FRAMES =
  "for(const f of document.querySelectorAll('iframe[data-fit]')){const fit=()=>{const d=f.contentDocument;" +
  "if(d&&d.documentElement)f.style.height=Math.ceil(d.documentElement.getBoundingClientRect().height)+2+'px'};" +
  "f.addEventListener('load',fit);addEventListener('resize',fit);fit()}";
const FIT_FRAMES_HASH = btoa(String.fromCharCode(...sha256(utf8ToBytes(FIT_FRAMES))));

const HEADERS = {
  'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${FIT_FRAMES_HASH}'; frame-src 'self'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

function page(title: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;margin:0 auto;padding:1.5rem 1rem;max-width:60rem}
table{border-collapse:collapse;width:100%}td,th{padding:.45rem .6rem;text-align:left;vertical-align:top;border-bottom:1px solid #e4e7eb}
th{font-size:13px;color:#52606d}td.t{white-space:nowrap;color:#52606d;font-size:14px}a{color:#1f6feb}
iframe{display:block;width:100%;height:32rem;border:1px solid #d9dde3;border-radius:8px}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f7fa;border:1px solid #e4e7eb;border-radius:8px;padding:1rem;font-size:13px}
.meta{color:#52606d}@media (max-width:640px){td.t{white-space:normal}thead{display:none}tr{display:grid;padding:.4rem 0;border-bottom:1px solid #e4e7eb}td{border:0;padding:.1rem 0}}</style>
</head><body>${content}</body></html>`;
}

const WHO = 'Anyone on this machine, when the server runs with --mailbox (no token).';
/** The mailbox's declarations, for the document: HTML pages with their own 404, registered below. */
const LIST: RouteDoc = {
  method: 'GET',
  path: '/mailbox',
  summary: 'Demo mailbox (HTML; only with --mailbox, to this machine only)',
  who: WHO,
  tag: 'Demo',
  ok: 200,
  public: true,
  contentType: 'text/html',
};
const MESSAGE: RouteDoc = {
  method: 'GET',
  path: '/mailbox/:messageId',
  summary: 'One message of the demo mailbox (HTML; only with --mailbox, to this machine only)',
  who: WHO,
  tag: 'Demo',
  ok: 200,
  public: true,
  contentType: 'text/html',
};
export const MAILBOX_ROUTES: readonly RouteDoc[] = [LIST, MESSAGE];

export function mailboxRoutes(routes: Routes, ctx: Ctx): void {
  const refused = (c: C): Response | undefined => {
    const refusal = localRefusal(c);
    if (!refusal) return undefined;
    return c.html(
      page(
        'Not served here',
        `<h1>The mailbox is served to this machine only</h1><p>${escapeHtml(refusal.message)}</p>`,
      ),
      refusal.status,
      HEADERS,
    );
  };
  routes.get(LIST.path, async (c) => {
    const no = refused(c);
    if (no) return no;
    // E-mails queued as one job for many recipients get their rows (and links) before listing.
    while ((await expandMailJobs(ctx.store, 1000)) > 0) {}
    // Newest first by the time each was queued (a job's rows are written later than they were queued).
    const rows = (await newestOutboxRows(ctx.store, 500))
      .map(
        (m) =>
          `<tr><td class="t"><time datetime="${escapeHtml(iso(m.created))}">${escapeHtml(readableTime(iso(m.created)))}</time></td><td>${escapeHtml(m.to)}</td><td><a href="/mailbox/${m.id}">${escapeHtml(m.subject)}</a></td><td>${m.smtpSentAt ? 'sent over SMTP' : ''}</td></tr>`,
      )
      .join('');
    const html = page(
      'Mailbox',
      `<p><a href="/">← Demo app</a></p><h1>Mailbox</h1><p>Every e-mail the mock backend sent, newest first.</p><table><thead><tr><th>Time</th><th>To</th><th>Subject</th><th></th></tr></thead><tbody>${rows || '<tr><td colspan="4">No messages yet.</td></tr>'}</tbody></table>`,
    );
    return c.html(html, 200, HEADERS);
  });

  routes.get(MESSAGE.path, async (c) => {
    const no = refused(c);
    if (no) return no;
    const raw = c.req.param('messageId') ?? '';
    const m = /^[1-9][0-9]{0,14}$/.test(raw) ? await ctx.store.get('outbox', Number(raw)) : undefined;
    if (!m)
      return c.html(
        page('Not found', '<h1>No such message</h1><p><a href="/mailbox">Mailbox</a></p>'),
        404,
        HEADERS,
      );
    const html = page(
      m.subject,
      `<p><a href="/mailbox">← Mailbox</a></p><h1>${escapeHtml(m.subject)}</h1><p class="meta">To: ${escapeHtml(m.to)}<br>${m.replyTo ? `Reply-To: ${escapeHtml(m.replyTo)}<br>` : ''}Sent: <time datetime="${escapeHtml(iso(m.created))}">${escapeHtml(readableTime(iso(m.created)))}</time></p>
<h2>HTML part</h2><iframe sandbox="allow-same-origin" data-fit title="HTML body" srcdoc="${escapeHtml(m.html)}"></iframe><h2>Plain-text part</h2><pre>${escapeHtml(m.text)}</pre><script>${FIT_FRAMES}</script>`,
    );
    return c.html(html, 200, HEADERS);
  });
}
