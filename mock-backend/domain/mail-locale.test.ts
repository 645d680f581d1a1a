// The e-mails of a backend started with `mailLocale: 'cs'` (issue 21, point 5): every fixed text and
// every date in Czech, user text as it was typed (and escaped in HTML). The English e-mails are the
// other tests' (emails.test.ts, request-mail.test.ts).
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory.ts';
import { harness } from '../testing.ts';
import { contextRows, type Mail, newJoinRequestMail, readableTime } from './emails.ts';
import { MAIL_STRINGS } from './mail-strings.ts';

const czech = () => harness({ options: { mailLocale: 'cs' } });

function mailTo(mails: Mail[], address: string, subject?: string): Mail {
  const m = mails.find((x) => x.to === address && (subject === undefined || x.subject === subject));
  if (!m) throw new Error(`no e-mail to ${address}${subject ? ` "${subject}"` : ''}`);
  return m;
}

/** The English pack's sentences and labels (placeholders cut out) that are not also Czech. */
const ENGLISH = Object.entries(MAIL_STRINGS.en)
  .filter(([key, value]) => MAIL_STRINGS.cs[key as keyof typeof MAIL_STRINGS.cs] !== value)
  .flatMap(([, value]) => value.split(/\{\w+\}|\n/))
  .map((part) => part.trim())
  .filter((part) => part.length >= 8);

