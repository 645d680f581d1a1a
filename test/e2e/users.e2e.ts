// The users & access panel and the Auto Join switch in Chromium against the mock backend: live
// pending rows, approve and reject in the row, a guest's view, Auto Join changing what support can
// do, a hostile reason shown as text, the access history, and axe-core on each state.
import { join } from 'node:path';
import preact from '@preact/preset-vite';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axe, launchBrowser, ROOT, shot, startBackend, type TestBackend } from './harness.ts';

const ADMIN = 'demo-admin-token';
const GUEST = 'demo-guest-token';
const ORG = 'demo-org-token';
const SUPPORT = 'demo-support-token';
const MAINTAINER = 'demo-maintainer-token';
const OUT = join(ROOT, 'dist-e2e/users');

let backend: TestBackend;
let browser: Browser;
const pages: Page[] = [];

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${backend.url}/manage${path}`, {
    method,
    headers: { 'X-KBC-ManageApiToken': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}

/** Problems the page reports: console errors, uncaught errors, and any alert/confirm/prompt. */
interface Watched {
  page: Page;
  problems: string[];
}

async function open(query: string, waitForEvents = true): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 720, height: 1000 } });
  pages.push(page);
  const problems: string[] = [];
  page.on('console', (m) => {
    // The panels ask the organization's user list whether the signed-in user is an organization
    // member; for everyone else the answer is a 403 that Chromium logs. That one is expected.
    if (m.type() === 'error' && !/status of 403/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // No token in any request URL (issue 9): the page gets its own in the fragment, which is never sent.
  page.on('request', (r) => {
    for (const t of [ADMIN, GUEST, ORG, SUPPORT, MAINTAINER])
      if (r.url().includes(t)) problems.push(`token in a request URL: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  // The stream starts "now": wait until it is open, so that what follows is sent on it.
  const events = waitForEvents ? page.waitForResponse(/\/manage\/current-user\/events/) : undefined;
  await page.goto(`${backend.url}/e2e-users/pages/users-page.html#${query}`);
  await events;
  return { page, problems };
}

