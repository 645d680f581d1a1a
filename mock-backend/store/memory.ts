// The in-memory store: plain Maps, no Node modules, so the MSW handlers can run it in a browser.
// Transactions keep an undo log; a throwing transaction is rolled back entry by entry. The engine is
// synchronous; embed() makes it the async Store (queue, savepoints).
import { embed, type SyncEngine } from './embedded.ts';
import { type ReadKey, type ReadName, type ReadRow, readByFind } from './reads.ts';
import { SCHEMA, TABLE_NAMES, type TableName, type Tables } from './schema.ts';
import type { Filter, FindOptions, NewRow, Store } from './types.ts';

type AnyRow = { id: number } & Record<string, unknown>;

function matches(row: AnyRow, filter: Record<string, unknown>): boolean {
  for (const key of Object.keys(filter)) {
    const want = filter[key];
    if (want === undefined) continue;
    if (row[key] !== want) return false;
  }
  return true;
}

function matchesAny(
  row: AnyRow,
  anyOf: Record<string, readonly unknown[] | undefined>[] | undefined,
): boolean {
  if (anyOf === undefined) return true;
  return anyOf.some((group) =>
    Object.keys(group).every((key) => {
      const values = group[key];
      return values === undefined || values.includes(row[key]);
    }),
  );
}

// Rows are stored as copies and handed out as copies, like a database would: callers cannot
// change stored state by mutating what they read.
const clone = <R>(row: R): R => structuredClone(row);

export function createMemoryStore(): Store {
  return embed(memoryEngine());
}

