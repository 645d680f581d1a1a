// Every string pack of the widget (launcher, support panel, users panel, organization panel, My tickets) and of
// the mock backend's e-mails in both languages: the same keys, the same placeholders, and a Czech
// value that is not left in English. A value may be the same in both only where the words are
// (product names and words Czech shares).
import { describe, expect, it } from 'vitest';
import { MAIL_STRINGS } from '../../mock-backend/domain/mail-strings.ts';
import { LAUNCHER_STRINGS } from '../launcher/strings.ts';
import { en as orgEn } from '../org/strings.ts';
import { cs as orgCs } from '../org/strings-cs.ts';
import { en as ticketsEn } from '../tickets/strings.ts';
import { cs as ticketsCs } from '../tickets/strings-cs.ts';
import { en as usersEn } from '../users/strings.ts';
import { cs as usersCs } from '../users/strings-cs.ts';
import { cs } from './cs.ts';
import { en } from './en.ts';

type Pack = Record<string, string>;

/** A pack as a plain record of strings (every pack's values are strings). */
const pack = (p: object): Pack => ({ ...p }) as Pack;

const PACKS: [name: string, en: Pack, cs: Pack][] = [
  ['launcher', pack(LAUNCHER_STRINGS.en), pack(LAUNCHER_STRINGS.cs)],
  ['support panel', pack(en), pack(cs)],
  ['users panel', pack(usersEn), pack(usersCs)],
  ['organization panel', pack(orgEn), pack(orgCs)],
  ['My tickets', pack(ticketsEn), pack(ticketsCs)],
  ['e-mail', pack(MAIL_STRINGS.en), pack(MAIL_STRINGS.cs)],
];

/** Values the same in both languages, by pack and key: the words are Czech too, or a name. */
const SAME_IN_BOTH: Record<string, string[]> = {
  'support panel': ['typeIncident'], // "Incident"
  'users panel': ['email', 'role'], // "E-mail", "Role"
  'organization panel': ['title'], // "Auto Join", the product's name for the setting
  // "incident", a ticket's type; "[SK-1001] Re: …", the prefix every mail client threads replies by.
  'e-mail': ['typeIncident', 'replySubject'],
};

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(PACKS)('the %s strings', (name, english, czech) => {
  it('have the same keys in Czech as in English, none empty', () => {
    expect(Object.keys(czech).sort()).toEqual(Object.keys(english).sort());
    for (const [key, value] of Object.entries(czech)) expect(value.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(english))
      expect(placeholders(czech[key] ?? ''), key).toEqual(placeholders(english[key] ?? ''));
  });

  it('are not left in English in Czech, but where the words are the same', () => {
    const allowed = SAME_IN_BOTH[name] ?? [];
    const untranslated = Object.keys(english).filter(
      (key) => czech[key] === english[key] && !allowed.includes(key),
    );
    expect(untranslated).toEqual([]);
    // The allow-list holds only what is still the same: a translated word leaves it.
    for (const key of allowed) expect(czech[key], key).toBe(english[key]);
  });
});
