// A read-through cache in front of a store. Safe because this process is the store's only writer:
// every write through here drops the cached reads of its table, and a rolled-back transaction drops
// them all. Rows go out as fresh shallow copies, so callers can no more change the cache than the
// store; tables with JSON columns (whose nested objects a shallow copy would share) are not cached.
// Bounded (an LRU per table, by entries and by rows held). It never remembers a miss on `users`,
// whose look-ups (by token hash, by e-mail) anyone can vary at will: random tokens cannot fill it.
// Other misses ("not a member of that organization") are kept like hits: they come from
// authenticated callers' ids, are asked on every request, and the LRU bounds them.
import { LRUCache } from 'lru-cache';
import { SCHEMA, TABLE_NAMES, type TableName, type Tables } from './schema.ts';
import type { Filter, FindOptions, NewRow, Store } from './types.ts';

const CACHED = new Set<TableName>(
  TABLE_NAMES.filter((t) => !Object.values(SCHEMA[t].columns).includes('json')),
);

/**
 * A filter's cache key. Column names are identifiers and values are written as JSON scalars, so two
 * different filters never share a key; cheaper than JSON.stringify, which showed up in the read profile.
 */
function filterKey(filter: object): string {
  const values = filter as Record<string, unknown>;
  let key = '';
  for (const column of Object.keys(values)) {
    const v = values[column];
    if (v === undefined) continue;
    key += `${column}=${typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : JSON.stringify(v)},`;
  }
  return key;
}

const optionsKey = (o: FindOptions<TableName> | undefined): string =>
  o ? `|${o.afterId},${o.desc},${o.offset},${o.limit}${o.anyOf ? `,${JSON.stringify(o.anyOf)}` : ''}` : '';

/** Per table: at most this many cached reads, holding at most ROWS_PER_TABLE rows between them. */
export const ENTRIES_PER_TABLE = 2000;
const ROWS_PER_TABLE = 20_000;

/** A cached "found nothing". */
const MISS = Symbol('miss');
type Cached = object | number | typeof MISS;
/** Tables whose misses are never cached. */
const NO_MISSES = new Set<TableName>(['users']);

export interface CachedStore extends Store {
  /** How many reads are cached now (misses on `users` never are). */
  cachedReads(): number;
}

export function withReadCache(inner: Store): CachedStore {
  const cache = new Map<TableName, LRUCache<string, Cached>>();

  function read<T extends Cached | undefined>(table: TableName, key: string, load: () => T): T {
    if (!CACHED.has(table)) return load();
    let entries = cache.get(table);
    if (!entries) {
      entries = new LRUCache<string, Cached>({
        max: ENTRIES_PER_TABLE,
        maxSize: ROWS_PER_TABLE,
        sizeCalculation: (v) => (Array.isArray(v) ? v.length + 1 : 1),
      });
      cache.set(table, entries);
    }
    const hit = entries.get(key);
    if (hit !== undefined) return (hit === MISS ? undefined : hit) as T;
    const value = load();
    if (value !== undefined) entries.set(key, value);
    else if (!NO_MISSES.has(table)) entries.set(key, MISS);
    return value;
  }
  const size = () => [...cache.values()].reduce((n, e) => n + e.size, 0);
  const written = (table: TableName) => cache.get(table)?.clear();
  const copy = <R>(row: R | undefined): R | undefined => (row === undefined ? undefined : { ...row });

  const store: CachedStore = {
    kind: inner.kind,
    cachedReads: size,
    insert<T extends TableName>(table: T, row: NewRow<T>): number {
      written(table);
      return inner.insert(table, row);
    },
    get<T extends TableName>(table: T, id: number): Tables[T] | undefined {
      return copy(read(table, `g${id}`, () => inner.get(table, id)));
    },
    getMany<T extends TableName>(table: T, ids: readonly number[]): Map<number, Tables[T]> {
      // Straight to the store: one batched query, whatever the ids.
      return inner.getMany(table, ids);
    },
    find<T extends TableName>(table: T, filter: Filter<T>, options?: FindOptions<T>): Tables[T][] {
      const rows = read(table, `f${filterKey(filter)}${optionsKey(options as FindOptions<TableName>)}`, () =>
        inner.find(table, filter, options),
      );
      return rows.map((r) => ({ ...r }));
    },
    first<T extends TableName>(table: T, filter: Filter<T>): Tables[T] | undefined {
      return copy(read(table, `o${filterKey(filter)}`, () => inner.first(table, filter)));
    },
    count<T extends TableName>(table: T, filter: Filter<T>): number {
      return read(table, `c${filterKey(filter)}`, () => inner.count(table, filter));
    },
    update<T extends TableName>(table: T, id: number, patch: Partial<Tables[T]>): void {
      written(table);
      inner.update(table, id, patch);
    },
    updateIf<T extends TableName>(
      table: T,
      id: number,
      expected: Partial<Tables[T]>,
      patch: Partial<Tables[T]>,
    ): boolean {
      written(table);
      return inner.updateIf(table, id, expected, patch);
    },
    delete<T extends TableName>(table: T, id: number): void {
      written(table);
      inner.delete(table, id);
    },
    findDue<T extends TableName>(
      table: T,
      column: keyof Tables[T] & string,
      upTo: number,
      filter?: Filter<T>,
      limit?: number,
    ): Tables[T][] {
      // Never cached: `upTo` is the clock, a new key every second.
      return inner.findDue(table, column, upTo, filter, limit);
    },
    deleteMany<T extends TableName>(table: T, ids: readonly number[]): void {
      written(table);
      inner.deleteMany(table, ids);
    },
    transaction<R>(fn: () => R): R {
      try {
        return inner.transaction(fn);
      } catch (e) {
        // Reads inside the failed transaction may have cached what was never committed.
        cache.clear();
        throw e;
      }
    },
    isEmpty: () => inner.isEmpty(),
    clear(): void {
      cache.clear();
      inner.clear();
    },
    close: () => inner.close(),
  };
  return store;
}
