// The PostgreSQL store (the `postgres` client): several backend instances share one database behind
// one address. Node only — never imported by app.ts; the CLI and server inject it. Same answers as
// sqlite.ts for the same calls (store-suite.ts runs on both). Parameterized queries only: the only
// identifiers in SQL text are schema.ts's table and column names, quoted.
//
// Transactions take turns: each takes one transaction-level advisory lock (the writer lock) as its
// first statement and runs at READ COMMITTED, so every statement sees every transaction that
// committed before it, across instances, and no two transactions interleave (SQLite's one-writer
// model, shared by every instance). Optimistic SERIALIZABLE transactions were tried first: under
// concurrent writes to one project (the bench's request → approve → leave loops) most pairs
// conflicted, and some exhausted their retries and failed. Statements outside a transaction (root
// reads, single-statement updates) do not wait for the lock; each is atomic on its own. In this
// process, transactions queue before they take a pooled connection, so waiters never use up the pool.
//
// Differences a caller can notice:
// - a statement that fails inside a transaction aborts that transaction (PostgreSQL's rule), even if
//   `fn` catches the error; wrap such a statement in a nested `tx.transaction` (a savepoint).
// - TEXT and JSONB refuse the NUL character (SQLite keeps it); JSONB does not keep key order.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { SharedOffset } from '../clock.ts';
import { READ_SPECS, type ReadKey, type ReadName, type ReadRow } from './reads.ts';
import { type ColumnType, TABLE_NAMES, type TableName, type Tables } from './schema.ts';
import {
  anyRowsSql,
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
  typeOf,
  updateSql,
  whole,
} from './sql.ts';
import type { Filter, FindOptions, NewRow, Store } from './types.ts';

/** int8 (ids, times in ms, counts) read back as JS numbers: every value we store is a safe integer. */
const TYPES = {
  bigint: {
    to: 20,
    from: [20],
    serialize: (x: number) => String(x),
    parse: (x: string) => Number(x),
  },
};
type Types = { bigint: number };
export type PgSql = postgres.Sql<Types>;
type Runner = postgres.ISql<Types>;
type TxSql = postgres.TransactionSql<Types>;

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** The folder of numbered migration files (default migrations/postgres beside this file). */
  migrationsDir?: string;
  /** Attempts of a transaction that hits a deadlock or serialization failure (default 10). */
  maxAttempts?: number;
}

export interface PgExtras {
  readonly kind: 'postgres';
  /** The pool: for the bus (LISTEN/NOTIFY) and the rate-limit store. */
  readonly sql: PgSql;
  /** Transactions run again after a serialization failure or deadlock, since open. */
  retries(): number;
  /** Shared key/value state (the `settings` table), e.g. the test clock's offset. */
  getSetting<V>(key: string): Promise<V | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;
}
export type PostgresStore = Store & PgExtras;

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/postgres/', import.meta.url));

/** A stable signed 64-bit advisory-lock key for a name (as a decimal string, int8's text form). */
export function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
const WRITER_LOCK = lockKey('support-kit:writer');
const MIGRATIONS_LOCK = lockKey('support-kit:migrations');
const tryLockKey = (key: string) => lockKey(`support-kit:lock:${key}`);

/**
 * Tables whose ids readers follow as a cursor (SSE `Last-Event-ID`, the mail worker's outbox
 * position). An identity value is taken at insert but visible at commit, so ids are in commit order
 * only if their writers take turns: they do inside a transaction (the writer lock), so a root insert
 * there runs as one.
 */
const ORDERED = new Set<TableName>(['events', 'outbox']);

const ARRAY_TYPE: Record<ColumnType, string> = {
  int: 'bigint[]',
  text: 'text[]',
  bool: 'boolean[]',
  json: 'jsonb[]',
};

function int(table: TableName, column: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new Error(`${table}.${column} holds whole numbers: got ${JSON.stringify(value)}`);
  return value;
}

/** A value as the parameter its column takes (JSON goes as text, cast to jsonb in the SQL). */
function toParam(table: TableName, column: string, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  switch (typeOf(table, column)) {
    case 'int':
      return int(table, column, value);
    case 'bool':
      return Boolean(value);
    case 'json':
      return JSON.stringify(value);
    case 'text':
      return typeof value === 'string' ? value : String(value);
  }
}