async function noAxeViolations(page: Page): Promise<void> {
  const violations = await axe(page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

const row = (page: Page, name: string) => page.locator('li.row').filter({ hasText: name });

describe('users & access in a real browser', () => {
  beforeAll(async () => {
    // The panels' own bundle for this page (the widget's build config belongs to the widget).
    await build({
      configFile: false,
      root: ROOT,
      logLevel: 'warn',
      plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
      build: {
        outDir: join(OUT, 'build'),
        emptyOutDir: true,
        minify: true,
        lib: {
          entry: join(ROOT, 'test/e2e/pages/users-page.ts'),
          formats: ['es'],
          fileName: () => 'users-page.js',
        },
      },
    });
    backend = await startBackend({
      staticDirs: {
        '/e2e-users/build': join(OUT, 'build'),
        '/e2e-users/pages': join(ROOT, 'test/e2e/pages'),
      },
    });
    browser = await launchBrowser();
  });
  beforeEach(async () => {
    for (const p of pages.splice(0)) await p.close();
    await backend.reset();
  });
  afterAll(async () => {
    await browser?.close();
    await backend?.close();
  });

  it("shows a support user's request to the admin within a second; Approve makes a member and e-mails the requester", async () => {
    const { page, problems } = await open(`token=${ADMIN}&project=100`);
    await row(page, 'Gary Guest').waitFor();
    const reason = 'Investigating ticket SK-1042: the Snowflake writer fails';
    const started = Date.now();
    const req = await api('POST', '/projects/100/request-access', SUPPORT, {
      reason,
      expirationSeconds: 2 * 86400,
    });
    expect(req.status).toBe(201);
    const pending = row(page, 'Sam Support');
    await pending.getByText('Pending', { exact: true }).waitFor({ timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => pending.textContent()).toContain(reason);
    expect(await pending.textContent()).toContain(
      'Lapses in 2 days if nobody decides; access runs from approval.',
    );
    await page.waitForFunction(() => (window as unknown as { pendingCount?: number }).pendingCount === 1);
    await shot(page, 'users-1-pending-admin');
    await noAxeViolations(page);

    await pending.getByRole('button', { name: 'Approve access for Sam Support' }).click();
    const member = row(page, 'Sam Support');
    await member.getByText('Approved by Alice Admin').waitFor();
    const badge = member.getByRole('img', { name: 'Support user' });
    await badge.waitFor();
    // The badge without emoji fonts (Debian's Chromium has none): a drawn octopus with a text label.
    const drawn = await badge.evaluate((el) => {
      const svg = el.querySelector('svg')?.getBoundingClientRect();
      return { w: svg?.width ?? 0, h: svg?.height ?? 0, text: el.textContent ?? '' };
    });
    expect(drawn.w).toBeGreaterThanOrEqual(12);
    expect(drawn.h).toBeGreaterThanOrEqual(12);
    expect(drawn.text.trim()).toBe('Support');
    expect(drawn.text).not.toMatch(/\p{Extended_Pictographic}/u);
    expect(await member.textContent()).toContain(reason);
    expect(await member.textContent()).toContain('Access expires in 2 days');
    expect(await member.getByText('Pending', { exact: true }).count()).toBe(0);
    await page.waitForFunction(() => (window as unknown as { pendingCount?: number }).pendingCount === 0);
    await expect
      .poll(async () => (await backend.outbox()).filter((m) => m.to === 'sam@supportkit.test').length)
      .toBeGreaterThan(0);
    const mail = (await backend.outbox()).filter((m) => m.to === 'sam@supportkit.test');
    expect(mail.map((m) => m.subject).join('\n')).toMatch(/approved/i);
    await shot(page, 'users-2-approved');
    await noAxeViolations(page);
    expect(problems).toEqual([]);
  });

  it('drops a request that expires while the list is open, within a second', async () => {
    await api('POST', '/projects/100/request-access', SUPPORT, {
      reason: 'Short look',
      expirationSeconds: 3600,
    });
    const { page, problems } = await open(`token=${ADMIN}&project=100`);
    const pending = row(page, 'Sam Support');
    await pending.getByText('Short look').waitFor();
    await backend.advanceClock(3601);
    const started = Date.now();
    await pending.waitFor({ state: 'detached', timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    await page.waitForFunction(() => (window as unknown as { pendingCount?: number }).pendingCount === 0);
    expect(problems).toEqual([]);
  });

  it('shows a guest the pending row, but no working buttons, and why', async () => {
    await api('POST', '/projects/100/request-access', SUPPORT, { reason: 'Checking a failed job' });
    const { page, problems } = await open(`token=${GUEST}&project=100`);
    const pending = row(page, 'Sam Support');
    await pending.getByText('Checking a failed job').waitFor();
    const approve = pending.getByRole('button', { name: 'Approve access for Sam Support' });
    const reject = pending.getByRole('button', { name: 'Reject the request of Sam Support' });
    expect(await approve.isDisabled()).toBe(true);
    expect(await reject.isDisabled()).toBe(true);
    await pending
      .getByText('Your role (Guest) cannot approve or reject requests; an admin or share member can.')
      .waitFor();
    await approve.click({ force: true });
    await page.waitForTimeout(300);
    const list = await api('GET', '/projects/100/join-requests', ADMIN);
    expect(list.json).toHaveLength(1);
    expect(await page.getByRole('form').count()).toBe(0);
    await shot(page, 'users-3-guest');
    await noAxeViolations(page);
    expect(problems).toEqual([]);
  });

  it('rejects by keyboard after a confirmation that holds and returns focus', async () => {
    await api('POST', '/projects/100/request-access', MAINTAINER, { reason: 'Upgrade the component' });
    const { page, problems } = await open(`token=${ADMIN}&project=100`);
    const pending = row(page, 'Mark Maintainer');
    const reject = pending.getByRole('button', { name: 'Reject the request of Mark Maintainer' });
    await reject.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Reject the request?' });
    await dialog.waitFor();
    const focused = (): Promise<string> =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.textContent ?? '';
      });
    expect(await focused()).toBe('Cancel');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Reject');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Cancel');
    await shot(page, 'users-4-reject-confirm');
    await noAxeViolations(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await reject.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await expect.poll(focused).toBe('Cancel');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Reject');
    await page.keyboard.press('Enter');
    await pending.waitFor({ state: 'detached' });
    await page.getByText('Request of Mark Maintainer rejected.').waitFor();
    expect((await api('GET', '/projects/100/join-requests', ADMIN)).json).toEqual([]);
    expect(
      (await backend.outbox()).some((m) => m.to === 'mark@partner.test' && /reject/i.test(m.subject)),
    ).toBe(true);
    expect(problems).toEqual([]);
  });

  it('lets an organization member switch Auto Join, which changes what support can do', async () => {
    const { page, problems } = await open(`token=${ORG}&org=10`, false);
    const sw = page.getByRole('switch', { name: 'Auto Join for support and the maintainer' });
    await sw.waitFor();
    await expect.poll(() => sw.isEnabled()).toBe(true);
    expect(await sw.getAttribute('aria-checked')).toBe('false');
    await page.getByText(/^Off: they must request access/).waitFor();
    await shot(page, 'users-5-autojoin-off');
    await noAxeViolations(page);
    expect((await api('POST', '/projects/100/join-project', SUPPORT, { reason: 'Before' })).status).toBe(403);

    // On is the risky direction (outsiders get in without approval): it asks first.
    await sw.click();
    const dialog = page.getByRole('alertdialog', { name: 'Turn Auto Join on?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("without anyone's approval");
    await shot(page, 'users-7-autojoin-confirm');
    await noAxeViolations(page);
    await dialog.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText(/^Auto Join is on: /).waitFor();
    expect(await sw.getAttribute('aria-checked')).toBe('true');
    await page.getByText(/^On: support and the maintainer's users can join projects/).waitFor();
    expect((await api('POST', '/projects/100/join-project', SUPPORT, { reason: 'Now at once' })).status).toBe(
      204,
    );
    await shot(page, 'users-6-autojoin-on');

    // Off is the safe direction: one click, and the status says what changed.
    await sw.click();
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await page.getByText(/^Auto Join is off: support and the maintainer now need/).waitFor();
    expect((await api('POST', '/projects/100/join-project', MAINTAINER, { reason: 'Try' })).status).toBe(403);
    expect((await api('POST', '/projects/100/request-access', MAINTAINER, { reason: 'Ask' })).status).toBe(
      201,
    );
    expect(problems).toEqual([]);
  });

  it('shows a hostile reason literally and runs nothing, in the row, the member row and the history', async () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await api('POST', '/projects/100/request-access', SUPPORT, { reason: evil });
    const { page, problems } = await open(`token=${ADMIN}&project=100`);
    const pending = row(page, 'Sam Support');
    await pending.getByText(evil).waitFor();
    await pending.getByRole('button', { name: /Approve/ }).click();
    await row(page, 'Sam Support').getByText('Approved by Alice Admin').waitFor();
    await row(page, 'Sam Support').getByText(evil).waitFor();
    const users = page.getByRole('tab', { name: 'Users' });
    await users.focus();
    await page.keyboard.press('ArrowRight');
    await page.getByText('Alice Admin approved the request of Sam Support').waitFor();
    expect(await page.getByText(evil).count()).toBeGreaterThanOrEqual(2);
    const elements = await page.evaluate(() => {
      const root = document.getElementById('users')?.shadowRoot;
      return root ? root.querySelectorAll('img, script').length : -1;
    });
    expect(elements).toBe(0);
    await page.waitForTimeout(300);
    await shot(page, 'users-8-xss-history');
    await noAxeViolations(page);
    expect(problems).toEqual([]);
  });
});
