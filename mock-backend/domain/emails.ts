// The e-mails of docs/rules.md#e-mails, as text and HTML. User text is escaped in HTML; no e-mail
// carries an approve or reject link: decisions are made signed in, in the user list.
import type { UserRef } from '../../api/types.ts';
import { fill, MAIL_STRINGS, type MailLocale, type MailStrings } from './mail-strings.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Where a reply goes (a ticket's signed reply address), when not to the sender. */
  replyTo?: string | null;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// Made once per language: a formatter is costly to build (it was a twentieth of a write's time, built
// twice per e-mail).
const DATE_TAGS: Record<MailLocale, string> = { en: 'en-GB', cs: 'cs-CZ' };
const FORMATS = new Map<MailLocale, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
function formats(locale: MailLocale) {
  let f = FORMATS.get(locale);
  if (!f) {
    const tag = DATE_TAGS[locale];
    f = {
      day: new Intl.DateTimeFormat(tag, {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }),
      time: new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }),
    };
    FORMATS.set(locale, f);
  }
  return f;
}

/**
 * A timestamp as people read it, with its time zone: "Tuesday 1 December 2026, 23:18 UTC" ("úterý
 * 1. prosince 2026, 23:18 UTC" in Czech). E-mails go to people in any zone, so they say UTC rather
 * than guess the reader's.
 */
export function readableTime(t: string | null, locale: MailLocale = 'en'): string {
  if (t === null) return MAIL_STRINGS[locale].never;
  const ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) return t;
  const { day, time } = formats(locale);
  return `${day.format(ms)}, ${time.format(ms)} UTC`;
}

export type Rows = [label: string, value: string][];

