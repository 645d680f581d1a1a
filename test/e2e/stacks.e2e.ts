// The built extension in Chromium on two stacks at once: two mock backends on two ports with the same
// demo ids. Stack A is Keboola-flavored (no events endpoint: the extension polls it) with Auto Join off
// for project 100; stack B is ours with Auto Join on for its project 100. The support engineer requests
// access on A, joins on B, sees both in My access (each row naming its stack), and A's approval arrives
// by polling.
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture } from '../../api/types.ts';
import { demoFixture } from '../../mock-backend/server.ts';
import { callApi } from '../api-call.ts';
import {
  axe,
  type ExtensionBrowser,
  getAccessInPopup,
  launchWithExtension,
  saveStack,
  shot,
  startBackend,
  type TestBackend,
} from './harness.ts';

const SUPPORT = 'demo-support-token';
const ADMIN = 'demo-admin-token';

let a: TestBackend;
let b: TestBackend;
let ext: ExtensionBrowser;
let popup: Page;

const api = callApi;

function worker(): Worker {
  const sw = ext.context
    .serviceWorkers()
    .find((w) => w.url().startsWith(`chrome-extension://${ext.extensionId}/`));
  if (!sw) throw new Error('extension service worker not found');
  return sw;
}

const host = (url: string) => new URL(url).host;

const addStack = (url: string) => saveStack(ext, url, SUPPORT);
const getAccess = (projectRef: string, reason: string) => getAccessInPopup(popup, projectRef, reason, '4 h');

describe('the extension on two stacks', () => {
  beforeAll(async () => {
    const demo = demoFixture();
    const flipped: Fixture = {
      ...demo,
      organizations: (demo.organizations ?? []).map((o) => ({ ...o, allowAutoJoin: o.id === 10 })),
    };
    a = await startBackend({ flavor: 'keboola' });
    await a.reset();
    b = await startBackend();
    await b.reset(flipped);
    ext = await launchWithExtension();
  });
  afterAll(async () => {
    await ext?.close();
    await a?.close();
    await b?.close();
  });

  it('the options hold both stacks, each verified with its own token', async () => {
    (await addStack(a.url)).close();
    const options = await addStack(b.url);
    const rows = options.getByTestId('stack-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-stack')))).toEqual([
      a.url,
      b.url,
    ]);
    await shot(options, 'extension-options-two-stacks');
    expect(await axe(options)).toEqual([]);
    await options.close();
  });

  it('requests access on A, joins on B, and My access shows both, each with its stack', async () => {
    popup = await ext.page('extension/popup.html');
    await popup.setViewportSize({ width: 380, height: 640 });
    await expect.poll(() => popup.getByTestId('identity').textContent()).toContain('2 stacks');

    const onA = await getAccess(`${a.url}/admin/projects/100`, 'SK-3001: A export stuck');
    await expect.poll(() => onA.textContent()).toContain('Request sent for Acme Main');
    const onB = await getAccess(`${b.url}/admin/projects/100/dashboard`, 'SK-3002: B flow broken');
    await expect.poll(() => onB.textContent()).toContain('Joined Acme Main');

    // A bare id with two stacks: the user picks the stack, the last used (B) preselected.
    await popup.getByLabel('Project', { exact: true }).fill('101');
    expect(await popup.getByLabel('Stack', { exact: true }).inputValue()).toBe(b.url);
    expect(await axe(popup)).toEqual([]);
    await popup.getByLabel('Project', { exact: true }).fill('');

    await popup.getByRole('tab', { name: /My access/ }).click();
    const request = popup.locator(`[data-testid="request-row"][data-stack="${a.url}"]`);
    const access = popup.locator(`[data-testid="access-row"][data-stack="${b.url}"]`);
    await expect.poll(() => request.getByTestId('row-stack').textContent()).toContain(host(a.url));
    await expect.poll(() => access.getByTestId('row-stack').textContent()).toContain(host(b.url));
    expect(await request.getByTestId('status').textContent()).toBe('pending');
    expect(await access.getByTestId('status').textContent()).toBe('joined');
    await shot(popup, 'extension-popup-two-stacks');
    expect(await axe(popup)).toEqual([]);

    // Each stack knows only its own: a pending request on A, a membership on B.
    const pendingOnA = (await api(a.url, 'GET', '/current-user/projects-join-requests', SUPPORT)).json;
    expect(pendingOnA).toEqual([expect.objectContaining({ reason: 'SK-3001: A export stuck' })]);
    const usersOnB = (await api(b.url, 'GET', '/projects/100/users', ADMIN)).json as { id: number }[];
    expect(usersOnB.some((u) => u.id === 1006)).toBe(true);
    const usersOnA = (await api(a.url, 'GET', '/projects/100/users', ADMIN)).json as { id: number }[];
    expect(usersOnA.some((u) => u.id === 1006)).toBe(false);
  });

  it('the approval on A (a stack without events) is seen by polling, and opens A’s project', async () => {
    const [req] = (await api(a.url, 'GET', '/projects/100/join-requests', ADMIN)).json as { id: number }[];
    expect((await api(a.url, 'PUT', `/projects/100/join-requests/${req?.id}`, ADMIN, {})).status).toBe(202);
    // The worker's poll alarm, due now instead of in up to 30 s (unpacked extensions may fire sooner);
    // it stays periodic, as background.ts created it.
    await worker().evaluate(() =>
      chrome.alarms.create('support-kit-poll', { when: Date.now() + 200, periodInMinutes: 0.5 }),
    );
    const approved = popup.locator(`[data-testid="access-row"][data-stack="${a.url}"]`);
    await approved.getByTestId('status').filter({ hasText: 'approved' }).waitFor({ timeout: 10_000 });
    const stillJoined = popup.locator(`[data-testid="access-row"][data-stack="${b.url}"]`);
    expect(await stillJoined.getByTestId('status').textContent()).toBe('joined');
    const shown = await worker().evaluate(() => chrome.notifications.getAll());
    expect(Object.keys(shown).some((id) => id.startsWith('sk:approved:100:'))).toBe(true);
    await shot(popup, 'extension-popup-two-stacks-approved');

    const opened = ext.context.waitForEvent('page');
    await approved.getByRole('button', { name: `Open project Acme Main on ${host(a.url)}` }).click();
    const page = await opened;
    expect(page.url()).toBe(`${a.url}/admin/projects/100`);
    await page.close();
  });
});
