// What a person meets (issue 21), in real Chromium: names as the browser's accessibility tree gives
// them (not the DOM), what support and maintainer members are offered, the non-text contrast of error
// borders and confirmation dialogs in the dark theme, where focus goes when a confirmation closes, and
// the room the demo page leaves for the launcher. Screenshots go to screenshots/meets-*.png.
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callApi } from '../api-call.ts';
import {
  getAccessInPopup,
  launchBrowser,
  launchWithExtension,
  ROOT,
  saveStack,
  shot,
  startBackend,
  type TestBackend,
} from './harness.ts';

const ADMIN = 'demo-admin-token';
const SUPPORT = 'demo-support-token';
const MAINTAINER = 'demo-maintainer-token';
const SAM = 1006;

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

async function api(method: string, path: string, token: string, body?: unknown): Promise<unknown> {
  const { status, json } = await callApi(backend.url, method, path, token, body);
  if (status >= 400) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json)}`);
  return json;
}

/** Sam gets in as a support member of Acme Main (an admin role, approved by Alice); Mark then asks. */
async function samMemberMarkAsks(): Promise<void> {
  const sam = (await api('POST', '/projects/100/request-access', SUPPORT, {
    reason: 'SK-1002: the nightly orders pipeline fails',
    expirationSeconds: 3600,
  })) as { id: number };
  await api('PUT', `/projects/100/join-requests/${sam.id}`, ADMIN, {});
  await api('POST', '/projects/100/request-access', MAINTAINER, {
    reason: 'SK-1003: the transformation times out',
    expirationSeconds: 4 * 3600,
  });
}

async function asUser(userId: number, options: Parameters<Browser['newContext']>[0] = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 760 }, ...options });
  await context.addCookies([{ name: 'sk_demo_user', value: String(userId), url: backend.url }]);
  return context;
}

interface AxNode {
  role: string;
  name: string;
}

/** Every node of the page's accessibility tree as Chromium computes it (shadow roots included). */
async function axTree(page: Page): Promise<AxNode[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    type Raw = { ignored?: boolean; role?: { value?: unknown }; name?: { value?: unknown } };
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Raw[] };
    return nodes
      .filter((n) => !n.ignored)
      .map((n) => ({ role: String(n.role?.value ?? ''), name: String(n.name?.value ?? '') }));
  } finally {
    await cdp.detach();
  }
}

const names = async (page: Page, role: string) =>
  (await axTree(page)).filter((n) => n.role === role).map((n) => n.name);

/**
 * Generated content (`::before`/`::after` with text) that would become part of an accessible name:
 * any without an empty alternative (`content: "…" / ""`) whose element has no aria-label of its own.
 * Looks through every open shadow root.
 */
async function leakingGeneratedContent(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) visit(el.shadowRoot);
        for (const pseudo of ['::before', '::after']) {
          const content = getComputedStyle(el, pseudo).content;
          if (content === 'none' || content === 'normal' || content === '""') continue;
          // `"?" / ""`: the text shows, its alternative (what goes into names) is empty.
          if (/\/\s*""\s*$/.test(content)) continue;
          if (el.closest('[aria-label]')) continue;
          found.push(`${el.tagName.toLowerCase()}.${el.className}${pseudo}: ${content}`);
        }
      }
    };
    visit(document);
    return found;
  });
}

describe('names from the accessibility tree', () => {
  it('names the launcher exactly its label, without the icon; label and count with the dot', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 760 } });
    const page = await context.newPage();
    for (const [locale, label] of [
      ['en', 'Support'],
      ['cs', 'Podpora'],
    ] as const) {
      await page.goto(`${backend.url}/pages/widget-normal.html?locale=${locale}`);
      await page.locator('support-kit button.b').waitFor();
      const buttons = await names(page, 'button');
      expect(buttons).toContain(label);
      expect(buttons.filter((n) => n.includes(label))).toEqual([label]);
    }
    // A pending request: the dot, and the name says what it counts.
    await api('POST', '/projects/100/request-access', SUPPORT, { reason: 'SK-1', expirationSeconds: 3600 });
    for (const [locale, named] of [
      ['en', 'Support, 1 new'],
      ['cs', 'Podpora, nové: 1'],
    ] as const) {
      await page.goto(`${backend.url}/pages/widget-normal.html?users&locale=${locale}`);
      await page.locator('support-kit button.b[data-count="1"]').waitFor();
      const buttons = await names(page, 'button');
      expect(buttons).toContain(named);
      expect(buttons.filter((n) => /Support|Podpora/.test(n) && !/Contact|Kontakt/.test(n))).toEqual([named]);
    }
    expect(await leakingGeneratedContent(page)).toEqual([]);
    await context.close();
  });

  it('leaks no generated content into names in the menu, the users panel (octopus badge), the Auto Join switch or the extension', async () => {
    await samMemberMarkAsks();
    const context = await asUser(1000);
    const page = await context.newPage();
    await page.goto(`${backend.url}/admin/projects/100`);
    await page.locator('support-kit button.b').click();
    await page.getByRole('dialog').waitFor();
    const links = await names(page, 'link');
    expect(links).toContain('Documentation (opens in a new tab)');
    expect(links).toContain('Status page (opens in a new tab)');
    expect(await names(page, 'button')).toContain('Contact support Ask a question or report a problem');
    expect(await leakingGeneratedContent(page)).toEqual([]);

    await page.goto(`${backend.url}/admin/projects/100/users`);
    await page.locator('#users-root .row.pend').first().waitFor();
    // The octopus is drawn (an SVG, hidden) and the badge is named by its label alone.
    const images = await names(page, 'image');
    expect(images.length + (await names(page, 'img')).length).toBeGreaterThan(0);
    expect([...images, ...(await names(page, 'img'))]).toContain('Support user');
    expect((await names(page, 'button')).filter((n) => n.startsWith('Remove'))).toContain(
      'Remove Sam Support from the project',
    );
    expect(await leakingGeneratedContent(page)).toEqual([]);

    await page.goto(`${backend.url}/admin/organizations/10`);
    await page.locator('#org-root [role=switch]').waitFor();
    const switches = await names(page, 'switch');
    expect(switches).toEqual(['Auto Join for support and the maintainer']);
    expect(await leakingGeneratedContent(page)).toEqual([]);
    await context.close();

    const ext = await launchWithExtension();
    try {
      const options = await saveStack(ext, backend.url, SUPPORT);
      expect(await leakingGeneratedContent(options)).toEqual([]);
      const popup = await ext.page('extension/popup.html');
      await popup.getByTestId('identity').waitFor();
      expect(await leakingGeneratedContent(popup)).toEqual([]);
      expect(await names(popup, 'button')).toContain('Options');
    } finally {
      await ext.close();
    }
  });
});

describe('Czech', () => {
  it('the demo menu speaks Czech in a Czech browser: its documentation and status items too', async () => {
    const context = await asUser(1000, { locale: 'cs-CZ' });
    const page = await context.newPage();
    await page.goto(`${backend.url}/admin/projects/100`);
    await page.locator('support-kit button.b').click();
    await page.getByRole('dialog').waitFor();
    const links = await names(page, 'link');
    expect(links).toEqual(
      expect.arrayContaining([
        'Dokumentace (otevře se v nové kartě)',
        'Stav služby (otevře se v nové kartě)',
      ]),
    );
    const text = await page.locator('support-kit .menu').textContent();
    expect(text).not.toMatch(/Documentation|Status page/);
    await shot(page, 'meets-cs-menu');
    await context.close();
  });
});

describe('support and maintainer members see what a guest sees', () => {
  it('the users panel offers Sam Support no deciding, removing or inviting, and says who decides', async () => {
    await samMemberMarkAsks();
    const context = await asUser(SAM);
    const page = await context.newPage();
    await page.goto(`${backend.url}/admin/projects/100/users`);
    const mark = page.locator('#users-root .row.pend', { hasText: 'Mark Maintainer' });
    await mark.waitFor();
    await expect.poll(() => mark.textContent()).toContain("the project's own admin and share members decide");
    for (const name of [/^Approve access for Mark/, /^Reject the request of Mark/])
      expect(await mark.getByRole('button', { name }).isDisabled()).toBe(true);
    expect(
      await page
        .locator('#users-root')
        .getByRole('button', { name: /^Remove/ })
        .count(),
    ).toBe(0);
    expect(await page.locator('#users-root form').count()).toBe(0);
    await shot(page, 'meets-users-support-member');
    await context.close();
  });

  it('the organization panel shows a support member of the organization its state, but no switch', async () => {
    await api('POST', '/organizations/11/join-organization', SUPPORT);
    const context = await asUser(SAM);
    const page = await context.newPage();
    await page.goto(`${backend.url}/admin/organizations/11`);
    await page.locator('#org-root .note').waitFor();
    expect(await page.locator('#org-root .sk').textContent()).toContain(
      "Support and maintainer users cannot change this, even as members of Beta Corp: the organization's own users decide.",
    );
    expect(await page.locator('#org-root .sk').textContent()).toMatch(/On: support and the maintainer/);
    expect(await page.locator('#org-root [role=switch]').count()).toBe(0);
    expect(await names(page, 'switch')).toEqual([]);
    await shot(page, 'meets-org-support-member');
    await context.close();
  });
});

// ---- Contrast (WCAG 2.x relative luminance; 1.4.11 asks 3:1 for the boundaries of controls) ----

type Rgba = [number, number, number, number];

/** `rgb(…)`, `rgba(…)` or `color(srgb …)` as Chromium computes it, in 0–255 with alpha 0–1. */
function parseColor(css: string): Rgba {
  const srgb = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/.exec(css);
  if (srgb) {
    const [r, g, b] = [srgb[1], srgb[2], srgb[3]].map((x) => Number(x) * 255) as [number, number, number];
    return [r, g, b, srgb[4] === undefined ? 1 : Number(srgb[4])];
  }
  const m = /^rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:[,/] ?([\d.]+))?\)$/.exec(css);
  if (!m) throw new Error(`unknown colour ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