/** The plain-text part: paragraphs, then the facts as aligned "Label: value" lines. */
export function textMail(intro: string[], rows: Rows, outro: string[] = []): string {
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
export function htmlMail(
  locale: MailLocale,
  title: string,
  intro: string[],
  rows: Rows,
  outro: string[] = [],
): string {
  const p = (x: string) => `<p style="margin:0 0 12px">${x}</p>`;
  const table = rows.length ? factsTable(rows, '6px', 'margin:0 0 16px;width:100%') : '';
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${NARROW_CSS}</style></head><body class="sk" style="margin:0;padding:24px;background:#f5f7fa;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933"><div class="sk-card" style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:20px 24px"><h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(title)}</h1>${intro.map(p).join('')}${table}${outro.map(p).join('')}</div></body></html>`;
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
  /** The language of the backend that queued the job (absent on older jobs: English). */
  locale?: MailLocale;
}

/** Whether the job's recipient at `index` may decide. */
export const recipientDecides = (f: NewRequestJobFacts, index: number): boolean =>
  f.decidersFirst === undefined || index < f.decidersFirst;

const projectLabel = (p: { id: number; name: string }) => `${p.name} (#${p.id})`;

/**
 * The new-request e-mail. Every member of the customer's people gets it, but only admin and share
 * members decide: the others (guests, read-only members) are told who does, not to review it.
 */
export function newJoinRequestMail(
  to: string,
  f: RequestFacts,
  mayDecide = true,
  locale: MailLocale = 'en',
): Mail {
  const w = MAIL_STRINGS[locale];
  const who = `${f.requester.name} <${f.requester.email}>`;
  const subject = fill(w.requestSubject, { project: f.project.name });
  const rows: Rows = [
    [w.project, projectLabel(f.project)],
    [w.requestedBy, who],
    [w.reason, f.reason ?? w.noReason],
    [w.accessWouldEnd, readableTime(f.expires, locale)],
  ];
  const intro = fill(w.requestIntro, { name: f.requester.name, project: f.project.name });
  const url = { url: f.usersPageUrl };
  // A long word of a button's label (Czech has them) wraps rather than widens the card on a phone.
  const button = (label: string) =>
    `<a href="${escapeHtml(f.usersPageUrl)}" style="display:inline-block;max-width:100%;box-sizing:border-box;padding:8px 16px;border-radius:6px;background:#0b57d0;color:#fff;text-decoration:none;font-weight:600;overflow-wrap:anywhere">${escapeHtml(label)}</a>`;
  const note = (x: string) => `<span style="color:#52606d;font-size:13px">${escapeHtml(x)}</span>`;
  if (!mayDecide) {
    return {
      to,
      subject,
      text: textMail([intro, w.requestDeciders], rows, [fill(w.requestSeeText, url), w.requestWhyMember]),
      html: htmlMail(
        locale,
        subject,
        [escapeHtml(intro), `<strong>${escapeHtml(w.requestDeciders)}</strong>`],
        rows,
        [button(w.requestSeeButton), note(w.requestWhyMember)],
      ),
    };
  }
  return {
    to,
    subject,
    text: textMail([intro], rows, [fill(w.requestReviewText, url), w.noLinkText]),
    html: htmlMail(locale, subject, [escapeHtml(intro)], rows, [
      button(w.requestReviewButton),
      note(w.noLinkHtml),
    ]),
  };
}

export type Outcome = 'approved' | 'rejected' | 'expired';

export function decidedMail(
  to: string,
  outcome: Outcome,
  f: RequestFacts,
  by: UserRef | null,
  locale: MailLocale = 'en',
): Mail {
  const w = MAIL_STRINGS[locale];
  const project = { project: f.project.name };
  const line =
    outcome === 'expired'
      ? fill(w.expiredLine, project)
      : by
        ? fill(outcome === 'approved' ? w.approvedByLine : w.rejectedByLine, { ...project, name: by.name })
        : fill(outcome === 'approved' ? w.approvedLine : w.rejectedLine, project);
  const subject = fill(
    outcome === 'approved'
      ? w.approvedSubject
      : outcome === 'rejected'
        ? w.rejectedSubject
        : w.expiredSubject,
    project,
  );
  const rows: Rows = [
    [w.project, projectLabel(f.project)],
    ...(outcome === 'approved' ? ([[w.accessEnds, readableTime(f.expires, locale)]] as Rows) : []),
    ...(by && outcome !== 'expired'
      ? ([[outcome === 'approved' ? w.approvedBy : w.rejectedBy, by.name]] as Rows)
      : []),
    [w.yourReason, f.reason ?? w.noReason],
  ];
  return {
    to,
    subject,
    text: textMail([line], rows),
    html: htmlMail(locale, subject, [escapeHtml(line)], rows),
  };
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
  attachments: { name: string; size: number }[];
}

type Key = keyof MailStrings;

const CONTEXT_LABELS: Record<string, Key> = {
  pageUrl: 'contextPage',
  browser: 'contextBrowser',
  viewport: 'contextViewport',
  locale: 'contextLocale',
  appVersion: 'contextAppVersion',
};
const ERROR_LABELS: Record<string, Key> = {
  message: 'errorMessage',
  exceptionId: 'errorExceptionId',
  status: 'errorStatus',
  requestId: 'errorRequestId',
  url: 'errorUrl',
};
const TYPE_WORDS: Record<string, Key> = {
  question: 'typeQuestion',
  problem: 'typeProblem',
  incident: 'typeIncident',
};
const SEVERITY_WORDS: Record<string, Key> = {
  low: 'severityLow',
  normal: 'severityNormal',
  high: 'severityHigh',
  critical: 'severityCritical',
};

/** The pack's word for a value, or the value itself when it has none. */
const word = (w: MailStrings, words: Record<string, Key>, value: string): string => {
  const key = words[value];
  return key === undefined ? value : w[key];
};

/** The ticket's context as labelled rows (known fields by name, anything else by its key). */
export function contextRows(context: object | null | undefined, locale: MailLocale = 'en'): Rows {
  const w = MAIL_STRINGS[locale];
  const rows: Rows = [];
  for (const [k, v] of Object.entries(context ?? {})) {
    if (v === null || v === undefined || v === '') continue;
    if (k === 'error' && typeof v === 'object') {
      for (const [ek, ev] of Object.entries(v as object)) {
        if (ev === null || ev === undefined || ev === '') continue;
        const label = ERROR_LABELS[ek];
        rows.push([label ? w[label] : fill(w.errorOther, { key: ek }), String(ev)]);
      }
    } else {
      const label = CONTEXT_LABELS[k];
      rows.push([label ? w[label] : k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
    }
  }
  return rows;
}

export function ticketMail(to: string, t: TicketFacts, locale: MailLocale = 'en'): Mail {
  const w = MAIL_STRINGS[locale];
  const type = word(w, TYPE_WORDS, t.type);
  const attachments = t.attachments.map((a) => fill(w.attachment, { name: a.name, size: String(a.size) }));
  const rows: Rows = [
    [w.ticket, t.number],
    [w.from, `${t.reporter.name} <${t.reporter.email}>`],
    [w.type, t.severity ? `${type}, ${word(w, SEVERITY_WORDS, t.severity)}` : type],
    [w.project, t.project ? projectLabel(t.project) : w.noProject],
    [w.attachments, attachments.length ? attachments.join(', ') : w.noAttachments],
  ];
  const subject = `[${t.number}] ${t.subject}`;
  const context = t.context.length ? t.context : ([[w.context, w.nothingSent]] as Rows);
  const width = Math.max(...context.map(([k]) => k.length)) + 1;
  return {
    to,
    subject,
    text: [
      textMail([], rows),
      `${w.description}:\n${t.description}`,
      `${w.sentWithTicket}:\n${context.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join('\n')}`,
    ].join('\n\n'),
    html: htmlMail(locale, subject, [], rows, [
      `<strong>${escapeHtml(w.description)}</strong><br><span style="white-space:pre-wrap">${escapeHtml(t.description)}</span>`,
      `<strong>${escapeHtml(w.sentWithTicket)}</strong>${htmlRows(context)}`,
    ]),
  };
}

function htmlRows(rows: Rows): string {
  return factsTable(rows, '3px', 'margin-top:4px;font-size:13px');
}

export interface ReplyFacts {
  number: string;
  subject: string;
  /** Who wrote, and on which side: the first line says it. */
  author: UserRef;
  side: 'customer' | 'staff';
  body: string;
  attachments: { name: string; size: number }[];
  status: string;
  project: { id: number; name: string } | null;
}

const STATUS_WORDS: Record<string, Key> = {
  new: 'statusNew',
  open: 'statusOpen',
  waiting: 'statusWaiting',
  solved: 'statusSolved',
  closed: 'statusClosed',
};

/**
 * A message of a ticket's thread, to one participant, with its reply-by-e-mail address. The message
 * is user text: escaped in the HTML part, as every value is.
 */
export function ticketReplyMail(
  to: string,
  replyTo: string | null,
  f: ReplyFacts,
  locale: MailLocale = 'en',
): Mail {
  const w = MAIL_STRINGS[locale];
  const subject = fill(w.replySubject, { number: f.number, subject: f.subject });
  const line = fill(f.side === 'staff' ? w.staffReplyLine : w.customerReplyLine, {
    name: f.author.name,
    number: f.number,
  });
  const attachments = f.attachments.map((a) => fill(w.attachment, { name: a.name, size: String(a.size) }));
  const rows: Rows = [
    [w.ticket, `${f.number}: ${f.subject}`],
    [w.status, word(w, STATUS_WORDS, f.status)],
    [w.project, f.project ? projectLabel(f.project) : w.noProject],
    ...(attachments.length ? ([[w.attachments, attachments.join(', ')]] as Rows) : []),
  ];
  const outro = replyTo ? [w.replyByEmail] : [];
  return {
    to,
    subject,
    text: [line, f.body, textMail([], rows, outro)].join('\n\n'),
    html: htmlMail(
      locale,
      subject,
      [
        escapeHtml(line),
        `<span style="display:block;white-space:pre-wrap;border-left:3px solid #cbd2d9;padding-left:12px">${escapeHtml(f.body)}</span>`,
      ],
      rows,
      outro.map(escapeHtml),
    ),
    replyTo,
  };
}
