// The async Store over a synchronous, in-process engine (memory.ts, sqlite.ts). Each call runs at once
// and returns a settled promise; what the engine cannot do alone is keep transactions apart while
// their callbacks await, so this adds, as types.ts describes:
// - a queue: one top-level transaction at a time, FIFO; a write on the root store while one is open
//   waits its turn (it would otherwise land inside that transaction, or in its undo log);
// - savepoints: `tx.transaction` nests on the engine's stack and never waits on the queue (it would
//   wait for its own parent: a deadlock). Nested transactions of one handle run one after another;
// - guards against a missing `await`: a handle used after its transaction ended, a write through a
//   parent while its savepoint is open, or a transaction ending with a savepoint still open, each
//   throws instead of writing to the wrong transaction.
// Reads on the root store never wait: they see the engine as it is (one process, one writer at a time).

import type { ReadKey, ReadName, ReadRow } from './reads.ts';
import type { TableName, Tables } from './schema.ts';
import type { Filter, FindOptions, NewRow, Store } from './types.ts';

/** What an embedded store does synchronously. */
export interface SyncEngine {
  readonly kind: 'memory' | 'sqlite';
  insert<T extends TableName>(table: T, row: NewRow<T>): number;
  get<T extends TableName>(table: T, id: number): Tables[T] | undefined;
  find<T extends TableName>(table: T, filter: Filter<T>, options?: FindOptions<T>): Tables[T][];
  getMany<T extends TableName>(table: T, ids: readonly number[]): Map<number, Tables[T]>;
  joined<K extends ReadName>(name: K, key: ReadKey<K>): ReadRow<K>[];
  first<T extends TableName>(table: T, filter: Filter<T>): Tables[T] | undefined;
  count<T extends TableName>(table: T, filter: Filter<T>): number;
  update<T extends TableName>(table: T, id: number, patch: Partial<Tables[T]>): void;
  updateIf<T extends TableName>(
    table: T,
    id: number,
    expected: Partial<Tables[T]>,
    patch: Partial<Tables[T]>,
  ): boolean;
  delete<T extends TableName>(table: T, id: number): void;
  findDue<T extends TableName>(
    table: T,
    column: keyof Tables[T] & string,
    upTo: number,
    filter?: Filter<T>,
    limit?: number,
  ): Tables[T][];
  deleteMany<T extends TableName>(table: T, ids: readonly number[]): void;
  isEmpty(): boolean;
  clear(): void;
  close(): void;
  /** Opens a transaction, or a savepoint inside the open one (a stack). */
  begin(): void;
  /** Keeps what the innermost open level did. */
  commit(): void;
  /** Undoes what the innermost open level did, and closes it. */
  rollback(): void;
}

