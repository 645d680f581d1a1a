// The widget in real Chromium against the mock backend's Keboola flavor (`--flavor keboola`: Keboola's
// wire shapes, none of our extensions): the users panel with a support user badged through
// supportEmailDomains and an approval, the History tab without an access log, and the ticket form
// ending with the e-mail fallback and the draft kept.
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, ROOT, shot, startBackend, type TestBackend } from './harness.ts';

let backend: TestBackend;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  backend = await startBackend({ staticDirs: { '/pages': join(ROOT, 'test/e2e/pages') }, flavor: 'keboola' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await backend?.close();
});
beforeEach(async () => {
  for (const p of pages.splice(0)) await p.close();
  await backend.reset();
});

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${backend.url}/manage${path}`, {
    method,
    headers: { 'X-KBC-ManageApiToken': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as unknown };
}

async function openWidget(query: string) {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  pages.push(page);
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${backend.url}/pages/widget-normal.html?${query}`);
  await page.locator('support-kit button.b').waitFor();
  return { page, requests, errors };
}

const row = (page: Page, name: string) => page.locator('li.row').filter({ hasText: name });

describe('the widget on a Keboola stack', () => {
  it('users panel: members, a pending request an admin approves, the support user badged by e-mail domain', async () => {
    // Keboola's project users carry no `kind`: without supportEmailDomains nothing could badge Sam.
    const sent = await api('POST', '/projects/100/request-access', 'demo-support-token', {
      reason: 'Ticket SK-2001: the writer fails',
      expirationSeconds: 86400,
    });
    expect(sent.status).toBe(201);
    // Keboola's shape on the wire, as the flavor sends it.
    const project = await api('GET', '/projects/100', 'demo-admin-token');
    expect(project.json).toMatchObject({ metrics: { 'kbc.adminsCount': { value: 4 } } });
    expect(project.json).not.toHaveProperty('usage');

    const { page, errors } = await openWidget('users&supportDomains=supportkit.test');
    await page.locator('support-kit button.b').click();
    await page.getByRole('button', { name: /Users & access/ }).click();
    await row(page, 'Gary Guest').waitFor();
    await page.getByText('4 of 5 users').waitFor();
    const pending = row(page, 'Sam Support');
    await pending.getByText('Pending', { exact: true }).waitFor();
    expect(await pending.textContent()).toContain('Ticket SK-2001: the writer fails');
    // No empty "Reason:" for the customer's own members (Keboola sends reason "").
    expect(await row(page, 'Gary Guest').textContent()).not.toContain('Reason');
    await shot(page, 'keboola-1-pending');

    await pending.getByRole('button', { name: 'Approve access for Sam Support' }).click();
    const member = row(page, 'Sam Support');
    await member.getByText('Approved by Alice Admin').waitFor();
    await member.getByRole('img', { name: 'Support user' }).waitFor();
    // Support users do not count towards the limit.
    await page.getByText('4 of 5 users').waitFor();
    const users = await api('GET', '/projects/100/users', 'demo-admin-token');
    expect((users.json as { id: number; kind?: string }[]).every((u) => !('kind' in u))).toBe(true);

    await page.getByRole('tab', { name: 'Access history' }).click();
    await page.getByText(/This stack keeps no access history/).waitFor();
    await shot(page, 'keboola-2-approved-no-history');
    expect(await page.getByText(/HTTP \d{3}/).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('no request URL carries the token, and a minute with the users panel open makes few requests', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    pages.push(page);
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    // The page's timers run on a clock the test moves: a minute passes in seconds, retry loops included.
    await page.clock.install();
    await page.goto(`${backend.url}/pages/widget-normal.html?users&supportDomains=supportkit.test`);
    await page.locator('support-kit button.b').click();
    await page.getByRole('button', { name: /Users & access/ }).click();
    await row(page, 'Gary Guest').waitFor();
    const before = requests.length;
    for (let s = 0; s < 60; s += 5) {
      await page.clock.runFor(5000);
      await page.waitForTimeout(50);
    }
    const api = requests.slice(before).filter((r) => new URL(r.url()).pathname.startsWith('/manage/'));
    const paths = api.map((r) => `${r.method()} ${new URL(r.url()).pathname}`);
    console.log(`[keboola e2e] ${paths.length} API requests in a minute with the users panel open`);
    // A backing-off poll of four lists, not a stream retried every few seconds.
    expect(paths.length, paths.join('\n')).toBeLessThanOrEqual(20);
    expect(
      paths.filter((p) => p.endsWith('/current-user/events')).length,
      paths.join('\n'),
    ).toBeLessThanOrEqual(3);
    for (const r of requests) expect(r.url()).not.toContain('demo-admin-token');
  });

  it('ticket form: the e-mail fallback to supportEmail, and the draft kept (also over a reload)', async () => {
    const { page, requests } = await openWidget('supportEmail=help%40partner.test');
    await page.locator('support-kit button.b').click();
    await page.getByRole('button', { name: /Contact support/ }).click();
    await page.getByRole('textbox', { name: 'Subject' }).fill('Writer fails on Keboola');
    await page.getByRole('textbox', { name: 'Description' }).fill('Since 8:00 the Snowflake writer fails.');
    await page.getByRole('button', { name: 'Send' }).click();

    const link = page.getByRole('link', { name: 'E-mail it to help@partner.test' });
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/^mailto:help@partner\.test\?subject=Writer%20fails%20on%20Keboola&body=/);
    const body = decodeURIComponent(href.split('&body=')[1] ?? '');
    expect(body).toContain('Since 8:00 the Snowflake writer fails.');
    expect(body).toContain('Acme Main (100)');
    expect(
      await page.getByText('This stack does not take tickets from the widget. Your text is kept.').count(),
    ).toBe(1);
    expect(await page.getByText(/HTTP 404/).count()).toBe(0);
    await shot(page, 'keboola-3-ticket-email');
    // The endpoint's one 404 taught the widget; sending again asks the stack no more.
    const posts = () => requests.filter((r) => r.method() === 'POST' && r.url().includes('/support/tickets'));
    expect(posts()).toHaveLength(1);
    await page.getByRole('button', { name: 'Send' }).click();
    await link.waitFor();
    expect(posts()).toHaveLength(1);

    // The draft is saved as it is typed; once it says so, a reload brings it back.
    await page.getByText('Draft saved').waitFor();
    await page.reload();
    await page.locator('support-kit button.b').click();
    await page.getByRole('button', { name: /Contact support/ }).click();
    const subject = page.getByRole('textbox', { name: 'Subject' });
    await expect.poll(() => subject.inputValue()).toBe('Writer fails on Keboola');
  });
});
