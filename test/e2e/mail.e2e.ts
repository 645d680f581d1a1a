// The e-mails as a phone shows them, and the mailbox's preview of them, in Chromium (issue 21, point 4):
// at 375 px every label sits above its value, which gets the whole width; the preview shows all of the
// e-mail, the button at its end too.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../api-call.ts';
import { launchBrowser, shot, startBackend, type TestBackend } from './harness.ts';

let backend: TestBackend;
let browser: Browser;

beforeAll(async () => {
  backend = await startBackend();
  await backend.reset();
  browser = await launchBrowser();
  const req = await callApi(backend.url, 'POST', '/projects/100/request-access', 'demo-maintainer-token', {
    reason: 'SK-1003: reviewing the transformation that times out every night since the upgrade',
    expirationSeconds: 4 * 3600,
  });
  expect(req.status).toBe(201);
  const ticket = await callApi(backend.url, 'POST', '/support/tickets', 'demo-admin-token', {
    subject: 'Orders flow fails at step 2',
    description: 'Since this morning the flow stops.',
    type: 'incident',
    severity: 'high',
    projectId: 100,
    context: { pageUrl: `${backend.url}/admin/projects/100/flows/orders-nightly`, browser: 'Chrome 131' },
  });
  expect(ticket.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await backend?.close();
});

/** Per fact row: the label's and the value's boxes. */
function factBoxes(page: Page) {
  return page.$$eval('table.sk-facts tr', (rows) =>
    rows.map((tr) => {
      const box = (el: Element | null) => {
        const r = el?.getBoundingClientRect();
        return r ? { x: r.x, y: r.y, width: r.width, bottom: r.bottom } : null;
      };
      return {
        label: box(tr.querySelector('th')),
        value: box(tr.querySelector('td')),
        table: box(tr.closest('table')),
      };
    }),
  );
}

describe('e-mails on a phone', () => {
  it('stack each label above its value at 375 px, and keep two columns on a desktop', async () => {
    const mails = await backend.outbox();
    const kinds = [
      mails.find((m) => m.to === 'alice@acme.test'),
      mails.find((m) => m.to === 'gary@acme.test'),
      mails.find((m) => m.subject.startsWith('[SK-')),
    ];
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    for (const mail of kinds) {
      if (!mail) throw new Error('an e-mail is missing');
      await page.setContent(mail.html);
      const rows = await factBoxes(page);
      expect(rows.length).toBeGreaterThan(3);
      for (const { label, value, table } of rows) {
        if (!label || !value || !table) throw new Error('a fact without its label or value');
        // The value starts below its label and gets (nearly) the table's full width.
        expect(value.y).toBeGreaterThanOrEqual(label.bottom - 1);
        expect(value.width).toBeGreaterThan(table.width * 0.9);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    }
    await shot(page, 'mail-375-ticket');
    await page.setViewportSize({ width: 1024, height: 740 });
    const wide = await factBoxes(page);
    for (const { label, value } of wide) {
      if (!label || !value) throw new Error('a fact without its label or value');
      // Side by side: the value to the right of its label, on the same line.
      expect(value.x).toBeGreaterThanOrEqual(label.x + label.width - 1);
      expect(Math.abs(value.y - label.y)).toBeLessThan(2);
    }
    await page.close();
  });
});

describe('the mailbox preview', () => {
  for (const width of [1280, 375]) {
    it(`shows the whole e-mail, its button too, at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 740 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${backend.url}/mailbox`);
      // Alice's: an admin's, which ends with the review button.
      await page
        .locator('tr', { hasText: 'alice@acme.test' })
        .filter({ hasText: 'Access request for project Acme Main' })
        .getByRole('link')
        .click();
      const frame = page.locator('iframe[title="HTML body"]');
      await frame.waitFor();
      const button = page
        .frameLocator('iframe[title="HTML body"]')
        .getByRole('link', { name: 'Review in the users page' });
      await button.waitFor();
      // The frame is as tall as its e-mail: nothing inside it scrolls, and its last line is inside it.
      await expect
        .poll(async () => {
          const inner = await page.frames()[1]?.evaluate(() => ({
            scroll: document.documentElement.scrollHeight,
            client: document.documentElement.clientHeight,
          }));
          return inner ? inner.scroll - inner.client : Number.POSITIVE_INFINITY;
        })
        .toBeLessThanOrEqual(1);
      const f = await frame.boundingBox();
      const b = await button.boundingBox();
      if (!f || !b) throw new Error('no box');
      expect(b.y + b.height).toBeLessThanOrEqual(f.y + f.height);
      expect(errors).toEqual([]);
      if (width === 375) {
        await shot(page, 'mailbox-375-preview');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      }
      await page.close();
    });
  }
});
