// Mounting the users and organization parts: their client from the connection options, their
// stylesheet adopted into a shadow root, and rendering into a host page element.
import type { ComponentChild } from 'preact';
import { render } from 'preact';
import { createPanelClient, type PanelClient } from '../../api/core-client.ts';
import { serverClock } from '../../api/server-time.ts';
import type { TokenGetter } from '../types.ts';
import { HOST_CSS, PANEL_CSS } from './panel-styles.ts';

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

/** The client of a users or organization part, from the connection options both take. */
export const clientFor = (o: {
  apiBaseUrl: string;
  token?: string;
  getToken?: TokenGetter;
  fetch?: typeof fetch;
  supportEmailDomains?: string[];
}): PanelClient =>
  createPanelClient({
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
