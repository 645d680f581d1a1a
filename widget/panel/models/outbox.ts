// Tickets and replies that could not be sent (offline, timeout, 5xx) wait here, in IndexedDB, and are retried
// with their original Idempotency-Key until the server answers: so each is created exactly once. Each
// names the backend and user it was queued by, and is sent only with that user's token: while someone
// else is signed in it waits (and they do not see it).
import { signal } from '@preact/signals-core';
import type { ApiResult } from '../../../api/client.ts';
import type { CreateTicketBody, PostMessageBody, Ticket, TicketMessage } from '../../../api/types.ts';
import { classify, isQueueable, type WidgetError } from '../errors.ts';
import type { OutboxItem, WidgetStorage } from '../storage.ts';
import { type Identity, owns } from './identity.ts';

/** Who is signed in right now, and a send bound to that very token. */
export interface OutboxSession {
  identity: Identity;
  send(body: CreateTicketBody, key: string): Promise<ApiResult<Ticket>>;
  /** A reply in a ticket's thread (issue 20), as this user. */
  reply(ticketId: number, body: PostMessageBody, key: string): Promise<ApiResult<TicketMessage>>;
}

export interface OutboxDeps {
  storage: WidgetStorage;
  /** Resolved afresh before each run: null when nobody is signed in. */
  session(): Promise<OutboxSession | null>;
  /** Who the page shows things to now (count, items): null while unknown. */
  identity(): Identity | null;
  /** The ticket created, or the reply posted (`item.ticketId` set). */
  onDelivered(result: Ticket | TicketMessage, item: OutboxItem): void;
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

  /** This user's items: the only ones shown, retried or sent. */
  const mine = () => items.value.filter((i) => owns(deps.identity(), i));

  function schedule(ms: number): void {
    clearTimeout(timer);
    // Another user's tickets do not keep a timer: they wait until that user is signed in again.
    if (!destroyed && mine().length) timer = setTimeout(() => void flush(), ms);
  }

  async function sendAll(): Promise<void> {
    if (!navigator.onLine) return schedule(30_000); // the `online` event flushes sooner
    const session = await deps.session();
    if (!session) return;
    for (const item of items.value) {
      if (!owns(session.identity, item)) continue;
      const result = await (item.ticketId !== undefined
        ? session.reply(item.ticketId, item.body, item.key)
        : session.send(item.body, item.key));
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
    /** The signed-in user's queued tickets (nobody else's). */
    get items() {
      return mine();
    },
    get count() {
      return mine().length;
    },
    /** Anything queued, by anyone: worth asking who is signed in now. */
    get pending() {
      return items.value.length > 0;
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
