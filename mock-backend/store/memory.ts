// The in-memory store: plain Maps, no Node modules, so the MSW handlers can run it in a browser.
// Transactions keep an undo log; a throwing transaction is rolled back entry by entry.
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
  const tables = new Map<TableName, Map<number, AnyRow>>();
  const lastId = new Map<TableName, number>();
  for (const name of TABLE_NAMES) {
    tables.set(name, new Map());
    lastId.set(name, 0);
  }
  let undo: (() => void)[] | null = null;

  function table(name: TableName): Map<number, AnyRow> {
    const t = tables.get(name);
    if (!t) throw new Error(`Unknown table ${name}`);
    return t;
  }

  /** Unique keys hold as in SQLite (where NULLs never collide). */
  function assertUnique(name: TableName, row: AnyRow): void {
    const groups = (SCHEMA[name].unique ?? []) as string[][];
    for (const cols of groups) {
      if (cols.some((c) => row[c] === null || row[c] === undefined)) continue;
      for (const other of table(name).values())
        if (other.id !== row.id && cols.every((c) => other[c] === row[c]))
          throw new Error(`UNIQUE constraint failed: ${name}.${cols.join(', ')}`);
    }
  }

  function record(step: () => void): void {
    undo?.push(step);
  }

  const store: Store = {
    kind: 'memory',
    insert<T extends TableName>(name: T, row: NewRow<T>): number {
      const t = table(name);
      const id = row.id ?? (lastId.get(name) ?? 0) + 1;
      if (t.has(id)) throw new Error(`Duplicate id ${id} in ${name}`);
      const prevLast = lastId.get(name) ?? 0;
      const stored = clone({ ...row, id }) as AnyRow;
      assertUnique(name, stored);
      t.set(id, stored);
      lastId.set(name, Math.max(prevLast, id));
      record(() => {
        t.delete(id);
        lastId.set(name, prevLast);
      });
      return id;
    },
    get<T extends TableName>(name: T, id: number): Tables[T] | undefined {
      const row = table(name).get(id);
      return row ? (clone(row) as unknown as Tables[T]) : undefined;
    },
    find<T extends TableName>(name: T, filter: Filter<T>, options: FindOptions<T> = {}): Tables[T][] {
      const anyOf = options.anyOf as Record<string, readonly unknown[] | undefined>[] | undefined;
      let rows = [...table(name).values()].filter(
        (r) =>
          matches(r, filter as Record<string, unknown>) &&
          r.id > (options.afterId ?? 0) &&
          matchesAny(r, anyOf),
      );
      rows.sort((a, b) => (options.desc ? b.id - a.id : a.id - b.id));
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
      t.set(id, after);
      record(() => t.set(id, before));
      return true;
    },
    delete<T extends TableName>(name: T, id: number): void {
      const t = table(name);
      const row = t.get(id);
      if (!row) return;
      t.delete(id);
      record(() => t.set(id, row));
    },
    transaction<R>(fn: () => R): R {
      // A nested transaction behaves like an SQLite savepoint: on throw only its own steps are undone.
      const outer = undo;
      const steps: (() => void)[] = [];
      undo = steps;
      try {
        const result = fn();
        undo = outer;
        outer?.push(...steps);
        return result;
      } catch (e) {
        undo = outer;
        for (let i = steps.length - 1; i >= 0; i--) steps[i]?.();
        throw e;
      }
    },
    isEmpty(): boolean {
      for (const t of tables.values()) if (t.size > 0) return false;
      return true;
    },
    clear(): void {
      for (const name of TABLE_NAMES) {
        table(name).clear();
        lastId.set(name, 0);
      }
    },
    close(): void {},
  };
  return store;
}
