// For test files that need PostgreSQL: a fresh database per file on the one server the global setup
// started (or TEST_DATABASE_URL's). Copied from a migrated template, which is much faster than
// migrating each one.
import postgres from 'postgres';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of a database on the test server, from which we create others beside it. */
    postgresUrl: string;
    /** The migrated database new ones are copied from. */
    postgresTemplate: string;
  }
}

/** `base` with its database part replaced by `dbName`. */
export function databaseUrl(base: string, dbName: string): string {
  const u = new URL(base);
  u.pathname = `/${encodeURIComponent(dbName)}`;
  return u.toString();
}

let counter = 0;

/** Runs `statement` on the server's maintenance database (CREATE/DROP DATABASE cannot be parameters). */
export async function admin(base: string, statement: string): Promise<void> {
  const sql = postgres(base, { max: 1, onnotice: () => {}, fetch_types: false });
  try {
    // Copying a template fails while another session is connected to it (another file copying it
    // has none, but a slow disconnect can linger a moment): a few tries.
    for (let attempt = 1; ; attempt++) {
      try {
        await sql.unsafe(statement);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== '55006' || attempt >= 20) throw e;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * A new database and its URL: migrated (a copy of the template) unless `empty` (nothing in it,
 * for tests of the migrations themselves).
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<string> {
  const base = inject('postgresUrl');
  const name = `sk_test_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  const template = options.empty ? 'template0' : inject('postgresTemplate');
  await admin(base, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return databaseUrl(base, name);
}

/** Drops a database createTestDatabase made (closing its connections first). */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^sk_test_[a-z0-9_]+$/.test(name)) throw new Error(`not a test database: ${name}`);
  await admin(inject('postgresUrl'), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
