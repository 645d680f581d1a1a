// "My tickets" (issue 20) in real Chromium: keyboard only from the launcher to a sent reply, focus back
// on the ticket after Back, axe on the list and the thread in light and dark, and the chunk loaded only
// when someone opens it.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callApi } from '../api-call.ts';
import { axe, launchBrowser, ROOT, shot, startBackend, type TestBackend } from './harness.ts';

let backend: TestBackend;
let browser: Browser;

beforeAll(async () => {
  backend = await startBackend({ staticDirs: { '/pages': join(ROOT, 'test/e2e/pages') } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await backend?.close();
});
beforeEach(() => backend.reset());

async function api(method: string, path: string, token: string, body?: unknown) {
  const { status, json } = await callApi(backend.url, method, path, token, body);
  if (status >= 400) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json)}`);
  return json;
}

async function seed(): Promise<number> {
  const t = (await api('POST', '/support/tickets', 'demo-admin-token', {
    subject: 'Orders flow fails',
    description: 'It fails at step 2 <script>alert(1)</script>',
    type: 'problem',
    projectId: 100,
  })) as { id: number };
  await api('POST', `/support/tickets/${t.id}/messages`, 'demo-support-token', {
    body: 'We are on it.',
    via: 'extension',
  });
  return t.id;
}

/** The focused element inside the widget's shadow root, as `tag#id[data-ticket]` and its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('support-kit')?.shadowRoot?.activeElement as HTMLElement | null;
    return el ? { id: el.id, ticket: el.dataset.ticket ?? '', text: el.textContent ?? '' } : null;
  });

async function tabTo(page: Page, text: RegExp, max = 20): Promise<void> {
  for (let i = 0; i < max; i++) {
    const f = await focused(page);
    if (f && text.test(f.text)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`never focused ${text}`);
}

async function expectNoAxeViolations(page: Page, what: string) {
  const violations = await axe(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

describe('My tickets in the browser', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`works from the keyboard alone and passes axe (${theme})`, async () => {
      const id = await seed();
      const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
      const page = await context.newPage();
      const chunks: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/widget/chunks/')) chunks.push(new URL(r.url()).pathname);
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${backend.url}/pages/widget-normal.html?theme=${theme}`);
      const launcher = page.locator('support-kit button.b');
      await launcher.waitFor();
      await launcher.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: /^My tickets/ }).waitFor();
      expect(chunks.some((c) => c.includes('/tickets-'))).toBe(false);
      await tabTo(page, /^My tickets/);
      await page.keyboard.press('Enter');
      await page.locator(`support-kit [data-ticket="${id}"]`).waitFor();
      expect(chunks.some((c) => c.includes('/tickets-'))).toBe(true);
      await expectNoAxeViolations(page, `list (${theme})`);
      await tabTo(page, /Orders flow fails/);
      await page.keyboard.press('Enter');
      await page.getByText('We are on it.').waitFor();
      await expect.poll(async () => (await focused(page))?.id).toBe('sk-thread-title');
      expect(await page.locator('support-kit script').count()).toBe(0);
      await expectNoAxeViolations(page, `thread (${theme})`);
      await shot(page, `widget-20-thread-${theme}`);
      await page.keyboard.press('Tab');
      await page.keyboard.type('Thanks, it works again.');
      await page.keyboard.press('Control+Enter');
      await page
        .locator('support-kit .entries .msg.mine')
        .filter({ hasText: 'Thanks, it works again.' })
        .waitFor();
      await page.getByRole('button', { name: 'Back to menu' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page))?.ticket).toBe(String(id));
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
