// The asynchronous store interface: what a store over a socket (PostgreSQL, postgres.ts) offers, and
// what the domain moves to when it becomes asynchronous (it then replaces the synchronous `Store` of
// types.ts, with memory and SQLite behind it as embedded engines). Until then the PostgreSQL store
// and the shared async suite (store-suite.ts) use this interface; the domain runs on types.ts.
//
// Transactions: `transaction(fn)` hands `fn` a store bound to the transaction (`tx`); everything a
// rule reads and writes for one change goes through `tx`, and is kept as a whole or (when `fn`
// throws) not at all. Transactions never interleave their effects:
// - memory and SQLite run one top-level transaction at a time in the process (a queue); a nested
//   `tx.transaction` is a savepoint. Reads on the root store outside any transaction do not wait.
// - PostgreSQL runs each at SERIALIZABLE and runs `fn` again on a serialization failure, so `fn` must
//   have no effect outside `tx` (collect signals in the attempt, publish them after it commits).
import type { TableName, Tables } from './schema.ts';
import type { Filter, FindOptions, NewRow } from './types.ts';

export type { Filter, FindOptions, NewRow } from './types.ts';

export type StoreKind = 'memory' | 'sqlite' | 'postgres';

export interface AsyncStore {
  readonly kind: StoreKind;
  insert<T extends TableName>(table: T, row: NewRow<T>): Promise<number>;
  get<T extends TableName>(table: T, id: number): Promise<Tables[T] | undefined>;
  find<T extends TableName>(table: T, filter: Filter<T>, options?: FindOptions<T>): Promise<Tables[T][]>;
  /** Rows by id in one batched look-up (a list's users, instead of one query per row). */
  getMany<T extends TableName>(table: T, ids: readonly number[]): Promise<Map<number, Tables[T]>>;
  first<T extends TableName>(table: T, filter: Filter<T>): Promise<Tables[T] | undefined>;
  count<T extends TableName>(table: T, filter: Filter<T>): Promise<number>;
  update<T extends TableName>(table: T, id: number, patch: Partial<Tables[T]>): Promise<void>;
  /**
   * Compare-and-set: applies `patch` only if the row still matches `expected`; true when it did
   * (PostgreSQL: one `UPDATE … WHERE id = $1 AND <expected> RETURNING id`).
   */
  updateIf<T extends TableName>(
    table: T,
    id: number,
    expected: Partial<Tables[T]>,
    patch: Partial<Tables[T]>,
  ): Promise<boolean>;
  delete<T extends TableName>(table: T, id: number): Promise<void>;
  /**
   * Rows whose `column` (a time) is set and at most `upTo`, matching `filter`, soonest first: what the
   * expiry timer reads (from an index), so it never scans a whole table.
   */
  findDue<T extends TableName>(
    table: T,
    column: keyof Tables[T] & string,
    upTo: number,
    filter?: Filter<T>,
    limit?: number,
  ): Promise<Tables[T][]>;
  /** Deletes these rows in one statement per chunk. */
  deleteMany<T extends TableName>(table: T, ids: readonly number[]): Promise<void>;
  /** Runs `fn` atomically with a store bound to the transaction (see the top of this file). */
  transaction<R>(fn: (tx: AsyncStore) => Promise<R>): Promise<R>;
  /**
   * Inside a transaction: takes the lock named `key` until the transaction ends, or answers false at
   * once when someone else (another instance) holds it. One expiry sweep and one mail pass at a time
   * across instances. Memory and SQLite (one process) always answer true.
   */
  tryLock(key: string): Promise<boolean>;
  /** True when no table holds a row: fixtures load only into an empty store. */
  isEmpty(): Promise<boolean>;
  clear(): Promise<void>;
  close(): Promise<void>;
}
