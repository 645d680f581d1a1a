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

// On a phone the facts' labels stack above their values (a value squeezed beside a wide label column
// breaks mid-address); clients that drop <style> keep the two-column table.
const NARROW_CSS =
  '@media (max-width:480px){body.sk{padding:12px 8px!important}.sk-card{padding:16px!important}' +
  '.sk-facts,.sk-facts tbody,.sk-facts tr,.sk-facts th,.sk-facts td{display:block!important;width:auto!important}' +
  '.sk-facts th{padding:8px 0 0!important;white-space:normal!important}.sk-facts td{padding:2px 0 8px!important}}';

/** A labelled table of facts; every label and value is escaped. */
function factsTable(rows: Rows, cell: string, style: string): string {
  return `<table role="presentation" class="sk-facts" style="border-collapse:collapse;${style}">${rows
    .map(
      ([k, v]) =>
        `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:${cell} 12px ${cell} 0;color:#52606d;font-weight:600;white-space:nowrap">${escapeHtml(k)}</th><td style="padding:${cell} 0;white-space:pre-wrap;overflow-wrap:anywhere">${escapeHtml(v)}</td></tr>`,
    )
    .join('')}</table>`;
}

/** The HTML part: the same paragraphs and a labelled table of facts. Every value is escaped. */
function htmlMail(title: string, intro: string[], rows: Rows, outro: string[] = []): string {
  const p = (x: string) => `<p style="margin:0 0 12px">${x}</p>`;
  const table = rows.length ? factsTable(rows, '6px', 'margin:0 0 16px;width:100%') : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${NARROW_CSS}</style></head><body class="sk" style="margin:0;padding:24px;background:#f5f7fa;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933"><div class="sk-card" style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:20px 24px"><h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(title)}</h1>${intro.map(p).join('')}${table}${outro.map(p).join('')}</div></body></html>`;
}

export interface RequestFacts {
  project: { id: number; name: string };
  requester: UserRef;
  reason: string | null;
  expires: string | null;
  usersPageUrl: string;
}

/** A new-request job's facts: the request's, and which of its recipients decide. */
export interface NewRequestJobFacts extends RequestFacts {
  /**
   * The job's first this many recipients may decide (admin and share members); the rest are told who
   * does. Absent on jobs queued before it was kept: all of them were told to review.
   */
  decidersFirst?: number;
}

/** Whether the job's recipient at `index` may decide. */
export const recipientDecides = (f: NewRequestJobFacts, index: number): boolean =>
  f.decidersFirst === undefined || index < f.decidersFirst;

/**
 * The new-request e-mail. Every member of the customer's people gets it, but only admin and share
 * members decide: the others (guests, read-only members) are told who does, not to review it.
 */
export function newJoinRequestMail(to: string, f: RequestFacts, mayDecide = true): Mail {
  const who = `${f.requester.name} <${f.requester.email}>`;
  const subject = `Access request for project ${f.project.name}`;
  const rows: Rows = [
    ['Project', `${f.project.name} (#${f.project.id})`],
    ['Requested by', who],
    ['Reason', f.reason ?? '(none given)'],
    ['Access would end', readableTime(f.expires)],
  ];
  const intro = `${f.requester.name} asks for access to the project ${f.project.name}.`;
  const button = (label: string) =>
    `<a href="${escapeHtml(f.usersPageUrl)}" style="display:inline-block;padding:8px 16px;border-radius:6px;background:#0b57d0;color:#fff;text-decoration:none;font-weight:600">${label}</a>`;
  const note = (x: string) => `<span style="color:#52606d;font-size:13px">${x}</span>`;
  if (!mayDecide) {
    const deciders =
      "Only the project's admins (members with the admin or share role) can approve or reject it.";
    const why =
      'You get this as a member of the project. If it should be decided soon, ask one of its admins.';
    return {
      to,
      subject,
      text: textMail([intro, deciders], rows, [
        `You can see the request in the project's users page, signed in:\n${f.usersPageUrl}`,
        why,
      ]),
      html: htmlMail(subject, [escapeHtml(intro), `<strong>${escapeHtml(deciders)}</strong>`], rows, [
        button('See it in the users page'),
        note(escapeHtml(why)),
      ]),
    };
  }
  return {
    to,
    subject,
    text: textMail([intro], rows, [
      `Review the request in the project's users page, signed in:\n${f.usersPageUrl}`,
      'There is no approve or reject link in this e-mail: decide in the user list.',
    ]),
    html: htmlMail(subject, [escapeHtml(intro)], rows, [
      button('Review in the users page'),
      note('There is no approve or reject link in this e-mail: decide in the user list, signed in.'),
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
  const subject = `Your access request for ${f.project.name} ${outcome === 'expired' ? 'has expired' : `was ${outcome}`}`;
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
  return factsTable(rows, '3px', 'margin-top:4px;font-size:13px');
}
