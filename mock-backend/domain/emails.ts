// The e-mails of docs/rules.md#e-mails, as text and HTML. User text is escaped in HTML; no e-mail
// carries an approve or reject link: decisions are made signed in, in the user list.
import type { UserRef } from '../../api/types.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// Made once: a formatter is costly to build (it was a twentieth of a write's time, built twice per e-mail).
const DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/**
 * A timestamp as people read it, with its time zone: "Tuesday 1 December 2026, 23:18 UTC". E-mails go
 * to people in any zone, so they say UTC rather than guess the reader's.
 */
export function readableTime(t: string | null): string {
  if (t === null) return 'never';
  const ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) return t;
  const day = DAY.format(ms);
  const time = TIME.format(ms);
  return `${day}, ${time} UTC`;
}

type Rows = [label: string, value: string][];

/** The plain-text part: paragraphs, then the facts as aligned "Label: value" lines. */
function textMail(intro: string[], rows: Rows, outro: string[] = []): string {
  const width = Math.max(0, ...rows.map(([k]) => k.length)) + 1;
  const facts = rows.map(
    ([k, v]) => `${`${k}:`.padEnd(width)} ${v.replace(/\n/g, `\n${' '.repeat(width + 1)}`)}`,
  );
  return [...intro, ...(facts.length ? [facts.join('\n')] : []), ...outro].join('\n\n');
}

/** The HTML part: the same paragraphs and a labelled table of facts. Every value is escaped. */
function htmlMail(title: string, intro: string[], rows: Rows, outro: string[] = []): string {
  const p = (x: string) => `<p style="margin:0 0 12px">${x}</p>`;
  const table = rows.length
    ? `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px;width:100%">${rows
        .map(
          ([k, v]) =>
            `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:6px 12px 6px 0;color:#52606d;font-weight:600;white-space:nowrap">${escapeHtml(k)}</th><td style="padding:6px 0;white-space:pre-wrap;overflow-wrap:anywhere">${escapeHtml(v)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="margin:0;padding:24px;background:#f5f7fa;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933"><div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:20px 24px"><h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(title)}</h1>${intro.map(p).join('')}${table}${outro.map(p).join('')}</div></body></html>`;
}

export interface RequestFacts {
  project: { id: number; name: string };
  requester: UserRef;
  reason: string | null;
  expires: string | null;
  usersPageUrl: string;
}

export function newJoinRequestMail(to: string, f: RequestFacts): Mail {
  const who = `${f.requester.name} <${f.requester.email}>`;
  const subject = `Access request for project ${f.project.name}`;
  const rows: Rows = [
    ['Project', `${f.project.name} (#${f.project.id})`],
    ['Requested by', who],
    ['Reason', f.reason ?? '(none given)'],
    ['Access would end', readableTime(f.expires)],
  ];
  const intro = `${f.requester.name} asks for access to the project ${f.project.name}.`;
  return {
    to,
    subject,
    text: textMail([intro], rows, [
      `Review the request in the project's users page, signed in:\n${f.usersPageUrl}`,
      'There is no approve or reject link in this e-mail: decide in the user list.',
    ]),
    html: htmlMail(subject, [escapeHtml(intro)], rows, [
      `<a href="${escapeHtml(f.usersPageUrl)}" style="display:inline-block;padding:8px 16px;border-radius:6px;background:#0b57d0;color:#fff;text-decoration:none;font-weight:600">Review in the users page</a>`,
      '<span style="color:#52606d;font-size:13px">There is no approve or reject link in this e-mail: decide in the user list, signed in.</span>',
    ]),
  };
}

export type Outcome = 'approved' | 'rejected' | 'expired';

