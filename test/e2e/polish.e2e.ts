// What a new user meets in the demo (issue 11): the page at 375 px, the guest's dashboard, a Czech
// browser, and panels mounted in the page following setLocale and setTheme. Screenshots go to
// screenshots/polish-*.png.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axe, launchBrowser, shot, startBackend, type TestBackend } from './harness.ts';

let backend: TestBackend;
let browser: Browser;

beforeAll(async () => {
  backend = await startBackend();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await backend?.close();
});
beforeEach(() => backend.reset());

async function as(
  userId: number,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 760 }, ...options });
  await context.addCookies([{ name: 'sk_demo_user', value: String(userId), url: backend.url }]);
  return context;
}

describe('the demo host, as a new user meets it', () => {
  it('fits a 375 px screen: no sideways scrolling, the Support button on screen', async () => {
    const context = await as(1000, { viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    for (const path of [
      '/admin/projects/100',
      '/admin/projects/100/users',
      '/admin/organizations/10',
      '/mailbox',
    ]) {
      await page.goto(`${backend.url}${path}`);
      // Not 'networkidle': the users panel holds its event stream open.
      await page.waitForLoadState('load');
      await page.waitForTimeout(700);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(375);
    }
    await page.goto(`${backend.url}/admin/projects/100`);
    const box = await page.locator('support-kit button.b').boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 375).toBe(true);
    await page.locator('#project-access').waitFor();
    await shot(page, 'polish-375-dashboard');
    expect(await axe(page)).toEqual([]);
    await context.close();
  });

  it('tells a guest and a read-only member what they can do, not a 403', async () => {
    for (const id of [1002, 1003]) {
      const context = await as(id);
      const page = await context.newPage();
      await page.goto(`${backend.url}/admin/projects/100`);
      const access = page.locator('#project-access');
      await access.waitFor();
      const text = (await access.textContent()) ?? '';
      expect(text).toMatch(/you can look at its tables, flows and jobs, but not change them/);
      expect(text).not.toMatch(/403|don't have access/);
      if (id === 1002) await shot(page, 'polish-guest-dashboard');
      await context.close();
    }
  });

  it('speaks Czech in a Czech browser when the host gives no locale', async () => {
    const context = await as(1000, { locale: 'cs-CZ' });
    const page = await context.newPage();
    await page.goto(`${backend.url}/admin/projects/100`);
    await expect.poll(() => page.locator('support-kit button.b').textContent()).toBe('Podpora');
    await context.close();
  });

  it('panels mounted in the page follow setLocale and setTheme', async () => {
    const context = await as(1000);
    const page = await context.newPage();
    await page.goto(`${backend.url}/admin/projects/100/users`);
    const users = page.locator('#users-root');
    await users.getByRole('tab', { name: 'Users' }).waitFor();
    const bg = () =>
      users
        .locator('.sk')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    const light = await bg();

    await page.evaluate(() =>
      (window as unknown as { SupportKit: (c: string, a: string) => void }).SupportKit('setLocale', 'cs'),
    );
    await users.getByRole('tab', { name: 'Uživatelé' }).waitFor();
    await page.evaluate(() =>
      (window as unknown as { SupportKit: (c: string, a: string) => void }).SupportKit('setTheme', 'dark'),
    );
    await expect.poll(bg).not.toBe(light);
    expect(await bg()).toBe('rgb(31, 31, 31)');
    await shot(page, 'polish-mounted-cs-dark');
    expect(await axe(page)).toEqual([]);

    await page.evaluate(() =>
      (window as unknown as { SupportKit: (c: string, a: string) => void }).SupportKit('setLocale', 'en'),
    );
    await users.getByRole('tab', { name: 'Users' }).waitFor();
    await context.close();
  });

  it('in Czech, the error alert keeps each button on one line', async () => {
    const context = await as(1000, { locale: 'cs-CZ', viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${backend.url}/admin/projects/100`);
    await page.locator('#trigger-error').click();
    const alert = page.locator('support-kit [role=alert] .alert');
    await alert.waitFor();
    for (const b of await alert.locator('button').all()) {
      const lines = await b.evaluate((el) => {
        // Lines of the label: distinct tops of its text's boxes.
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
      expect(lines, (await b.textContent()) ?? '').toBeLessThanOrEqual(1);
    }
    await shot(page, 'polish-cs-alert-375');
    await context.close();
  });

  it('keeps Send in view while the ticket form scrolls above it', async () => {
    const context = await as(1000, { viewport: { width: 1024, height: 600 } });
    const page = await context.newPage();
    await page.goto(`${backend.url}/admin/projects/100`);
    await page.locator('support-kit button.b').click();
    await page.locator('support-kit .menu button.item').first().click();
    await page.locator('support-kit input[name=subject]').waitFor();
    const send = page.locator('support-kit form.form button[type=submit]');
    const body = page.locator('support-kit .body');
    expect(await body.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    const inView = async () => {
      const [b, d] = [await send.boundingBox(), await body.boundingBox()];
      return !!b && !!d && b.y >= d.y && b.y + b.height <= d.y + d.height + 1;
    };
    expect(await inView()).toBe(true);
    await body.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    expect(await inView()).toBe(true);
    await shot(page, 'polish-form-footer');
    await context.close();
  });

  it('clamps a 1,000-character reason to a few lines until "Show more"', async () => {
    const reason = `SK-1: ${'the export stops at the writer every night; '.repeat(30)}`.slice(0, 1000).trim();
    const res = await fetch(`${backend.url}/manage/projects/100/request-access`, {
      method: 'POST',
      headers: { 'X-KBC-ManageApiToken': 'demo-support-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason }),
    });
    expect(res.status).toBe(201);
    const context = await as(1000);
    const page = await context.newPage();
    await page.goto(`${backend.url}/admin/projects/100/users`);
    const text = page.locator('#users-root .row.pend .rsn');
    await text.waitFor();
    const height = () => text.evaluate((el) => el.getBoundingClientRect().height);
    const clamped = await height();
    expect(clamped).toBeLessThanOrEqual(3 * 21);
    await page.locator('#users-root .row.pend').getByRole('button', { name: 'Show more' }).click();
    expect(await height()).toBeGreaterThan(clamped * 2);
    expect(await text.textContent()).toContain(reason);
    expect(await axe(page)).toEqual([]);
    await context.close();
  });
});
