// The users panel's public entry. The widget's launcher should import only `./pending.ts` and
// `./load.ts` statically; everything else arrives in a lazily loaded chunk.
export type { UsersHandle, UsersPanelOptions } from './panel.tsx';
export { mountUsers, UsersPanel } from './panel.tsx';
export type { PendingCountOptions } from './pending.ts';
export { fetchPendingCount } from './pending.ts';
export type { UsersStrings } from './strings.ts';
export { USERS_STRINGS } from './strings.ts';
