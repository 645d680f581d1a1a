// The report of what an outsider did in a project (issue 23, point 3), as an e-mail to the project's
// deciders and as the plain text of a `report` entry in the ticket's thread. Every name, reason and
// description is user text: the HTML part escapes it, as every e-mail does (emails.ts).
import type { AccessLogAction, MemberKind, TicketRef, UserRef } from '../../api/types.ts';
import type { AccessLogRow, MembershipEndHow } from '../store/schema.ts';
import { escapeHtml, htmlMail, type Mail, type Rows, readableTime, textMail } from './emails.ts';
import { fill, MAIL_STRINGS, type MailLocale, type MailStrings } from './mail-strings.ts';

export interface ReportFacts {
  project: { id: number; name: string };
  user: UserRef;
  kind: MemberKind;
  reason: string | null;
  started: string;
  ended: string;
  how: MembershipEndHow;
  endedBy: UserRef | null;
  /** Who let them in: `approved` (a request), `granted` (a grant), `added` (by a decider), `joined` (Auto Join). */
  entry: { how: 'approved' | 'granted' | 'added' | 'joined'; by: UserRef | null };
  ticket: TicketRef | null;
  /** Their changes, oldest first, at most REPORT_CHANGES_LISTED; `more` counts the rest. */
  changes: AccessLogRow[];
  more: number;
  /** The users page, whose History tab holds the whole access history. */
  historyUrl: string;
}

/** Changes listed in one report; the rest are counted and left to the history. */
export const REPORT_CHANGES_LISTED = 100;

const who = (u: UserRef) => `${u.name} <${u.email}>`;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** One change of the access log in the pack's words. */
export function changeLine(e: AccessLogRow, w: MailStrings): string {
  const d = e.details;
  const values = {
    subject: e.subject ? who(e.subject) : '',
    description: str(d.description),
    role: str(d.role),
    from: str(d.from),
  };
  const lines: Partial<Record<AccessLogAction, string>> = {
    storageTokenCreated: w.changeStorageTokenCreated,
    storageTokenRevoked: w.changeStorageTokenRevoked,
    added: w.changeAdded,
    removed: w.changeRemoved,
    roleChanged: w.changeRoleChanged,
    invited: w.changeInvited,
    invitationCancelled: w.changeInvitationCancelled,
    approved: w.changeApproved,
    rejected: w.changeRejected,
    autoJoinChanged: d.allowAutoJoin ? w.changeAutoJoinOn : w.changeAutoJoinOff,
    projectDeleted: w.changeProjectDeleted,
  };
  const line = lines[e.action];
  return line === undefined
    ? `${e.action}${values.subject ? ` (${values.subject})` : ''}`
    : fill(line, values);
}

function facts(f: ReportFacts, w: MailStrings, locale: MailLocale): Rows {
  const kind = f.kind === 'maintainer' ? w.reportKindMaintainer : w.reportKindSupport;
  const how = {
    expired: w.reportHowExpired,
    left: w.reportHowLeft,
    removed: fill(w.reportHowRemoved, { name: f.endedBy?.name ?? '' }),
    withdrawn: fill(w.reportHowWithdrawn, { name: f.endedBy?.name ?? '' }),
  }[f.how];
  const entry: Rows =
    f.entry.how === 'joined' || f.entry.by === null
      ? [[w.approvedBy, w.reportAutoJoin]]
      : [
          [
            { approved: w.approvedBy, granted: w.reportGrantedBy, added: w.reportAddedBy }[f.entry.how],
            who(f.entry.by),
          ],
        ];
  return [
    [w.project, `${f.project.name} (#${f.project.id})`],
    [w.reportWho, `${who(f.user)} (${kind})`],
    [w.reason, f.reason ?? w.noReason],
    ...(f.ticket ? ([[w.ticket, `${f.ticket.number}: ${f.ticket.subject}`]] as Rows) : []),
    [w.reportStarted, readableTime(f.started, locale)],
    [w.reportEnded, readableTime(f.ended, locale)],
    [w.reportHow, how],
    ...entry,
  ];
}

/** The changes as lines: when, then what. */
const changeLines = (f: ReportFacts, w: MailStrings, locale: MailLocale): string[] =>
  f.changes.map((e) => `${readableTime(isoOf(e.created), locale)}: ${changeLine(e, w)}`);

const isoOf = (sec: number) => new Date(sec * 1000).toISOString();

/** The report as plain text: the e-mail's text part, and the thread entry's body. */
export function reportText(f: ReportFacts, locale: MailLocale): string {
  const w = MAIL_STRINGS[locale];
  const intro = fill(w.reportIntro, { name: f.user.name, project: f.project.name });
  const lines = changeLines(f, w, locale);
  const changes = lines.length
    ? [
        `${fill(w.reportChanges, { count: String(lines.length + f.more) })}:\n${lines.map((l) => `- ${l}`).join('\n')}${f.more ? `\n${fill(w.reportMore, { count: String(f.more) })}` : ''}`,
      ]
    : [w.reportNoChanges];
  return textMail([intro], facts(f, w, locale), [
    ...changes,
    fill(w.reportHistoryText, { url: f.historyUrl }),
  ]);
}

export function reportMail(to: string, f: ReportFacts, locale: MailLocale): Mail {
  const w = MAIL_STRINGS[locale];
  const subject = fill(w.reportSubject, { name: f.user.name, project: f.project.name });
  const intro = fill(w.reportIntro, { name: f.user.name, project: f.project.name });
  const lines = changeLines(f, w, locale);
  const changes = lines.length
    ? `<strong>${escapeHtml(fill(w.reportChanges, { count: String(lines.length + f.more) }))}</strong><ol style="margin:4px 0 0;padding-left:20px">${lines
        .map((l) => `<li style="overflow-wrap:anywhere">${escapeHtml(l)}</li>`)
        .join('')}</ol>${f.more ? escapeHtml(fill(w.reportMore, { count: String(f.more) })) : ''}`
    : `<strong>${escapeHtml(w.reportNoChanges)}</strong>`;
  const button = `<a href="${escapeHtml(f.historyUrl)}" style="display:inline-block;max-width:100%;box-sizing:border-box;padding:8px 16px;border-radius:6px;background:#0b57d0;color:#fff;text-decoration:none;font-weight:600;overflow-wrap:anywhere">${escapeHtml(w.reportHistoryButton)}</a>`;
  return {
    to,
    subject,
    text: reportText(f, locale),
    html: htmlMail(locale, subject, [escapeHtml(intro)], facts(f, w, locale), [changes, button]),
  };
}