/** A list as an array literal, passed as one text parameter (no per-length statements, no limit). */
function arrayLiteral(table: TableName, column: string, list: readonly unknown[]): string {
  const type = typeOf(table, column);
  const items = list.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (type === 'int') return String(int(table, column, v));
    if (type === 'bool') return v ? 't' : 'f';
    const s = type === 'json' ? JSON.stringify(v) : String(v);
    return `"${s.replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${items.join(',')}}`;
}

/** SQLite's LIMIT -1 is "no limit". */
const limitSql = (n: number) => (whole(n) < 0 ? 'ALL' : String(n));

/** PostgreSQL's spelling: `$n` placeholders, JSON cast from text, lists as one array parameter. */
export const POSTGRES: Dialect = {
  param(values, table, column, value) {
    values.push(toParam(table, column, value));
    const p = `$${values.length}`;
    return typeOf(table, column) === 'json' ? `${p}::text::jsonb` : p;
  },
  equals(values, table, column, value) {
    return value === null
      ? `${q(column)} IS NULL`
      : `${q(column)} = ${POSTGRES.param(values, table, column, value)}`;
  },
  oneOf(values, table, column, list) {
    values.push(arrayLiteral(table, column, list));
    return `${q(column)} = ANY($${values.length}::text::${ARRAY_TYPE[typeOf(table, column)]})`;
  },
  true: 'TRUE',
  false: 'FALSE',
  limit: limitSql,
  offset: (n) => String(Math.max(0, whole(n))),
  chunk: 1000,
  insertsNullId: false,
  returning: true,
  // int -> BIGINT (times in ms exceed int4).
  types: { int: 'BIGINT', text: 'TEXT', bool: 'BOOLEAN', json: 'JSONB' },
  // GENERATED BY DEFAULT so fixtures can insert explicit ids (the store then moves the sequence past
  // them); never reused, like SQLite's AUTOINCREMENT.
  id: 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY',
};

type Row = Record<string, unknown>;

/** One transaction (or savepoint) in progress. */
interface Scope {
  sql: TxSql;
  /**
   * Tables given explicit ids in this transaction (fixtures), with the highest: their identity is
   * moved past once, before the next generated id of that table or at the end, not once per row.
   */
  explicitIds: Map<TableName, number>;
}

const SETVAL = `SELECT setval(s, GREATEST($2::int8, COALESCE(pg_sequence_last_value(s::regclass), 0)))
   FROM pg_get_serial_sequence($1, 'id') AS s`;

const RETRYABLE = new Set(['40001', '40P01']);
function retryable(e: unknown): boolean {
  for (let x = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE.has(code)) return true;
  }
  return false;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The SQL each transaction-bound store runs on, for publishInTx (postgres-bus.ts). */
const scopes = new WeakMap<Store, Scope>();
/** The transaction a store from `transaction(fn)` is bound to; undefined for a root store. */
export function transactionSql(store: Store): TxSql | undefined {
  return scopes.get(store)?.sql;
}

/** The database cannot be used: one line naming it (without its password) and why. */
export class PostgresOpenError extends Error {
  override readonly name = 'PostgresOpenError';
  constructor(
    readonly target: string,
    reason: string,
  ) {
    super(`Cannot open the PostgreSQL database ${target}: ${reason}`);
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an invalid URL)';
  }
}