/** `top` painted over an opaque `below`. */
const over = (top: Rgba, below: Rgba): Rgba => [
  top[0] * top[3] + below[0] * (1 - top[3]),
  top[1] * top[3] + below[1] * (1 - top[3]),
  top[2] * top[3] + below[2] * (1 - top[3]),
  1,
];

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

interface Box {
  border: string;
  borderWidth: number;
  fill: string;
  /** The opaque colour around the element (its ancestors' backgrounds, composited). */
  around: string;
  /** The modal backdrop painted over the page around it, when there is one. */
  backdrop?: string;
}

/** Colours of `locator`'s element: its border, its fill, and what is painted around it. */
async function boxOf(locator: Locator, backdrop?: { selector?: string; pseudo?: boolean }): Promise<Box> {
  return locator.evaluate((el, o) => {
    const style = getComputedStyle(el);
    // The first ancestor background that is not transparent, crossing shadow boundaries.
    let p: Element | null = el.parentElement ?? (el.getRootNode() as ShadowRoot).host ?? null;
    let around = 'rgb(255, 255, 255)';
    while (p) {
      const bg = getComputedStyle(p).backgroundColor;
      if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') {
        around = bg;
        break;
      }
      const next: Element | null = p.parentElement ?? ((p.getRootNode() as ShadowRoot).host || null);
      p = next === p ? null : next;
    }
    let drop: string | undefined;
    if (o?.pseudo) drop = getComputedStyle(el, '::backdrop').backgroundColor;
    else if (o?.selector) {
      const b = el.closest(o.selector);
      if (b) drop = getComputedStyle(b).backgroundColor;
    }
    return {
      border: style.borderTopColor,
      borderWidth: Number.parseFloat(style.borderTopWidth),
      fill: style.backgroundColor,
      around,
      backdrop: drop,
    };
  }, backdrop ?? null);
}

