// Vitest global setup: one PostgreSQL server per test run (a throwaway cluster, or the server of
// TEST_DATABASE_URL when set), with a migrated template database that test files copy
// (test/postgres-db.ts). Provides `postgresUrl` and `postgresTemplate`.
import type { TestProject } from 'vitest/node';
import { openPostgresStore } from '../mock-backend/store/postgres.ts';
import { startPostgres } from './postgres.ts';
import { admin, databaseUrl } from './postgres-db.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL;
  const server = external ? undefined : await startPostgres();
  // Admin statements go to the URL's own database; new databases sit beside it.
  const base = external ?? server?.url('postgres') ?? '';
  // A name of its own per run: on a shared server, an older run's template may hold older migrations.
  const template = `sk_template_${process.pid}_${Date.now().toString(36)}`;
  try {
    await admin(base, `CREATE DATABASE "${template}"`);
    const store = await openPostgresStore(databaseUrl(base, template), { max: 1 });
    await store.close();
  } catch (e) {
    await server?.stop();
    throw e;
  }
  project.provide('postgresUrl', base);
  project.provide('postgresTemplate', template);
  return async () => {
    try {
      if (external) await admin(base, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    } finally {
      await server?.stop();
    }
  };
}
