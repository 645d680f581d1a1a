// The domain's Bus across instances: a signal published on one instance wakes the SSE streams and
// the mail worker of every instance, through PostgreSQL's NOTIFY on one channel and one LISTEN
// connection per bus. Payloads carry ids only (who to wake), never event contents: streams read
// those from the tables, so a lost notification costs latency, never data.
import type { Bus, Signal } from '../domain/context.ts';
import { type PostgresStore, transactionSql } from './postgres.ts';
import type { EventAudience } from './schema.ts';
import type { Store } from './types.ts';

export const BUS_CHANNEL = 'support_kit';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
export const MAX_PAYLOAD_BYTES = 7999;

/**
 * "Wake every stream": delivered to local listeners after the LISTEN connection came back, since
 * notifications sent while it was down are gone. A stream that gets it re-reads the table from its
 * last id whatever its user.
 */
export const WAKE_ALL: Signal = { type: 'events', recipients: [], all: true };
export function isWakeAll(signal: Signal): boolean {
  return signal.type === 'events' && signal.all === true;
}

export interface PostgresBus extends Bus {
  /**
   * NOTIFY from inside the committing transaction: delivered to every instance (this one too,
   * through LISTEN) exactly when it commits, and never if it rolls back. Use this or `publish`
   * after the commit for a signal, not both.
   */
  publishInTx(tx: Store, signals: readonly Signal[]): Promise<void>;
  /** Times the LISTEN connection came back after a loss (each one woke every local listener). */
  reconnects(): number;
  /** Stops listening (the store's pool stays open). */
  close(): Promise<void>;
}

interface Payload {
  /** The publishing bus, so it skips its own echo; absent when it must reach itself too. */
  o?: string;
  s: Signal;
}

/** The payloads for a signal, its recipients split so that each stays under the NOTIFY limit. */
export function encodeSignal(signal: Signal, origin?: string): string[] {
  const encode = (s: Signal) => JSON.stringify(origin === undefined ? { s } : { o: origin, s });
  const whole = encode(signal);
  if (Buffer.byteLength(whole) <= MAX_PAYLOAD_BYTES || signal.type !== 'events') return [whole];
  const out: string[] = [];
  // Ids are ASCII: each adds its digits and a comma. The project (if any) goes with the first part.
  let project = signal.project;
  let chunk: number[] = [];
  const flush = () => {
    out.push(
      encode(
        project ? { type: 'events', recipients: chunk, project } : { type: 'events', recipients: chunk },
      ),
    );
    project = undefined;
    chunk = [];
  };
  let size = Buffer.byteLength(encode({ type: 'events', recipients: [], ...(project ? { project } : {}) }));
  for (const id of signal.recipients) {
    const add = String(id).length + (chunk.length ? 1 : 0);
    if (chunk.length && size + add > MAX_PAYLOAD_BYTES) {
      flush();
      size = Buffer.byteLength(encode({ type: 'events', recipients: [] }));
    }
    chunk.push(id);
    size += String(id).length + (chunk.length > 1 ? 1 : 0);
  }
  if (chunk.length || project) flush();
  return out;
}

/** The parts of one signal in one statement: sent together (one transaction), in order. */
const NOTIFY_ALL = 'SELECT pg_notify($1, p) FROM jsonb_array_elements_text($2::text::jsonb) AS p';

const AUDIENCES: readonly EventAudience[] = ['members', 'deciders'];
const isId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);

/** A payload from the channel, or undefined when it is not one of ours. */
export function decodePayload(text: string): Payload | undefined {
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof p !== 'object' || p === null) return undefined;
  const { o, s } = p as { o?: unknown; s?: unknown };
  if (o !== undefined && typeof o !== 'string') return undefined;
  if (typeof s !== 'object' || s === null) return undefined;
  const sig = s as {
    type?: unknown;
    recipients?: unknown;
    project?: unknown;
    ticket?: unknown;
    all?: unknown;
  };
  if (sig.type === 'outbox') return { ...(o === undefined ? {} : { o }), s: { type: 'outbox' } };
  if (sig.type !== 'events' || !Array.isArray(sig.recipients) || !sig.recipients.every(isId))
    return undefined;
  const signal: Signal = { type: 'events', recipients: sig.recipients };
  if (sig.project !== undefined) {
    const pr = sig.project as { id?: unknown; audience?: unknown } | null;
    if (!pr || !isId(pr.id) || !AUDIENCES.includes(pr.audience as EventAudience)) return undefined;
    signal.project = { id: pr.id, audience: pr.audience as EventAudience };
  }
  if (sig.ticket !== undefined) {
    const tk = sig.ticket as { id?: unknown } | null;
    if (!tk || !isId(tk.id)) return undefined;
    signal.ticket = { id: tk.id };
  }
  if (sig.all === true) signal.all = true;
  return { ...(o === undefined ? {} : { o }), s: signal };
}

/**
 * Listens on BUS_CHANNEL through the store's pool (the client keeps one connection for LISTEN and
 * re-listens after losing it). Answers once LISTEN is in place, so no signal sent after is missed.
 * `publish` delivers to this instance's listeners at once and to the others by NOTIFY.
 */
export async function createPostgresBus(store: PostgresStore): Promise<PostgresBus> {
  const sql = store.sql;
  const origin = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const listeners = new Set<(signal: Signal) => void>();
  let listens = 0;
  let closed = false;

  const deliver = (signal: Signal) => {
    for (const l of [...listeners]) {
      try {
        l(signal);
      } catch (e) {
        console.error('[bus] a listener failed:', e);
      }
    }
  };

  const listening = await sql.listen(
    BUS_CHANNEL,
    (text) => {
      if (closed) return;
      const p = decodePayload(text);
      if (!p) return console.warn(`[bus] ignored a notification on ${BUS_CHANNEL} that is not a signal`);
      if (p.o === origin) return; // our own publish(), already delivered locally
      deliver(p.s);
    },
    () => {
      // Called on the first LISTEN and again after each reconnect: what was sent meanwhile is lost.
      listens++;
      if (listens > 1 && !closed) {
        deliver(WAKE_ALL);
        deliver({ type: 'outbox' });
      }
    },
  );

  const notify = (payloads: string[]) =>
    sql
      .unsafe(NOTIFY_ALL, [BUS_CHANNEL, JSON.stringify(payloads)])
      .catch((e: unknown) =>
        console.error('[bus] NOTIFY failed (other instances learn of it at their next read):', e),
      );

  // No origin: the LISTEN connection brings the signals back to this instance's streams too, once
  // the transaction committed.
  const publishInTx = async (tx: Store, signals: readonly Signal[]) => {
    const t = transactionSql(tx);
    if (!t)
      throw new Error(
        'publishInTx() needs the store a transaction hands you (store.transaction(async (tx) => …))',
      );
    await t.unsafe(NOTIFY_ALL, [BUS_CHANNEL, JSON.stringify(signals.flatMap((s) => encodeSignal(s)))]);
  };

  return {
    publish(signal) {
      deliver(signal);
      void notify(encodeSignal(signal, origin));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publishInTx,
    reconnects: () => Math.max(0, listens - 1),
    async close() {
      closed = true;
      listeners.clear();
      await listening.unlisten();
    },
  };
}
