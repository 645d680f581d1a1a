// The users panel as a component (for the widget's own panel) and as `mountUsers` (for a host page
// element). Both create the model, load it, follow the live events and report the pending count.
import { effect } from '@preact/signals-core';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { usePack } from './hooks.ts';
import { createUsersModel, type LiveOptions, type UsersModel } from './model.ts';
import { USERS_STRINGS, type UsersStrings } from './strings.ts';
import { PANEL_CSS } from './styles.ts';
import { adopt, clientFor, mountInShadow, pickLocale, type TokenGetter } from './util.ts';
import { UsersView } from './view.tsx';

export interface UsersPanelOptions {
  /** Stack root, e.g. `https://connection.keboola.com`. */
  apiBaseUrl: string;
  /** A fixed Manage API token... */
  token?: string;
  /** ...or a function returning the current one (read on every request). */
  getToken?: TokenGetter;
  projectId: number;
  /** E-mail domains of support staff, for stacks whose project users carry no `kind` (see api/keboola.ts). */
  supportEmailDomains?: string[];
  /** `en` or `cs` (`cs-CZ` picks `cs`); default: the page's `lang`, then English. */
  locale?: string;
  /** Overrides any string of the active locale pack. */
  strings?: Partial<UsersStrings>;
  /** Called with the number of pending requests the signed-in user may decide, whenever it changes. */
  onPendingCount?(count: number): void;
  /** Follow the events stream (default true). */
  live?: boolean;
  /** Access history entries per page (default 20). */
  logPageSize?: number;
  /** CSP nonce for the `<style>` fallback where constructable stylesheets are missing. */
  nonce?: string;
  /** For tests and hosts that wrap `fetch`. */
  fetch?: typeof fetch;
  /** For tests: how live updates run (visibility, the events memory, poll and reconnect delays). */
  liveOptions?: Omit<LiveOptions, 'fetch'>;
  /**
   * The element whose `lang` and `data-scheme` the mounted panel follows (default: the page's
   * launcher, `<support-kit>`, so `setLocale` and `setTheme` reach it).
   */
  look?: HTMLElement;
}

export interface UsersHandle {
  destroy(): void;
  refresh(): Promise<void>;
}

const createModel = (o: UsersPanelOptions): UsersModel =>
  createUsersModel(clientFor(o), o.projectId, o.logPageSize);

/** Loads the model and keeps it live; returns the cleanup. */
function connect(model: UsersModel, o: UsersPanelOptions): () => void {
  model.refresh();
  const token = async () => (o.getToken ? await o.getToken() : o.token) || null;
  const stop =
    o.live === false
      ? undefined
      : model.live(token, { ...o.liveOptions, ...(o.fetch ? { fetch: o.fetch } : {}) });
  const report = effect(() => o.onPendingCount?.(model.pendingCount));
  return () => {
    stop?.();
    report();
  };
}

/** The view in the options' locale, once that locale's strings are here. */
function Localized({
  model,
  options,
  embedded,
}: {
  model: UsersModel;
  options: UsersPanelOptions;
  embedded?: boolean;
}) {
  const locale = pickLocale(options.locale);
  const s = usePack(USERS_STRINGS, locale, options.strings);
  return s ? <UsersView model={model} s={s} locale={locale} embedded={embedded} /> : null;
}

/**
 * The panel as a component, for the widget's dialog (which brings the title and padding); its styles
 * adopt themselves into the shadow root it renders in.
 */
export function UsersPanel({ options }: { options: UsersPanelOptions }) {
  const model = useMemo(() => createModel(options), [options.apiBaseUrl, options.projectId]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = ref.current?.getRootNode();
    const unstyle = root instanceof ShadowRoot ? adopt(root, PANEL_CSS, options.nonce) : undefined;
    const stop = connect(model, options);
    return () => {
      stop();
      unstyle?.();
    };
  }, [model]);
  return (
    <div ref={ref}>
      <Localized model={model} options={options} embedded />
    </div>
  );
}

/** Renders the panel into a shadow root on `el` (its own stylesheet; the page's CSS stays out). */
export function mountUsers(el: HTMLElement, options: UsersPanelOptions): UsersHandle {
  const model = createModel(options);
  const stop = connect(model, options);
  const unmount = mountInShadow(
    el,
    (locale) => <Localized model={model} options={locale ? { ...options, locale } : options} />,
    options.nonce,
    options.look,
  );
  return {
    destroy() {
      stop();
      unmount();
    },
    refresh: () => model.refresh(),
  };
}