function settled<R>(run: () => R): Promise<R> {
  try {
    return Promise.resolve(run());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** The error a misused transaction handle gives: always a missing `await` somewhere. */
export class TransactionMisuseError extends Error {
  override readonly name = 'TransactionMisuseError';
}

export function embed(engine: SyncEngine): Store {
  // The queue of top-level transactions (and root writes that came while one was open).
  let running = false;
  const queue: (() => void)[] = [];
  /** The open levels, outermost first: only the innermost may write. */
  const open: Handle[] = [];

  function exclusive<R>(job: () => Promise<R>): Promise<R> {
    const run = (): Promise<R> => {
      let done: Promise<R>;
      try {
        done = job();
      } catch (e) {
        done = Promise.reject(e);
      }
      return done.finally(() => {
        const next = queue.shift();
        if (next) next();
        else running = false;
      });
    };
    if (!running) {
      running = true;
      return run();
    }
    return new Promise<R>((resolve, reject) => queue.push(() => void run().then(resolve, reject)));
  }

  /** A root write: at once when no transaction is open, else after it (as its own change). */
  function rootWrite<R>(write: () => R): Promise<R> {
    return running ? exclusive(async () => write()) : settled(write);
  }

  async function runTransaction<R>(fn: (tx: Store) => Promise<R>, parent: Handle | null): Promise<R> {
    if (parent?.ended) {
      // Its queued siblings fail the same way, one after another.
      parent.waiting.shift()?.();
      parent.assertLive();
    }
    engine.begin();
    const tx = new Handle(parent);
    open.push(tx);
    if (parent) parent.childOpen = true;
    try {
      let result: R;
      try {
        result = await fn(tx);
        if (tx.aborted) throw new TransactionMisuseError(ABORTED);
        if (open[open.length - 1] !== tx)
          throw new TransactionMisuseError(
            'A transaction ended while a nested transaction in it was still running (a missing await).',
          );
      } catch (e) {
        if (!tx.aborted) unwindTo(tx);
        throw e;
      }
      tx.ended = true;
      open.pop();
      try {
        engine.commit();
      } catch (e) {
        engine.rollback();
        throw e;
      }
      return result;
    } finally {
      if (parent) {
        parent.childOpen = false;
        parent.waiting.shift()?.();
      }
    }
  }

  /** Rolls back `tx` and whatever is still open inside it; those inner ones are marked aborted. */
  function unwindTo(tx: Handle): void {
    for (;;) {
      const top = open.pop();
      if (!top) return;
      top.ended = true;
      engine.rollback();
      if (top === tx) return;
      top.aborted = true;
    }
  }

  const ABORTED = 'This nested transaction was rolled back because its parent ended first (a missing await).';

  class Handle implements Store {
    readonly kind = engine.kind;
    ended = false;
    aborted = false;
    childOpen = false;
    readonly waiting: (() => void)[] = [];
    constructor(readonly parent: Handle | null) {}

    assertLive(): void {
      if (this.ended)
        throw new TransactionMisuseError(
          this.aborted
            ? ABORTED
            : 'This transaction has ended: a store call on it was not awaited inside the transaction.',
        );
    }
    private read<R>(run: () => R): Promise<R> {
      return settled(() => {
        this.assertLive();
        return run();
      });
    }
    private write<R>(run: () => R): Promise<R> {
      return settled(() => {
        this.assertLive();
        if (this.childOpen)
          throw new TransactionMisuseError(
            'A write went to a transaction while its nested transaction is open: use the nested handle.',
          );
        return run();
      });
    }
    insert<T extends TableName>(table: T, row: NewRow<T>): Promise<number> {
      return this.write(() => engine.insert(table, row));
    }
    get<T extends TableName>(table: T, id: number): Promise<Tables[T] | undefined> {
      return this.read(() => engine.get(table, id));
    }
    find<T extends TableName>(table: T, filter: Filter<T>, options?: FindOptions<T>): Promise<Tables[T][]> {
      return this.read(() => engine.find(table, filter, options));
    }
    getMany<T extends TableName>(table: T, ids: readonly number[]): Promise<Map<number, Tables[T]>> {
      return this.read(() => engine.getMany(table, ids));
    }
    joined<K extends ReadName>(name: K, key: ReadKey<K>): Promise<ReadRow<K>[]> {
      return this.read(() => engine.joined(name, key));
    }
    first<T extends TableName>(table: T, filter: Filter<T>): Promise<Tables[T] | undefined> {
      return this.read(() => engine.first(table, filter));
    }
    count<T extends TableName>(table: T, filter: Filter<T>): Promise<number> {
      return this.read(() => engine.count(table, filter));
    }
    update<T extends TableName>(table: T, id: number, patch: Partial<Tables[T]>): Promise<void> {
      return this.write(() => engine.update(table, id, patch));
    }
    updateIf<T extends TableName>(
      table: T,
      id: number,
      expected: Partial<Tables[T]>,
      patch: Partial<Tables[T]>,
    ): Promise<boolean> {
      return this.write(() => engine.updateIf(table, id, expected, patch));
    }
    delete<T extends TableName>(table: T, id: number): Promise<void> {
      return this.write(() => engine.delete(table, id));
    }
    findDue<T extends TableName>(
      table: T,
      column: keyof Tables[T] & string,
      upTo: number,
      filter?: Filter<T>,
      limit?: number,
    ): Promise<Tables[T][]> {
      return this.read(() => engine.findDue(table, column, upTo, filter, limit));
    }
    deleteMany<T extends TableName>(table: T, ids: readonly number[]): Promise<void> {
      return this.write(() => engine.deleteMany(table, ids));
    }
    transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R> {
      try {
        this.assertLive();
      } catch (e) {
        return Promise.reject(e);
      }
      // A savepoint; a sibling opened meanwhile waits for this one, not for the queue.
      if (!this.childOpen) return runTransaction(fn, this);
      return new Promise<R>((resolve, reject) =>
        this.waiting.push(() => void runTransaction(fn, this).then(resolve, reject)),
      );
    }
    tryLock(_key: string): Promise<boolean> {
      // One process: the queue already keeps every other transaction out.
      return this.read(() => true);
    }
    isEmpty(): Promise<boolean> {
      return this.read(() => engine.isEmpty());
    }
    clear(): Promise<void> {
      return this.write(() => engine.clear());
    }
    close(): Promise<void> {
      return Promise.reject(new TransactionMisuseError('Close the store, not a transaction.'));
    }
  }

  const root: Store = {
    kind: engine.kind,
    insert: (table, row) => rootWrite(() => engine.insert(table, row)),
    get: (table, id) => settled(() => engine.get(table, id)),
    find: (table, filter, options) => settled(() => engine.find(table, filter, options)),
    getMany: (table, ids) => settled(() => engine.getMany(table, ids)),
    joined: (name, key) => settled(() => engine.joined(name, key)),
    first: (table, filter) => settled(() => engine.first(table, filter)),
    count: (table, filter) => settled(() => engine.count(table, filter)),
    update: (table, id, patch) => rootWrite(() => engine.update(table, id, patch)),
    updateIf: (table, id, expected, patch) => rootWrite(() => engine.updateIf(table, id, expected, patch)),
    delete: (table, id) => rootWrite(() => engine.delete(table, id)),
    findDue: (table, column, upTo, filter, limit) =>
      settled(() => engine.findDue(table, column, upTo, filter, limit)),
    deleteMany: (table, ids) => rootWrite(() => engine.deleteMany(table, ids)),
    transaction: (fn) => exclusive(() => runTransaction(fn, null)),
    tryLock: () =>
      Promise.reject(
        new TransactionMisuseError('tryLock holds a lock for a transaction: call it on the transaction.'),
      ),
    isEmpty: () => settled(() => engine.isEmpty()),
    clear: () => rootWrite(() => engine.clear()),
    // After whatever is queued.
    close: () => rootWrite(() => engine.close()),
  };
  return root;
}
