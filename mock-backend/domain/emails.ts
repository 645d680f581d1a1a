// The e-mails of api.md "Notifications", as text and HTML. User text is escaped in HTML; no e-mail
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

function html(paragraphs: string[]): string {
  return `<!doctype html><html><body style="font-family:sans-serif">${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`;
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
  const expires = f.expires ?? 'never';
  const reason = f.reason ?? '(none given)';
  return {
    to,
    subject: `Access request for project ${f.project.name}`,
    text: [
      `${who} asks for access to the project ${f.project.name} (${f.project.id}).`,
      `Reason: ${reason}`,
      `Access would expire: ${expires}`,
      `Review the request in the project's users page, signed in: ${f.usersPageUrl}`,
    ].join('\n\n'),
    html: html([
      `${escapeHtml(who)} asks for access to the project <strong>${escapeHtml(f.project.name)}</strong> (${f.project.id}).`,
      `Reason: ${escapeHtml(reason)}`,
      `Access would expire: ${escapeHtml(expires)}`,
      `Review the request in <a href="${escapeHtml(f.usersPageUrl)}">the project's users page</a>, signed in.`,
    ]),
  };
}

export type Outcome = 'approved' | 'rejected' | 'expired';

export function decidedMail(to: string, outcome: Outcome, f: RequestFacts, by: UserRef | null): Mail {
  const line =
    outcome === 'approved'
      ? `Your request for access to the project ${f.project.name} was approved${by ? ` by ${by.name}` : ''}. Your access expires: ${f.expires ?? 'never'}.`
      : outcome === 'rejected'
        ? `Your request for access to the project ${f.project.name} was rejected${by ? ` by ${by.name}` : ''}.`
        : `Your request for access to the project ${f.project.name} expired before anyone decided on it.`;
  return {
    to,
    subject: `Your access request for ${f.project.name} was ${outcome}`,
    text: `${line}\n\nYour reason was: ${f.reason ?? '(none given)'}`,
    html: html([escapeHtml(line), `Your reason was: ${escapeHtml(f.reason ?? '(none given)')}`]),
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
  context: string;
  attachments: string[];
}

export function ticketMail(to: string, t: TicketFacts): Mail {
  const lines: [string, string][] = [
    ['Ticket', t.number],
    ['From', `${t.reporter.name} <${t.reporter.email}>`],
    ['Type', `${t.type}${t.severity ? `, ${t.severity}` : ''}`],
    ['Project', t.project ? `${t.project.name} (${t.project.id})` : '(none)'],
    ['Attachments', t.attachments.length ? t.attachments.join(', ') : '(none)'],
  ];
  return {
    to,
    subject: `[${t.number}] ${t.subject}`,
    text: `${lines.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${t.description}\n\nContext:\n${t.context}`,
    html: html([
      lines.map(([k, v]) => `<strong>${k}:</strong> ${escapeHtml(v)}`).join('<br>'),
      `<pre style="white-space:pre-wrap">${escapeHtml(t.description)}</pre>`,
      `<pre style="white-space:pre-wrap">${escapeHtml(t.context)}</pre>`,
    ]),
  };
}
