// Shared pieces of the real-browser tests: the mock backend in test mode, Debian's Chromium
// (plain or with the built extension loaded), screenshots and axe-core.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Fixture, OutboxMessage } from '../../api/types.ts';
import type { Flavor } from '../../mock-backend/app.ts';
import { demoServerOptions } from '../../mock-backend/demo/mount.ts';
import type { MailLocale } from '../../mock-backend/domain/mail-strings.ts';
import { demoFixture, startServer } from '../../mock-backend/server.ts';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'screenshots');

export interface TestBackend {
  url: string;
  close(): Promise<void>;
  /** Empty the store and load `fixture` (default: the demo data). */
  reset(fixture?: Fixture): Promise<void>;
  advanceClock(seconds: number): Promise<void>;
  outbox(): Promise<OutboxMessage[]>;
  /** The port of the inbound SMTP listener (replies by e-mail), when `inboundSmtp` asked for one. */
  smtpPort: number | null;
}

/**
 * The mock backend in test mode on a free loopback port, serving the demo app: on a memory store, or
 * on `db` (a PostgreSQL URL several backends may share).
 */
export async function startBackend(
  options: {
    staticDirs?: Record<string, string>;
    flavor?: Flavor;
    db?: string;
    mailLocale?: MailLocale;
    /** Also listen for replies by e-mail (SMTP) on a free loopback port. */
    inboundSmtp?: boolean;
    /** The webhook worker's pace (a test of retries makes them come within seconds). */
    webhookRetry?: { retryDelays?: readonly number[]; pollMs?: number };
  } = {},
): Promise<TestBackend> {
  const fixture = demoFixture();
  const demo = demoServerOptions(fixture);
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    db: options.db ?? ':memory:',
    testMode: true,
    mailbox: true,
    extraRoutes: demo.extraRoutes,
    staticDirs: { ...demo.staticDirs, ...options.staticDirs },
    ...(options.flavor ? { flavor: options.flavor } : {}),
    ...(options.mailLocale ? { mailLocale: options.mailLocale } : {}),
    ...(options.inboundSmtp ? { inboundSmtp: { port: 0 } } : {}),
    ...(options.webhookRetry ? { webhookRetry: options.webhookRetry } : {}),
  });
  const url = server.url;
  async function post(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  }
  return {
    url,
    smtpPort: server.inbound?.port ?? null,
    close: () => server.close(),
    reset: (other) => post('/__test__/reset', other ?? fixture),
    advanceClock: (seconds) => post('/__test__/clock', { advanceSeconds: seconds }),
    async outbox() {
      const res = await fetch(`${url}/__test__/outbox`);
      return (await res.json()) as OutboxMessage[];
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** Opens a page of the extension, e.g. `popup.html`. */
  page(path: string): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium with the built (unpacked) extension loaded, in a fresh profile. */
export async function launchWithExtension(dir = 'dist/extension'): Promise<ExtensionBrowser> {
  const extensionDir = resolve(ROOT, dir);
  const profile = mkdtempSync(join(tmpdir(), 'support-kit-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    async page(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path.replace(/^\//, '')}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves `screenshots/<name>.png` (git-ignored) for a person to look at. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page (open shadow roots included) and returns its violations. */
export async function axe(page: Page, include?: string): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async (selector) => {
    type AxeResult = { violations: AxeViolation[] };
    const w = window as unknown as {
      axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> };
    };
    const result = await w.axe.run(selector ?? document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })),
    }));
  }, include);
}

/** Saves a stack in the extension's options and waits until its token is verified; answers the page. */
export async function saveStack(ext: ExtensionBrowser, url: string, token: string): Promise<Page> {
  const options = await ext.page('extension/options.html');
  await options.getByLabel('Backend URL').fill(url);
  await options.getByLabel('Manage API token').fill(token);
  await options.getByRole('button', { name: 'Save and verify' }).click();
  await expect.poll(() => options.getByTestId('options-saved').textContent()).toContain('Sam Support');
  return options;
}

/** In the popup's "Get access" tab: a project, a reason and a duration, then "Get access". */
export async function getAccessInPopup(
  popup: Page,
  projectRef: string,
  reason: string,
  duration: string,
): Promise<Locator> {
  await popup.getByRole('tab', { name: 'Get access' }).click();
  await popup.getByLabel('Project', { exact: true }).fill(projectRef);
  await popup.getByTestId('project-info').waitFor();
  await popup.getByLabel('Reason', { exact: true }).fill(reason);
  await popup.getByText(duration, { exact: true }).click();
  await popup.getByRole('button', { name: /Get access/ }).click();
  return popup.getByTestId('access-result');
}
