// The SQLite store (better-sqlite3, WAL): the default, survives restarts. Node only — never imported
// by app.ts; the CLI and server inject it.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { embed, type SyncEngine } from './embedded.ts';
import { type ColumnType, SCHEMA, TABLE_NAMES, type TableName, type Tables } from './schema.ts';
import type { Filter, FindOptions, MemberContact, MemberWithPeople, NewRow, Store } from './types.ts';

const SQL_TYPE: Record<ColumnType, string> = { int: 'INTEGER', text: 'TEXT', bool: 'INTEGER', json: 'TEXT' };
const q = (name: string) => `"${name}"`;

function columnsOf(table: TableName): [string, ColumnType][] {
  return Object.entries(SCHEMA[table].columns) as [string, ColumnType][];
}

function createSchemaSql(part?: 'tables' | 'indexes'): string {
  const parts: string[] = [];
  for (const table of TABLE_NAMES) {
    const cols = columnsOf(table).map(([c, t]) => `${q(c)} ${SQL_TYPE[t]}`);
    // AUTOINCREMENT: ids are never reused, so a stale id cannot reach a newer row.
    if (part !== 'indexes')
      parts.push(
        `CREATE TABLE IF NOT EXISTS ${q(table)} (id INTEGER PRIMARY KEY AUTOINCREMENT, ${cols.join(', ')});`,
      );
    if (part === 'tables') continue;
    const def = SCHEMA[table];
    for (const idx of def.unique ?? [])
      parts.push(
        `CREATE UNIQUE INDEX IF NOT EXISTS ${q(`u_${table}_${idx.join('_')}`)} ON ${q(table)} (${idx.map(q).join(', ')});`,
      );
    for (const idx of def.indexes ?? [])
      parts.push(
        `CREATE INDEX IF NOT EXISTS ${q(`i_${table}_${idx.join('_')}`)} ON ${q(table)} (${idx.map(q).join(', ')});`,
      );
  }
  return parts.join('\n');
}

type SqlValue = number | string | null;

