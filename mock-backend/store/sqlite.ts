// The SQLite store (better-sqlite3, WAL): the default, survives restarts. Node only — never imported
// by app.ts; the CLI and server inject it.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { embed, type SyncEngine } from './embedded.ts';
import { READ_SPECS, type ReadKey, type ReadName, type ReadRow, type ReadSpec } from './reads.ts';
import { type ColumnType, TABLE_NAMES, type TableName, type Tables } from './schema.ts';
import {
  anyRowsSql,
  columnsOf,
  countSql,
  type Dialect,
  deleteManySql,
  deleteSql,
  findDueSql,
  findSql,
  getManySql,
  getSql,
  insertSql,
  q,
  readSql,
  reasonOf,
  type SqlValue,
  type Statement,
  schemaSql,
  typeOf,
  updateSql,
  whole,
} from './sql.ts';
import type { Filter, FindOptions, NewRow, Store } from './types.ts';

/** SQLite's spelling: `?` placeholders, booleans as 0/1 and JSON as text, IN lists. */
const SQLITE: Dialect = {
  param(values, table, column, value) {
    values.push(toSql(table, column, value));
    return '?';
  },
  equals(values, table, column, value) {
    values.push(toSql(table, column, value));
    // IS matches NULL as well as values, like the memory store's equality.
    return `${q(column)} IS ?`;
  },
  oneOf(values, table, column, list) {
    for (const v of list) values.push(toSql(table, column, v));
    return `${q(column)} IN (${list.map(() => '?').join(', ')})`;
  },
  true: '1',
  false: '0',
  limit: (n) => String(whole(n)),
  offset: (n) => String(whole(n)),
  // Well under SQLite's limit on bound parameters.
  chunk: 500,
  insertsNullId: true,
  returning: false,
  types: { int: 'INTEGER', text: 'TEXT', bool: 'INTEGER', json: 'TEXT' },
  // AUTOINCREMENT: ids are never reused, so a stale id cannot reach a newer row.
  id: 'INTEGER PRIMARY KEY AUTOINCREMENT',
};

