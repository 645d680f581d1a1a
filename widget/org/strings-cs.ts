// Czech strings of the Auto Join setting: a chunk of their own, loaded only when the locale is Czech.
import type { OrganizationStrings } from './strings.ts';

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