function whole(n: number): number {
  if (!Number.isSafeInteger(n) || n < -1) throw new Error(`Invalid LIMIT/OFFSET ${n}`);
  return n;
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

function reasonOf(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return 'it is locked by another process (is another backend running on it?)';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return 'it is not a database or is corrupt (delete it to start over)';
  if (code === 'SQLITE_CANTOPEN') return 'the file cannot be opened (check the path and its permissions)';
  if (code === 'SQLITE_READONLY') return 'the file is read-only';
  return e instanceof Error ? e.message : String(e);
}

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
    db.exec(createSchemaSql());
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
    throw new DatabaseOpenError(file === ':memory:' ? file : resolve(file), reasonOf(e));
  }

  const types = new Map<TableName, Map<string, ColumnType>>();
  for (const t of TABLE_NAMES) types.set(t, new Map(columnsOf(t)));

  const statements = new Map<string, Database.Statement>();
  function stmt(sql: string): Database.Statement {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  }

  function toSql(table: TableName, column: string, value: unknown): SqlValue {
    if (value === null || value === undefined) return null;
    const type = types.get(table)?.get(column);
    if (type === 'bool') return value ? 1 : 0;
    if (type === 'json') return JSON.stringify(value);
    if (typeof value === 'number' || typeof value === 'string') return value;
    return String(value);
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

  function where(table: TableName, filter: Record<string, unknown>): { sql: string; values: SqlValue[] } {
    const keys = Object.keys(filter).filter((k) => filter[k] !== undefined);
    for (const k of keys) if (k !== 'id' && !types.get(table)?.has(k)) throw new Error(`Unknown column ${k}`);
    return {
      // IS matches NULL as well as values, like the memory store's equality.
      sql: keys.map((k) => `${q(k)} IS ?`).join(' AND '),
      values: keys.map((k) => toSql(table, k, filter[k])),
    };
  }

  /** `(a IN (…) AND b IN (…)) OR (…)`; an empty group list, or an empty IN list, matches nothing. */
  function anyOfSql(
    table: TableName,
    groups: Record<string, readonly unknown[] | undefined>[],
  ): { sql: string; values: SqlValue[] } {
    const values: SqlValue[] = [];
    const parts = groups.map((group) => {
      const keys = Object.keys(group).filter((k) => group[k] !== undefined);
      if (keys.length === 0) return '1';
      return keys
        .map((k) => {
          if (k !== 'id' && !types.get(table)?.has(k)) throw new Error(`Unknown column ${k}`);
          const list = group[k] ?? [];
          if (list.length === 0) return '0';
          values.push(...list.map((v) => toSql(table, k, v)));
          return `${q(k)} IN (${list.map(() => '?').join(', ')})`;
        })
        .join(' AND ');
    });
    return { sql: parts.length ? `(${parts.map((p) => `(${p})`).join(' OR ')})` : '0', values };
  }

  // A project's members with their people: one statement, rows as arrays (raw), each made into one
  // object literal here. better-sqlite3 builds a keyed object per row far more slowly (about half the
  // cost of this read, measured on the large bench profile); the column order is the SELECT's.
  const membersWithPeople = db
    .prepare(
      `SELECT m.userId, m.role, m.kind, m.reason, m.created, m.expires, m.invitorId, m.approverId,
              u.name, u.email, u.mfaEnabled, i.name, i.email, a.name, a.email
       FROM projectMembers m
       LEFT JOIN users u ON u.id = m.userId
       LEFT JOIN users i ON i.id = m.invitorId
       LEFT JOIN users a ON a.id = m.approverId
       WHERE m.projectId = ?
       ORDER BY m.id`,
    )
    .raw(true);
  const memberContacts = db
    .prepare(
      `SELECT m.userId, m.role, m.kind, m.expires, u.email, u.isSuperAdmin
       FROM projectMembers m
       LEFT JOIN users u ON u.id = m.userId
       WHERE m.projectId = ?
       ORDER BY m.id`,
    )
    .raw(true);
  type Cell = number | string | null;
  const bool = (v: Cell): boolean | null => (v === null ? null : v === 1);

  // Open transaction levels: the outermost is BEGIN … COMMIT, the ones inside it savepoints.
  let depth = 0;
  const savepoint = (level: number) => `sp${level}`;

  const store: SyncEngine = {
    kind: 'sqlite',
    insert<T extends TableName>(table: T, row: NewRow<T>): number {
      const cols = ['id', ...columnsOf(table).map(([c]) => c)];
      const record = row as Record<string, unknown>;
      const sql = `INSERT INTO ${q(table)} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
      const info = stmt(sql).run(...cols.map((c) => toSql(table, c, record[c])));
      return Number(info.lastInsertRowid);
    },
    get<T extends TableName>(table: T, id: number): Tables[T] | undefined {
      const raw = stmt(`SELECT * FROM ${q(table)} WHERE id = ?`).get(id);
      return raw === undefined ? undefined : fromSql(table, raw);
    },
    getMany<T extends TableName>(table: T, ids: readonly number[]): Map<number, Tables[T]> {
      const out = new Map<number, Tables[T]>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = stmt(`SELECT * FROM ${q(table)} WHERE id IN (${chunk.map(() => '?').join(', ')})`).all(
          ...chunk,
        );
        for (const raw of rows) {
          const row = fromSql(table, raw);
          out.set(row.id, row);
        }
      }
      return out;
    },
    projectMembersWithPeople(projectId: number): MemberWithPeople[] {
      return (membersWithPeople.all(projectId) as Cell[][]).map(
        (r): MemberWithPeople => ({
          userId: r[0] as number,
          role: r[1] as MemberWithPeople['role'],
          kind: r[2] as MemberWithPeople['kind'],
          reason: r[3] as string | null,
          created: r[4] as number,
          expires: r[5] as number | null,
          invitorId: r[6] as number | null,
          approverId: r[7] as number | null,
          userName: r[8] as string | null,
          userEmail: r[9] as string | null,
          userMfaEnabled: bool(r[10] ?? null),
          invitorName: r[11] as string | null,
          invitorEmail: r[12] as string | null,
          approverName: r[13] as string | null,
          approverEmail: r[14] as string | null,
        }),
      );
    },
    projectMemberContacts(projectId: number): MemberContact[] {
      return (memberContacts.all(projectId) as Cell[][]).map(
        (r): MemberContact => ({
          userId: r[0] as number,
          role: r[1] as MemberContact['role'],
          kind: r[2] as MemberContact['kind'],
          expires: r[3] as number | null,
          email: r[4] as string | null,
          isSuperAdmin: bool(r[5] ?? null),
        }),
      );
    },
    find<T extends TableName>(table: T, filter: Filter<T>, options: FindOptions<T> = {}): Tables[T][] {
      const w = where(table, filter as Record<string, unknown>);
      const conds = [w.sql, options.afterId !== undefined ? 'id > ?' : ''].filter(Boolean);
      const values: SqlValue[] = [...w.values];
      if (options.afterId !== undefined) values.push(options.afterId);
      if (options.anyOf !== undefined) {
        const any = anyOfSql(table, options.anyOf as Record<string, readonly unknown[] | undefined>[]);
        conds.push(any.sql);
        values.push(...any.values);
      }
      let sql = `SELECT * FROM ${q(table)}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''} ORDER BY id ${options.desc ? 'DESC' : 'ASC'}`;
      // Literals, not bound parameters: with a bound LIMIT the planner cannot pick the cheap plan.
      if (options.limit !== undefined || options.offset !== undefined)
        sql += ` LIMIT ${whole(options.limit ?? -1)} OFFSET ${whole(options.offset ?? 0)}`;
      const s = stmt(sql);
      if (options.limit === 1) {
        const row = s.get(...values);
        return row === undefined ? [] : [fromSql(table, row)];
      }
      return s.all(...values).map((r) => fromSql(table, r));
    },
    first<T extends TableName>(table: T, filter: Filter<T>): Tables[T] | undefined {
      return store.find(table, filter, { limit: 1 })[0];
    },
    count<T extends TableName>(table: T, filter: Filter<T>): number {
      const w = where(table, filter as Record<string, unknown>);
      const raw = stmt(`SELECT COUNT(*) AS n FROM ${q(table)}${w.sql ? ` WHERE ${w.sql}` : ''}`).get(
        ...w.values,
      );
      return (raw as { n: number }).n;
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
      const p = patch as Record<string, unknown>;
      const keys = Object.keys(p).filter((k) => p[k] !== undefined && k !== 'id');
      const w = where(table, expected as Record<string, unknown>);
      if (keys.length === 0) return store.count(table, { ...expected, id } as Filter<T>) > 0;
      const sql = `UPDATE ${q(table)} SET ${keys.map((k) => `${q(k)} = ?`).join(', ')} WHERE id = ?${w.sql ? ` AND ${w.sql}` : ''}`;
      const info = stmt(sql).run(...keys.map((k) => toSql(table, k, p[k])), id, ...w.values);
      return info.changes === 1;
    },
    delete<T extends TableName>(table: T, id: number): void {
      stmt(`DELETE FROM ${q(table)} WHERE id = ?`).run(id);
    },
    findDue<T extends TableName>(
      table: T,
      column: keyof Tables[T] & string,
      upTo: number,
      filter: Filter<T> = {},
      limit?: number,
    ): Tables[T][] {
      if (!types.get(table)?.has(column)) throw new Error(`Unknown column ${column}`);
      const w = where(table, filter as Record<string, unknown>);
      const sql = `SELECT * FROM ${q(table)} WHERE ${q(column)} IS NOT NULL AND ${q(column)} <= ?${w.sql ? ` AND ${w.sql}` : ''} ORDER BY ${q(column)}, id${limit === undefined ? '' : ` LIMIT ${whole(limit)}`}`;
      return stmt(sql)
        .all(upTo, ...w.values)
        .map((r) => fromSql(table, r));
    },
    deleteMany<T extends TableName>(table: T, ids: readonly number[]): void {
      // Chunks stay well under SQLite's limit on bound parameters.
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        stmt(`DELETE FROM ${q(table)} WHERE id IN (${chunk.map(() => '?').join(', ')})`).run(...chunk);
      }
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
      return TABLE_NAMES.every((t) => stmt(`SELECT 1 FROM ${q(t)} LIMIT 1`).get() === undefined);
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
