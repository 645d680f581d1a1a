// The script-tag entry (dist/widget/support-kit.js): installs `window.SupportKit` and replays the
// calls the snippet queued before this file arrived. It has no imports or exports left after the
// build, so it runs as a classic script as well as a module.
import { createSupportKit } from './launcher/core.ts';
import type { SupportKitApi } from './types.ts';

type Command = keyof SupportKitApi;
type Global = ((command: Command, ...args: unknown[]) => unknown) &
  Partial<SupportKitApi> & { q?: ArrayLike<unknown>[]; loaded?: boolean };

performance.mark?.('support-kit:start');

const w = window as unknown as { SupportKit?: Global };
const queued = w.SupportKit;
if (!queued?.loaded) {
  const kit = createSupportKit(() => import('./panel/index.tsx'));
  const call = (command: Command, ...args: unknown[]): unknown => {
    const method = kit[command] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof method === 'function') return method(...args);
    console.warn('[SupportKit] unknown command', command);
  };
  w.SupportKit = Object.assign(call, kit, { loaded: true });
  for (const args of Array.from(queued?.q ?? [])) call(...(Array.from(args) as [Command, ...unknown[]]));
}