/** No English fixed text, and no English day or month, in either part. */
function expectNoEnglish(m: Mail): void {
  const all = `${m.subject}\n${m.text}\n${m.html}`.replace(/&#39;/g, "'");
  for (const phrase of ENGLISH) expect(all, phrase).not.toContain(phrase);
  expect(all).not.toMatch(
    /day, \d|January|February|March|April|May|June|July|August|September|October|November|December/,
  );
}

describe('a Czech backend', () => {
  it('writes the new-request e-mail in Czech: admins review it, guests are told who decides', async () => {
    const h = await czech();
    await h.client('support').requestAccess(100, { reason: 'SK-1 <b>kontrola</b>', expirationSeconds: 3600 });
    const mails = await h.outbox();
    const admin = mailTo(mails, 'alice@acme.test');
    expect(admin.subject).toBe('Žádost o přístup k projektu Acme Main');
    expect(admin.text).toContain('Žádost posuďte po přihlášení na stránce uživatelů projektu:');
    expect(admin.text).toMatch(/^Žadatel:\s+Sam Support <sam@supportkit\.test>$/m);
    expect(admin.text).toMatch(/^Důvod:\s+SK-1 <b>kontrola<\/b>$/m);
    // The harness's clock starts on Friday 27 November 2026, 10:00 UTC; the request lasts an hour.
    expect(admin.text).toMatch(/^Přístup by vypršel:\s+pátek 27\. listopadu 2026, 11:00 UTC$/m);
    expect(admin.html).toContain('<html lang="cs">');
    expect(admin.html).toContain('>Posoudit na stránce uživatelů</a>');
    expect(admin.html).toContain('SK-1 &lt;b&gt;kontrola&lt;/b&gt;');
    expect(admin.html).not.toContain('<b>kontrola');
    expectNoEnglish(admin);

    const guest = mailTo(mails, 'gary@acme.test');
    expect(guest.subject).toBe('Žádost o přístup k projektu Acme Main');
    expect(guest.text).toContain(
      'Schválit nebo zamítnout ji mohou jen správci projektu (členové s rolí správce nebo sdílení).',
    );
    expect(guest.text).not.toMatch(/posuďte|Posoudit/);
    expect(guest.html).toContain('>Zobrazit na stránce uživatelů</a>');
    expectNoEnglish(guest);
  });

  it('keeps writing Czech when the job is written out row by row', async () => {
    const h = await czech();
    await h.client('support').requestAccess(100, { reason: 'SK-2' });
    const { expandMailJobs } = await import('./outbox.ts');
    while ((await expandMailJobs(h.store, 1)) > 0) {}
    const rows = await h.store.find('outbox', {});
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r.subject).toBe('Žádost o přístup k projektu Acme Main');
  });

  it('writes the decisions in Czech', async () => {
    const h = await czech();
    const a = await h.client('support').requestAccess(100, { reason: 'SK-3', expirationSeconds: 3600 });
    await h.client('admin').approveJoinRequest(100, a.data?.id ?? 0);
    const b = await h.client('maintainer').requestAccess(100, { reason: 'SK-4' });
    await h.client('admin').rejectJoinRequest(100, b.data?.id ?? 0);
    const mails = await h.outbox();

    const approved = mailTo(
      mails,
      'sam@supportkit.test',
      'Vaše žádost o přístup k projektu Acme Main byla schválena',
    );
    expect(approved.text).toContain('Vaši žádost o přístup k projektu Acme Main schválil(a) Alice Admin.');
    expect(approved.text).toMatch(/^Přístup vyprší:\s+pátek 27\. listopadu 2026, 11:00 UTC$/m);
    expect(approved.text).toMatch(/^Schválil\(a\):\s+Alice Admin$/m);
    expect(approved.text).toMatch(/^Váš důvod:\s+SK-3$/m);
    expectNoEnglish(approved);

    const rejected = mails.find(
      (m) => m.subject === 'Vaše žádost o přístup k projektu Acme Main byla zamítnuta',
    );
    if (!rejected) throw new Error('no rejection e-mail');
    expect(rejected.text).toContain('Vaši žádost o přístup k projektu Acme Main zamítl(a) Alice Admin.');
    expect(rejected.text).toMatch(/^Zamítl\(a\):\s+Alice Admin$/m);
    expectNoEnglish(rejected);
  });

  it('writes the expiry in Czech', async () => {
    const h = await czech();
    await h.client('support').requestAccess(100, { reason: 'SK-5', expirationSeconds: 60 });
    await h.advance(61);
    const expired = mailTo(
      await h.outbox(),
      'sam@supportkit.test',
      'Vaše žádost o přístup k projektu Acme Main propadla',
    );
    expect(expired.text).toContain(
      'Vaše žádost o přístup k projektu Acme Main propadla dřív, než o ní kdokoli rozhodl.',
    );
    expectNoEnglish(expired);
  });

  it('writes the ticket e-mail in Czech, its type and context labels too', async () => {
    const h = await czech();
    const r = await h.client('guest').createTicket(
      {
        subject: 'Export nefunguje',
        description: 'Od pondělí <i>vůbec</i>',
        type: 'problem',
        severity: 'high',
        projectId: 100,
        context: {
          pageUrl: 'http://app.test/p/1',
          browser: 'Chrome 131',
          error: { message: 'Tabulka chybí', exceptionId: 'exception-7f3a', status: 500, requestId: 'req-9' },
        },
      },
      'key-cs',
    );
    expect(r.response?.status).toBe(201);
    const mails = await h.outbox();
    const ticket = mails.find((m) => m.subject === `[${r.data?.number}] Export nefunguje`);
    if (!ticket) throw new Error('no ticket e-mail');
    expect(ticket.text).toMatch(/^Požadavek:\s+SK-\d+$/m);
    expect(ticket.text).toMatch(/^Typ:\s+problém, vysoká$/m);
    expect(ticket.text).toMatch(/^Přílohy:\s+\(žádné\)$/m);
    expect(ticket.text).toContain('Popis:\nOd pondělí <i>vůbec</i>');
    expect(ticket.text).toContain('Odesláno s požadavkem:');
    expect(ticket.text).toMatch(/^Stránka:\s+http:\/\/app\.test\/p\/1$/m);
    expect(ticket.text).toMatch(/^Identifikátor chyby:\s+exception-7f3a$/m);
    expect(ticket.text).toMatch(/^Identifikátor požadavku:\s+req-9$/m);
    expect(ticket.html).toContain('Od pondělí &lt;i&gt;vůbec&lt;/i&gt;');
    expectNoEnglish(ticket);
  });

  it('names context fields it has no label for by their key, in Czech', () => {
    expect(contextRows({ error: { code: 'x1' }, build: '7' }, 'cs')).toEqual([
      ['Chyba code', 'x1'],
      ['build', '7'],
    ]);
  });

  it('fills placeholders once: a name that looks like one stays as typed', () => {
    const m = newJoinRequestMail(
      'alice@acme.test',
      {
        project: { id: 100, name: '{name} <i>x</i>' },
        requester: { id: 1, name: '{project}', email: 'p@x.test' },
        reason: '{url}',
        expires: null,
        usersPageUrl: 'http://backend.test/admin/projects/100/users',
      },
      true,
      'cs',
    );
    expect(m.subject).toBe('Žádost o přístup k projektu {name} <i>x</i>');
    expect(m.text).toContain('{project} žádá o přístup k projektu {name} <i>x</i>.');
    expect(m.text).toMatch(/^Důvod:\s+\{url\}$/m);
    expect(m.text).toMatch(/^Přístup by vypršel:\s+nikdy$/m);
    expect(m.html).toContain('{project} žádá o přístup k projektu {name} &lt;i&gt;x&lt;/i&gt;.');
  });

  it('says dates and "never" in Czech', () => {
    expect(readableTime('2026-12-01T23:18:50+0000', 'cs')).toBe('úterý 1. prosince 2026, 23:18 UTC');
    expect(readableTime(null, 'cs')).toBe('nikdy');
  });
});

it('a backend refuses a mail language it has no pack for, at start', async () => {
  await expect(
    harness({ store: createMemoryStore(), options: { mailLocale: 'de' as 'cs' } }),
  ).rejects.toThrow('mailLocale must be one of en, cs, got de');
});
