// The gallery (`npm run screenshots`): drives the demo in Debian's headless Chromium through the states a
// user meets — the widget (launcher, menu, ticket form, error alert, users panel per role, confirmations,
// the Auto Join switch and the organization's webhooks), the mailbox and each e-mail, and the extension's options, popup and side panel —
// in light and dark, English and Czech, desktop and 375 px. Writes PNGs and an index page to
// screenshots/gallery/. Run `npm run build` first (the script does it unless SKIP_BUILD=1).
// Filter with GALLERY=<substring> (e.g. GALLERY=cs-dark) to shoot only some variants.

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { callApi } from '../test/api-call.ts';
import { ensureChromium } from '../test/e2e/chromium.ts';
import {
  launchBrowser,
  launchWithExtension,
  ROOT,
  startBackend,
  type TestBackend,
} from '../test/e2e/harness.ts';

const OUT = join(ROOT, 'screenshots/gallery');

interface Variant {
  id: string;
  scheme: 'light' | 'dark';
  locale: 'en' | 'cs';
  width: number;
  height: number;
}

const VARIANTS: Variant[] = (['light', 'dark'] as const).flatMap((scheme) =>
  (['en', 'cs'] as const).flatMap((locale) =>
    [
      { w: 1280, h: 800, tag: 'desktop' },
      { w: 375, h: 740, tag: '375' },
    ].map(({ w, h, tag }) => ({ id: `${locale}-${scheme}-${tag}`, scheme, locale, width: w, height: h })),
  ),
);

interface Shot {
  group: string;
  variant: string;
  name: string;
  file: string;
  error?: string;
}
const shots: Shot[] = [];

const ADMIN = 1000;
const GUEST = 1002;
const ORG_USER = 1004;
const SUPPORT_TOKEN = 'demo-support-token';
const MAINTAINER_TOKEN = 'demo-maintainer-token';
const ADMIN_TOKEN = 'demo-admin-token';
const ORG_TOKEN = 'demo-org-token';

let backend: TestBackend;

