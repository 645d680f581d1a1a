// Hooks of the users and organization views. They run on `@preact/signals-core`, like the support
// panel: no Preact integration package (1.7 KB gzip), one effect per view that re-renders it instead.
import { effect } from '@preact/signals-core';
import { useEffect, useState } from 'preact/hooks';
import type { Locale } from './locale.ts';
import type { Packs } from './packs.ts';

/** Re-renders the calling component whenever a signal that `read` reads changes. */
export function useSignals(read: () => unknown): void {
  const [, bump] = useState(0);
  // The first run also re-renders: a signal may have changed between the render and this effect.
  useEffect(
    () =>
      effect(() => {
        read();
        bump((n) => n + 1);
      }),
    [read],
  );
}

/** The strings of `locale`, merged with the host's overrides; undefined while the pack loads. */
export function usePack<T>(packs: Packs<T>, locale: Locale, overrides?: Partial<T>): T | undefined {
  const [, bump] = useState(0);
  const pack = packs.get(locale);
  useEffect(() => {
    if (!pack) packs.load(locale).then(() => bump((n) => n + 1));
  }, [locale, !pack]);
  return pack && { ...pack, ...overrides };
}
