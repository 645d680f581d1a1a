// The one store interface. The three implementations (memory.ts, sqlite.ts, postgres.ts) pass the
// shared store suite. Every operation is asynchronous, because PostgreSQL answers over a socket; the
// embedded stores answer at once (an already-settled promise).
//
// Transactions: `transaction(fn)` hands `fn` a store bound to the transaction (`tx`); everything a
// rule reads and writes for one change goes through `tx`, and is kept as a whole or (when `fn`
// throws) not at all. Transactions never interleave their effects:
// - memory and SQLite run one top-level transaction at a time in the process (a queue); a nested
//   `tx.transaction` is a savepoint. Reads on the root store outside any transaction do not wait.
// - PostgreSQL runs one transaction at a time across every instance (an advisory lock taken first,
//   READ COMMITTED; see postgres.ts) and runs `fn` again after a deadlock, so `fn` must have no effect
//   outside `tx` (collect signals in the attempt, publish them after it commits).
import type { ReadKey, ReadName, ReadRow } from './reads.ts';
import type { TableName, Tables } from './schema.ts';

export type NewRow<T extends TableName> = Omit<Tables[T], 'id'> & { id?: number };
/** Equality filter: every given column must equal the value (null matches null). */
export type Filter<T extends TableName> = Partial<Tables[T]>;

/** Column IN values: every given column must hold one of its values. */
export type AnyOfFilter<T extends TableName> = { [K in keyof Tables[T]]?: readonly Tables[T][K][] };

export interface FindOptions<T extends TableName = TableName> {
  /**
   * Besides the filter, rows must match at least one of these (an OR of IN lists): lets a caller's
   * visibility be part of the query, so paging happens in the store. An empty list matches nothing.
   */
  anyOf?: AnyOfFilter<T>[];
  /** Only rows with id greater than this. */
  afterId?: number;
  /** Newest (highest id) first; with `orderBy`, that column's highest first. */
  desc?: boolean;
  /**
   * Sort by this column (a time: never null where it is used), then by id, both in `desc`'s
   * direction: the ticket list pages by its newest activity.
   */
  orderBy?: keyof Tables[T] & string;
  offset?: number;
  limit?: number;
}

export type StoreKind = 'memory' | 'sqlite' | 'postgres';

export interface Store {
  readonly kind: StoreKind;
  insert<T extends TableName>(table: T, row: NewRow<T>): Promise<number>;
  get<T extends TableName>(table: T, id: number): Promise<Tables[T] | undefined>;
  find<T extends TableName>(table: T, filter: Filter<T>, options?: FindOptions<T>): Promise<Tables[T][]>;
  /** Rows by id in one batched look-up (a list's users, instead of one query per row). */
  getMany<T extends TableName>(table: T, ids: readonly number[]): Promise<Map<number, Tables[T]>>;
  /**
   * A read of reads.ts (rows of one table with columns of the rows they point at), by its key: one
   * joined query (PostgreSQL, SQLite) where it would otherwise take two reads.
   */
  joined<K extends ReadName>(name: K, key: ReadKey<K>): Promise<readonly ReadRow<K>[]>;
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
  transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R>;
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