async function api(method: string, path: string, token: string, body?: unknown): Promise<unknown> {
  const { status, json } = await callApi(backend.url, method, path, token, body);
  if (status >= 400) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json)}`);
  return json;
}

/** Takes one picture; a failing step is recorded in the index and the run goes on. */
async function step(
  page: Page,
  group: string,
  variant: string,
  name: string,
  act: () => Promise<void>,
  opts: { fullPage?: boolean } = {},
): Promise<void> {
  const file = `${group}/${variant}/${name}.png`;
  mkdirSync(join(OUT, group, variant), { recursive: true });
  try {
    await act();
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(OUT, file), fullPage: opts.fullPage ?? false });
    shots.push({ group, variant, name, file });
  } catch (e) {
    const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
    console.warn(`[gallery] ${file}: ${error}`);
    await page.screenshot({ path: join(OUT, file) }).catch(() => {});
    shots.push({ group, variant, name, file, error });
  }
}

async function demoContext(browser: Browser, v: Variant, userId: number): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: v.width, height: v.height },
    colorScheme: v.scheme,
    locale: v.locale === 'cs' ? 'cs-CZ' : 'en-US',
  });
  await context.addCookies([{ name: 'sk_demo_user', value: String(userId), url: backend.url }]);
  return context;
}

const launcher = (page: Page) => page.locator('support-kit button.b');

/** Support requests and memberships, so the users panel has pending, approved and expiring rows. */
async function seedAccess(): Promise<void> {
  const req = (await api('POST', '/projects/100/request-access', SUPPORT_TOKEN, {
    reason: 'SK-1002: the nightly orders pipeline fails at step 2; checking the Snowflake writer.',
    expirationSeconds: 90,
  })) as { id: number };
  await api('PUT', `/projects/100/join-requests/${req.id}`, ADMIN_TOKEN, {});
  await api('POST', '/projects/100/request-access', MAINTAINER_TOKEN, {
    reason:
      `SK-1003: ${'Reviewing the transformation that times out every night since the upgrade. '.repeat(8)}`.slice(
        0,
        990,
      ),
    expirationSeconds: 4 * 3600,
  });
}

async function widgetScenes(browser: Browser, v: Variant): Promise<void> {
  await backend.reset();
  const ctx = await demoContext(browser, v, ADMIN);
  const page = await ctx.newPage();
  const g = 'widget';
  await step(page, g, v.id, '01-dashboard-launcher', async () => {
    await page.goto(`${backend.url}/admin/projects/100`);
    await launcher(page).waitFor();
    await page.locator('#project-access').waitFor();
  });
  mkdirSync(join(OUT, g, v.id), { recursive: true });
  await launcher(page)
    .screenshot({ path: join(OUT, g, v.id, '01b-launcher-closeup.png') })
    .then(() =>
      shots.push({
        group: g,
        variant: v.id,
        name: '01b-launcher-closeup',
        file: `${g}/${v.id}/01b-launcher-closeup.png`,
      }),
    )
    .catch(() => {});
  await step(page, g, v.id, '02-launcher-hover', async () => {
    await launcher(page).hover();
    await page.waitForResponse((r) => r.url().includes('/widget/chunks/')).catch(() => {});
  });
  await step(page, g, v.id, '03-menu', async () => {
    await launcher(page).click();
    await page.getByRole('dialog').waitFor();
  });
  await step(page, g, v.id, '04-form-empty', async () => {
    await page.locator('support-kit .menu button.item').first().click();
    await page.locator('support-kit input[name=subject]').waitFor();
  });
  await step(page, g, v.id, '05-form-invalid', async () => {
    await page.locator('support-kit form.form button[type=submit]').click();
    await page.locator('support-kit .field-error').first().waitFor();
  });
  await step(page, g, v.id, '06-form-filled', async () => {
    await page.locator('support-kit input[name=subject]').fill('Orders flow fails at step 2');
    await page
      .locator('support-kit textarea[name=description]')
      .fill(
        'Since this morning the orders flow stops at step 2 with a warehouse error.\nSteps: open the flow, press Run.',
      );
    await page.locator('support-kit input[type=file]').setInputFiles([
      { name: 'tiny.txt', mimeType: 'text/plain', buffer: Buffer.from('abc') },
      { name: 'error-log.txt', mimeType: 'text/plain', buffer: Buffer.alloc(180_000, 'x') },
    ]);
    await page.locator('support-kit .files li').nth(1).waitFor();
  });
  await step(page, g, v.id, '07-form-sent', async () => {
    await page.locator('support-kit form.form button[type=submit]').click();
    await page.locator('support-kit .result').waitFor();
  });
  await step(page, g, v.id, '08-form-offline-queued', async () => {
    await page.locator('support-kit .result button').click();
    await page.locator('support-kit .menu button.item').first().click();
    await ctx.setOffline(true);
    await page.locator('support-kit input[name=subject]').fill('Filed while offline');
    await page.locator('support-kit textarea[name=description]').fill('The train has no signal.');
    await page.locator('support-kit form.form button[type=submit]').click();
    await page.locator('support-kit .result').waitFor();
  });
  await step(page, g, v.id, '09-back-online-delivered', async () => {
    await ctx.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.locator('support-kit .result-title', { hasText: /SK-\d+/ }).waitFor({ timeout: 15000 });
  });
  await step(page, g, v.id, '10-error-alert', async () => {
    await page.goto(`${backend.url}/admin/projects/100`);
    await page.locator('#trigger-error').click();
    await page.locator('support-kit [role=alert] .alert').waitFor();
  });
  await step(page, g, v.id, '11-alert-prefilled-form', async () => {
    await page.locator('support-kit [role=alert] .alert button').first().click();
    await page.locator('support-kit input[name=subject]').waitFor();
  });

  // Access for a ticket (issue 23): the admin, a decider, may let support in with the ticket.
  await step(page, g, v.id, '12-form-grant', async () => {
    await page.locator('support-kit input[name=subject]').fill('Orders flow fails at step 2');
    await page.locator('support-kit textarea[name=description]').fill('Please have a look inside.');
    await page.locator('support-kit input[type=checkbox]').check();
    await page
      .locator('support-kit select')
      .last()
      .selectOption(String(24 * 3600));
    await page.locator('support-kit input[type=checkbox]').scrollIntoViewIfNeeded();
  });
  await step(page, g, v.id, '13-form-grant-sent', async () => {
    await page.locator('support-kit form.form button[type=submit]').click();
    await page.locator('support-kit .result').waitFor();
  });

  // Users & access, as the admin, with an approved support member expiring in 90 s and a pending request.
  await seedAccess();
  await step(
    page,
    g,
    v.id,
    '20-users-admin',
    async () => {
      await page.goto(`${backend.url}/admin/projects/100/users`);
      await page.locator('#users-root .row.pend').first().waitFor();
    },
    { fullPage: true },
  );
  await step(page, g, v.id, '20b-users-grant-withdraw', async () => {
    await page
      .getByRole('button', { name: /^(Withdraw|Odvolat) SK-/ })
      .first()
      .click();
    await page.getByRole('alertdialog').first().waitFor();
  });
  await step(page, g, v.id, '21-users-show-more', async () => {
    await page.keyboard.press('Escape');
    const more = page.locator('#users-root .row.pend button.lnk').first();
    await more.click({ timeout: 2000 });
  });
  await step(page, g, v.id, '22-users-confirm-reject', async () => {
    await page.locator('#users-root .row.pend .acts button').nth(1).click();
    await page.getByRole('alertdialog').or(page.getByRole('dialog')).first().waitFor();
  });
  await step(page, g, v.id, '23-users-confirm-remove', async () => {
    await page.keyboard.press('Escape');
    await page.locator('#users-root .row:not(.pend) .acts button').first().click();
    await page.getByRole('alertdialog').or(page.getByRole('dialog')).first().waitFor();
  });
  await step(
    page,
    g,
    v.id,
    '24-users-expiring-last-minute',
    async () => {
      await page.keyboard.press('Escape');
      await backend.advanceClock(50);
      // The test clock jumped: a fresh load reads the server's Date again (a real clock does not jump).
      await page.reload();
      await page.locator('#users-root .row').first().waitFor();
      await page.waitForTimeout(1500);
    },
    { fullPage: true },
  );
  await step(page, g, v.id, '25-users-history', async () => {
    await page.locator('#users-root [role=tab]').last().click();
    await page.waitForTimeout(500);
  });
  await step(page, g, v.id, '26-users-in-widget-dialog', async () => {
    await launcher(page).click();
    await page
      .locator('support-kit .menu button.item')
      .filter({ hasText: /Users & access|Uživatelé a přístup/ })
      .click();
    await page.waitForTimeout(800);
  });
  await ctx.close();

  for (const [who, id] of [
    ['guest', GUEST],
    ['support', 1006],
  ] as const) {
    const c = await demoContext(browser, v, id);
    const p = await c.newPage();
    await step(
      p,
      g,
      v.id,
      `27-users-${who}`,
      async () => {
        await p.goto(`${backend.url}/admin/projects/100/users`);
        await p.locator('#users-root .row').first().waitFor();
      },
      { fullPage: true },
    );
    await step(p, g, v.id, `28-dashboard-${who}`, async () => {
      await p.goto(`${backend.url}/admin/projects/100`);
      await p.locator('#page-content dl').waitFor();
      await p.waitForTimeout(500);
    });
    await c.close();
  }

  // The Auto Join switch, as an organization user of org 10 (off), both ways.
  const oc = await demoContext(browser, v, ORG_USER);
  const op = await oc.newPage();
  const sw = op.locator('#org-root [role=switch]');
  await step(op, g, v.id, '30-autojoin-off', async () => {
    await op.goto(`${backend.url}/admin/organizations/10`);
    await sw.waitFor();
  });
  await step(op, g, v.id, '31-autojoin-turn-on-confirm', async () => {
    await sw.click();
    await op.getByRole('alertdialog').or(op.getByRole('dialog')).first().waitFor({ timeout: 2000 });
  });
  await step(op, g, v.id, '32-autojoin-on', async () => {
    await op
      .getByRole('alertdialog')
      .getByRole('button', { name: /^(Turn on|Zapnout)$/ })
      .click();
    await op.locator('#org-root [role=switch][aria-checked=true]').waitFor();
    await op.waitForTimeout(300);
  });
  await step(op, g, v.id, '33-autojoin-turn-off', async () => {
    await sw.click();
    await op.waitForTimeout(600);
  });
  await webhookScenes(op, g, v);
  await oc.close();

  // A support user who joined an organization (Auto Join on): its state, no switch.
  await api('POST', '/organizations/11/join-organization', SUPPORT_TOKEN);
  const sc = await demoContext(browser, v, 1006);
  const sp = await sc.newPage();
  await step(sp, g, v.id, '34-autojoin-support-member', async () => {
    await sp.goto(`${backend.url}/admin/organizations/11`);
    await sp.locator('#org-root .note').waitFor();
  });
  await sc.close();
}

async function ticketOf(token: string, subject: string, description: string): Promise<{ id: number }> {
  const context = { pageUrl: `${backend.url}/admin/projects/100`, appVersion: '2.4.1' };
  const body = { subject, description, type: 'problem', projectId: 100, context };
  return (await api('POST', '/support/tickets', token, body)) as { id: number };
}
async function replyTo(id: number, token: string, body: string): Promise<void> {
  await api('POST', `/support/tickets/${id}/messages`, token, { body, via: 'extension' });
}

/** "My tickets" (issue 20): the menu's count, the list, every state of a thread, the follow-up form. */
async function ticketScenes(browser: Browser, v: Variant): Promise<void> {
  await backend.reset();
  // A ticket closed by the sweeper (solved, then 7 days on the test clock), one solved, one answered.
  const closed = await ticketOf(
    ADMIN_TOKEN,
    'Export to S3 stopped',
    'The nightly export to S3 stopped on Monday.',
  );
  await api('PATCH', `/support/tickets/${closed.id}`, ADMIN_TOKEN, { status: 'solved' });
  await backend.advanceClock(8 * 86400);
  const solved = await ticketOf(
    ADMIN_TOKEN,
    'How many users may the project have?',
    'We plan to invite ten more people.',
  );
  await replyTo(
    solved.id,
    SUPPORT_TOKEN,
    'Five on your plan; the limit can be raised from the organization page.',
  );
  await api('PATCH', `/support/tickets/${solved.id}`, ADMIN_TOKEN, { status: 'solved' });
  const open = await ticketOf(
    ADMIN_TOKEN,
    'Nightly orders pipeline fails at step 2',
    'Since the upgrade the orders flow fails at step 2 (Snowflake writer).\nLog: "<b>timeout</b> after 300 s".',
  );
  await replyTo(
    open.id,
    SUPPORT_TOKEN,
    'Thanks, we can see the timeouts. Could you tell us when it last ran well?',
  );
  await replyTo(
    open.id,
    MAINTAINER_TOKEN,
    'The writer was moved to a smaller warehouse last week; checking that now.',
  );
  await api('POST', '/projects/100/request-access', SUPPORT_TOKEN, {
    reason: 'Checking the Snowflake writer of the orders flow',
    expirationSeconds: 4 * 3600,
  });

  const ctx = await demoContext(browser, v, ADMIN);
  const page = await ctx.newPage();
  const g = 'widget';
  const item = (name: RegExp) => page.locator('support-kit .menu button.item').filter({ hasText: name });
  await page.goto(`${backend.url}/admin/projects/100`);
  await launcher(page).waitFor();
  await step(page, g, v.id, '40-menu-my-tickets', async () => {
    await launcher(page).click();
    await item(/My tickets|Moje požadavky/).waitFor();
  });
  await step(page, g, v.id, '41-my-tickets-list', async () => {
    await item(/My tickets|Moje požadavky/).click();
    await page.locator('support-kit [data-ticket]').first().waitFor();
  });
  await step(page, g, v.id, '42-project-tickets', async () => {
    await page.locator('support-kit .views button').last().click();
    await page.locator('support-kit [data-ticket]').first().waitFor();
    await page.waitForTimeout(300);
  });
  await step(page, g, v.id, '43-thread', async () => {
    await page.locator(`support-kit [data-ticket="${open.id}"]`).click();
    await page.locator('support-kit .entries .msg.staff').first().waitFor();
  });
  await step(page, g, v.id, '44-thread-reply-typed', async () => {
    await page
      .locator('support-kit .reply textarea')
      .fill('It last ran well on Sunday night, before the upgrade.');
    await page.waitForTimeout(500);
  });
  await step(page, g, v.id, '45-thread-reply-sent', async () => {
    await page.locator('support-kit .reply button[type=submit]').click();
    await page.locator('support-kit .entries .msg.mine').last().waitFor();
    await page.waitForTimeout(300);
  });
  await step(page, g, v.id, '46-thread-staff-live', async () => {
    await replyTo(
      open.id,
      SUPPORT_TOKEN,
      'Found it: the warehouse was too small. Fixed; tonight’s run should pass.',
    );
    await page.locator('support-kit .entries .msg.staff').nth(1).waitFor({ timeout: 5000 });
    await page.waitForTimeout(300);
  });
  await step(page, g, v.id, '47-thread-solved', async () => {
    await page.locator('support-kit button.solve').click();
    await page.locator('support-kit .thread .note').waitFor();
    await page.waitForTimeout(300);
  });
  await step(page, g, v.id, '48-thread-closed', async () => {
    await page.locator('support-kit .head button.icon').first().click();
    await page.locator(`support-kit [data-ticket="${closed.id}"]`).click();
    await page.locator('support-kit .closed').waitFor();
  });
  await step(page, g, v.id, '49-follow-up-form', async () => {
    await page.locator('support-kit .closed button').click();
    await page.locator('support-kit input[name=subject]').waitFor();
  });
  await ctx.close();
}

/**
 * The organization's Webhooks section (issue 23), as its organization user: one endpoint that
 * delivers (a receiver here), a Slack one that fails (nothing listens), their deliveries, and adding
 * one, with its secret shown once.
 */
async function webhookScenes(op: Page, g: string, v: Variant): Promise<void> {
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  const port = (receiver.address() as AddressInfo).port;
  try {
    const hooks = '/organizations/10/webhooks';
    const made = (await api('POST', hooks, ORG_TOKEN, {
      url: `http://127.0.0.1:${port}/support-kit/events`,
      events: ['request.created', 'request.approved', 'member.joined', 'organization.autoJoinChanged'],
    })) as { id: number };
    const chat = (await api('POST', hooks, ORG_TOKEN, {
      url: 'http://127.0.0.1:9/hooks/access-events',
      format: 'slack',
      events: ['request.created', 'organization.autoJoinChanged'],
    })) as { id: number };
    for (const allowAutoJoin of [true, false])
      await api('PATCH', '/organizations/10', ORG_TOKEN, { allowAutoJoin });
    await api('POST', `${hooks}/${made.id}/test`, ORG_TOKEN, {});
    await api('POST', `${hooks}/${chat.id}/test`, ORG_TOKEN, {});
    const section = op.locator('#org-root section.wh');
    await step(
      op,
      g,
      v.id,
      '35-webhooks-list',
      async () => {
        await op.waitForTimeout(1500);
        await op.reload();
        await section.locator('li.row').nth(1).waitFor();
      },
      { fullPage: true },
    );
    await step(
      op,
      g,
      v.id,
      '36-webhooks-deliveries',
      async () => {
        await section.locator('li.row').first().locator('button[aria-expanded]').click();
        await section.locator('ul.log li').first().waitFor();
        await section.locator('li.row').nth(1).locator('button[aria-expanded]').click();
        await section.locator('ul.log').nth(1).waitFor();
      },
      { fullPage: true },
    );
    await step(
      op,
      g,
      v.id,
      '37-webhooks-added-secret',
      async () => {
        await section.locator('input[name=url]').fill('https://hooks.example.com/support-kit');
        for (const value of ['request.created', 'grant.given', 'member.removed'])
          await section.locator(`input[name=ev][value="${value}"]`).check();
        await section.locator('form button[type=submit]').click();
        await section.locator('code').waitFor();
        await section.locator('code').scrollIntoViewIfNeeded();
      },
      { fullPage: true },
    );
  } finally {
    await new Promise<void>((ok) => receiver.close(() => ok()));
  }
}