export function decidedMail(to: string, outcome: Outcome, f: RequestFacts, by: UserRef | null): Mail {
  const line =
    outcome === 'approved'
      ? `Your request for access to the project ${f.project.name} was approved${by ? ` by ${by.name}` : ''}.`
      : outcome === 'rejected'
        ? `Your request for access to the project ${f.project.name} was rejected${by ? ` by ${by.name}` : ''}.`
        : `Your request for access to the project ${f.project.name} expired before anyone decided on it.`;
  const subject = `Your access request for ${f.project.name} was ${outcome}`;
  const rows: Rows = [
    ['Project', `${f.project.name} (#${f.project.id})`],
    ...(outcome === 'approved' ? ([['Access ends', readableTime(f.expires)]] as Rows) : []),
    ...(by && outcome !== 'expired'
      ? ([[outcome === 'approved' ? 'Approved by' : 'Rejected by', by.name]] as Rows)
      : []),
    ['Your reason', f.reason ?? '(none given)'],
  ];
  return { to, subject, text: textMail([line], rows), html: htmlMail(subject, [escapeHtml(line)], rows) };
}

export interface TicketFacts {
  number: string;
  subject: string;
  description: string;
  type: string;
  severity: string | null;
  project: { id: number; name: string } | null;
  reporter: UserRef;
  /** What the widget captured, as labelled rows (see contextRows). */
  context: Rows;
  attachments: string[];
}

const CONTEXT_LABELS: Record<string, string> = {
  pageUrl: 'Page',
  browser: 'Browser',
  viewport: 'Window',
  locale: 'Language',
  appVersion: 'App version',
};
const ERROR_LABELS: Record<string, string> = {
  message: 'Error',
  exceptionId: 'Error reference',
  status: 'Error status',
  requestId: 'Request id',
  url: 'Failed request',
};

/** The ticket's context as labelled rows (known fields by name, anything else by its key). */
export function contextRows(context: object | null | undefined): Rows {
  const rows: Rows = [];
  for (const [k, v] of Object.entries(context ?? {})) {
    if (v === null || v === undefined || v === '') continue;
    if (k === 'error' && typeof v === 'object') {
      for (const [ek, ev] of Object.entries(v as object))
        if (ev !== null && ev !== undefined && ev !== '')
          rows.push([ERROR_LABELS[ek] ?? `Error ${ek}`, String(ev)]);
    } else rows.push([CONTEXT_LABELS[k] ?? k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  }
  return rows;
}

export function ticketMail(to: string, t: TicketFacts): Mail {
  const rows: Rows = [
    ['Ticket', t.number],
    ['From', `${t.reporter.name} <${t.reporter.email}>`],
    ['Type', `${t.type}${t.severity ? `, ${t.severity}` : ''}`],
    ['Project', t.project ? `${t.project.name} (#${t.project.id})` : '(none)'],
    ['Attachments', t.attachments.length ? t.attachments.join(', ') : '(none)'],
  ];
  const subject = `[${t.number}] ${t.subject}`;
  const context = t.context.length ? t.context : ([['Context', '(none sent)']] as Rows);
  const width = Math.max(...context.map(([k]) => k.length)) + 1;
  return {
    to,
    subject,
    text: [
      textMail([], rows),
      `Description:\n${t.description}`,
      `Sent with the ticket:\n${context.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join('\n')}`,
    ].join('\n\n'),
    html: htmlMail(subject, [], rows, [
      `<strong>Description</strong><br><span style="white-space:pre-wrap">${escapeHtml(t.description)}</span>`,
      `<strong>Sent with the ticket</strong>${htmlRows(context)}`,
    ]),
  };
}

function htmlRows(rows: Rows): string {
  return `<table role="presentation" style="border-collapse:collapse;margin-top:4px;font-size:13px">${rows
    .map(
      ([k, v]) =>
        `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:3px 12px 3px 0;color:#52606d;font-weight:600;white-space:nowrap">${escapeHtml(k)}</th><td style="padding:3px 0;overflow-wrap:anywhere">${escapeHtml(v)}</td></tr>`,
    )
    .join('')}</table>`;
}
