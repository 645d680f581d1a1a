// The users panel as a component (for the widget's own panel) and as `mountUsers` (for a host page
// element). Both create the model, load it, follow the live events and report the pending count.
import { effect } from '@preact/signals-core';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { usePack } from '../common/hooks.ts';
import { pickLocale } from '../common/locale.ts';
import { adopt, clientFor, mountInShadow } from '../common/mount.ts';
import { createPacks } from '../common/packs.ts';
import { PANEL_CSS } from '../common/panel-styles.ts';
import type { UsersHandle, UsersPanelOptions } from '../types.ts';
import { createUsersModel, type UsersModel } from './model.ts';
import { en } from './strings.ts';
import { UsersView } from './view.tsx';

/** English at once, Czech once its chunk has arrived. */
const USERS_STRINGS = createPacks(en, () => import('./strings-cs.ts'));

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
