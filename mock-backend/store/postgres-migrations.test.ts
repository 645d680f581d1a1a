// The migrations and schema.ts must never drift: after every migration, the database has exactly
// schema.ts's tables, columns (with their types), unique constraints and indexes, plus the tables
// that are not Store tables.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../../test/postgres-db.ts';
import { openPostgresStore } from './postgres.ts';
import { type ColumnType, SCHEMA, TABLE_NAMES } from './schema.ts';

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
