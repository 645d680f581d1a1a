// The migrations and schema.ts must never drift: after every migration, the database has exactly
// schema.ts's tables, columns (with their types), unique constraints and indexes, plus the tables
// that are not Store tables; its catalog is the one schema.ts's own PostgreSQL DDL (sql.ts) makes,
// to the nullability, default and index name; and it has the SQLite store's tables, as SQLite's
// pragmas describe them. A change to schema.ts fails here until a migration makes it.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../../test/postgres-db.ts';
import {
  DEFAULT_MIGRATIONS_DIR,
  migrate,
  openPostgresStore,
  type PgSql,
  POSTGRES,
  readMigrations,
} from './postgres.ts';
import { type ColumnType, SCHEMA, TABLE_NAMES } from './schema.ts';
import { schemaSql } from './sql.ts';
import { createSqliteStore } from './sqlite.ts';

const PG_TYPE: Record<ColumnType, string> = { int: 'bigint', text: 'text', bool: 'boolean', json: 'jsonb' };
/** Tables the migrations make besides schema.ts's. */
const OTHER_TABLES = ['rateLimits', 'schema_migrations', 'settings'];

let url = '';
let sql: postgres.Sql;
beforeAll(async () => {
  // An empty database that the store migrates itself, so this checks the files, not the template.
  url = await createTestDatabase({ empty: true });
  await (await openPostgresStore(url, { max: 1 })).close();
  sql = postgres(url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql?.end();
  if (url) await dropTestDatabase(url);
});

describe('the PostgreSQL migrations against schema.ts', () => {
  it('make exactly the tables of schema.ts and the others, no more', async () => {
    const rows = await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`;
    expect(rows.map((r) => r.table_name).sort()).toEqual([...TABLE_NAMES, ...OTHER_TABLES].sort());
  });

  it('give every table exactly its columns with their types, and an identity id', async () => {
    const rows = await sql`
      SELECT table_name, column_name, data_type, is_identity, identity_generation
        FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`;
    const actual: Record<string, Record<string, string>> = {};
    for (const r of rows) {
      actual[r.table_name] ??= {};
      const t = actual[r.table_name] as Record<string, string>;
      t[r.column_name] =
        r.is_identity === 'YES' ? `${r.data_type} identity ${r.identity_generation}` : r.data_type;
    }
    for (const table of TABLE_NAMES) {
      const expected: Record<string, string> = { id: 'bigint identity BY DEFAULT' };
      for (const [column, type] of Object.entries(SCHEMA[table].columns) as [string, ColumnType][])
        expected[column] = PG_TYPE[type];
      expect({ table, columns: actual[table] }).toEqual({ table, columns: expected });
    }
  });

  it('have exactly the unique constraints and indexes of schema.ts, columns in order', async () => {
    const rows = await sql`
      SELECT t.relname AS table_name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
             array_agg(a.attname::text ORDER BY k.ord) AS columns
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`;
    const actual = (table: string, kind: 'primary' | 'unique' | 'index') =>
      rows
        .filter(
          (r) =>
            r.table_name === table &&
            (kind === 'primary'
              ? r.is_primary
              : kind === 'unique'
                ? r.is_unique && !r.is_primary
                : !r.is_unique),
        )
        .map((r) => (r.columns as string[]).join(','))
        .sort();
    for (const table of TABLE_NAMES) {
      const def = SCHEMA[table] as { unique?: string[][]; indexes?: string[][] };
      expect({ table, primary: actual(table, 'primary') }).toEqual({ table, primary: ['id'] });
      expect({ table, unique: actual(table, 'unique') }).toEqual({
        table,
        unique: (def.unique ?? []).map((c) => c.join(',')).sort(),
      });
      expect({ table, indexes: actual(table, 'index') }).toEqual({
        table,
        indexes: (def.indexes ?? []).map((c) => c.join(',')).sort(),
      });
    }
  });
});

/** Store tables, their columns in order (type, nullable) and their indexes, as PostgreSQL has them. */
async function pgCatalog(db: postgres.Sql) {
  const columns = await db`
    SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity, identity_generation
      FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`;
  const indexes = await db`
    SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`;
  const store = new Set<string>(TABLE_NAMES);
  return {
    columns: columns.filter((c) => store.has(c.table_name)).map((c) => ({ ...c })),
    indexes: indexes.filter((i) => store.has(i.tablename)).map((i) => ({ ...i })),
  };
}

/** A database's Store tables as SQLite stores them: columns (storage type, nullable), indexes. */
interface Layout {
  columns: string[];
  indexes: string[];
}
/** What SQLite stores each PostgreSQL type as (booleans as 0/1, JSON as text). */
const AS_SQLITE: Record<string, string> = {
  bigint: 'INTEGER',
  boolean: 'INTEGER',
  text: 'TEXT',
  jsonb: 'TEXT',
};

describe('the PostgreSQL migrations against the DDL schema.ts makes, and against SQLite', () => {
  it("give exactly the catalog of schema.ts's own PostgreSQL DDL: columns, types, nullability, defaults, indexes", async () => {
    const fresh = await createTestDatabase({ empty: true });
    const db = postgres(fresh, { max: 1, onnotice: () => {} });
    try {
      await db.unsafe(schemaSql(POSTGRES, false).join('\n')).simple();
      expect(await pgCatalog(sql)).toEqual(await pgCatalog(db));
    } finally {
      await db.end();
      await dropTestDatabase(fresh);
    }
  });

  it("match SQLite's tables as the SQLite store makes them (pragma table_info, index_list, index_info)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-drift-'));
    const file = join(dir, 'store.db');
    try {
      await createSqliteStore(file).close();
      const lite = new Database(file, { readonly: true });
      const sqlite: Record<string, Layout> = {};
      try {
        for (const table of TABLE_NAMES) {
          const info = lite.pragma(`table_info("${table}")`) as {
            name: string;
            type: string;
            notnull: number;
            pk: number;
          }[];
          const list = lite.pragma(`index_list("${table}")`) as { name: string; unique: number }[];
          sqlite[table] = {
            columns: info.map(
              (c) => `${c.name} ${c.type}${c.pk ? ' primary key' : c.notnull ? ' not null' : ''}`,
            ),
            indexes: list
              .map((i) => {
                const cols = (lite.pragma(`index_info("${i.name}")`) as { seqno: number; name: string }[])
                  .sort((a, b) => a.seqno - b.seqno)
                  .map((c) => c.name);
                return `${i.unique ? 'unique ' : ''}${i.name} (${cols.join(', ')})`;
              })
              .sort(),
          };
        }
      } finally {
        lite.close();
      }
      const pg: Record<string, Layout> = {};
      const catalog = await pgCatalog(sql);
      const pkeys = await sql`
        SELECT t.relname AS table_name, a.attname AS column_name
          FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
          JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         WHERE i.indisprimary`;
      const isKey = (t: string, c: string) => pkeys.some((k) => k.table_name === t && k.column_name === c);
      for (const table of TABLE_NAMES) {
        pg[table] = {
          columns: catalog.columns
            .filter((c) => c.table_name === table)
            .map(
              (c) =>
                `${c.column_name} ${AS_SQLITE[c.data_type] ?? c.data_type}${isKey(table, c.column_name) ? ' primary key' : c.is_nullable === 'NO' ? ' not null' : ''}`,
            ),
          indexes: catalog.indexes
            .filter((i) => i.tablename === table && !isPrimaryIndex(i.indexdef, table))
            .map((i) => {
              const cols = /\((.*)\)$/.exec(i.indexdef)?.[1]?.replaceAll('"', '') ?? '';
              return `${/^CREATE UNIQUE/.test(i.indexdef) ? 'unique ' : ''}${i.indexname} (${cols})`;
            })
            .sort(),
        };
      }
      expect(pg).toEqual(sqlite);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** PostgreSQL's primary key index (SQLite's INTEGER PRIMARY KEY is the rowid, not an index). */
const isPrimaryIndex = (def: string, table: string) =>
  def.includes(`"${table}_pkey"`) || def.includes(` ${table}_pkey `);

describe('0003: Storage tokens tied to the membership that made them', () => {
  it("ties an outsider's earlier token to its membership, deletes one whose membership ended, leaves a customer's alone", async () => {
    const db = await createTestDatabase({ empty: true });
    const dir = mkdtempSync(join(tmpdir(), 'sk-mig-'));
    // int8 read back as numbers, as the store reads them (migrate takes the store's kind of client).
    const s: PgSql = postgres(db, {
      max: 1,
      onnotice: () => {},
      types: {
        bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
      },
    });
    try {
      // The database as it was before 0003.
      for (const m of readMigrations().filter((m) => m.version < 3)) {
        const file = `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
        copyFileSync(join(DEFAULT_MIGRATIONS_DIR, file), join(dir, file));
      }
      await migrate(s, dir);
      await s`INSERT INTO "projectMembers" (id, "projectId", "userId", role, kind, created)
              VALUES (1, 100, 1006, 'admin', 'support', 10), (2, 100, 1005, 'admin', 'maintainer', 50)`;
      // 1: Sam's, his membership alive; 2: Nora's, her membership gone; 3: Mark's, made before his
      // current membership began (an earlier one); 4: Alice's own (not logged: a customer's).
      await s`INSERT INTO "storageTokens" (id, "projectId", "userId", "tokenHash", description, created)
              VALUES (1, 100, 1006, 'h1', 'd', 20), (2, 100, 1008, 'h2', 'd', 20), (3, 100, 1005, 'h3', 'd', 20),
                     (4, 100, 1000, 'h4', 'd', 20)`;
      for (const id of [1, 2, 3])
        await s`INSERT INTO "accessLog" ("projectId", created, action, details)
                VALUES (100, 20, 'storageTokenCreated', ${s.json({ tokenId: id })})`;
      // 0003 and every later one, in order (what follows must keep 0003's work).
      const later = readMigrations().filter((m) => m.version >= 3);
      expect(await migrate(s)).toEqual(later.map((m) => `${m.version}_${m.name}`));
      expect(later[0]?.name).toBe('storage_tokens_membership');
      const rows = await s`SELECT id, "membershipId" FROM "storageTokens" ORDER BY id`;
      expect(
        rows.map((r) => [Number(r.id), r.membershipId === null ? null : Number(r.membershipId)]),
      ).toEqual([
        [1, 1],
        [4, null],
      ]);
    } finally {
      await s.end();
      rmSync(dir, { recursive: true, force: true });
      await dropTestDatabase(db);
    }
  });
});

