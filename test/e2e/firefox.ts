// Firefox for the e2e tests: FIREFOX_PATH, else Debian's Firefox ESR (/usr/bin/firefox-esr), installed
// with apt when it is missing and we are root (as Chromium is). Driven by puppeteer-core over WebDriver
// BiDi (no geckodriver), with the built extension installed as a temporary add-on.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

// Not harness.ts's ROOT: the e2e global setup imports this file, and harness.ts imports vitest.
const ROOT = resolve(import.meta.dirname, '../..');

export function firefoxPath(): string {
  return process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
}

export function ensureFirefox(): string {
  const path = firefoxPath();
  if (existsSync(path)) return path;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || process.env.FIREFOX_PATH) {
    throw new Error(
      `Firefox not found at ${path}. Install Debian's Firefox ESR (sudo apt-get install -y firefox-esr) or set FIREFOX_PATH.`,
    );
  }
  console.log('[e2e] Firefox missing: installing Debian package "firefox-esr" with apt (about a minute)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'firefox-esr'], { stdio: 'inherit', env });
  if (!existsSync(path)) throw new Error(`apt installed firefox-esr but ${path} is still missing`);
  return path;
}

/** The add-on's id (manifest.json's gecko id) and the fixed UUID its pages get in this Firefox. */
const ADDON_ID = 'support-kit@support-kit.dev';
export const EXTENSION_UUID = '5f0c6a52-2b7e-4d38-9a51-7c2f1e9b0d43';

export interface FirefoxExtension {
  browser: Browser;
  /** `moz-extension://<uuid>` */
  origin: string;
  /** Opens a page of the extension and waits until its document has loaded. */
  page(path: string): Promise<Page>;
  /** Lines Firefox printed that tell of an error in the extension's pages or its background. */
  errors(): string[];
  close(): Promise<void>;
}

/**
 * Firefox ESR, headless, with `dir` installed as a temporary add-on. Extension pages send puppeteer no
 * navigation or console events, so pages are waited on by their content, and errors are read from
 * Firefox's own output: content consoles go to stdout (`devtools.console.stdout.content`), uncaught
 * errors of any script as "JavaScript error: <url>".
 */
export async function launchFirefoxWithExtension(dir = 'dist/extension-firefox'): Promise<FirefoxExtension> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    // Without it Firefox refuses to navigate a tab to a moz-extension:// page over BiDi.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: EXTENSION_UUID }),
      'devtools.console.stdout.content': true,
      // A slow shared machine: no "script terminated by timeout" in the middle of a test.
      'dom.max_script_run_time': 0,
      'dom.max_chrome_script_run_time': 0,
      // Quiet and offline: nothing of Mozilla's own services in the output.
      'browser.newtabpage.enabled': false,
      'browser.startup.page': 0,
      'services.settings.server': 'http://127.0.0.1:9/',
      'extensions.webcompat.enable_interventions': false,
      'browser.topsites.contile.enabled': false,
      'browser.newtabpage.activity-stream.feeds.topsites': false,
      'browser.newtabpage.activity-stream.feeds.system.topstories': false,
    },
  });
  const origin = `moz-extension://${EXTENSION_UUID}`;
  const lines: string[] = [];
  let partial = '';
  const read = (chunk: Buffer | string) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  };
  // Read both streams to the end: a pipe nobody reads would stall Firefox once full.
  browser.process()?.stdout?.on('data', read);
  browser.process()?.stderr?.on('data', read);
  await browser.installExtension(resolve(ROOT, dir));
  return {
    browser,
    origin,
    async page(path) {
      const page = await browser.newPage();
      const url = `${origin}/${path.replace(/^\//, '')}`;
      // No load event reaches puppeteer from an extension page: the navigation is started, not awaited.
      void page.goto(url, { timeout: 60_000 }).catch(() => {});
      // Polled with evaluate: puppeteer's own waiting builds functions, which the extension's CSP forbids.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ready = await page.evaluate(() => `${location.href} ${document.readyState}`).catch(() => '');
        if (ready === `${url} complete`) break;
        if (Date.now() > deadline) throw new Error(`${url} did not load (last: ${ready})`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return page;
    },
    errors() {
      return lines.filter(
        (l) =>
          (l.includes(origin) && /JavaScript error|uncaught|console\.error/i.test(l)) ||
          l.includes('[support-kit]'),
      );
    },
    async close() {
      await browser.close();
    },
  };
}
