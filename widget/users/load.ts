// Lazy doors for the widget's launcher and menu: import these statically, and the panels' code (and
// Preact) is fetched only when called.
export const loadUsersPanel = () => import('./panel.tsx');
export const loadOrganizationSettings = () => import('../org/panel.tsx');
