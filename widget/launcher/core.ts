// The launcher: draws the Support button in a Shadow DOM without Preact, keeps options and event
// listeners, and loads the panel chunk on the first sign of intent (hover, focus, click, API call).
// Its one request before intent: at idle, the button's dot (pending join requests for a user whose
// role may decide them, tickets with an unread reply for everyone; users/pending.ts).
// Every byte here counts against the 2.5 KB gzip budget, hence the terse DOM code.
import type { Bridge, MountPanel, PanelHandle } from '../bridge.ts';
import { pickLocale } from '../common/locale.ts';
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
import { loadOrganizationSettings, loadUsersPanel } from '../users/load.ts';
import { fetchPendingCount } from '../users/pending.ts';
import { LAUNCHER_STRINGS } from './strings.ts';
import { LAUNCHER_CSS } from './styles.ts';

/**
 * Set by the panel while its outbox holds a ticket, so that after a reload the panel loads (idle) and
 * sends it. The panel writes it itself (the same literal in panel/models/outbox.ts).
 */
export const OUTBOX_FLAG = 'support-kit:outbox';

// Called without a receiver, which WebIDL treats as the window (as for `setTimeout`).
const idle = (run: () => void) => (self.requestIdleCallback || setTimeout)(run);

export type PanelLoader = () => Promise<{ mountPanel: MountPanel }>;