/** The e-mails, from a backend writing them in the variant's language (`--mail-locale`). */
async function mailScenes(browser: Browser, v: Variant): Promise<void> {
  if (v.locale === 'en') return mailScenesOf(browser, v);
  const english = backend;
  backend = await startBackend({ mailLocale: v.locale });
  try {
    await mailScenesOf(browser, v);
  } finally {
    await backend.close();
    backend = english;
  }
}

async function mailScenesOf(browser: Browser, v: Variant): Promise<void> {
  await backend.reset();
  await seedAccess();
  // Mark's pending request is rejected; his next one expires undecided: every kind of e-mail.
  const pending = (await api('GET', '/projects/100/join-requests', ADMIN_TOKEN)) as { id: number }[];
  for (const p of pending) await api('DELETE', `/projects/100/join-requests/${p.id}`, ADMIN_TOKEN);
  await api('POST', '/projects/100/request-access', MAINTAINER_TOKEN, {
    reason: 'SK-1004: a second look at the nightly run',
    expirationSeconds: 60,
  });
  await api('POST', '/support/tickets', ADMIN_TOKEN, {
    subject: 'Orders flow <b>fails</b> at step 2',
    description: 'Since this morning the flow stops.\nSteps: open the flow, press Run.',
    type: 'incident',
    severity: 'high',
    projectId: 100,
    context: {
      pageUrl: `${backend.url}/admin/projects/100`,
      browser: 'Chrome 131',
      viewport: '1280×800',
      locale: 'en-US',
      appVersion: 'demo-2026.11',
    },
  });
  // Sam makes a Storage token while inside; his access then expires: the report of what he did.
  await api('POST', '/projects/100/tokens', SUPPORT_TOKEN, {
    description: 'Debug the <orders> Snowflake writer',
  });
  await backend.advanceClock(100);
  const ctx = await demoContext(browser, v, ADMIN);
  const page = await ctx.newPage();
  await step(page, 'mail', v.id, '00-mailbox', async () => {
    await page.goto(`${backend.url}/mailbox`);
  });
  const links = await page
    .locator('a[href^="/mailbox/"]')
    .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '' })));
  // The new request's e-mail twice: as an admin gets it (review it) and as a guest does (who decides).
  const guests = new Set(['gary@acme.test', 'rita@acme.test']);
  const rowsOf = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
  const kindOf = (subject: string, i: number) =>
    /^\[SK-/.test(subject)
      ? 'ticket'
      : /^What .* did in |^Co v projektu /.test(subject)
        ? 'report'
        : /^(Access request|Žádost o přístup)/.test(subject)
          ? [...guests].some((g) => rowsOf[i]?.includes(g))
            ? 'new-request-guest'
            : 'new-request'
          : (/(?:was|has) (approved|rejected|expired)/.exec(subject)?.[1] ??
            CZECH_OUTCOMES[/(schválena|zamítnuta|propadla)$/.exec(subject)?.[1] ?? ''] ??
            'other');
  const CZECH_OUTCOMES: Record<string, string> = {
    schválena: 'approved',
    zamítnuta: 'rejected',
    propadla: 'expired',
  };
  // Numbered by kind, not by place in the list: the same picture keeps its name from run to run.
  const ORDER = [
    'new-request',
    'new-request-guest',
    'ticket',
    'approved',
    'rejected',
    'expired',
    'other',
    'report',
  ];
  const seen = new Set<string>();
  for (const [i, link] of links.entries()) {
    const kind = kindOf(link.text, i);
    if (seen.has(kind)) continue;
    seen.add(kind);
    const name = `${String(ORDER.indexOf(kind) + 1).padStart(2, '0')}-${kind}`;
    await step(
      page,
      'mail',
      v.id,
      name,
      async () => {
        await page.goto(`${backend.url}${link.href}`);
      },
      { fullPage: true },
    );
  }
  await ctx.close();
}

