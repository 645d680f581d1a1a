// The organization settings' public entry.
export type { OrganizationSettingsHandle, OrganizationSettingsOptions } from './panel.tsx';
export { mountOrganizationSettings, OrganizationSettings } from './panel.tsx';
export type { OrganizationStrings } from './strings.ts';
export { ORGANIZATION_STRINGS } from './strings.ts';