/**
 * How well a control's edge stands out: from what is around it to its border, or from the border to
 * its fill, whichever is seen better (a border that blends in leaves the fill to show the edge).
 */
function edgeContrast(b: Box, pageBehind?: string): number {
  const base = parseColor(pageBehind ?? b.around);
  const outside = b.backdrop ? over(parseColor(b.backdrop), base) : base;
  const fill = over(parseColor(b.fill), outside);
  if (b.borderWidth < 1) return contrast(outside, fill);
  const border = over(parseColor(b.border), outside);
  return Math.max(contrast(outside, border), contrast(border, fill));
}

/** An error border against the field's own fill and against what is around the field. */
function errorBorderContrast(b: Box): number {
  const around = parseColor(b.around);
  const border = over(parseColor(b.border), around);
  const fill = over(parseColor(b.fill), around);
  return Math.min(contrast(border, fill), contrast(border, around));
}

describe('dark theme: non-text contrast of error borders and confirmation edges (3:1)', () => {
  it('the ticket form and the invitation form mark errors with a border of 3:1', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${backend.url}/pages/widget-normal.html?theme=dark&users&mount`);
    await page.locator('support-kit button.b').click();
    await page.getByRole('button', { name: /Contact support/ }).click();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const invalid = page.locator('support-kit [aria-invalid=true]');
    await invalid.first().waitFor();
    for (const field of await invalid.all()) {
      const ratio = errorBorderContrast(await boxOf(field));
      expect(ratio, `ticket field: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(3);
    }
    await page.keyboard.press('Escape');

    // The invitation form: an address that is already a member is refused, the field marked.
    const email = page.locator('#users-root input[type=email]');
    await email.fill('gary@acme.test');
    await page.locator('#users-root form button[type=submit]').click();
    await page.locator('#users-root input[aria-invalid=true]').waitFor();
    const ratio = errorBorderContrast(await boxOf(email));
    expect(ratio, `invitation e-mail: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(3);
    // An error border: in the colour of the error it goes with, not the field's usual grey.
    const error = await page.locator('#users-root .err').evaluate((e) => getComputedStyle(e).color);
    expect((await boxOf(email)).border).toBe(error);
    await shot(page, 'meets-dark-invalid');
    await context.close();
  });

  it('the users panel confirmation stands out from the dimmed page, light page or dark', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${backend.url}/pages/widget-normal.html?theme=dark&users&mount`);
    await page
      .locator('#users-root')
      .getByRole('button', { name: 'Remove Gary Guest from the project' })
      .click();
    const dialog = page.locator('#users-root .dlg');
    await dialog.waitFor();
    for (const host of ['rgb(255, 255, 255)', 'rgb(18, 18, 18)']) {
      const ratio = edgeContrast(await boxOf(dialog, { selector: '.back' }), host);
      expect(ratio, `dialog edge over ${host}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(3);
    }
    await page.addStyleTag({ content: 'html,body{background:#121212}' });
    await shot(page, 'meets-dark-confirm');
    await context.close();
  });

  it('the extension confirmation (Leave) and its invalid field, light and dark', async () => {
    const ext = await launchWithExtension();
    try {
      await saveStack(ext, backend.url, SUPPORT);
      const popup = await ext.page('extension/popup.html');
      await popup.setViewportSize({ width: 380, height: 600 });
      await popup.getByTestId('identity').waitFor();
      await (await getAccessInPopup(popup, '101', 'SK-1001: export is stuck', '1 h')).waitFor();
      for (const scheme of ['light', 'dark'] as const) {
        await popup.emulateMedia({ colorScheme: scheme });
        await popup.getByRole('tab', { name: /Get access/ }).click();
        await popup.getByLabel('Project', { exact: true }).fill('nope nope');
        const field = popup.locator('[aria-invalid=true]');
        await field.waitFor();
        const invalid = errorBorderContrast(await boxOf(field));
        expect(invalid, `${scheme} invalid project: ${invalid.toFixed(2)}`).toBeGreaterThanOrEqual(3);
        await popup.getByLabel('Project', { exact: true }).fill('');

        await popup.getByRole('tab', { name: /My access/ }).click();
        await popup.getByRole('button', { name: 'Leave project Beta Sandbox' }).click();
        const dialog = popup.locator('dialog.confirm');
        await dialog.waitFor();
        const body = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const ratio = edgeContrast(await boxOf(dialog, { pseudo: true }), body);
        expect(ratio, `${scheme} Leave dialog edge: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(3);
        await shot(popup, `meets-extension-${scheme}-confirm`);
        await dialog.getByRole('button', { name: 'Keep' }).click();
      }
    } finally {
      await ext.close();
    }
  });
});

