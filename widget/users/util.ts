// Small helpers shared by the users and organization panels: locale, placeholders, times, error text,
// and adopting a stylesheet into a shadow root.
import type { ComponentChild } from 'preact';
import { render } from 'preact';
import { type Client, createClient } from '../../api/client.ts';
import type { ApiError } from '../../api/errors.ts';
import { serverClock } from '../../api/server-time.ts';
import { parseTimestamp as parseTime } from '../../api/time.ts';
import { format as fmt } from '../shared/format.ts';
import type { Locale } from '../types.ts';
import { HOST_CSS, PANEL_CSS } from './styles.ts';

/** The widget's one locale type (../types.ts), for the users and organization parts. */
export type { Locale };
/** Fills `{name}` placeholders (one helper for all parts). The result is rendered as text. */
export { fmt };

/** `cs`, `cs-CZ` → `cs`; anything else → `en`. Without a tag, the browser's language. */
export const pickLocale = (tag: string | undefined): Locale =>
  /^cs\b/i.test(tag ?? (typeof navigator === 'object' ? navigator.language : '')) ? 'cs' : 'en';

export interface Packs<T> {
  /** The pack of `locale` if it is here (English always is). */
  get(locale: Locale): T | undefined;
  /** Resolves once the pack of `locale` is here: only the active locale is ever loaded. */
  load(locale: Locale): Promise<T>;
}

/** Locale packs: English bundled, Czech a lazily loaded chunk. */
export function createPacks<T>(en: T, cs: () => Promise<T>): Packs<T> {
  const have: Partial<Record<Locale, T>> = { en };
  return {
    get: (locale) => have[locale],
    load: async (locale) => {
      have[locale] ??= await cs();
      return have[locale];
    },
  };
}

/** The server's time now (from its responses' `Date`): what every countdown counts from. */
export const serverNow = (): number => serverClock.now();

/**
 * "in 2 days", "3 hours ago"; to the second in the last minute ("in 27 seconds"), with whole seconds
 * rounded up as the extension's countdown does, so both show the same number.
 */
export function relative(t: string, locale: Locale, now = serverNow()): string {
  const raw = (parseTime(t) - now) / 1000;
  const sec = raw > 0 && raw < 60 ? Math.ceil(raw) : raw;
  const abs = Math.abs(sec);
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    abs < 60
      ? [sec, 'second']
      : abs < 3600
        ? [sec / 60, 'minute']
        : abs < 86400
          ? [sec / 3600, 'hour']
          : [sec / 86400, 'day'];
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.round(value), unit);
}

/** The exact local time, for `title` and screen readers; with `seconds` for the access history. */
export const exact = (t: string, locale: Locale, seconds?: boolean): string =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' }).format(
    parseTime(t),
  );

export interface ErrorTexts {
  errorNetwork: string;
  errorTimeout: string;
  errorNoToken: string;
  errorUnknown: string;
}

/** The server's own message when it sent one; otherwise ours for the failure kind. */
export function errorText(e: ApiError, s: ErrorTexts): string {
  if (e.kind === 'http') return e.errors[0]?.message ?? e.message;
  if (e.kind === 'network' || e.kind === 'aborted') return s.errorNetwork;
  if (e.kind === 'timeout') return s.errorTimeout;
  if (e.kind === 'noToken') return s.errorNoToken;
  return fmt(s.errorUnknown, { message: e.message });
}

const adopted = new WeakMap<ShadowRoot, Map<string, { n: number; undo(): void }>>();

/**
 * Adopts `css` into `root` (a constructable stylesheet, or a nonce'd `<style>` where those are missing)
 * once, however many panels share the root; the returned undo removes it with the last of them.
 */
export function adopt(root: ShadowRoot, css: string, nonce?: string): () => void {
  const all = adopted.get(root) ?? new Map<string, { n: number; undo(): void }>();
  adopted.set(root, all);
  let entry = all.get(css);
  if (!entry) {
    let undo: () => void;
    if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      undo = () => {
        root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
      };
    } else {
      const style = document.createElement('style');
      if (nonce) style.nonce = nonce;
      style.textContent = css;
      root.append(style);
      undo = () => style.remove();
    }
    entry = { n: 0, undo };
    all.set(css, entry);
  }
  const e = entry;
  e.n++;
  let once = false;
  return () => {
    if (once) return;
    once = true;
    if (--e.n > 0) return;
    e.undo();
    all.delete(css);
  };
}

export type TokenGetter = () => string | null | undefined | Promise<string | null | undefined>;

/** The client of a users or organization part, from the connection options both take. */
export const clientFor = (o: {
  apiBaseUrl: string;
  token?: string;
  getToken?: TokenGetter;
  fetch?: typeof fetch;
  supportEmailDomains?: string[];
}): Client =>
  createClient({
    baseUrl: o.apiBaseUrl,
    token: o.token,
    getToken: o.getToken,
    fetch: serverClock.wrap(o.fetch ?? ((input, init) => fetch(input, init))),
    supportEmailDomains: o.supportEmailDomains,
  });

/**
 * Renders `node(locale)` into a shadow root on the host page's `el` with the parts' own stylesheet (the
 * page's CSS stays out); returns the cleanup that removes both. With `look` (the launcher's element),
 * the panel follows its `lang` and `data-scheme`; without it, the page's launcher's: `setLocale` and `setTheme` reach mounted panels too.
 */
export function mountInShadow(
  el: HTMLElement,
  node: (locale?: string) => ComponentChild,
  nonce?: string,
  look = document.querySelector<HTMLElement>('support-kit') ?? undefined,
): () => void {
  const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
  const unstyle = adopt(root, HOST_CSS + PANEL_CSS, nonce);
  const box = document.createElement('div');
  root.append(box);
  const scheme = () => {
    const v = look?.dataset.scheme;
    if (v) el.dataset.scheme = v;
  };
  scheme();
  render(node(), box);
  const watch =
    look &&
    new MutationObserver((changes) => {
      scheme();
      if (changes.some((c) => c.attributeName === 'lang' && c.oldValue !== look.lang))
        render(node(look.lang), box);
    });
  watch?.observe(look as HTMLElement, {
    attributes: true,
    attributeOldValue: true,
    attributeFilter: ['lang', 'data-scheme'],
  });
  return () => {
    watch?.disconnect();
    render(null, box);
    box.remove();
    unstyle();
  };
}
