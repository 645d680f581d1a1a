// The one store interface. Both implementations (memory.ts, sqlite.ts) pass store.test.ts.
// Operations are synchronous on purpose: a domain rule runs start to finish inside one
// transaction without yielding, so no other request can interleave with it.
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
  /** Newest (highest id) first. */
  desc?: boolean;
  offset?: number;
  limit?: number;
}

export interface Store {
  readonly kind: 'memory' | 'sqlite';
  insert<T extends TableName>(table: T, row: NewRow<T>): number;
  get<T extends TableName>(table: T, id: number): Tables[T] | undefined;
  find<T extends TableName>(table: T, filter: Filter<T>, options?: FindOptions<T>): Tables[T][];
  /** Rows by id in one batched look-up (a list's users, instead of one query per row). */
  getMany<T extends TableName>(table: T, ids: readonly number[]): Map<number, Tables[T]>;
  first<T extends TableName>(table: T, filter: Filter<T>): Tables[T] | undefined;
  count<T extends TableName>(table: T, filter: Filter<T>): number;
  update<T extends TableName>(table: T, id: number, patch: Partial<Tables[T]>): void;
  /** Compare-and-set: applies `patch` only if the row still matches `expected`; true when it did. */
  updateIf<T extends TableName>(
    table: T,
    id: number,
    expected: Partial<Tables[T]>,
    patch: Partial<Tables[T]>,
  ): boolean;
  delete<T extends TableName>(table: T, id: number): void;
  /**
   * Rows whose `column` (a time) is set and at most `upTo`, matching `filter`, soonest first: what the
   * expiry timer reads (from an index in SQLite), so it never scans a whole table.
   */
  findDue<T extends TableName>(
    table: T,
    column: keyof Tables[T] & string,
    upTo: number,
    filter?: Filter<T>,
    limit?: number,
  ): Tables[T][];
  /** Deletes these rows in one statement per chunk. */
  deleteMany<T extends TableName>(table: T, ids: readonly number[]): void;
  /** Runs `fn` atomically: everything it wrote is kept, or (when it throws) nothing is. */
  transaction<R>(fn: () => R): R;
  /** True when no table holds a row: fixtures load only into an empty store. */
  isEmpty(): boolean;
  clear(): void;
  close(): void;
}
