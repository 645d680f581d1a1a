// The script-tag entry (dist/widget/support-kit.js): installs `window.SupportKit` and replays the
// calls the snippet queued before this file arrived. It has no imports or exports left after the
// build, so it runs as a classic script as well as a module.
import { createSupportKit } from './launcher/core.ts';
import type { SupportKitApi } from './types.ts';

type Command = keyof SupportKitApi;
type Global = ((command: Command, ...args: unknown[]) => unknown) &
  Partial<SupportKitApi> & {
    q?: Iterable<unknown>[] | { push(args: Iterable<unknown>): unknown };
    loaded?: boolean;
  };

performance.mark('support-kit:start');

const w = window as unknown as { SupportKit?: Global };
const queued = w.SupportKit;
if (!queued?.loaded) {
  const kit = createSupportKit(() => import('./panel/index.tsx'));
  const call = (command: Command, ...args: unknown[]): unknown => {
    const method = kit[command] as ((...a: unknown[]) => unknown) | undefined;
    // Debug logging: dropped from the production build.
    if (import.meta.env.DEV && !method) console.warn('[SupportKit] unknown command', command);
    return method?.(...args);
  };
  // A host that kept a reference to the snippet's stub still pushes onto `SupportKit.q` after we
  // arrive: that push now runs the command at once.
  w.SupportKit = Object.assign(call, kit, {
    loaded: true,
    q: { push: (args: Iterable<unknown>) => call(...(args as [Command])) },
  });
  // The snippet queues `arguments` objects, which are iterable.
  for (const args of (queued?.q ?? []) as Iterable<unknown>[]) call(...(args as [Command]));
}
