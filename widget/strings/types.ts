// Every visible string of the widget, errors and aria labels included. `{name}` marks a placeholder.

/** The few strings the launcher draws before the panel is loaded. */
export interface LauncherStrings {
  launcherLabel: string;
  contactSupport: string;
  /** Added to the button's accessible name while its dot shows a count. */
  pendingRequests: string;
}

/** Messages of each widget error code (see panel/errors.ts). */
export interface ErrorStrings {
  errorOffline: string;
  errorNetwork: string;
  errorTimeout: string;
  errorServer: string;
  errorForbidden: string;
  errorUnauthorized: string;
  errorTooLarge: string;
  errorValidation: string;
  errorNoToken: string;
  errorUnknown: string;
  errorSubjectRequired: string;
  errorDescriptionRequired: string;
  errorTooManyFiles: string;
  errorFileTooBig: string;
  errorFileRead: string;
  errorUnsupported: string;
}

export interface PanelStrings extends ErrorStrings {
  dialogTitle: string;
  close: string;
  back: string;
  menuLabel: string;
  menuSupport: string;
  menuSupportHint: string;
  menuDocs: string;
  menuStatus: string;
  menuUsers: string;
  /** "My tickets" (issue 20), and the words after its count of tickets with an unread reply. */
  menuTickets: string;
  menuTicketsUnread: string;
  opensInNewTab: string;
  formTitle: string;
  type: string;
  typeQuestion: string;
  typeProblem: string;
  typeIncident: string;
  severity: string;
  severityLow: string;
  severityNormal: string;
  severityHigh: string;
  severityCritical: string;
  subject: string;
  description: string;
  attachments: string;
  attachmentsHint: string;
  removeAttachment: string;
  contextTitle: string;
  contextPage: string;
  contextProject: string;
  contextUser: string;
  contextBrowser: string;
  contextViewport: string;
  contextLocale: string;
  contextAppVersion: string;
  contextError: string;
  contextFollows: string;
  send: string;
  /** Shown as the Send button's tooltip. */
  sendShortcut: string;
  sending: string;
  draftSaved: string;
  /** For a decider (admin/share): let support into the project for this ticket, and for how long. */
  grantAccess: string;
  grantFor: string;
  sentTitle: string;
  /** On a stack without our tickets endpoint: the mailto link, its hint, and the note on a cut text. */
  emailTicket: string;
  emailTicketHint: string;
  emailShortened: string;
  sentBody: string;
  queuedTitle: string;
  queuedBody: string;
  outboxWaiting: string;
  outboxDelivered: string;
  done: string;
  alertTitle: string;
  alertReference: string;
  dismiss: string;
  usersLoading: string;
}

export type Strings = LauncherStrings & PanelStrings;
