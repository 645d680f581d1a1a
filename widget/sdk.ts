// The one Support Kit instance of a page: the launcher with the panel chunk as its lazy part.
import { createSupportKit } from './launcher/core.ts';

export const kit = createSupportKit(() => import('./panel/index.tsx'));

export const init = kit.init;
export const open = kit.open;
export const close = kit.close;
export const prefill = kit.prefill;
export const reportError = kit.reportError;
export const contactButton = kit.contactButton;
export const on = kit.on;
export const off = kit.off;
export const mountUsers = kit.mountUsers;
export const mountOrganizationSettings = kit.mountOrganizationSettings;
export const setLocale = kit.setLocale;
export const setTheme = kit.setTheme;
export const destroy = kit.destroy;
