// What every rule runs with: the store, the clock, settings, and the signals raised by a change.
import type { Clock } from '../clock.ts';
import type { Store } from '../store/types.ts';
import type { MailLocale } from './mail-strings.ts';
import type { TokenHasher } from './token-hash.ts';

/**
 * Raised after a change commits: SSE streams wake for their user (named in `recipients`, or in the
 * audience of `project`, which each stream checks for its own user), the mail worker for the outbox.
 */
export type Signal =
  | {
      type: 'events';
      recipients: number[];
      project?: { id: number; audience: import('../store/schema.ts').EventAudience };
      /** A ticket's event: each stream checks whether its user may see the ticket (ticket-access.ts). */
      ticket?: { id: number };
      /**
       * Every stream re-reads from its cursor, whatever its user: sent by a bus across instances
       * after it lost notifications (its LISTEN connection came back).
       */
      all?: true;
    }
  | { type: 'outbox' };

export interface Bus {
  publish(signal: Signal): void;
  subscribe(listener: (signal: Signal) => void): () => void;
  /**
   * Only on a bus across instances (PostgreSQL's NOTIFY): sends a change's signals from inside its
   * transaction, so they go out to every instance (this one included) exactly when it commits and
   * never when it rolls back, even if this process dies right after the commit. `mutate` uses it
   * instead of `publish` when it is there.
   */
  publishInTx?(tx: Store, signals: readonly Signal[]): Promise<void>;
}

export function createBus(): Bus {
  const listeners = new Set<(signal: Signal) => void>();
  return {
    publish(signal) {
      for (const l of [...listeners]) l(signal);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface Ctx {
  store: Store;
  clock: Clock;
  bus: Bus;
  /** Where links in e-mails point, e.g. `http://127.0.0.1:4010`. */
  publicUrl: string;
  /** Where tickets go when the maintainer has no support address. */
  vendorSupportEmail: string;
  /** The language of every e-mail this backend writes (its option; there is no language per user). */
  mailLocale: MailLocale;
  /** SHA-256 hex of a token: tokens are stored and looked up only by their hash. */
  hashToken: TokenHasher;
  /** The domain of reply-by-e-mail addresses (absent: reply-address.ts's default). */
  replyDomain?: string;
  /** The key that signs reply addresses (absent: one made once and kept in the store). */
  replySecret?: string;
  /** How long the sweep keeps what is done with (absent: the defaults of RETENTION). */
  retention?: Partial<Retention>;
}

export interface Retention {
  /** Events older than this are deleted: the `Last-Event-ID` window (a client away longer misses them). */
  eventsSeconds: number;
  /** E-mails the SMTP server accepted this long ago are deleted from the outbox. */
  deliveredMailSeconds: number;
}
export const RETENTION: Retention = { eventsSeconds: 7 * 86_400, deliveredMailSeconds: 30 * 86_400 };

export function nowSec(ctx: Ctx): number {
  return Math.floor(ctx.clock.now() / 1000);
}

/**
 * The context of one change in progress: its store is the change's transaction, and the signals it
 * raises wait in `pending` (its own, never shared with another change) until the transaction commits.
 */
export interface TxCtx extends Ctx {
  pending: Signal[];
}

/**
 * Runs a change in one transaction and publishes its signals only after it committed. `fn` gets the
 * change's own context (name it `ctx` again, so everything inside reads and writes through the
 * transaction), made afresh for each attempt: PostgreSQL may run `fn` again after a serialization
 * failure, and a failed attempt's signals are dropped with it.
 */
export async function mutate<R>(ctx: Ctx, fn: (ctx: TxCtx) => Promise<R>): Promise<R> {
  let signals: Signal[] = [];
  const nested = isTxCtx(ctx);
  const inTx = nested ? undefined : ctx.bus.publishInTx?.bind(ctx.bus);
  const result = await ctx.store.transaction(async (tx) => {
    const inner: TxCtx = { ...ctx, store: tx, pending: [] };
    const value = await fn(inner);
    signals = inner.pending;
    if (inTx && signals.length) await inTx(tx, signals);
    return value;
  });
  // Inside another change (a savepoint): its signals wait for the outer one to commit.
  if (nested) ctx.pending.push(...signals);
  else if (!inTx) for (const s of signals) ctx.bus.publish(s);
  return result;
}

const isTxCtx = (ctx: Ctx): ctx is TxCtx => Array.isArray((ctx as Partial<TxCtx>).pending);

/**
 * For reads that must not see a change still in progress (it may yet roll back, and the ids it took
 * be given out again): the embedded stores' root reads can see one (one connection, no snapshot), so
 * they read in a transaction, which waits for it; PostgreSQL's root reads see only what committed.
 */
export function readCommitted<R>(ctx: Ctx, fn: (ctx: Ctx) => Promise<R>): Promise<R> {
  if (ctx.store.kind === 'postgres') return fn(ctx);
  return ctx.store.transaction((tx) => fn({ ...ctx, store: tx }));
}
