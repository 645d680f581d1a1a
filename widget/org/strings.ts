// Every visible string of the organization's Auto Join setting, in English and Czech; overridable.

export const en = {
  title: 'Auto Join',
  label: 'Auto Join for support and the maintainer',
  on: "On: support and the maintainer's users can join projects of this organization at once (still with a reason and an expiry).",
  off: "Off: they must request access; any active project user can approve or reject it in the project's user list. Only organization users and the projects' users get in; new users come by invitation.",
  readOnly: 'Only members of the organization {org} can change this.',
  confirmOffTitle: 'Turn Auto Join off?',
  confirmOffBody:
    'Support and the maintainer ({maintainer}) will need the approval of a project user to enter projects of {org}, and they cannot join the organization.',
  turnOff: 'Turn off',
  cancel: 'Cancel',
  nowOn: 'Auto Join is on.',
  nowOff: 'Auto Join is off.',
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

export const cs: OrganizationStrings = {
  title: 'Auto Join',
  label: 'Auto Join pro podporu a správce',
  on: 'Zapnuto: podpora a uživatelé správce se mohou k projektům této organizace připojit hned (stále s důvodem a s vypršením).',
  off: 'Vypnuto: musí požádat o přístup; schválit nebo zamítnout to může kterýkoli aktivní uživatel projektu v jeho seznamu uživatelů. Dovnitř se dostanou jen uživatelé organizace a uživatelé projektů; noví uživatelé přicházejí pozvánkou.',
  readOnly: 'Toto mohou měnit jen členové organizace {org}.',
  confirmOffTitle: 'Vypnout Auto Join?',
  confirmOffBody:
    'Podpora a správce ({maintainer}) budou ke vstupu do projektů organizace {org} potřebovat schválení uživatele projektu a nebudou se moci připojit k organizaci.',
  turnOff: 'Vypnout',
  cancel: 'Zrušit',
  nowOn: 'Auto Join je zapnutý.',
  nowOff: 'Auto Join je vypnutý.',
  failed: 'Auto Join nelze změnit: {message}',
  failedLoad: 'Organizaci nelze načíst: {message}',
  loading: 'Načítám…',
  retry: 'Zkusit znovu',
  dismiss: 'Zavřít',
  errorNetwork: 'Server není dostupný.',
  errorTimeout: 'Server neodpověděl včas.',
  errorNoToken: 'Nejste přihlášeni.',
  errorUnknown: 'Něco se pokazilo ({message}).',
};

export const ORGANIZATION_STRINGS = { en, cs };