/**
 * The extension's ticket as a conversation: Sam takes it, the customer and Sam write (the customer's
 * second message arrives unread), a second ticket waits unassigned.
 */
async function seedConversation(): Promise<void> {
  const tickets = (await api('GET', '/support/tickets', SUPPORT_TOKEN)) as { id: number; subject: string }[];
  const t = tickets.find((x) => x.subject.startsWith('Orchestration stuck'));
  if (!t) throw new Error('no ticket to converse in');
  const say = (token: string, body: string) =>
    api('POST', `/support/tickets/${t.id}/messages`, token, { body });
  await api('PATCH', `/support/tickets/${t.id}`, SUPPORT_TOKEN, { assigneeId: 1006 });
  await say(ADMIN_TOKEN, 'It has been stuck on step 3 since the 02:00 run. The <b>logs</b> say nothing.');
  await say(
    SUPPORT_TOKEN,
    'Thanks. I asked for access to Acme Main and will look at the run once it is approved.',
  );
  await api('PATCH', `/support/tickets/${t.id}`, SUPPORT_TOKEN, { status: 'waiting' });
  await say(ADMIN_TOKEN, 'Approved. It failed again at 10:02, same step.');
  await api('POST', '/support/tickets', 'demo-beta-admin-token', {
    subject: 'Storage quota warning on Beta Sandbox',
    description: 'We see a quota warning we did not expect.',
    type: 'question',
    projectId: 101,
  });
}

