// The widget in real Chromium on host pages: normal, strict CSP, hostile CSS; keyboard only; offline
// then online; the error alert; axe. Screenshots go to screenshots/widget-*.png.
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../api/types.ts';
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

async function tickets(): Promise<Ticket[]> {
  const res = await fetch(`${backend.url}/manage/support/tickets`, {
    headers: { 'X-KBC-ManageApiToken': 'demo-admin-token' },
  });
  return (await res.json()) as Ticket[];
}

async function openPage(name: string, query = '') {
  const context = await browser.newContext({ viewport: { width: 1024, height: 760 } });
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${backend.url}/pages/widget-${name}.html${query}`);
  const launcher = page.locator('support-kit button.b');
  await launcher.waitFor();
  return { page, context, requests, errors, launcher };
}

const dialog = (page: Page) => page.getByRole('dialog');

async function openForm(page: Page, item = /Contact support/) {
  await page.locator('support-kit button.b').click();
  await page.getByRole('button', { name: item }).click();
  await page.getByRole('textbox', { name: /Subject|Předmět/ }).waitFor();
}

async function fillAndSend(page: Page, subject: string) {
  await page.getByRole('textbox', { name: 'Subject' }).fill(subject);
  await page.getByRole('textbox', { name: 'Description' }).fill('Steps: open the flow, press Run. It fails.');
  await page.getByRole('button', { name: 'Send' }).click();
}

async function expectNoAxeViolations(page: Page, what: string) {
  const violations = await axe(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

describe('widget on a normal page', () => {
  it('draws the button with one small request (the badge), loads the panel on intent, files a ticket', async () => {
    const { page, context, requests, launcher, errors } = await openPage('normal');
    await page.waitForTimeout(300);
    const before = requests.map((r) => new URL(r.url()).pathname);
    // Issue 20: the dot's one request (unread replies for everyone, requests for deciders).
    expect(before).toEqual([
      '/pages/widget-normal.html',
      '/pages/widget-setup.js',
      '/widget/support-kit.js',
      '/manage/projects/100/support-badge',
    ]);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    await shot(page, 'widget-1-button');
    await expectNoAxeViolations(page, 'button');

    // Listen before hovering: on a busy machine the preload can finish while hover() is still returning.
    const preloaded = page.waitForResponse((r) => r.url().includes('/widget/chunks/'));
    await launcher.hover();
    await preloaded;
    await launcher.click();
    await dialog(page).waitFor();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    await shot(page, 'widget-2-menu');
    await expectNoAxeViolations(page, 'menu');

    await page.getByRole('button', { name: /Contact support/ }).click();
    await page.getByRole('textbox', { name: 'Subject' }).waitFor();
    await page.getByRole('combobox', { name: 'Type' }).selectOption('incident');
    await page.getByRole('textbox', { name: 'Subject' }).fill('Orders flow fails');
    await page
      .getByRole('textbox', { name: 'Description' })
      .fill('Since this morning the flow stops at step 2.');
    await shot(page, 'widget-3-form');
    await expectNoAxeViolations(page, 'form');

    await page.getByRole('button', { name: 'Send' }).click();
    const done = page.getByText(/^Ticket SK-\d+ created$/);
    await done.waitFor();
    const [ticket] = await tickets();
    expect(await done.textContent()).toBe(`Ticket ${ticket?.number} created`);
    expect(ticket).toMatchObject({ subject: 'Orders flow fails', type: 'incident', severity: 'normal' });
    expect(ticket?.context.pageUrl).toContain('/pages/widget-normal.html');
    expect(ticket?.context.browser).toMatch(/^Chrome \d+/);
    await shot(page, 'widget-4-sent');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the error alert for reportError and opens the form prefilled from it', async () => {
    const { page, context } = await openPage('normal');
    await page.getByRole('button', { name: 'Run job (fails)' }).click();
    const alert = page.locator('support-kit [role=alert] .alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('Reference: exception-7f3a9c');
    await shot(page, 'widget-5-alert');
    await expectNoAxeViolations(page, 'alert');

    await alert.getByRole('button', { name: 'Contact support' }).click();
    const subject = page.getByRole('textbox', { name: 'Subject' });
    await subject.waitFor();
    expect(await subject.inputValue()).toBe('Table in.c-main.orders was not found');
    expect(await page.getByRole('combobox', { name: 'Type' }).inputValue()).toBe('problem');
    const context_ = page.getByRole('region', { name: 'Sent with your ticket' });
    expect(await context_.textContent()).toContain('exception-7f3a9c');
    await shot(page, 'widget-6-prefilled');
    await page.getByRole('textbox', { name: 'Description' }).fill('Happened after the import.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(/created$/).waitFor();
    expect((await tickets())[0]?.context.error).toMatchObject({ exceptionId: 'exception-7f3a9c' });
    await context.close();
  });

  it('submits a ticket with the keyboard only; Esc closes and focus returns to the button', async () => {
    const { page, context } = await openPage('normal');
    const focusedIsLauncher = () =>
      page.evaluate(
        () => document.activeElement?.shadowRoot?.activeElement?.classList.contains('b') === true,
      );
    for (let i = 0; i < 10 && !(await focusedIsLauncher()); i++) await page.keyboard.press('Tab');
    expect(await focusedIsLauncher()).toBe(true);
    // Focus is intent: the panel loads; wait for it so that key presses are not raced.
    await page.locator('support-kit .root').waitFor({ state: 'attached' });
    await page.keyboard.press('Enter');
    await dialog(page).waitFor();
    const focused = () =>
      page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent ?? '');
    await expect.poll(focused).toContain('Contact support');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Subject' }).waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName))
      .toBe('SELECT');
    await page.keyboard.press('Tab'); // type → subject
    await page.keyboard.type('Keyboard only ticket');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Filed without a mouse.');
    // The grant choice (an admin may allow support in for this ticket), Attach, then Send
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () => (document.activeElement?.shadowRoot?.activeElement as HTMLInputElement | null)?.type,
      ),
    ).toBe('checkbox');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Attach files');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Send');
    await shot(page, 'widget-7-keyboard');
    await page.keyboard.press('Enter');
    await page.getByText(/created$/).waitFor();
    expect((await tickets()).map((t) => t.subject)).toEqual(['Keyboard only ticket']);
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    expect(await focusedIsLauncher()).toBe(true);
    await context.close();
  });

  it('keeps a ticket written offline and delivers it exactly once when the network is back', async () => {
    const { page, context } = await openPage('normal');
    await page.route('**/manage/support/tickets', (route) => route.abort('internetdisconnected'));
    await openForm(page);
    await fillAndSend(page, 'Written offline');
    await page.getByText('Your ticket is queued').waitFor();
    await shot(page, 'widget-8-queued');
    expect(await tickets()).toEqual([]);
    await page.unroute('**/manage/support/tickets');
    await expect.poll(async () => (await tickets()).length, { timeout: 20_000, interval: 250 }).toBe(1);
    // The stale banner: the queued result turns into the sent one, without the old failure text.
    const [sent] = await tickets();
    await page.getByText(`Ticket ${sent?.number} created`).waitFor();
    expect(await page.getByText('The support server cannot be reached.').count()).toBe(0);
    expect(await page.getByText(/^Queued ticket sent/).count()).toBe(0);
    await shot(page, 'widget-8b-delivered');
    await page.waitForTimeout(2500); // no second delivery
    expect((await tickets()).map((t) => t.subject)).toEqual(['Written offline']);
    const mails = (await backend.outbox()).filter((m) => m.subject.includes('Written offline'));
    expect(mails).toHaveLength(1);
    await context.close();
  });

  it('keeps the draft across a reload', async () => {
    const { page, context } = await openPage('normal');
    await openForm(page);
    await page.getByRole('textbox', { name: 'Subject' }).fill('Half written');
    await page.getByText('Draft saved').waitFor();
    await page.reload();
    await openForm(page);
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Subject' }).inputValue(), { timeout: 5000 })
      .toBe('Half written');
    await context.close();
  });

  it('draws the dark scheme', async () => {
    const { page, context } = await openPage('normal', '?theme=dark&locale=cs');
    await openForm(page, /Kontaktovat podporu/);
    await page.getByRole('button', { name: 'Run job (fails)' }).click(); // the alert, inside the open dialog
    await page.locator('support-kit .alert.inline').waitFor();
    const launcher = page.locator('support-kit button.b');
    expect(await launcher.textContent()).toBe('Podpora');
    // The dark accent of the launcher's stylesheet, not the light default (rgb(11, 87, 208)).
    expect(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(168, 199, 250)');
    await shot(page, 'widget-9-dark-cs');
    await expectNoAxeViolations(page, 'dark form');
    await context.close();
  });
});

describe('widget with the users & access part', () => {
  async function requestAccess(reason: string) {
    const res = await fetch(`${backend.url}/manage/projects/100/request-access`, {
      method: 'POST',
      headers: { 'X-KBC-ManageApiToken': 'demo-support-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason }),
    });
    expect(res.ok).toBe(true);
  }

  it('counts pending requests on the button at idle with one request, and keeps the panel unloaded', async () => {
    await requestAccess('Checking a failed job');
    const { page, context, requests, launcher, errors } = await openPage('normal', '?users');
    await expect.poll(() => launcher.getAttribute('data-count')).toBe('1');
    await page.getByRole('button', { name: 'Support, 1 new' }).waitFor();
    await page.waitForTimeout(300);
    const before = requests.map((r) => new URL(r.url()).pathname);
    expect(before).toEqual([
      '/pages/widget-normal.html',
      '/pages/widget-setup.js',
      '/widget/support-kit.js',
      '/manage/projects/100/support-badge',
    ]);
    await shot(page, 'widget-13-pending-dot');
    await expectNoAxeViolations(page, 'button with a dot');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks a guest only the badge before intent (their unread replies), so no stray dot', async () => {
    await requestAccess('Not for guests');
    const { page, context, requests, launcher, errors } = await openPage(
      'normal',
      '?users&token=demo-guest-token&role=guest',
    );
    await launcher.waitFor();
    await page.waitForTimeout(1000);
    expect(requests.map((r) => new URL(r.url()).pathname)).toEqual([
      '/pages/widget-normal.html',
      '/pages/widget-setup.js',
      '/widget/support-kit.js',
      '/manage/projects/100/support-badge',
    ]);
    expect(await launcher.getAttribute('data-count')).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('mounts the users panel through the snippet; approving there clears the dot', async () => {
    await requestAccess('Looking into a flow');
    const { page, context, launcher, errors } = await openPage('normal', '?users&mount');
    const row = page.locator('#users-root li.row').filter({ hasText: 'Looking into a flow' });
    await row.getByRole('button', { name: /^Approve access for/ }).waitFor();
    await expect.poll(() => launcher.getAttribute('data-count')).toBe('1');
    await row.getByRole('button', { name: /^Approve access for/ }).click();
    await expect.poll(() => launcher.getAttribute('data-count')).toBeNull();
    expect(await launcher.getAttribute('aria-label')).toBeNull();
    await shot(page, 'widget-14-users-mounted');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('widget under a strict CSP', () => {
  it('works with no securitypolicyviolation', async () => {
    const { page, context, errors } = await openPage('csp');
    await openForm(page);
    await fillAndSend(page, 'From a strict CSP page');
    await page.getByText(/created$/).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Run job (fails)' }).click();
    await page.locator('support-kit [role=alert] .alert').getByText('was not found').waitFor();
    await shot(page, 'widget-10-csp');
    expect(
      await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    ).toEqual([]);
    // The policy is in force and violations are recorded: an inline <style> is refused and reported.
    await page.evaluate(() => {
      document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{color:red}' }));
    });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))
      .toEqual([expect.stringMatching(/^style-src/)]);
    const bg = await page
      .locator('support-kit button.b')
      .evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(bg).toBe('rgb(11, 87, 208)'); // our stylesheet applied
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('widget on a hostile page', () => {
  it('keeps its own look: host CSS cannot reach in', async () => {
    const { page, context, launcher } = await openPage('hostile');
    const look = await launcher.evaluate((b) => {
      const s = getComputedStyle(b);
      const r = b.getBoundingClientRect();
      return {
        fontSize: s.fontSize,
        height: r.height,
        letterSpacing: s.letterSpacing,
        textTransform: s.textTransform,
        right: innerWidth - r.right,
        bottom: innerHeight - r.bottom,
        color: s.color,
      };
    });
    expect(look).toEqual({
      fontSize: '15px',
      height: 44,
      letterSpacing: 'normal',
      textTransform: 'none',
      right: 20,
      bottom: 20,
      color: 'rgb(255, 255, 255)',
    });
    await shot(page, 'widget-11-hostile-button');
    await openForm(page);
    const input = page.getByRole('textbox', { name: 'Subject' });
    expect(await input.evaluate((i) => getComputedStyle(i).fontSize)).toBe('14px');
    await shot(page, 'widget-12-hostile-form');
    await fillAndSend(page, 'From a hostile page');
    await page.getByText(/created$/).waitFor();
    await context.close();
  });
});
