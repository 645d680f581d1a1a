// A read-through cache in front of an embedded store (never PostgreSQL, which other instances write
// too). Safe because this process is the store's only writer: every write through here drops the
// cached reads of its table, and a rolled-back transaction drops them all. Rows go out as fresh
// shallow copies, and a project's member lists (read-only by type) frozen, so callers can no more
// change the cache than the store; tables with JSON columns (whose nested objects a shallow copy
// would share) are not cached.
// Bounded (an LRU per table, by entries and by rows held), and a list is kept only on its second
// miss since its table changed. It never remembers a miss on `users` or `storageTokens`, whose
// look-ups (by token hash, by e-mail) anyone can vary at will: random tokens cannot fill it. Other misses ("not a
// member of that organization") are kept like hits: they come from authenticated callers' ids, are
// asked on every request, and the LRU bounds them.
import { LRUCache } from 'lru-cache';
import { joinedTables, READ_SPECS } from './reads.ts';
import { SCHEMA, TABLE_NAMES, type TableName } from './schema.ts';
import type { FindOptions, Store } from './types.ts';

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
  o
    ? `|${o.afterId},${o.desc},${o.orderBy},${o.offset},${o.limit}${o.anyOf ? `,${JSON.stringify(o.anyOf)}` : ''}`
    : '';

/** Per table: at most this many cached reads, holding at most ROWS_PER_TABLE rows between them. */
export const ENTRIES_PER_TABLE = 2000;
const ROWS_PER_TABLE = 20_000;

/**
 * Reads kept under one table that also show rows of another (reads.ts): a project's members with
 * their people are kept under `projectMembers`, so a write to `users` drops those too.
 */
const ALSO_DROPS = new Map<TableName, TableName[]>();
for (const spec of Object.values(READ_SPECS))
  for (const table of joinedTables(spec))
    if (table !== spec.from)
      ALSO_DROPS.set(table, [...new Set([...(ALSO_DROPS.get(table) ?? []), spec.from])]);

/** A cached "found nothing". */
const MISS = Symbol('miss');
type Cached = object | number | typeof MISS;
/** Tables whose misses are never cached. */
const NO_MISSES = new Set<TableName>(['users', 'storageTokens']);

export interface CachedStore extends Store {
  /** How many reads are cached now (misses on `users` never are). */
  cachedReads(): number;
}

