// Small view helpers: live Dexie queries (updated across popup, side panel and worker) and a ticking clock.
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';
import { reportError } from '../errors.ts';

/** Result of a Dexie query, re-run whenever the tables it read change; undefined until first result. */
export function useLive<T>(query: () => Promise<T>, deps: unknown[] = []): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const sub = liveQuery(query).subscribe({
      next: setValue,
      error: (e: unknown) => reportError(e, 'liveQuery'),
    });
    return () => sub.unsubscribe();
  }, deps);
  return value;
}

/** The current time, updated every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
