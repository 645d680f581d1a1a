// The extension's core story in Firefox ESR, on the same fixture as the Chromium story
// (extension.e2e.ts): the options verify a stack, the popup requests access with a reason and a
// duration, an approval made through the API reaches the open popup without a reload, and a join where
// Auto Join is on shows in My access; no uncaught error in the extension's pages or its background.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../api-call.ts';
import { type FirefoxExtension, launchFirefoxWithExtension } from './firefox.ts';
import { SCREENSHOTS, startBackend, type TestBackend } from './harness.ts';

const SUPPORT = 'demo-support-token';
const ADMIN = 'demo-admin-token';

let backend: TestBackend;
let ff: FirefoxExtension;
let popup: Page;
let startedAt = 0;

/** The text of the first element matching `selector`, '' while there is none. */
const text = (page: Page, selector: string) =>
  page.evaluate((s) => document.querySelector(s)?.textContent ?? '', selector);

/** Types into a field as a person would (Preact listens to input events). */
async function fill(page: Page, selector: string, value: string): Promise<void> {
  // Not waitForSelector: puppeteer's waiting builds functions, which the extension's CSP forbids.
  await expect.poll(() => page.evaluate((s) => document.querySelector(s) !== null, selector)).toBe(true);
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

describe('the extension in Firefox ESR', () => {
  beforeAll(async () => {
    startedAt = Date.now();
    backend = await startBackend();
    await backend.reset();
    ff = await launchFirefoxWithExtension();
  });
  afterAll(async () => {
    await ff?.close();
    await backend?.close();
    console.log(`[e2e] the Firefox story took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });

  it('the options verify a stack and say who the token belongs to', async () => {
    const options = await ff.page('extension/options.html');
    await fill(options, '#backend-url', backend.url);
    await fill(options, '#token', SUPPORT);
    await options.click('form[aria-labelledby="add-h"] button[type="submit"]');
    await expect
      .poll(() => text(options, '[data-testid="options-saved"]'), { timeout: 15_000 })
      .toContain('Sam Support');
    await options.screenshot({ path: `${SCREENSHOTS}/firefox-options-saved.png` });
    await options.close();
  });

  it('the popup requests access with a reason and a duration', async () => {
    popup = await ff.page('extension/popup.html');
    await expect
      .poll(() => text(popup, '[data-testid="identity"]'), { timeout: 15_000 })
      .toContain('Sam Support');
    await popup.click('#tab-access');
    await fill(popup, '#project', '100');
    await expect
      .poll(() => text(popup, '[data-testid="project-info"]'), { timeout: 15_000 })
      .toContain('Acme Main');
    await fill(popup, '#reason', 'SK-1002: pipeline fails nightly');
    await popup.click('input[name="duration"][value="1h"]');
    await popup.click('button.primary[type="submit"]');
    await expect
      .poll(() => text(popup, '[data-testid="access-result"]'), { timeout: 15_000 })
      .toContain('Request sent for Acme Main');
    const [request] = (await callApi(backend.url, 'GET', '/projects/100/join-requests', ADMIN)).json as {
      id: number;
      reason: string;
      expires: string;
      created: string;
    }[];
    expect(request?.reason).toBe('SK-1002: pipeline fails nightly');
    expect(Date.parse(request?.expires ?? '') - Date.parse(request?.created ?? '')).toBe(3600_000);
    await popup.click('#tab-mine');
    await expect
      .poll(() => text(popup, '[data-testid="request-row"] [data-testid="status"]'), { timeout: 15_000 })
      .toBe('pending');
  });

  it('an approval made through the API reaches the open popup without a reload', async () => {
    const [request] = (await callApi(backend.url, 'GET', '/projects/100/join-requests', ADMIN)).json as {
      id: number;
    }[];
    const loaded = await popup.evaluate(() => performance.timeOrigin);
    const started = Date.now();
    const approved = await callApi(
      backend.url,
      'PUT',
      `/projects/100/join-requests/${request?.id}`,
      ADMIN,
      {},
    );
    expect(approved.status).toBe(202);
    await expect
      .poll(() => text(popup, '[data-testid="access-row"] [data-testid="status"]'), {
        timeout: 10_000,
        interval: 50,
      })
      .toBe('approved');
    console.log(`[e2e] Firefox: approval visible in the popup after ${Date.now() - started} ms`);
    // The same document: it was not reloaded to show it.
    expect(await popup.evaluate(() => performance.timeOrigin)).toBe(loaded);
    expect(await text(popup, '[data-testid="access-row"]')).toMatch(/Acme Main.*(59 min|1 h) left/);
    await popup.screenshot({ path: `${SCREENSHOTS}/firefox-popup-approved.png` });
  });

  it('joining where Auto Join is on shows in My access', async () => {
    await popup.click('#tab-access');
    await fill(popup, '#project', '101');
    await expect
      .poll(() => text(popup, '[data-testid="project-info"]'), { timeout: 15_000 })
      .toContain('Auto Join is on');
    await fill(popup, '#reason', 'SK-1001: export is stuck');
    await popup.click('input[name="duration"][value="4h"]');
    await popup.click('button.primary[type="submit"]');
    await expect
      .poll(() => text(popup, '[data-testid="access-result"]'), { timeout: 15_000 })
      .toContain('Joined Beta Sandbox');
    await popup.click('#tab-mine');
    const rows = () =>
      popup.evaluate(() =>
        [...document.querySelectorAll('[data-testid="access-row"]')].map((r) => r.textContent ?? ''),
      );
    await expect
      .poll(rows, { timeout: 15_000 })
      .toContainEqual(expect.stringMatching(/Beta Sandbox.*joined/));
    const joined = (await rows()).find((r) => r.includes('Beta Sandbox')) ?? '';
    expect(joined).toMatch(/(3 h 59 min|4 h) left/);
    await popup.screenshot({ path: `${SCREENSHOTS}/firefox-popup-my-access.png` });
  });

  it('no uncaught error in the extension’s pages or its background (and one would be seen)', async () => {
    expect(ff.errors()).toEqual([]);
    // The check itself: an error thrown in an extension page is in what Firefox printed.
    await popup.evaluate(() => {
      setTimeout(() => {
        throw new Error('sk-firefox-self-check');
      });
    });
    await expect.poll(() => ff.errors().join('\n'), { timeout: 10_000 }).toContain('sk-firefox-self-check');
    // And one in the background (Firefox runs it as an event page the popup can reach): an error
    // event on its global, as an uncaught error raises, made with the background's own constructors.
    await popup.evaluate(async () => {
      type Global = typeof globalThis;
      const ext = (
        globalThis as unknown as { browser: { runtime: { getBackgroundPage(): Promise<Global> } } }
      ).browser;
      const bg = await ext.runtime.getBackgroundPage();
      const error = new bg.Error('sk-firefox-background-self-check');
      bg.dispatchEvent(new bg.ErrorEvent('error', { error, message: error.message }));
    });
    await expect
      .poll(() => ff.errors().join('\n'), { timeout: 10_000 })
      .toMatch(/"background".*sk-firefox-background-self-check/);
  });
});