function memoryEngine(): SyncEngine {
  const tables = new Map<TableName, Map<number, AnyRow>>();
  const lastId = new Map<TableName, number>();
  for (const name of TABLE_NAMES) {
    tables.set(name, new Map());
    lastId.set(name, 0);
  }
  /** One undo log per open transaction level, innermost last. */
  const undo: (() => void)[][] = [];

  function table(name: TableName): Map<number, AnyRow> {
    const t = tables.get(name);
    if (!t) throw new Error(`Unknown table ${name}`);
    return t;
  }

  // Unique keys hold as in SQLite (where NULLs never collide), checked through one Map per unique
  // group (key → id): a scan of the table per insert made loading 10k members quadratic.
  const uniqueIndex = new Map<TableName, { cols: string[]; ids: Map<string, number> }[]>();
  for (const name of TABLE_NAMES)
    uniqueIndex.set(
      name,
      ((SCHEMA[name].unique ?? []) as string[][]).map((cols) => ({ cols, ids: new Map() })),
    );
  const uniqueKey = (cols: string[], row: AnyRow): string | undefined => {
    let key = '';
    for (const c of cols) {
      const v = row[c];
      if (v === null || v === undefined) return undefined;
      key += `${typeof v === 'string' ? JSON.stringify(v) : String(v)}\u0000`;
    }
    return key;
  };

  function assertUnique(name: TableName, row: AnyRow): void {
    for (const { cols, ids } of uniqueIndex.get(name) ?? []) {
      const key = uniqueKey(cols, row);
      const owner = key === undefined ? undefined : ids.get(key);
      if (owner !== undefined && owner !== row.id)
        throw new Error(`UNIQUE constraint failed: ${name}.${cols.join(', ')}`);
    }
  }

  /** Every write of a row goes through these two, so the unique index follows the table. */
  function put(name: TableName, row: AnyRow): void {
    const t = table(name);
    const old = t.get(row.id);
    if (old) unindex(name, old);
    t.set(row.id, row);
    for (const { cols, ids } of uniqueIndex.get(name) ?? []) {
      const key = uniqueKey(cols, row);
      if (key !== undefined) ids.set(key, row.id);
    }
  }
  function unindex(name: TableName, row: AnyRow): void {
    for (const { cols, ids } of uniqueIndex.get(name) ?? []) {
      const key = uniqueKey(cols, row);
      if (key !== undefined && ids.get(key) === row.id) ids.delete(key);
    }
  }
  function remove(name: TableName, id: number): void {
    const t = table(name);
    const old = t.get(id);
    if (!old) return;
    unindex(name, old);
    t.delete(id);
  }

  /**
   * Rows by id for a caller that copies their columns out: as stored, not copies, unless the table
   * has a JSON column (whose object the caller would otherwise share with the store).
   */
  function peekMany<T extends TableName>(name: T, ids: readonly number[]): Map<number, Tables[T]> {
    if (Object.values(SCHEMA[name].columns).includes('json')) return store.getMany(name, ids);
    const out = new Map<number, Tables[T]>();
    for (const id of ids) {
      const row = table(name).get(id);
      if (row) out.set(id, row as unknown as Tables[T]);
    }
    return out;
  }

  function record(step: () => void): void {
    undo[undo.length - 1]?.push(step);
  }

  function clearAll(): void {
    for (const name of TABLE_NAMES) {
      table(name).clear();
      for (const u of uniqueIndex.get(name) ?? []) u.ids.clear();
      lastId.set(name, 0);
    }
  }

  const store: SyncEngine = {
    kind: 'memory',
    insert<T extends TableName>(name: T, row: NewRow<T>): number {
      const t = table(name);
      const id = row.id ?? (lastId.get(name) ?? 0) + 1;
      if (t.has(id)) throw new Error(`Duplicate id ${id} in ${name}`);
      const prevLast = lastId.get(name) ?? 0;
      const stored = clone({ ...row, id }) as AnyRow;
      assertUnique(name, stored);
      put(name, stored);
      lastId.set(name, Math.max(prevLast, id));
      record(() => {
        remove(name, id);
        lastId.set(name, prevLast);
      });
      return id;
    },
    get<T extends TableName>(name: T, id: number): Tables[T] | undefined {
      const row = table(name).get(id);
      return row ? (clone(row) as unknown as Tables[T]) : undefined;
    },
    getMany<T extends TableName>(name: T, ids: readonly number[]): Map<number, Tables[T]> {
      const out = new Map<number, Tables[T]>();
      for (const id of ids) {
        const row = table(name).get(id);
        if (row) out.set(id, clone(row) as unknown as Tables[T]);
      }
      return out;
    },
    joined<K extends ReadName>(name: K, key: ReadKey<K>): ReadRow<K>[] {
      // The joined rows are only looked at (their columns are copied out one by one): no clones.
      return readByFind({ find: store.find, getMany: peekMany }, name, key);
    },
    find<T extends TableName>(name: T, filter: Filter<T>, options: FindOptions<T> = {}): Tables[T][] {
      const anyOf = options.anyOf as Record<string, readonly unknown[] | undefined>[] | undefined;
      let rows = [...table(name).values()].filter(
        (r) =>
          matches(r, filter as Record<string, unknown>) &&
          r.id > (options.afterId ?? 0) &&
          matchesAny(r, anyOf),
      );
      const by = options.orderBy;
      const sign = options.desc ? -1 : 1;
      rows.sort((a, b) => sign * ((by ? (a[by] as number) - (b[by] as number) : 0) || a.id - b.id));
      const offset = options.offset ?? 0;
      rows = rows.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
      return rows.map((r) => clone(r) as unknown as Tables[T]);
    },
    first<T extends TableName>(name: T, filter: Filter<T>): Tables[T] | undefined {
      return store.find(name, filter, { limit: 1 })[0];
    },
    count<T extends TableName>(name: T, filter: Filter<T>): number {
      let n = 0;
      for (const r of table(name).values()) if (matches(r, filter as Record<string, unknown>)) n++;
      return n;
    },
    update<T extends TableName>(name: T, id: number, patch: Partial<Tables[T]>): void {
      store.updateIf(name, id, {}, patch);
    },
    updateIf<T extends TableName>(
      name: T,
      id: number,
      expected: Partial<Tables[T]>,
      patch: Partial<Tables[T]>,
    ): boolean {
      const t = table(name);
      const row = t.get(id);
      if (!row || !matches(row, expected as Record<string, unknown>)) return false;
      const before = clone(row);
      const after = clone({ ...row, ...patch, id }) as AnyRow;
      assertUnique(name, after);
      put(name, after);
      record(() => put(name, before));
      return true;
    },
    delete<T extends TableName>(name: T, id: number): void {
      const t = table(name);
      const row = t.get(id);
      if (!row) return;
      remove(name, id);
      record(() => put(name, row));
    },
    findDue<T extends TableName>(
      name: T,
      column: keyof Tables[T] & string,
      upTo: number,
      filter: Filter<T> = {},
      limit?: number,
    ): Tables[T][] {
      const rows: AnyRow[] = [];
      for (const r of table(name).values()) {
        const v = r[column];
        if (typeof v === 'number' && v <= upTo && matches(r, filter as Record<string, unknown>)) rows.push(r);
      }
      rows.sort((a, b) => (a[column] as number) - (b[column] as number) || a.id - b.id);
      return rows.slice(0, limit).map((r) => clone(r) as unknown as Tables[T]);
    },
    deleteMany<T extends TableName>(name: T, ids: readonly number[]): void {
      for (const id of ids) store.delete(name, id);
    },
    begin(): void {
      undo.push([]);
    },
    commit(): void {
      const steps = undo.pop() ?? [];
      // A savepoint's steps become its parent's: undone if the parent is (a loop: a fixture's
      // hundred thousand steps are too many arguments for push(...steps)).
      const parent = undo[undo.length - 1];
      if (parent) for (const step of steps) parent.push(step);
    },
    rollback(): void {
      const steps = undo.pop() ?? [];
      for (let i = steps.length - 1; i >= 0; i--) steps[i]?.();
    },
    isEmpty(): boolean {
      for (const t of tables.values()) if (t.size > 0) return false;
      return true;
    },
    clear(): void {
      if (undo.length) {
        // Inside a transaction (the test reset): undone by putting every row back.
        const rows = TABLE_NAMES.map((name) => [name, [...table(name).values()]] as const);
        const ids = new Map(lastId);
        record(() => {
          clearAll();
          for (const [name, list] of rows) for (const row of list) put(name, row);
          for (const [name, id] of ids) lastId.set(name, id);
        });
      }
      clearAll();
    },
    close(): void {},
  };
  return store;
}