/** What the client's and PostgreSQL's error codes mean for the person starting the backend. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'no server answers there (is PostgreSQL running?)',
  ENOTFOUND: 'the host name does not resolve',
  '3D000': 'that database does not exist (create it first)',
  '28P01': 'the server refused the user or password',
  '28000': 'the server refused the user or password',
  CONNECT_TIMEOUT: 'the server did not answer in time',
};

// ---------------------------------------------------------------------------------------------
// Migrations

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Files named `0001_name.sql`, in version order. Any other file there is an error. */
export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m?.[1] || !m[2])
      throw new Error(`${join(dir, file)}: migration files are named like 0002_add_thing.sql`);
    const version = Number(m[1]);
    if (out.some((x) => x.version === version)) throw new Error(`${dir}: two migrations numbered ${m[1]}`);
    const sql = readFileSync(join(dir, file), 'utf8');
    out.push({ version, name: m[2], sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

/**
 * Applies the migrations not yet applied, each in one transaction, recorded in schema_migrations.
 * A session advisory lock keeps two instances starting at once from racing (the second waits, then
 * finds them applied). An applied file that changed since, or an applied version this code lacks,
 * is an error: the database was made by other code.
 */
export async function migrate(sql: PgSql, dir: string = DEFAULT_MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  const applied: string[] = [];
  const conn = await sql.reserve();
  try {
    await conn.unsafe('SELECT pg_advisory_lock($1::int8)', [MIGRATIONS_LOCK]);
    try {
      await conn.unsafe(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      const done = (await conn.unsafe(
        'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
      )) as unknown as { version: number; name: string; checksum: string }[];
      for (const row of done) {
        const m = migrations.find((x) => x.version === row.version);
        if (!m)
          throw new Error(
            `the database has migration ${row.version} (${row.name}), which this code does not have: it was made by a newer version`,
          );
        if (m.checksum !== row.checksum)
          throw new Error(
            `migration ${String(m.version).padStart(4, '0')}_${m.name}.sql changed after it was applied to this database (checksum ${row.checksum.slice(0, 12)}…, the file now ${m.checksum.slice(0, 12)}…): never edit an applied migration, add a new one`,
          );
      }
      for (const m of migrations) {
        if (done.some((r) => r.version === m.version)) continue;
        await conn.unsafe('BEGIN');
        try {
          await conn.unsafe(m.sql).simple();
          await conn.unsafe('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            m.version,
            m.name,
            m.checksum,
          ]);
          await conn.unsafe('COMMIT');
        } catch (e) {
          await conn.unsafe('ROLLBACK').catch(() => {});
          throw new Error(
            `migration ${m.version} (${m.name}) failed: ${e instanceof Error ? e.message : e}`,
            {
              cause: e,
            },
          );
        }
        applied.push(`${m.version}_${m.name}`);
      }
    } finally {
      await conn.unsafe('SELECT pg_advisory_unlock($1::int8)', [MIGRATIONS_LOCK]).catch(() => {});
    }
  } finally {
    conn.release();
  }
  return applied;
}

// ---------------------------------------------------------------------------------------------
// The store

/** Opens a pool on `url`, applies pending migrations, and answers the store. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  let sql: PgSql;
  try {
    sql = postgres(url, {
      max: options.max ?? 10,
      types: TYPES,
      // Array types are not needed (lists go as text literals): one round trip less per connection.
      fetch_types: false,
      onnotice: (n) => {
        if (n.severity !== 'NOTICE' && n.severity !== 'DEBUG') console.warn(`[postgres] ${n.message}`);
      },
      connection: { application_name: 'support-kit' },
    });
  } catch (e) {
    throw new PostgresOpenError(redact(url), reasonOf(e, REASONS));
  }
  try {
    await sql.unsafe('SELECT 1');
  } catch (e) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw new PostgresOpenError(redact(url), reasonOf(e, REASONS));
  }
  try {
    await migrate(sql, options.migrationsDir);
  } catch (e) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw new PostgresOpenError(redact(url), reasonOf(e, REASONS));
  }
  return createStore(sql, options.maxAttempts ?? 10);
}

function createStore(pool: PgSql, maxAttempts: number): PostgresStore {
  let retries = 0;

  async function rows(run: Runner, text: string, values: SqlValue[] = []): Promise<Row[]> {
    // A plain array (the client's result is an Array subclass carrying query metadata).
    // Prepared (named, kept per connection): the texts are few (one per table and filter shape,
    // lists go as one array parameter), and parsing and planning each anew cost more than the query.
    return Array.from((await run.unsafe(text, values, { prepare: true })) as unknown as Row[]);
  }

  // Nothing to convert: the client answers fresh plain objects, jsonb parsed and int8 as numbers
  // (TYPES), booleans as booleans.
  function fromSql<T extends TableName>(_table: T, raw: Row): Tables[T] {
    return raw as unknown as Tables[T];
  }

  /** Moves the identity of `only` (or of every table) past the explicit ids this transaction gave. */
  async function moveIdentities(scope: Scope, only?: TableName): Promise<void> {
    for (const [table, max] of [...scope.explicitIds]) {
      if (only && table !== only) continue;
      await scope.sql.unsafe(SETVAL, [q(table), max]);
      scope.explicitIds.delete(table);
    }
  }

  // This process's transactions, one after another (FIFO), before each takes a pooled connection.
  let turn: Promise<unknown> = Promise.resolve();
  function inTurn<R>(run: () => Promise<R>): Promise<R> {
    const result = turn.then(run, run);
    turn = result.catch(() => {});
    return result;
  }

  function runTransaction<R>(fn: (tx: Store) => Promise<R>): Promise<R> {
    return inTurn(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return (await pool.begin('isolation level read committed', async (t) => {
            const scope: Scope = { sql: t, explicitIds: new Map() };
            // First, before any read: what this transaction reads is what every earlier one wrote.
            await t.unsafe('SELECT pg_advisory_xact_lock($1::int8)', [WRITER_LOCK], { prepare: true });
            const result = await fn(bind(t, scope));
            await moveIdentities(scope);
            return result;
          })) as R;
        } catch (e) {
          if (!retryable(e) || attempt >= maxAttempts) throw e;
          retries++;
          await sleep(Math.random() * Math.min(200, 5 * 2 ** attempt));
        }
      }
    });
  }

  function bind(run: Runner, scope: Scope | null): PostgresStore {
    const store: PostgresStore = {
      kind: 'postgres',
      sql: pool,
      retries: () => retries,

      async insert<T extends TableName>(table: T, row: NewRow<T>): Promise<number> {
        if (ORDERED.has(table) && !scope) return runTransaction((tx) => tx.insert(table, row));
        const s = insertSql(POSTGRES, table, row);
        if (!s.explicitId && scope?.explicitIds.has(table)) await moveIdentities(scope, table);
        const [inserted] = await rows(run, s.text, s.values);
        const id = inserted?.id as number;
        // An explicit id (fixtures) does not move the identity: move it past, never back (in a
        // transaction once per table, see Scope.explicitIds).
        if (s.explicitId && scope)
          scope.explicitIds.set(table, Math.max(id, scope.explicitIds.get(table) ?? 0));
        else if (s.explicitId) await run.unsafe(SETVAL, [q(table), id]);
        return id;
      },

      async get<T extends TableName>(table: T, id: number): Promise<Tables[T] | undefined> {
        const s = getSql(POSTGRES, table, id);
        const [raw] = await rows(run, s.text, s.values);
        return raw === undefined ? undefined : fromSql(table, raw);
      },

      async getMany<T extends TableName>(table: T, ids: readonly number[]): Promise<Map<number, Tables[T]>> {
        const out = new Map<number, Tables[T]>();
        for (const s of getManySql(POSTGRES, table, ids))
          for (const raw of await rows(run, s.text, s.values)) {
            const row = fromSql(table, raw);
            out.set(row.id, row);
          }
        return out;
      },

      async joined<K extends ReadName>(name: K, key: ReadKey<K>): Promise<ReadRow<K>[]> {
        // The client answers the fields by their names (the SELECT's aliases), booleans as booleans.
        const s = readSql(POSTGRES, READ_SPECS[name], key as number);
        return (await rows(run, s.text, s.values)) as unknown as ReadRow<K>[];
      },

      async find<T extends TableName>(
        table: T,
        filter: Filter<T>,
        options: FindOptions<T> = {},
      ): Promise<Tables[T][]> {
        const s = findSql(POSTGRES, table, filter, options as FindOptions<TableName>);
        return (await rows(run, s.text, s.values)).map((r) => fromSql(table, r));
      },

      async first<T extends TableName>(table: T, filter: Filter<T>): Promise<Tables[T] | undefined> {
        return (await store.find(table, filter, { limit: 1 }))[0];
      },

      async count<T extends TableName>(table: T, filter: Filter<T>): Promise<number> {
        const s = countSql(POSTGRES, table, filter);
        const [raw] = await rows(run, s.text, s.values);
        return Number(raw?.n ?? 0);
      },

      async update<T extends TableName>(table: T, id: number, patch: Partial<Tables[T]>): Promise<void> {
        await store.updateIf(table, id, {}, patch);
      },

      async updateIf<T extends TableName>(
        table: T,
        id: number,
        expected: Partial<Tables[T]>,
        patch: Partial<Tables[T]>,
      ): Promise<boolean> {
        const s = updateSql(POSTGRES, table, id, expected, patch);
        if (!s) return (await store.count(table, { ...expected, id } as Filter<T>)) > 0;
        return (await rows(run, s.text, s.values)).length === 1;
      },

      async delete<T extends TableName>(table: T, id: number): Promise<void> {
        const s = deleteSql(POSTGRES, table, id);
        await rows(run, s.text, s.values);
      },

      async findDue<T extends TableName>(
        table: T,
        column: keyof Tables[T] & string,
        upTo: number,
        filter: Filter<T> = {},
        limit?: number,
      ): Promise<Tables[T][]> {
        const s = findDueSql(POSTGRES, table, column, upTo, filter, limit);
        return (await rows(run, s.text, s.values)).map((r) => fromSql(table, r));
      },

      async deleteMany<T extends TableName>(table: T, ids: readonly number[]): Promise<void> {
        for (const s of deleteManySql(POSTGRES, table, ids)) await rows(run, s.text, s.values);
      },

      async transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R> {
        if (!scope) return runTransaction(fn);
        // Nested: a savepoint, under the enclosing transaction's writer lock.
        const parent = scope;
        return (await parent.sql.savepoint((sp) =>
          fn(bind(sp, { sql: sp, explicitIds: parent.explicitIds })),
        )) as R;
      },

      async tryLock(key: string): Promise<boolean> {
        if (!scope)
          throw new Error(
            'tryLock() holds its lock until the transaction ends: call it on the store a transaction hands you (store.transaction(async (tx) => tx.tryLock(key)))',
          );
        const [raw] = await rows(scope.sql, 'SELECT pg_try_advisory_xact_lock($1::int8) AS ok', [
          tryLockKey(key),
        ]);
        return raw?.ok === true;
      },

      async isEmpty(): Promise<boolean> {
        const [raw] = await rows(run, anyRowsSql());
        return raw?.any === false;
      },

      async clear(): Promise<void> {
        // One statement; RESTART IDENTITY is undone too if the enclosing transaction rolls back.
        await run.unsafe(`TRUNCATE ${TABLE_NAMES.map(q).join(', ')} RESTART IDENTITY`);
      },

      async close(): Promise<void> {
        if (scope) throw new Error('close() the store openPostgresStore answered, not a transaction’s');
        await pool.end({ timeout: 5 });
      },

      async getSetting<V>(key: string): Promise<V | undefined> {
        const [raw] = await rows(run, 'SELECT value FROM settings WHERE key = $1', [key]);
        return raw === undefined ? undefined : (raw.value as V);
      },

      async setSetting(key: string, value: unknown): Promise<void> {
        if (value === undefined)
          throw new Error(`setSetting(${key}): the value must be JSON (not undefined)`);
        await run.unsafe(
          'INSERT INTO settings (key, value) VALUES ($1, $2::text::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
          [key, JSON.stringify(value)],
        );
      },
    };
    if (scope) scopes.set(store, scope);
    return store;
  }

  return bind(pool, null);
}

/** The shared test clock's offset (clock.ts's SharedOffset) in the `settings` table. */
export function settingsClockOffset(store: PostgresStore, key = 'clockOffsetMs'): SharedOffset {
  return {
    async read() {
      const v = await store.getSetting<unknown>(key);
      return typeof v === 'number' && Number.isSafeInteger(v) ? v : 0;
    },
    async add(ms) {
      if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`The clock only moves forward: got ${ms} ms`);
      // One statement: two instances moving the clock at once add up, neither move is lost.
      const [row] = (await store.sql.unsafe(
        `INSERT INTO settings (key, value) VALUES ($1, to_jsonb($2::int8))
         ON CONFLICT (key) DO UPDATE SET value = to_jsonb(COALESCE((settings.value #>> '{}')::int8, 0) + $2::int8)
         RETURNING (value #>> '{}')::int8 AS total`,
        [key, ms],
      )) as unknown as { total: number }[];
      if (!row) throw new Error('the clock offset update answered no row');
      return row.total;
    },
  };
}
