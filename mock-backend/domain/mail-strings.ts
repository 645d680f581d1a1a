// Every fixed text of the e-mails (emails.ts), in English and Czech: subjects, headings, labels,
// buttons and sentences, in both the plain-text and the HTML part. `{name}` marks a placeholder,
// filled with the e-mail's facts (user text stays user text: the HTML part escapes it). The Czech
// words are the widget's (widget/users/strings-cs.ts): žádost, schválit, zamítnout, správce, sdílení.
// Which language a backend writes in is its `mailLocale` option; a language per recipient would need
// one kept per user, which the contract has not.

export type MailLocale = 'en' | 'cs';
export const MAIL_LOCALES: readonly MailLocale[] = ['en', 'cs'];

const en = {
  never: 'never',
  noReason: '(none given)',
  noProject: '(none)',
  noAttachments: '(none)',
  nothingSent: '(none sent)',
  project: 'Project',
  requestedBy: 'Requested by',
  reason: 'Reason',
  accessWouldEnd: 'Access would end',
  requestSubject: 'Access request for project {project}',
  requestIntro: '{name} asks for access to the project {project}.',
  requestDeciders:
    "Only the project's admins (members with the admin or share role) can approve or reject it.",
  requestWhyMember:
    'You get this as a member of the project. If it should be decided soon, ask one of its admins.',
  requestSeeText: "You can see the request in the project's users page, signed in:\n{url}",
  requestSeeButton: 'See it in the users page',
  requestReviewText: "Review the request in the project's users page, signed in:\n{url}",
  requestReviewButton: 'Review in the users page',
  noLinkText: 'There is no approve or reject link in this e-mail: decide in the user list.',
  noLinkHtml: 'There is no approve or reject link in this e-mail: decide in the user list, signed in.',
  approvedSubject: 'Your access request for {project} was approved',
  rejectedSubject: 'Your access request for {project} was rejected',
  expiredSubject: 'Your access request for {project} has expired',
  approvedLine: 'Your request for access to the project {project} was approved.',
  approvedByLine: 'Your request for access to the project {project} was approved by {name}.',
  rejectedLine: 'Your request for access to the project {project} was rejected.',
  rejectedByLine: 'Your request for access to the project {project} was rejected by {name}.',
  expiredLine: 'Your request for access to the project {project} expired before anyone decided on it.',
  accessEnds: 'Access ends',
  approvedBy: 'Approved by',
  rejectedBy: 'Rejected by',
  yourReason: 'Your reason',
  ticket: 'Ticket',
  from: 'From',
  type: 'Type',
  attachments: 'Attachments',
  attachment: '{name} ({size} bytes)',
  description: 'Description',
  sentWithTicket: 'Sent with the ticket',
  context: 'Context',
  typeQuestion: 'question',
  typeProblem: 'problem',
  typeIncident: 'incident',
  severityLow: 'low',
  severityNormal: 'normal',
  severityHigh: 'high',
  severityCritical: 'critical',
  contextPage: 'Page',
  contextBrowser: 'Browser',
  contextViewport: 'Window',
  contextLocale: 'Language',
  contextAppVersion: 'App version',
  errorMessage: 'Error',
  errorExceptionId: 'Error reference',
  errorStatus: 'Error status',
  errorRequestId: 'Request id',
  errorUrl: 'Failed request',
  errorOther: 'Error {key}',
};

export type MailStrings = Record<keyof typeof en, string>;

const cs: MailStrings = {
  never: 'nikdy',
  noReason: '(neuveden)',
  noProject: '(žádný)',
  noAttachments: '(žádné)',
  nothingSent: '(nic nebylo odesláno)',
  project: 'Projekt',
  requestedBy: 'Žadatel',
  reason: 'Důvod',
  accessWouldEnd: 'Přístup by vypršel',
  requestSubject: 'Žádost o přístup k projektu {project}',
  requestIntro: '{name} žádá o přístup k projektu {project}.',
  requestDeciders:
    'Schválit nebo zamítnout ji mohou jen správci projektu (členové s rolí správce nebo sdílení).',
  requestWhyMember:
    'Tento e-mail dostáváte jako člen projektu. Má-li se rozhodnout brzy, obraťte se na některého ze správců.',
  requestSeeText: 'Žádost uvidíte po přihlášení na stránce uživatelů projektu:\n{url}',
  requestSeeButton: 'Zobrazit na stránce uživatelů',
  requestReviewText: 'Žádost posuďte po přihlášení na stránce uživatelů projektu:\n{url}',
  requestReviewButton: 'Posoudit na stránce uživatelů',
  noLinkText: 'E-mail neobsahuje odkaz ke schválení ani zamítnutí: rozhodněte v seznamu uživatelů.',
  noLinkHtml:
    'E-mail neobsahuje odkaz ke schválení ani zamítnutí: rozhodněte v seznamu uživatelů po přihlášení.',
  approvedSubject: 'Vaše žádost o přístup k projektu {project} byla schválena',
  rejectedSubject: 'Vaše žádost o přístup k projektu {project} byla zamítnuta',
  expiredSubject: 'Vaše žádost o přístup k projektu {project} propadla',
  approvedLine: 'Vaše žádost o přístup k projektu {project} byla schválena.',
  approvedByLine: 'Vaši žádost o přístup k projektu {project} schválil(a) {name}.',
  rejectedLine: 'Vaše žádost o přístup k projektu {project} byla zamítnuta.',
  rejectedByLine: 'Vaši žádost o přístup k projektu {project} zamítl(a) {name}.',
  expiredLine: 'Vaše žádost o přístup k projektu {project} propadla dřív, než o ní kdokoli rozhodl.',
  accessEnds: 'Přístup vyprší',
  approvedBy: 'Schválil(a)',
  rejectedBy: 'Zamítl(a)',
  yourReason: 'Váš důvod',
  ticket: 'Požadavek',
  from: 'Od',
  type: 'Typ',
  attachments: 'Přílohy',
  attachment: '{name} ({size} B)',
  description: 'Popis',
  sentWithTicket: 'Odesláno s požadavkem',
  context: 'Kontext',
  typeQuestion: 'dotaz',
  typeProblem: 'problém',
  typeIncident: 'incident',
  severityLow: 'nízká',
  severityNormal: 'běžná',
  severityHigh: 'vysoká',
  severityCritical: 'kritická',
  contextPage: 'Stránka',
  contextBrowser: 'Prohlížeč',
  contextViewport: 'Okno',
  contextLocale: 'Jazyk',
  contextAppVersion: 'Verze aplikace',
  errorMessage: 'Chyba',
  errorExceptionId: 'Identifikátor chyby',
  errorStatus: 'Stavový kód chyby',
  errorRequestId: 'Identifikátor požadavku',
  errorUrl: 'Neúspěšný požadavek',
  errorOther: 'Chyba {key}',
};

export const MAIL_STRINGS: Record<MailLocale, MailStrings> = { en, cs };

/**
 * A pack's text with its placeholders filled, in one pass: a value that itself holds `{name}` (a
 * project called "{project}") stays as it is.
 */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
