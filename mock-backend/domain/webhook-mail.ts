// The e-mail an organization's users get when one of its webhooks was disabled for failing three
// days: which URL, since when, and where to enable it again. Every value is escaped in the HTML.
import { escapeHtml, type Mail, readableTime } from './emails.ts';
import type { MailLocale } from './mail-strings.ts';

export interface WebhookDisabledFacts {
  organization: string;
  url: string;
  failingSince: string;
  settingsUrl: string;
}

const STRINGS = {
  en: {
    subject: 'A webhook of {organization} was disabled',
    intro:
      'The webhook below has failed every delivery for three days, so it was disabled: it gets no more events until someone enables it again in the organization settings.',
    url: 'URL',
    failingSince: 'Failing since',
    settings: 'Organization settings',
  },
  cs: {
    subject: 'Webhook organizace {organization} byl vypnut',
    intro:
      'Webhook níže tři dny neuspěl s žádným doručením, a proto byl vypnut: nedostane žádné další události, dokud ho někdo znovu nezapne v nastavení organizace.',
    url: 'Adresa',
    failingSince: 'Selhává od',
    settings: 'Nastavení organizace',
  },
} as const;

export function webhookDisabledMail(to: string, f: WebhookDisabledFacts, locale: MailLocale = 'en'): Mail {
  const w = STRINGS[locale];
  const subject = w.subject.replace('{organization}', f.organization);
  const rows: [string, string][] = [
    [w.url, f.url],
    [w.failingSince, readableTime(f.failingSince, locale)],
    [w.settings, f.settingsUrl],
  ];
  const text = [w.intro, rows.map(([k, v]) => `${k}: ${v}`).join('\n')].join('\n\n');
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font:15px/1.5 system-ui,sans-serif;color:#1f2933"><h1 style="font-size:18px">${escapeHtml(subject)}</h1><p>${escapeHtml(w.intro)}</p><table role="presentation">${rows
    .map(
      ([k, v]) =>
        `<tr><th scope="row" style="text-align:left;padding-right:12px">${escapeHtml(k)}</th><td style="overflow-wrap:anywhere">${escapeHtml(v)}</td></tr>`,
    )
    .join('')}</table></body></html>`;
  return { to, subject, text, html };
}