async function extensionScenes(scheme: 'light' | 'dark'): Promise<void> {
  await backend.reset();
  const ext = await launchWithExtension();
  const g = 'extension';
  const v = scheme;
  try {
    const popup = await ext.page('extension/popup.html');
    await popup.emulateMedia({ colorScheme: scheme });
    await popup.setViewportSize({ width: 380, height: 600 });
    await step(popup, g, v, '01-popup-not-set-up', async () => {
      await popup.getByText('Not set up yet').waitFor();
    });
    const options = await ext.page('extension/options.html');
    await options.emulateMedia({ colorScheme: scheme });
    await options.setViewportSize({ width: 900, height: 700 });
    await step(options, g, v, '02-options-empty', async () => {
      await options.getByLabel('Manage API token').waitFor();
    });
    await step(options, g, v, '03-options-no-mfa', async () => {
      await options.getByLabel('Backend URL').fill(backend.url);
      await options.getByLabel('Manage API token').fill('demo-support-nomfa-token');
      await options.getByRole('button', { name: 'Save and verify' }).click();
      await options.getByTestId('options-error').waitFor();
    });
    await step(options, g, v, '04-options-saved', async () => {
      await options.getByLabel('Manage API token').fill(SUPPORT_TOKEN);
      await options.getByRole('button', { name: 'Save and verify' }).click();
      await options.getByTestId('options-saved').waitFor();
    });
    await options.close();
    await api('POST', '/support/tickets', ADMIN_TOKEN, {
      subject: 'Orchestration stuck in Acme Main',
      description: 'Since Monday.',
      type: 'problem',
      projectId: 100,
    });

    await popup.reload();
    await step(popup, g, v, '05-popup-signed-in', async () => {
      await popup.getByTestId('identity').waitFor();
    });
    const tab = (name: RegExp) => popup.getByRole('tab', { name });
    await step(popup, g, v, '06-get-access-search', async () => {
      await tab(/Get access/).click();
      await popup.getByLabel('Project', { exact: true }).fill('Acme');
      await popup.waitForTimeout(600);
    });
    await step(popup, g, v, '07-get-access-project', async () => {
      await popup.getByLabel('Project', { exact: true }).fill('101');
      await popup.getByTestId('project-info').waitFor();
      await popup.getByLabel('Reason', { exact: true }).fill('SK-1001: export is stuck');
    });
    await step(popup, g, v, '08-joined', async () => {
      await popup.getByText('4 h', { exact: true }).click();
      await popup.getByRole('button', { name: /Get access/ }).click();
      await popup.getByTestId('access-result').waitFor();
    });
    await step(popup, g, v, '09-request-sent', async () => {
      await tab(/Get access/).click();
      await popup.getByLabel('Project', { exact: true }).fill('100');
      await popup.getByTestId('project-info').waitFor();
      await popup.getByLabel('Reason', { exact: true }).fill('SK-1002: pipeline fails nightly');
      await popup.getByText('1 h', { exact: true }).click();
      await popup.getByRole('button', { name: /Get access/ }).click();
      await popup.getByTestId('access-result').waitFor();
    });
    await step(popup, g, v, '10-repeat-request', async () => {
      await tab(/Get access/).click();
      await popup.getByLabel('Project', { exact: true }).fill('');
      await popup.getByLabel('Project', { exact: true }).fill('100');
      await popup.waitForTimeout(800);
    });
    // Access for a ticket (issue 23): the admin allowed support in with a ticket; Sam joins from Get access.
    const granted = (await api('POST', '/support/tickets', ADMIN_TOKEN, {
      subject: 'Orders flow fails at step 2',
      description: 'Please have a look inside.',
      type: 'problem',
      projectId: 100,
      grantAccess: { expirationSeconds: 24 * 3600 },
    })) as { id: number };
    await step(popup, g, v, '10b-grant-offer', async () => {
      await popup.getByLabel('Project', { exact: true }).fill('');
      await popup.getByLabel('Project', { exact: true }).fill('100');
      await popup.getByTestId('grant-offer').waitFor();
    });
    await step(popup, g, v, '10c-grant-joined', async () => {
      await popup.getByTestId('grant-offer').getByRole('button', { name: /^Join/ }).click();
      await popup.getByTestId('grant-joined').waitFor();
    });
    await step(popup, g, v, '10d-grant-withdrawn', async () => {
      const [grant] = (await api('GET', `/support/tickets/${granted.id}/grants`, ADMIN_TOKEN)) as {
        id: number;
      }[];
      await api('DELETE', `/support/tickets/${granted.id}/grants/${grant?.id}`, ADMIN_TOKEN);
      await tab(/My access/).click();
      await popup.getByTestId('recent-row').first().waitFor();
      await popup.waitForTimeout(1500);
    });
    await step(popup, g, v, '11-my-access', async () => {
      await tab(/My access/).click();
      await popup.getByTestId('request-row').first().waitFor();
    });
    await step(popup, g, v, '12-leave-confirm', async () => {
      await popup.getByTestId('access-row').first().getByRole('button', { name: /Leave/ }).click();
      await popup.getByRole('alertdialog').or(popup.getByRole('dialog')).first().waitFor({ timeout: 2000 });
    });
    await step(popup, g, v, '13-approved', async () => {
      await popup.keyboard.press('Escape');
      const reqs = (await api('GET', '/projects/100/join-requests', ADMIN_TOKEN)) as { id: number }[];
      for (const r of reqs) await api('PUT', `/projects/100/join-requests/${r.id}`, ADMIN_TOKEN, {});
      await popup.getByTestId('access-row').filter({ hasText: 'Acme Main' }).waitFor({ timeout: 5000 });
    });
    await step(popup, g, v, '14-last-minute', async () => {
      await backend.advanceClock(3600 - 40);
      await popup.waitForTimeout(1500);
    });
    await step(popup, g, v, '15-expired', async () => {
      await backend.advanceClock(60);
      await popup.getByTestId('recent-row').first().waitFor({ timeout: 5000 });
    });
    await step(popup, g, v, '15b-request-again', async () => {
      await popup
        .getByTestId('recent-row')
        .first()
        .getByRole('button', { name: /^Request again/ })
        .click();
      await popup.getByTestId('project-info').waitFor();
    });
    await seedConversation();
    await step(popup, g, v, '16-tickets', async () => {
      await tab(/Tickets/).click();
      await popup.getByTestId('ticket-row').first().waitFor();
    });
    await step(
      popup,
      g,
      v,
      '16b-ticket-thread',
      async () => {
        await popup.getByRole('button', { name: /Orchestration stuck/ }).click();
        await popup.getByTestId('thread-message').first().waitFor();
      },
      { fullPage: true },
    );
    await step(popup, g, v, '16c-tickets-mine', async () => {
      await popup.getByRole('button', { name: 'Back to tickets' }).click();
      await popup.getByRole('button', { name: 'Mine' }).click();
      await popup.getByTestId('ticket-row').first().waitFor();
    });
    await step(popup, g, v, '16d-ticket-thread-access', async () => {
      await popup.getByRole('button', { name: 'All' }).click();
      await popup.getByRole('button', { name: /Storage quota warning/ }).click();
      await popup.getByTestId('thread-access').filter({ hasText: 'You have access' }).waitFor();
    });
    await popup.close();
    const side = await ext.page('extension/sidepanel.html');
    await side.emulateMedia({ colorScheme: scheme });
    await side.setViewportSize({ width: 420, height: 800 });
    await step(side, g, v, '17-sidepanel', async () => {
      await side.getByTestId('identity').waitFor();
    });
    await step(side, g, v, '18-sidepanel-my-access', async () => {
      await side.getByRole('tab', { name: /My access/ }).click();
      await side.getByTestId('recent-row').first().waitFor();
    });
    await step(side, g, v, '19-sidepanel-tickets', async () => {
      await side.getByRole('tab', { name: /Tickets/ }).click();
      await side.getByTestId('ticket-row').first().waitFor();
    });
    await step(
      side,
      g,
      v,
      '20-sidepanel-thread',
      async () => {
        await side.getByRole('button', { name: /Orchestration stuck/ }).click();
        await side.getByTestId('thread-message').first().waitFor();
        await side.getByLabel('Reply', { exact: true }).fill('Thanks, I am looking at the run now.');
      },
      { fullPage: true },
    );
    await side.close();
  } finally {
    await ext.close();
  }
}

