// Every visible string of the organization's Auto Join setting, in English (bundled) and Czech
// (strings-cs.ts, loaded on use); overridable.

export const en = {
  title: 'Auto Join',
  label: 'Auto Join for support and the maintainer',
  on: "On: support and the maintainer's users can join projects of this organization at once (still with a reason and an expiry).",
  off: "Off: they must request access; every project user is told by e-mail, and a project admin approves or rejects it in the project's user list. Only organization users and the projects' users get in; new users come by invitation.",
  readOnly: 'Only members of the organization {org} can change this.',
  readOnlyOutsider:
    "Support and maintainer users cannot change this, even as members of {org}: the organization's own users decide.",
  confirmOnTitle: 'Turn Auto Join on?',
  confirmOnBody:
    "Support and the maintainer's users ({maintainer}) will enter projects of {org} at once, without anyone's approval (still with a reason and an expiry), and may join the organization.",
  turnOn: 'Turn on',
  cancel: 'Cancel',
  nowOn: 'Auto Join is on: support and the maintainer now join projects at once.',
  nowOff: 'Auto Join is off: support and the maintainer now need a project user’s approval to enter.',
  failed: 'Could not change Auto Join: {message}',
  failedLoad: 'Could not load the organization: {message}',
  loading: 'Loading…',
  retry: 'Try again',
  dismiss: 'Dismiss',
  errorNetwork: 'The server cannot be reached.',
  errorTimeout: 'The server did not answer in time.',
  errorNoToken: 'You are not signed in.',
  errorUnknown: 'Something went wrong ({message}).',
};

export type OrganizationStrings = typeof en;
