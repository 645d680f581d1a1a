// The Auto Join setting as a component and as `mountOrganizationSettings` for a host page element.
import { render } from 'preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { createClient } from '../../api/client.ts';
import { usePack } from '../users/hooks.ts';
import { HOST_CSS, PANEL_CSS } from '../users/styles.ts';
import { adopt, pickLocale, type TokenGetter } from '../users/util.ts';
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
}

export interface OrganizationSettingsHandle {
  destroy(): void;
  refresh(): Promise<void>;
}

function createModel(o: OrganizationSettingsOptions): OrganizationModel {
  const client = createClient({
    baseUrl: o.apiBaseUrl,
    token: o.token,
    getToken: o.getToken,
    fetch: o.fetch,
  });
  return createOrganizationModel(client, o.organizationId);
}

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
  const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
  const unstyle = adopt(root, HOST_CSS + PANEL_CSS, options.nonce);
  const box = document.createElement('div');
  root.append(box);
  const model = createModel(options);
  model.refresh();
  render(<Localized model={model} options={options} />, box);
  return {
    destroy() {
      render(null, box);
      box.remove();
      unstyle();
    },
    refresh: () => model.refresh(),
  };
}