function writeIndex(): void {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const groups = [...new Set(shots.map((s) => s.group))];
  const body = groups
    .map((g) => {
      const names = [...new Set(shots.filter((s) => s.group === g).map((s) => s.name))];
      const variants = [...new Set(shots.filter((s) => s.group === g).map((s) => s.variant))];
      const rows = names
        .map(
          (n) =>
            `<tr><th>${esc(n)}</th>${variants
              .map((v) => {
                const s = shots.find((x) => x.group === g && x.name === n && x.variant === v);
                if (!s) return '<td></td>';
                return `<td${s.error ? ' class="err"' : ''}><a href="${esc(s.file)}"><img loading="lazy" src="${esc(s.file)}" alt="${esc(`${n}, ${v}`)}"></a>${s.error ? `<p>${esc(s.error)}</p>` : ''}</td>`;
              })
              .join('')}</tr>`,
        )
        .join('');
      return `<h2>${esc(g)}</h2><table><thead><tr><th></th>${variants.map((v) => `<th>${esc(v)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join('');
  const failed = shots.filter((s) => s.error).length;
  // What a reviewer should open first: one picture per point of issue 11 that changed the most.
  const first: [string, string][] = [
    [
      'widget/en-light-desktop/27-users-support.png',
      'A support member sees what a guest sees: no deciding, removing or inviting',
    ],
    [
      'widget/en-light-desktop/34-autojoin-support-member.png',
      'Auto Join as a support member: the state, no switch',
    ],
    ['widget/en-light-desktop/25-users-history.png', 'Access history with dates and times'],
    ['extension/light/15b-request-again.png', 'Request again: Get access filled in from the expired card'],
    ['widget/cs-light-desktop/03-menu.png', 'The Czech menu: Dokumentace, Stav služby'],
    ['widget/en-dark-desktop/23-users-confirm-remove.png', 'The confirmation’s edge in the dark'],
    ['extension/light/08-joined.png', 'A 4-hour join: "until" four hours from now on this machine’s clock'],
    ['extension/light/11-my-access.png', '… and My access says 4 h, though the server’s clock runs ahead'],
    [
      'extension/light/14-last-minute.png',
      'The server’s clock moved an hour forward: 3 h left of the join, seconds of the hour',
    ],
    ['mail/en-light-375/01-new-request.png', 'An e-mail at 375 px: labels above values; the whole e-mail'],
    ['mail/en-light-375/02-new-request-guest.png', 'A guest is told who decides, not to review'],
    ['mail/cs-light-375/01-new-request.png', 'A Czech e-mail at 375 px (a backend with --mail-locale cs)'],
    ['extension/light/10-repeat-request.png', 'A repeat request shows the pending one, with Cancel'],
    [
      'widget/en-light-desktop/31-autojoin-turn-on-confirm.png',
      'Turning Auto Join on is the direction that asks',
    ],
    ['extension/light/12-leave-confirm.png', 'Leave asks, and says what getting back takes'],
    [
      'widget/en-light-desktop/24-users-expiring-last-minute.png',
      'The users list counts the last minute in seconds',
    ],
    ['extension/light/14-last-minute.png', '… and the popup counts the same seconds'],
    [
      'widget/en-light-desktop/09-back-online-delivered.png',
      'A queued ticket, delivered: no stale offline text',
    ],
    ['widget/cs-light-375/10-error-alert.png', 'Czech error alert at 375 px'],
    ['widget/en-light-desktop/06-form-filled.png', 'Sticky Send footer; attachment sizes 3 B / 176 kB'],
    ['widget/en-light-desktop/20-users-admin.png', 'Clamped reason with Show more; the drawn octopus badge'],
    ['widget/en-light-desktop/03-menu.png', 'Menu icons, external-link marks, launcher icon'],
    [
      'mail/en-light-desktop/03-ticket.png',
      'Ticket e-mail: labelled context, readable UTC dates, plain text',
    ],
    ['extension/light/06-get-access-search.png', 'Find a project by name'],
    [
      'mail/en-light-desktop/08-report.png',
      'What support did: the report of an ended access, its Storage token',
    ],
    ['mail/cs-light-375/08-report.png', 'The same report in Czech at 375 px'],
    ['widget/en-light-375/01-dashboard-launcher.png', 'The demo at 375 px'],
    ['widget/cs-dark-375/20-users-admin.png', 'Users panel, Czech, dark, 375 px'],
  ];
  const start = first
    .filter(([f]) => shots.some((x) => x.file === f))
    .map(([f, what]) => `<li><a href="${esc(f)}">${esc(what)}</a> <code>${esc(f)}</code></li>`)
    .join('');
  writeFileSync(
    join(OUT, 'index.html'),
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>Support Kit gallery</title>
<style>body{font:14px system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:4px;vertical-align:top;text-align:left}
img{max-width:260px;max-height:260px;display:block}.err{background:#fee}.err p{color:#900;max-width:260px}</style>
<h1>Support Kit gallery</h1><p>${shots.length} pictures, ${failed} steps failed. Generated ${new Date().toISOString()}.</p>${start ? `<h2>Open these first</h2><ol>${start}</ol>` : ''}${body}</html>`,
  );
}

async function main(): Promise<void> {
  // As the e2e tests do: Debian's Chromium, installed with apt when missing and we are root.
  ensureChromium();
  if (process.env.SKIP_BUILD !== '1') execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const only = process.env.GALLERY ?? '';
  // A filtered run keeps the other pictures (the index then lists only this run's).
  if (!only) rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  backend = await startBackend();
  const browser = await launchBrowser();
  try {
    for (const v of VARIANTS) {
      if (!`widget-${v.id}`.includes(only)) continue;
      console.log(`[gallery] widget ${v.id}`);
      await widgetScenes(browser, v);
      await ticketScenes(browser, v);
    }
    for (const v of VARIANTS.filter((x) => x.id.endsWith('desktop') || x.id.endsWith('light-375'))) {
      if (v.locale === 'cs' && v.scheme === 'dark') continue;
      if (!`mail-${v.id}`.includes(only)) continue;
      console.log(`[gallery] mail ${v.id}`);
      await mailScenes(browser, v);
    }
    for (const scheme of ['light', 'dark'] as const) {
      if (!`extension-${scheme}`.includes(only)) continue;
      console.log(`[gallery] extension ${scheme}`);
      await extensionScenes(scheme);
    }
  } finally {
    await browser.close();
    await backend.close();
    writeIndex();
  }
  const failed = shots.filter((s) => s.error);
  console.log(`[gallery] ${shots.length} pictures in ${OUT}/index.html, ${failed.length} failed steps`);
}

await main();
