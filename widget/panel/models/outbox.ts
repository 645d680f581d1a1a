// Tickets that could not be sent (offline, timeout, 5xx) wait here, in IndexedDB, and are retried
// with their original Idempotency-Key until the server answers: so each is created exactly once.
import { signal } from '@preact/signals-core';
import type { ApiResult } from '../../../api/client.ts';
import type { CreateTicketBody, Ticket } from '../../../api/types.ts';
import { classify, isQueueable, type WidgetError } from '../errors.ts';
import type { OutboxItem, WidgetStorage } from '../storage.ts';

export interface OutboxDeps {
  storage: WidgetStorage;
  send(body: CreateTicketBody, key: string): Promise<ApiResult<Ticket>>;
  onDelivered(ticket: Ticket, item: OutboxItem): void;
  /** The server refused the ticket for good (e.g. 403): it leaves the outbox. */
  onRefused(item: OutboxItem, error: WidgetError): void;
  onPendingChange(pending: boolean): void;
  /** First retry delay in ms; doubles up to 30 s. */
  retryMs?: number;
}

export function createOutbox(deps: OutboxDeps) {
  const items = signal<OutboxItem[]>([]);
  const firstDelay = deps.retryMs ?? 2000;
  let delay = firstDelay;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> | undefined;
  let destroyed = false;

  async function save(next: OutboxItem[]): Promise<void> {
    items.value = next;
    deps.onPendingChange(next.length > 0);
    await deps.storage.saveOutbox(next);
  }

  function schedule(ms: number): void {
    clearTimeout(timer);
    if (!destroyed && items.value.length) timer = setTimeout(() => void flush(), ms);
  }

  async function sendAll(): Promise<void> {
    if (!navigator.onLine) return schedule(30_000); // the `online` event flushes sooner
    for (const item of items.value) {
      const result = await deps.send(item.body, item.key);
      if (result.data) {
        await save(items.value.filter((i) => i.key !== item.key));
        deps.onDelivered(result.data, item);
        continue;
      }
      const error = classify(result.error);
      if (isQueueable(error.code)) {
        delay = Math.min(delay * 2, 30_000);
        schedule(delay);
        return;
      }
      await save(items.value.filter((i) => i.key !== item.key));
      deps.onRefused(item, error);
    }
    delay = firstDelay;
  }

  /** Sends what is waiting, one at a time; concurrent calls share one run. */
  function flush(): Promise<void> {
    clearTimeout(timer);
    flushing ??= sendAll().finally(() => {
      flushing = undefined;
    });
    return flushing;
  }

  const onOnline = () => void flush();
  addEventListener('online', onOnline);

  return {
    get items() {
      return items.value;
    },
    get count() {
      return items.value.length;
    },
    /** Reads what a previous page left behind and tries to send it. */
    async load(): Promise<void> {
      const stored = await deps.storage.loadOutbox();
      const known = new Set(items.value.map((i) => i.key));
      items.value = [...items.value, ...stored.filter((i) => !known.has(i.key))];
      deps.onPendingChange(items.value.length > 0);
      if (items.value.length) void flush();
    },
    async enqueue(item: OutboxItem): Promise<void> {
      await save([...items.value, item]);
      delay = firstDelay;
      schedule(delay);
    },
    flush,
    destroy(): void {
      destroyed = true;
      clearTimeout(timer);
      removeEventListener('online', onOnline);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
