// What every rule runs with: the store, the clock, settings, and the signals raised by a change.
import type { Clock } from '../clock.ts';
import type { Store } from '../store/types.ts';
import type { TokenHasher } from './token-hash.ts';

/** Raised after a change commits: SSE streams wake for their user, the mail worker for the outbox. */
/**
 * Raised after a change commits: SSE streams wake for their user (named in `recipients`, or in the
 * audience of `project`, which each stream checks for its own user), the mail worker for the outbox.
 */
export type Signal =
  | {
      type: 'events';
      recipients: number[];
      project?: { id: number; audience: import('../store/schema.ts').EventAudience };
    }
  | { type: 'outbox' };

export interface Bus {
  publish(signal: Signal): void;
  subscribe(listener: (signal: Signal) => void): () => void;
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
  /** SHA-256 hex of a token: tokens are stored and looked up only by their hash. */
  hashToken: TokenHasher;
  /** Signals of the transaction in progress; published only once it commits. */
  pending: Signal[];
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

/** Runs a change in one transaction and publishes its signals only after it committed. */
export function mutate<R>(ctx: Ctx, fn: () => R): R {
  ctx.pending = [];
  let result: R;
  try {
    result = ctx.store.transaction(fn);
  } catch (e) {
    ctx.pending = [];
    throw e;
  }
  const signals = ctx.pending;
  ctx.pending = [];
  for (const s of signals) ctx.bus.publish(s);
  return result;
}