/** The focused element, looking into shadow roots, and whether it shows a focus ring. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return {
      name: el?.getAttribute('aria-label') ?? el?.textContent ?? '',
      ring: !!el?.matches(':focus-visible'),
    };
  });

describe('focus after a confirmation closes', () => {
  async function usersPage(context: BrowserContext) {
    const page = await context.newPage();
    await page.goto(`${backend.url}/pages/widget-normal.html?users&mount`);
    await page
      .locator('#users-root')
      .getByRole('button', { name: 'Remove Gary Guest from the project' })
      .waitFor();
    return page;
  }
  const remove = (page: Page, who: string) =>
    page.locator('#users-root').getByRole('button', { name: `Remove ${who} from the project` });

  it('returns to the button that asked: no ring after a pointer, a ring after a key', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await usersPage(context);
    await remove(page, 'Gary Guest').click();
    await page.locator('#users-root .dlg').getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => focused(page))
      .toEqual({ name: 'Remove Gary Guest from the project', ring: false });

    await remove(page, 'Gary Guest').focus();
    await page.keyboard.press('Enter');
    await page.locator('#users-root .dlg').waitFor();
    await page.keyboard.press('Escape');
    await expect
      .poll(() => focused(page))
      .toEqual({ name: 'Remove Gary Guest from the project', ring: true });
    await context.close();
  });

  it('goes to the opener, not to another destructive button that happened to hold focus', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await usersPage(context);
    // Focus on Rita's Remove (from the keyboard), then Gary's Remove is activated without taking
    // focus, as a click does in Safari.
    await remove(page, 'Rita Reader').focus();
    await remove(page, 'Gary Guest').evaluate((b) => (b as HTMLButtonElement).click());
    await page.locator('#users-root .dlg').getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => focused(page))
      .toEqual({ name: 'Remove Gary Guest from the project', ring: false });
    await context.close();
  });

  it('in the extension, Keep returns to Leave without a ring after a pointer', async () => {
    const ext = await launchWithExtension();
    try {
      await saveStack(ext, backend.url, SUPPORT);
      const popup = await ext.page('extension/popup.html');
      await popup.getByTestId('identity').waitFor();
      await (await getAccessInPopup(popup, '101', 'SK-1001: export is stuck', '1 h')).waitFor();
      await popup.getByRole('tab', { name: /My access/ }).click();
      await popup.getByRole('button', { name: 'Leave project Beta Sandbox' }).click();
      await popup.locator('dialog.confirm').getByRole('button', { name: 'Keep' }).click();
      await expect.poll(() => focused(popup)).toEqual({ name: 'Leave project Beta Sandbox', ring: false });
    } finally {
      await ext.close();
    }
  });
});

describe('the demo page leaves room for the launcher', () => {
  it.each([
    [1280, 800],
    [375, 740],
  ])('at %i px, scrolled to the end, the content ends above the launcher', async (width, height) => {
    await samMemberMarkAsks();
    const context = await asUser(1000, { viewport: { width, height } });
    const page = await context.newPage();
    for (const path of ['/admin/projects/100/users', '/admin/projects/100', '/admin/organizations/10']) {
      await page.goto(`${backend.url}${path}`);
      await page.waitForLoadState('load');
      await page.waitForTimeout(600);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForTimeout(100);
      const launcher = await page.locator('support-kit button.b').boundingBox();
      // The last piece of content in the page's main column (the panels, the failing-job button…).
      const end = await page.evaluate(() => {
        const main = document.getElementById('main');
        const kids = main ? [...main.children].filter((c) => c.getBoundingClientRect().height > 0) : [];
        return Math.max(...kids.map((c) => c.getBoundingClientRect().bottom));
      });
      expect(launcher, path).not.toBeNull();
      expect(
        end,
        `${path} at ${width}px: content ends at ${end}, launcher starts at ${launcher?.y}`,
      ).toBeLessThanOrEqual((launcher?.y ?? 0) - 4);
    }
    await shot(page, `meets-room-${width}`);
    await context.close();
  });
});
