// One browser shared by two people, in real Chromium on the demo app: Alice Admin, then Sean Share (the
// demo's "Signed in as" switcher), in one profile. The second never sees the first's draft, online or
// offline; a ticket the first queued offline is not filed under the second's name, and goes as hers
// when she is back. No request URL carries a token, the live stream included.
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../api/types.ts';
import { demoFixture } from '../../mock-backend/server.ts';
import { launchBrowser, shot, startBackend, type TestBackend } from './harness.ts';

let backend: TestBackend;
let browser: Browser;

const ALICE = { id: 1000, token: 'demo-admin-token' };
const SEAN = { id: 1001, token: 'demo-share-token' };
const TOKENS = (demoFixture().users ?? []).flatMap((u) => (u.token ? [u.token] : []));

beforeAll(async () => {
  backend = await startBackend();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await backend?.close();
});
beforeEach(() => backend.reset());

/** The tickets this user reported (`view=mine`: since issue 20 a decider also sees the project's). */
async function ticketsOf(token: string): Promise<Ticket[]> {
  const res = await fetch(`${backend.url}/manage/support/tickets?view=mine`, {
    headers: { 'X-KBC-ManageApiToken': token },
  });
  return (await res.json()) as Ticket[];
}

/** One profile for the whole story, every request recorded. */
async function sharedBrowser() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const requests: Request[] = [];
  context.on('request', (r) => requests.push(r));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, requests, errors };
}

/** The demo's persona switcher: a form post, then the same page again as that user. */
async function signInAs(page: Page, userId: number): Promise<void> {
  await page.locator('#persona').selectOption(String(userId));
  // The next document's load, not the URL: the URL matches already before the switch, and a click
  // on the old page's launcher just before it goes would be lost.
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Switch' }).click()]);
  await page.waitForURL(/\/admin\/projects\/100/);
  await page.locator('support-kit button.b').waitFor();
}

async function openForm(page: Page) {
  await page.locator('support-kit button.b').click();
  await page.getByRole('button', { name: /Contact support/ }).click();
  const subject = page.getByRole('textbox', { name: 'Subject' });
  await subject.waitFor();
  return { subject, description: page.getByRole('textbox', { name: 'Description' }) };
}

async function closeWidget(page: Page) {
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

/** The form stays empty: long enough for any stored draft to have arrived from IndexedDB. */
async function expectEmptyForEver(page: Page, form: Awaited<ReturnType<typeof openForm>>) {
  await page.waitForTimeout(700);
  expect(await form.subject.inputValue()).toBe('');
  expect(await form.description.inputValue()).toBe('');
}

function expectNoTokenInUrls(requests: Request[]) {
  expect(requests.length).toBeGreaterThan(10);
  for (const r of requests) for (const t of TOKENS) expect(r.url(), r.url()).not.toContain(t);
}

describe('widget: two users one after another in one browser', () => {
  it('never shows the second user the first one’s draft, online or offline', async () => {
    const { context, page, requests, errors } = await sharedBrowser();
    await page.goto(`${backend.url}/admin/projects/100`);
    await signInAs(page, ALICE.id);

    // Online: Alice writes a draft and leaves it.
    let form = await openForm(page);
    await form.subject.fill('Alice: invoice 2026-114 is wrong');
    await form.description.fill('Private details of Alice');
    await page.getByText('Draft saved').waitFor();
    await closeWidget(page);

    await signInAs(page, SEAN.id);
    form = await openForm(page);
    await expectEmptyForEver(page, form);
    await shot(page, 'widget-users-1-second-user-empty-form');
    await closeWidget(page);

    // Back to Alice: her draft is hers again. Offline, she goes on writing (saved as hers).
    await signInAs(page, ALICE.id);
    form = await openForm(page);
    await expect.poll(() => form.subject.inputValue()).toBe('Alice: invoice 2026-114 is wrong');
    await context.setOffline(true);
    await form.description.fill('Written offline by Alice');
    await page.getByText('Draft saved').waitFor();
    await closeWidget(page);
    await context.setOffline(false);

    await signInAs(page, SEAN.id);
    form = await openForm(page);
    await expectEmptyForEver(page, form);
    await closeWidget(page);

    await signInAs(page, ALICE.id);
    form = await openForm(page);
    await expect.poll(() => form.description.inputValue()).toBe('Written offline by Alice');

    expectNoTokenInUrls(requests);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('does not file a ticket queued offline by the first user under the second one’s name', async () => {
    const { context, page, requests, errors } = await sharedBrowser();
    await page.goto(`${backend.url}/admin/projects/100`);
    await signInAs(page, ALICE.id);

    const form = await openForm(page);
    await context.setOffline(true);
    await form.subject.fill('Queued by Alice while offline');
    await form.description.fill('The job fails at step 2.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Your ticket is queued').waitFor();

    // Back online, but the ticket cannot get out before Alice's page is gone (a flaky network).
    const tickets = '**/manage/support/tickets';
    await context.route(tickets, (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);
    await closeWidget(page);
    await signInAs(page, SEAN.id);
    await context.unroute(tickets);

    // Sean's page loads the panel for the queued ticket (the launcher's flag) and leaves it alone.
    const posted: string[] = [];
    context.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/manage/support/tickets'))
        posted.push(r.headers()['x-kbc-manageapitoken'] ?? '');
    });
    await page.locator('support-kit button.b').click();
    await page.getByRole('button', { name: /Contact support/ }).waitFor();
    await page.waitForTimeout(3000);
    expect(await page.getByText(/waiting to be sent/).count()).toBe(0);
    expect(posted).toEqual([]);
    expect(await ticketsOf(SEAN.token)).toEqual([]);
    expect(await ticketsOf(ALICE.token)).toEqual([]);
    await shot(page, 'widget-users-2-second-user-no-queue');
    await closeWidget(page);

    // Alice is back: her ticket goes now, with her token, as hers.
    await signInAs(page, ALICE.id);
    await page.locator('support-kit button.b').click();
    await expect.poll(() => posted, { timeout: 15_000 }).toEqual([ALICE.token]);
    await expect.poll(async () => (await ticketsOf(ALICE.token)).length).toBe(1);
    const [ticket, ...more] = await ticketsOf(ALICE.token);
    expect(more).toEqual([]);
    expect(ticket?.subject).toBe('Queued by Alice while offline');
    expect(await ticketsOf(SEAN.token)).toEqual([]);

    expectNoTokenInUrls(requests);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('follows live events with the token in a header, never in the URL', async () => {
    const { context, page, requests } = await sharedBrowser();
    await page.goto(`${backend.url}/admin/projects/100/users`);
    const stream = await page.waitForRequest((r) => r.url().endsWith('/manage/current-user/events'));
    expect(stream.url()).toBe(`${backend.url}/manage/current-user/events`);
    expect((await stream.allHeaders())['x-kbc-manageapitoken']).toBe(ALICE.token);
    await page.locator('#users-root').getByText('Sean Share').first().waitFor();

    // A support request made elsewhere shows up through the stream.
    const res = await fetch(`${backend.url}/manage/projects/100/request-access`, {
      method: 'POST',
      headers: { 'X-KBC-ManageApiToken': 'demo-support-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'Live over the header stream', expirationSeconds: 3600 }),
    });
    expect(res.status).toBe(201);
    await page.locator('#users-root').getByText('Live over the header stream', { exact: false }).waitFor();
    expect(requests.filter((r) => r.url().includes('/current-user/events'))).toHaveLength(1);
    expectNoTokenInUrls(requests);
    await context.close();
  });
});
