// The Auto Join setting as a component and as `mountOrganizationSettings` for a host page element.
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { usePack } from '../users/hooks.ts';
import { PANEL_CSS } from '../users/styles.ts';
import { adopt, clientFor, mountInShadow, pickLocale, type TokenGetter } from '../users/util.ts';
import { createOrganizationModel, type OrganizationModel } from './model.ts';
import { ORGANIZATION_STRINGS, type OrganizationStrings } from './strings.ts';
import { OrganizationView } from './view.tsx';

export interface OrganizationSettingsOptions {
  apiBaseUrl: string;
  token?: string;
  getToken?: TokenGetter;
  organizationId: number;
  /** `en` or `cs`; default: the page's `lang`, then English. */
  locale?: string;
  strings?: Partial<OrganizationStrings>;
  nonce?: string;
  fetch?: typeof fetch;
  /**
   * The element whose `lang` and `data-scheme` the mounted panel follows (default: the page's
   * launcher, `<support-kit>`, so `setLocale` and `setTheme` reach it).
   */
  look?: HTMLElement;
}

export interface OrganizationSettingsHandle {
  destroy(): void;
  refresh(): Promise<void>;
}

const createModel = (o: OrganizationSettingsOptions): OrganizationModel =>
  createOrganizationModel(clientFor(o), o.organizationId);

/** The view in the options' locale, once that locale's strings are here. */
function Localized({ model, options }: { model: OrganizationModel; options: OrganizationSettingsOptions }) {
  const s = usePack(ORGANIZATION_STRINGS, pickLocale(options.locale), options.strings);
  return s ? <OrganizationView model={model} s={s} /> : null;
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
