// The Auto Join setting as a component and as `mountOrganizationSettings` for a host page element.
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { usePack } from '../common/hooks.ts';
import { pickLocale } from '../common/locale.ts';
import { adopt, clientFor, mountInShadow } from '../common/mount.ts';
import { createPacks } from '../common/packs.ts';
import { PANEL_CSS } from '../common/panel-styles.ts';
import type { OrganizationSettingsHandle, OrganizationSettingsOptions } from '../types.ts';
import { createOrganizationModel, type OrganizationModel } from './model.ts';
import { en } from './strings.ts';
import { OrganizationView } from './view.tsx';

/** English at once, Czech once its chunk has arrived. */
const ORGANIZATION_STRINGS = createPacks(en, () => import('./strings-cs.ts'));

const createModel = (o: OrganizationSettingsOptions): OrganizationModel =>
  createOrganizationModel(clientFor(o), o.organizationId);

/** The view in the options' locale, once that locale's strings are here. */
function Localized({ model, options }: { model: OrganizationModel; options: OrganizationSettingsOptions }) {
  const locale = pickLocale(options.locale);
  const s = usePack(ORGANIZATION_STRINGS, locale, options.strings);
  return s ? <OrganizationView model={model} s={s} locale={locale} /> : null;
}

export function OrganizationSettings({ options }: { options: OrganizationSettingsOptions }) {
  const model = useMemo(() => createModel(options), [options.apiBaseUrl, options.organizationId]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = ref.current?.getRootNode();
    model.refresh();
    return root instanceof ShadowRoot ? adopt(root, PANEL_CSS, options.nonce) : undefined;
  }, [model]);
  return (
    <div ref={ref}>
      <Localized model={model} options={options} />
    </div>
  );
}

/** Renders the Auto Join setting into a shadow root on `el`. */
export function mountOrganizationSettings(
  el: HTMLElement,
  options: OrganizationSettingsOptions,
): OrganizationSettingsHandle {
  const model = createModel(options);
  model.refresh();
  const unmount = mountInShadow(
    el,
    (locale) => <Localized model={model} options={locale ? { ...options, locale } : options} />,
    options.nonce,
    options.look,
  );
  return { destroy: unmount, refresh: () => model.refresh() };
}
