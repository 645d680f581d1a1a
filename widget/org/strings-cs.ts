// Czech strings of the Auto Join setting: a chunk of their own, loaded only when the locale is Czech.
import type { OrganizationStrings } from './strings.ts';

export const cs: OrganizationStrings = {
  title: 'Auto Join',
  label: 'Auto Join pro podporu a partnera',
  on: 'Zapnuto: podpora a uživatelé partnera se mohou k projektům této organizace připojit hned (stále s důvodem a s vypršením).',
  off: 'Vypnuto: musí požádat o přístup; každý uživatel projektu dostane e-mail a administrátor projektu ji schválí nebo zamítne v seznamu uživatelů. Dovnitř se dostanou jen uživatelé organizace a uživatelé projektů; noví uživatelé přicházejí pozvánkou.',
  readOnly: 'Toto mohou měnit jen členové organizace {org}.',
  readOnlyOutsider:
    'Uživatelé podpory a partnera toto měnit nemohou, ani jako členové organizace {org}: rozhodují její vlastní uživatelé.',
  confirmOnTitle: 'Zapnout Auto Join?',
  confirmOnBody:
    'Podpora a uživatelé partnera ({maintainer}) vstoupí do projektů organizace {org} hned, bez schválení (stále s důvodem a s vypršením), a budou se moci připojit k organizaci.',
  turnOn: 'Zapnout',
  cancel: 'Zrušit',
  nowOn: 'Auto Join je zapnutý: podpora a partner se teď k projektům připojí hned.',
  nowOff: 'Auto Join je vypnutý: podpora a partner teď ke vstupu potřebují schválení.',
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