describe('0004: conversations', () => {
  it('gives the tickets filed before it their first state: new, active when filed, nothing said', async () => {
    const db = await createTestDatabase({ empty: true });
    const dir = mkdtempSync(join(tmpdir(), 'sk-mig-'));
    const s: PgSql = postgres(db, {
      max: 1,
      onnotice: () => {},
      types: {
        bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
      },
    });
    try {
      for (const m of readMigrations().filter((m) => m.version < 4)) {
        const file = `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
        copyFileSync(join(DEFAULT_MIGRATIONS_DIR, file), join(dir, file));
      }
      await migrate(s, dir);
      await s`INSERT INTO tickets (id, number, "reporterId", "idempotencyKey", created, subject, description, type, "projectId", "routedTo", context, attachments)
              VALUES (1, 'SK-1001', 1000, 'k', 1234, 's', 'd', 'question', 100, 'x@y.test', '{}', '[]')`;
      expect((await migrate(s))[0]).toBe('4_conversations');
      const [row] =
        await s`SELECT status, "assigneeId", "lastActivity", "solvedAt", "followsId", "customerMessages", "staffMessages" FROM tickets`;
      expect({ ...row }).toEqual({
        status: 'new',
        assigneeId: null,
        lastActivity: 1234,
        solvedAt: null,
        followsId: null,
        customerMessages: 0,
        staffMessages: 0,
      });
      // Its reporter's read mark, as a new ticket gets one.
      const marks = await s`SELECT "ticketId", "userId", "lastReadId", "staffCount" FROM "ticketReads"`;
      expect(marks.map((m) => ({ ...m }))).toEqual([
        { ticketId: 1, userId: 1000, lastReadId: 0, staffCount: 0 },
      ]);
    } finally {
      await s.end();
      rmSync(dir, { recursive: true, force: true });
      await dropTestDatabase(db);
    }
  });
});
