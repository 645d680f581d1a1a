// The launcher: draws the Support button in a Shadow DOM without Preact, keeps options and event
// listeners, and loads the panel chunk on the first sign of intent (hover, focus, click, API call).
// Every byte here counts against the 2.5 KB gzip budget, hence the terse DOM code.
import type { Bridge, MountPanel, PanelHandle } from '../bridge.ts';
import type { LauncherStrings } from '../strings/types.ts';
import type {
  ColorScheme,
  ErrorReport,
  Listener,
  PrefillData,
  SupportKitApi,
  SupportKitEventName,
  SupportKitOptions,
  ThemeOptions,
} from '../types.ts';
import { LAUNCHER_STRINGS, pickLocale } from './strings.ts';
import { LAUNCHER_CSS } from './styles.ts';

/** Set while the outbox holds a ticket, so that after a reload the panel loads (idle) and sends it. */
export const OUTBOX_FLAG = 'support-kit:outbox';

export type PanelLoader = () => Promise<{ mountPanel: MountPanel }>;

export function createSupportKit(load: PanelLoader): SupportKitApi {
  let options: SupportKitOptions | undefined;
  let host: HTMLElement | undefined;
  let root: ShadowRoot | undefined;
  let button: HTMLButtonElement | null = null;
  let label: HTMLElement | undefined;
  let badge: HTMLElement | undefined;
  let panel: Promise<PanelHandle | undefined> | undefined;
  let pageFetch: typeof fetch | undefined;
  let deferred: (() => void)[] = [];
  const listeners = new Map<string, Set<(payload: never) => void>>();

  const locale = () => pickLocale(options?.locale ?? document.documentElement.lang);
  const strings = (): LauncherStrings => ({ ...LAUNCHER_STRINGS[locale()], ...options?.strings });

  function addStyles(css: string): void {
    if (!root) return;
    if ('replaceSync' in CSSStyleSheet.prototype && root.adoptedStyleSheets) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    } else {
      const style = document.createElement('style');
      if (options?.nonce) style.nonce = options.nonce;
      style.textContent = css;
      root.append(style);
    }
  }

  const bridge: Bridge = {
    get root() {
      return root as ShadowRoot;
    },
    get button() {
      return button;
    },
    options: () => options as SupportKitOptions,
    locale,
    launcherStrings: strings,
    addStyles,
    fetch: (...args) => (pageFetch ?? fetch)(...args),
    emit(type, payload) {
      for (const fn of listeners.get(type) ?? []) {
        try {
          (fn as (p: typeof payload) => void)(payload);
        } catch (e) {
          console.error('[SupportKit]', e);
        }
      }
    },
    setExpanded: (open) => button?.setAttribute('aria-expanded', String(open)),
    setBadge(count) {
      if (!badge) return;
      badge.hidden = count < 1;
      badge.textContent = String(count);
    },
    setOutboxPending(pending) {
      try {
        if (pending) localStorage.setItem(OUTBOX_FLAG, '1');
        else localStorage.removeItem(OUTBOX_FLAG);
      } catch {}
    },
  };

  function withPanel(run?: (p: PanelHandle) => void): void {
    const shadow = root;
    panel ||= load().then(
      (m) => (shadow && shadow === root ? m.mountPanel(bridge) : undefined),
      (e) => {
        panel = undefined;
        console.error('[SupportKit]', e);
        return undefined;
      },
    );
    panel.then((p) => p && run?.(p));
  }

  function applyLook(): void {
    if (!host || !options) return;
    const o = options;
    const t: ThemeOptions = typeof o.theme === 'string' ? { scheme: o.theme } : (o.theme ?? {});
    host.dataset.scheme = t.scheme ?? 'light';
    host.dataset.position = o.position ?? 'bottom-right';
    const px = (n: number | undefined) => (n === undefined ? undefined : `${n}px`);
    const vars: [string, string | number | undefined][] = [
      ['accent', t.accent],
      ['accent-text', t.accentText],
      ['radius', px(t.radius)],
      ['font', t.font],
      ['z-index', o.zIndex],
      ['inset-x', px(o.offset?.x)],
      ['inset-y', px(o.offset?.y)],
    ];
    // CSSOM, not a style attribute: allowed under `style-src 'self'`.
    for (const [name, value] of vars) {
      if (value === undefined) host.style.removeProperty(`--support-kit-${name}`);
      else host.style.setProperty(`--support-kit-${name}`, String(value));
    }
    if (label) label.textContent = strings().launcherLabel;
  }

  function drawButton(): void {
    if (!root) return;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'b';
    b.setAttribute('aria-expanded', 'false');
    b.setAttribute('aria-haspopup', 'dialog');
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M3 3h18v14H9l-6 5z');
    svg.append(path);
    label = document.createElement('span');
    badge = document.createElement('span');
    badge.className = 'd';
    badge.hidden = true;
    b.append(svg, label, badge);
    const preload = () => withPanel();
    b.addEventListener('pointerenter', preload);
    b.addEventListener('focus', preload);
    b.addEventListener('click', () => withPanel((p) => p.toggle()));
    button = b;
    root.append(b);
  }

  function hookFetch(): void {
    if (pageFetch || !options?.catchFetchErrors) return;
    const original = fetch;
    pageFetch = original;
    window.fetch = (...args: Parameters<typeof fetch>) =>
      original(...args).then((res) => {
        if (res.status >= 500) {
          const report = (body?: unknown) =>
            api.reportError({
              ...(typeof body === 'object' && body ? body : {}),
              status: res.status,
              url: res.url,
            });
          res
            .clone()
            .json()
            .then(report, () => report());
        }
        return res;
      });
  }

  function unhookFetch(): void {
    if (pageFetch) window.fetch = pageFetch;
    pageFetch = undefined;
  }

  /** API calls made before `init` wait for it. */
  function ready(run: () => void): void {
    if (options) run();
    else deferred.push(run);
  }

  const api: SupportKitApi = {
    init(next) {
      const first = !options;
      options = { ...options, ...next };
      if (first) {
        host = document.createElement('support-kit');
        root = host.attachShadow({ mode: 'open' });
        addStyles(LAUNCHER_CSS);
        if (options.showButton !== false) drawButton();
        const mount = () => {
          if (host) document.body.append(host);
          performance.mark?.('support-kit:drawn');
        };
        if (document.body) mount();
        else document.addEventListener('DOMContentLoaded', mount, { once: true });
        // Off the critical path: a first localStorage read can take milliseconds.
        setTimeout(() => {
          try {
            if (localStorage.getItem(OUTBOX_FLAG)) withPanel();
          } catch {}
        }, 1000);
      }
      if (options.catchFetchErrors) hookFetch();
      else unhookFetch();
      applyLook();
      if (!first) panel?.then((p) => p?.update());
      const waiting = deferred;
      deferred = [];
      for (const run of waiting) run();
    },
    open: () => ready(() => withPanel((p) => p.open())),
    close: () => panel?.then((p) => p?.close()),
    prefill: (data: PrefillData) => ready(() => withPanel((p) => p.prefill(data))),
    reportError: (error: ErrorReport) => ready(() => withPanel((p) => p.reportError(error))),
    contactButton(error?: ErrorReport) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'support-kit-contact';
      b.textContent = strings().contactSupport;
      b.addEventListener('click', () => ready(() => withPanel((p) => p.open({ error }))));
      return b;
    },
    on<K extends SupportKitEventName>(type: K, fn: Listener<K>) {
      let set = listeners.get(type);
      if (!set) {
        set = new Set();
        listeners.set(type, set);
      }
      set.add(fn);
      return () => api.off(type, fn);
    },
    off<K extends SupportKitEventName>(type: K, fn: Listener<K>) {
      listeners.get(type)?.delete(fn);
    },
    setLocale: (locale: string) => options && api.init({ ...options, locale }),
    setTheme: (theme: ColorScheme | ThemeOptions) => options && api.init({ ...options, theme }),
    destroy() {
      panel?.then((p) => p?.destroy());
      unhookFetch();
      host?.remove();
      options = host = root = label = badge = panel = undefined;
      button = null;
      deferred = [];
    },
  };
  return api;
}