export function withReadCache(inner: Store): CachedStore {
  const cache = new Map<TableName, LRUCache<string, Cached>>();
  // A read that started before a write (or a drop) and ends after it must not be kept: reads await,
  // and a transaction's write can land in between. Each write bumps its table's generation, each
  // drop the epoch; a result is kept only if neither moved while it loaded.
  const generation = new Map<TableName, number>();
  let epoch = 0;
  // While a failed transaction is being rolled back nothing is kept: what is read then may be
  // about to be undone.
  let unwinding = 0;

  function entriesOf(table: TableName): LRUCache<string, Cached> {
    let entries = cache.get(table);
    if (!entries) {
      entries = new LRUCache<string, Cached>({
        max: ENTRIES_PER_TABLE,
        maxSize: ROWS_PER_TABLE,
        sizeCalculation: (v) => (Array.isArray(v) ? v.length + 1 : 1),
      });
      cache.set(table, entries);
    }
    return entries;
  }

  // Lists are kept on their second miss since their table last changed, not their first: most die
  // unread (any write to the table drops them), and keeping one costs more than reading it again
  // from SQLite (it is frozen, sized into the LRU, and its rows outlive young garbage collection).
  // The keys seen once, per table; dropped with the table's reads.
  const seenOnce = new Map<TableName, Set<string>>();
  function secondMiss(table: TableName, key: string): boolean {
    let seen = seenOnce.get(table);
    if (!seen) {
      seen = new Set();
      seenOnce.set(table, seen);
    }
    if (seen.delete(key)) return true;
    // Bounded like the LRU: a table read under ever new keys and never written forgets them all.
    if (seen.size >= ENTRIES_PER_TABLE) seen.clear();
    seen.add(key);
    return false;
  }

  /**
   * A cached read; `out` makes what the caller gets of the cached value (a copy). No async function
   * on the way: a hit is one settled promise (reads are most of the traffic, mostly hits). A list
   * (`keepList` given) is kept only on its second miss, as `keepList` makes it (read-only).
   */
  function read<T extends Cached | undefined, R>(
    table: TableName,
    key: string,
    load: () => Promise<T>,
    out: (value: T) => R,
    keepList?: (value: T & object) => T & object,
  ): Promise<R> {
    if (!CACHED.has(table)) return load().then(out);
    const entries = entriesOf(table);
    const hit = entries.get(key);
    if (hit !== undefined) return Promise.resolve(out((hit === MISS ? undefined : hit) as T));
    const gen = generation.get(table) ?? 0;
    const at = epoch;
    return load().then((value) => {
      if (unwinding === 0 && at === epoch && gen === (generation.get(table) ?? 0)) {
        if (keepList) {
          if (value !== undefined && secondMiss(table, key)) entries.set(key, keepList(value));
        } else if (value !== undefined) entries.set(key, value);
        else if (!NO_MISSES.has(table)) entries.set(key, MISS);
      }
      return out(value);
    });
  }
  const size = () => [...cache.values()].reduce((n, e) => n + e.size, 0);
  const drop = (table: TableName) => {
    generation.set(table, (generation.get(table) ?? 0) + 1);
    cache.get(table)?.clear();
    seenOnce.get(table)?.clear();
  };
  // One level: a joined read shows its joined tables' own columns, never another read.
  const written = (table: TableName) => {
    drop(table);
    for (const also of ALSO_DROPS.get(table) ?? []) drop(also);
  };
  const dropAll = () => {
    epoch++;
    cache.clear();
    seenOnce.clear();
  };
  /** A write: its table is dropped before (for reads under way) and after (it may have waited its turn). */
  async function write<R>(table: TableName, run: () => Promise<R>): Promise<R> {
    written(table);
    try {
      return await run();
    } finally {
      written(table);
    }
  }
  const copy = <R>(row: R | undefined): R | undefined => (row === undefined ? undefined : { ...row });
  const copyAll = <R>(rows: R[]): R[] => rows.map((r) => ({ ...r }));
  const same = <R>(value: R): R => value;
  /**
   * A read-only list (its type says so) is kept and handed out as it is, frozen, not copied: a spread
   * of every row on every hit was work for nothing, as callers only read it. The read before it is
   * kept gets the store's own fresh list.
   */
  const frozen = <R extends object>(rows: readonly R[]): readonly R[] => {
    for (const r of rows) Object.freeze(r);
    return Object.freeze(rows);
  };

  /** The cached view of `target` (the root store, or a transaction of it): one cache for all. */
  function layer(target: Store): Store {
    return {
      kind: target.kind,
      insert: (table, row) => write(table, () => target.insert(table, row)),
      get: (table, id) => read(table, `g${id}`, () => target.get(table, id), copy),
      // Straight to the store: one batched query, whatever the ids.
      getMany: (table, ids) => target.getMany(table, ids),
      // A joined read is kept under its table (as a second-miss list, frozen); ALSO_DROPS drops it
      // when a table it joins is written.
      joined: (name, key) =>
        read(READ_SPECS[name].from, `j${name}:${key}`, () => target.joined(name, key), same, frozen),
      find(table, filter, options) {
        const key = `f${filterKey(filter)}${optionsKey(options as FindOptions<TableName>)}`;
        return read(table, key, () => target.find(table, filter, options), copyAll);
      },
      first: (table, filter) => read(table, `o${filterKey(filter)}`, () => target.first(table, filter), copy),
      count: (table, filter) => read(table, `c${filterKey(filter)}`, () => target.count(table, filter), same),
      update: (table, id, patch) => write(table, () => target.update(table, id, patch)),
      updateIf: (table, id, expected, patch) =>
        write(table, () => target.updateIf(table, id, expected, patch)),
      delete: (table, id) => write(table, () => target.delete(table, id)),
      // Never cached: `upTo` is the clock, a new key every second.
      findDue: (table, column, upTo, filter, limit) => target.findDue(table, column, upTo, filter, limit),
      deleteMany: (table, ids) => write(table, () => target.deleteMany(table, ids)),
      async transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R> {
        // Reads inside a failed attempt may have cached what is being undone: drop everything the
        // moment it fails, keep nothing until the rollback is done, and drop again after.
        let failures = 0;
        try {
          return await target.transaction(async (tx) => {
            try {
              return await fn(layer(tx));
            } catch (e) {
              dropAll();
              failures++;
              unwinding++;
              throw e;
            }
          });
        } catch (e) {
          // Also when the store undid it after `fn` returned (a failed commit).
          dropAll();
          throw e;
        } finally {
          if (failures) {
            unwinding -= failures;
            dropAll();
          }
        }
      },
      tryLock: (key) => target.tryLock(key),
      isEmpty: () => target.isEmpty(),
      async clear() {
        dropAll();
        try {
          await target.clear();
        } finally {
          dropAll();
        }
      },
      close: () => target.close(),
    };
  }

  return Object.assign(layer(inner), { cachedReads: size });
}