function toSql(table: TableName, column: string, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  const type = typeOf(table, column);
  if (type === 'bool') return value ? 1 : 0;
  if (type === 'json') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

type Cell = number | string | null;

/**
 * Makes a read's row (an array, in its SELECT's order: reads.ts's columns, then its joined fields)
 * into its object, 0/1 into booleans and JSON text into values, null staying null. The maker is
 * written out for the read as one object literal (its field names as JSON strings, its cells by
 * index: no text of a row ever reaches it): a literal has its shape at once, where setting fields
 * one by one in a loop took five times as long per row (measured on a 1,000-member list), and the
 * members list is the hottest read there is.
 */
function arrayRow(spec: ReadSpec): (r: Cell[]) => object {
  const fields = [
    ...spec.columns.map((c) => [c, typeOf(spec.from, c)] as const),
    ...Object.entries(spec.joined).map(([f, [, table, column]]) => [f, typeOf(table, column)] as const),
  ];
  const cells = fields.map(([field, type], i) => {
    const cell = `r[${i}]`;
    const value =
      type === 'bool'
        ? `${cell} == null ? null : ${cell} === 1`
        : type === 'json'
          ? `${cell} == null ? null : JSON.parse(${cell})`
          : `${cell} ?? null`;
    return `${JSON.stringify(field)}: ${value}`;
  });
  return new Function('r', `return { ${cells.join(', ')} };`) as (r: Cell[]) => object;
}

/** The database file cannot be used: its message is one line naming the file (no stack needed). */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Cannot open the database ${file}: ${reason}`);
  }
}

/** What SQLite's error codes mean for the person starting the backend. */
const REASONS: Record<string, string> = {
  SQLITE_BUSY: 'it is locked by another process (is another backend running on it?)',
  SQLITE_LOCKED: 'it is locked by another process (is another backend running on it?)',
  SQLITE_NOTADB: 'it is not a database or is corrupt (delete it to start over)',
  SQLITE_CORRUPT: 'it is not a database or is corrupt (delete it to start over)',
  SQLITE_CANTOPEN: 'the file cannot be opened (check the path and its permissions)',
  SQLITE_READONLY: 'the file is read-only',
};

/** Columns an older version's file lacks (the store cannot work on it; it is not changed). */
function missingColumns(db: Database.Database): string[] {
  const missing: string[] = [];
  for (const table of TABLE_NAMES) {
    const have = new Set(
      (db.prepare(`PRAGMA table_info(${q(table)})`).all() as { name: string }[]).map((c) => c.name),
    );
    if (have.size === 0) continue;
    for (const [column] of columnsOf(table)) if (!have.has(column)) missing.push(`${table}.${column}`);
  }
  return missing;
}

function open(file: string): Database.Database {
  // It holds token hashes and e-mail: readable by its owner only. SQLite gives its -wal and -shm
  // files the main file's mode.
  if (file !== ':memory:' && !existsSync(file)) {
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const db = new Database(file);
  try {
    // This process is the database's only user: exclusive locking lets WAL skip the shared-memory
    // index and per-statement lock traffic (several times faster reads). Set before WAL, as SQLite requires.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    // FULL: an acknowledged change survives a kill (and power loss), which the durability test relies on.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const missing = missingColumns(db);
    if (missing.length)
      throw new Error(
        `it was made by an older version (no column ${missing.slice(0, 3).join(', ')}); delete it to start over`,
      );
    db.exec(schemaSql(SQLITE, true).join('\n'));
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function createSqliteStore(file: string): Store {
  return embed(sqliteEngine(file));
}

function sqliteEngine(file: string): SyncEngine {
  let db: Database.Database;
  try {
    db = open(file);
  } catch (e) {
    throw new DatabaseOpenError(file === ':memory:' ? file : resolve(file), reasonOf(e, REASONS));
  }

  const statements = new Map<string, Database.Statement>();
  function stmt(sql: string): Database.Statement {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  }

  // Only the columns that need converting, per table, so a row costs no more than those.
  const converted = new Map<TableName, [string, ColumnType][]>();
  for (const t of TABLE_NAMES)
    converted.set(
      t,
      columnsOf(t).filter(([, type]) => type === 'bool' || type === 'json'),
    );

  function fromSql<T extends TableName>(table: T, raw: unknown): Tables[T] {
    // better-sqlite3 hands out a fresh object per row: converted in place, not copied.
    const row = raw as Record<string, unknown>;
    for (const [column, type] of converted.get(table) ?? []) {
      const v = row[column];
      if (type === 'bool') row[column] = v === 1;
      else if (typeof v === 'string') row[column] = JSON.parse(v);
    }
    return row as unknown as Tables[T];
  }

  const all = <T extends TableName>(table: T, s: Statement): Tables[T][] =>
    stmt(s.text)
      .all(...s.values)
      .map((r) => fromSql(table, r));

  // The joined reads (reads.ts): one statement each, rows as arrays (raw), each made into one object
  // here. better-sqlite3 builds a keyed object per row far more slowly (about half the cost of the
  // members list, measured on the large bench profile); the column order is the SELECT's.
  const reads = new Map<ReadName, (key: number) => object[]>();
  function reader(name: ReadName): (key: number) => object[] {
    let run = reads.get(name);
    if (!run) {
      const spec = READ_SPECS[name];
      const s = db.prepare(readSql(SQLITE, spec, 0).text).raw(true);
      const row = arrayRow(spec);
      run = (key) => (s.all(key) as Cell[][]).map(row);
      reads.set(name, run);
    }
    return run;
  }

  // Open transaction levels: the outermost is BEGIN … COMMIT, the ones inside it savepoints.
  let depth = 0;
  const savepoint = (level: number) => `sp${level}`;

  const store: SyncEngine = {
    kind: 'sqlite',
    insert<T extends TableName>(table: T, row: NewRow<T>): number {
      const s = insertSql(SQLITE, table, row);
      return Number(stmt(s.text).run(...s.values).lastInsertRowid);
    },
    get<T extends TableName>(table: T, id: number): Tables[T] | undefined {
      const s = getSql(SQLITE, table, id);
      const raw = stmt(s.text).get(...s.values);
      return raw === undefined ? undefined : fromSql(table, raw);
    },
    getMany<T extends TableName>(table: T, ids: readonly number[]): Map<number, Tables[T]> {
      const out = new Map<number, Tables[T]>();
      for (const s of getManySql(SQLITE, table, ids)) for (const row of all(table, s)) out.set(row.id, row);
      return out;
    },
    joined<K extends ReadName>(name: K, key: ReadKey<K>): ReadRow<K>[] {
      return reader(name)(key as number) as ReadRow<K>[];
    },
    find<T extends TableName>(table: T, filter: Filter<T>, options: FindOptions<T> = {}): Tables[T][] {
      const s = findSql(SQLITE, table, filter, options as FindOptions<TableName>);
      if (options.limit === 1) {
        const row = stmt(s.text).get(...s.values);
        return row === undefined ? [] : [fromSql(table, row)];
      }
      return all(table, s);
    },
    first<T extends TableName>(table: T, filter: Filter<T>): Tables[T] | undefined {
      return store.find(table, filter, { limit: 1 })[0];
    },
    count<T extends TableName>(table: T, filter: Filter<T>): number {
      const s = countSql(SQLITE, table, filter);
      return (stmt(s.text).get(...s.values) as { n: number }).n;
    },
    update<T extends TableName>(table: T, id: number, patch: Partial<Tables[T]>): void {
      store.updateIf(table, id, {}, patch);
    },
    updateIf<T extends TableName>(
      table: T,
      id: number,
      expected: Partial<Tables[T]>,
      patch: Partial<Tables[T]>,
    ): boolean {
      const s = updateSql(SQLITE, table, id, expected, patch);
      if (!s) return store.count(table, { ...expected, id } as Filter<T>) > 0;
      return stmt(s.text).run(...s.values).changes === 1;
    },
    delete<T extends TableName>(table: T, id: number): void {
      const s = deleteSql(SQLITE, table, id);
      stmt(s.text).run(...s.values);
    },
    findDue<T extends TableName>(
      table: T,
      column: keyof Tables[T] & string,
      upTo: number,
      filter: Filter<T> = {},
      limit?: number,
    ): Tables[T][] {
      return all(table, findDueSql(SQLITE, table, column, upTo, filter, limit));
    },
    deleteMany<T extends TableName>(table: T, ids: readonly number[]): void {
      for (const s of deleteManySql(SQLITE, table, ids)) stmt(s.text).run(...s.values);
    },
    begin(): void {
      stmt(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint(depth)}`).run();
      depth++;
    },
    commit(): void {
      stmt(depth === 1 ? 'COMMIT' : `RELEASE ${savepoint(depth - 1)}`).run();
      depth--;
    },
    rollback(): void {
      depth--;
      if (depth === 0) {
        // A failed statement may already have ended it (SQLite rolls back on some errors).
        if (db.inTransaction) stmt('ROLLBACK').run();
        return;
      }
      stmt(`ROLLBACK TO ${savepoint(depth)}`).run();
      stmt(`RELEASE ${savepoint(depth)}`).run();
    },
    isEmpty(): boolean {
      return (stmt(anyRowsSql()).get() as { any: number }).any === 0;
    },
    clear(): void {
      db.transaction(() => {
        for (const t of TABLE_NAMES) stmt(`DELETE FROM ${q(t)}`).run();
        // AUTOINCREMENT keeps ids unique for a table's lifetime (a deleted invitation's id is never
        // reused); a reset starts numbering afresh, as the memory store does.
        stmt('DELETE FROM sqlite_sequence').run();
      })();
    },
    close(): void {
      if (db.open) db.close();
    },
  };
  return store;
}