export function createSupportKit(load: PanelLoader): SupportKitApi {
  let options: SupportKitOptions | undefined;
  let host: HTMLElement | undefined;
  let root: ShadowRoot | undefined;
  let button: HTMLButtonElement | null = null;
  let label: HTMLElement | undefined;
  let panel: Promise<PanelHandle | undefined> | undefined;
  let pageFetch: typeof fetch | undefined;
  /** The dot's number (pending requests, unread replies), and the project it was counted for. */
  let pending = 0;
  let counted: number | undefined;
  let deferred: (() => void)[] = [];
  const listeners: Bridge['listeners'] = {};

  // Without a locale from the host, the browser's language (a Czech browser gets Czech).
  const locale = () => pickLocale(options?.locale);
  const strings = (): LauncherStrings => ({ ...LAUNCHER_STRINGS[locale()], ...options?.strings });

  function addStyles(css: string): void {
    if (!root) return;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets.push(sheet);
    } catch {
      // No constructable stylesheets (Safari < 16.4): a `<style>`, with the nonce a strict CSP needs.
      root.append(
        Object.assign(document.createElement('style'), { nonce: options?.nonce, textContent: css }),
      );
    }
  }

  const bridge = {
    options: () => options as SupportKitOptions,
    locale,
    launcherStrings: strings,
    addStyles,
    fetch: (...args: Parameters<typeof fetch>) => (pageFetch ?? fetch)(...args),
    listeners,
    setBadge(count: number) {
      pending = count;
      paint();
    },
  };

  /** Loads and mounts the panel once, then runs `run` on it; API calls made before `init` wait for it. */
  function withPanel(run?: (p: PanelHandle) => void): void {
    if (!options) {
      deferred.push(() => withPanel(run));
      return;
    }
    const shadow = root;
    // Busy while the panel loads for someone waiting on it (a click, an API call), not for a preload.
    if (run) button?.setAttribute('aria-busy', 'true');
    panel ||= load().then(
      // The root and button of the page's one widget, unless it was destroyed meanwhile.
      (m) => (shadow && shadow === root ? m.mountPanel({ ...bridge, root: shadow, button }) : undefined),
      // A chunk that did not load (offline, blocked): the next intent tries again. The browser's
      // console names the failed request itself (bytes: issue 20's badge took these).
      () => {
        panel = undefined;
        return undefined;
      },
    );
    panel.then((p) => {
      button?.removeAttribute('aria-busy');
      p && run?.(p);
    });
  }

  function applyLook(host: HTMLElement, o: SupportKitOptions): void {
    const t: ThemeOptions = typeof o.theme === 'string' ? { scheme: o.theme } : (o.theme ?? {});
    host.dataset.scheme = t.scheme ?? 'light';
    // Only bottom-left has a rule of its own (styles.ts); the right is the default.
    host.dataset.position = o.position ?? '';
    // Panels mounted in the page follow this and data-scheme (setLocale, setTheme): common/mount.ts.
    host.lang = locale();
    const px = (n?: number) => n && `${n}px`; // 0 stays 0, a valid length
    const vars = {
      accent: t.accent,
      'accent-text': t.accentText,
      radius: px(t.radius),
      font: t.font,
      'z-index': o.zIndex,
      'inset-x': px(o.offset?.x),
      'inset-y': px(o.offset?.y),
    };
    // CSSOM, not a style attribute: allowed under `style-src 'self'`. An empty value removes it.
    for (const [name, value] of Object.entries(vars))
      host.style.setProperty(`--support-kit-${name}`, `${value ?? ''}`);
    paint();
  }

  /**
   * The button's label and dot. The dot is CSS (`::after` showing `data-count`): its number is then
   * no visible text of the button, so the aria-label that says what it counts still contains all of
   * the button's visible text (WCAG 2.5.3, label in name).
   */
  function paint(): void {
    if (!button || !label) return;
    const s = strings();
    label.textContent = s.launcherLabel;
    if (pending) {
      button.dataset.count = `${pending}`;
      button.setAttribute(
        'aria-label',
        `${s.launcherLabel}, ${s.pendingRequests.replace('{count}', `${pending}`)}`,
      );
    } else {
      delete button.dataset.count;
      button.removeAttribute('aria-label');
    }
  }

  function drawButton(root: ShadowRoot): void {
    // No `type`: it has no form in the shadow root.
    const b = document.createElement('button');
    b.className = 'b';
    b.setAttribute('aria-expanded', 'false');
    b.setAttribute('aria-haspopup', 'dialog');
    // The icon (a speech bubble with a question mark) is the button's ::before: CSS costs fewer bytes
    // than an SVG built in code.
    label = document.createElement('span');
    b.append(label);
    const preload = () => withPanel();
    b.addEventListener('pointerenter', preload);
    b.addEventListener('focus', preload);
    b.addEventListener('click', () => withPanel((p) => p.toggle()));
    button = b;
    root.append(b);
  }

  /** Wraps the page's `fetch` (`catchFetchErrors`) or restores it; wraps once, however many inits. */
  function hookFetch(on?: boolean): void {
    if (!on === !pageFetch) return;
    if (pageFetch) {
      window.fetch = pageFetch;
      pageFetch = undefined;
      return;
    }
    const original = fetch;
    pageFetch = original;
    window.fetch = (...args: Parameters<typeof fetch>) =>
      original(...args).then((res) => {
        // The panel reads the body (an error report, maybe Keboola's) from a copy.
        if (res.status > 499) {
          const copy = res.clone();
          withPanel((p) => p.reportResponse(copy));
        }
        return res;
      });
  }

  const api: SupportKitApi = {
    init(next) {
      const first = !options;
      options = { ...options, ...next };
      if (first) {
        host = document.createElement('support-kit');
        root = host.attachShadow({ mode: 'open' });
        addStyles(LAUNCHER_CSS);
        if (options.showButton !== false) drawButton(root);
        const mount = () => {
          if (host) document.body.append(host);
          performance.mark('support-kit:drawn');
        };
        if (document.body) mount();
        else document.addEventListener('DOMContentLoaded', mount);
        // Off the critical path: a first localStorage read can take milliseconds.
        idle(() => {
          try {
            if (localStorage.getItem(OUTBOX_FLAG)) withPanel();
          } catch {}
        });
      }
      hookFetch(options.catchFetchErrors);
      applyLook(host as HTMLElement, options);
      const project = options.project?.id;
      // One request per project: its pending requests (for those who may decide) and unread replies.
      // A project removed later counts 0, which clears the dot.
      if (project !== counted) {
        counted = project;
        // After a destroy the options are gone: the call fails, resolves to 0 and paints nothing.
        idle(() =>
          fetchPendingCount({
            ...(options as SupportKitOptions),
            projectId: project,
            fetch: bridge.fetch,
          }).then(bridge.setBadge),
        );
      }
      if (!first) panel?.then((p) => p?.update());
      for (const run of deferred.splice(0)) run();
    },
    open: () => withPanel((p) => p.open()),
    close: () => panel?.then((p) => p?.close()),
    prefill: (data: PrefillData) => withPanel((p) => p.prefill(data)),
    reportError: (error: ErrorReport) => withPanel((p) => p.reportError(error)),
    contactButton(error?: ErrorReport) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'support-kit-contact';
      b.textContent = strings().contactSupport;
      b.addEventListener('click', () => withPanel((p) => p.open({ error })));
      return b;
    },
    on<K extends SupportKitEventName>(type: K, fn: Listener<K>) {
      listeners[type] ||= new Set();
      listeners[type].add(fn);
      return () => api.off(type, fn);
    },
    off<K extends SupportKitEventName>(type: K, fn: Listener<K>) {
      listeners[type]?.delete(fn);
    },
    // The users & access parts, on their own in a host page element: loaded on this first call.
    mountUsers: (el, o) =>
      loadUsersPanel().then((m) =>
        m.mountUsers(el, {
          ...o,
          // A panel mounted in the page is about the page's project: its count is the dot's.
          onPendingCount(n) {
            o.onPendingCount?.(n);
            bridge.setBadge(n);
          },
        }),
      ),
    mountOrganizationSettings: (el, o) =>
      loadOrganizationSettings().then((m) => m.mountOrganizationSettings(el, o)),
    // `init` merges into the options it has.
    setLocale: (locale: string) => options && api.init({ locale } as SupportKitOptions),
    setTheme: (theme: ColorScheme | ThemeOptions) => options && api.init({ theme } as SupportKitOptions),
    destroy() {
      panel?.then((p) => p?.destroy());
      hookFetch();
      host?.remove();
      options = host = root = label = panel = counted = undefined;
      pending = 0;
      button = null;
      deferred = [];
    },
  };
  return api;
}
