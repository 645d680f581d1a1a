// For rule tests that must hold on every store: memory, SQLite (a file of its own) and PostgreSQL (a
// database of the test file's own on the test server, emptied for each test). Call `storesForTests()`
// at the top of a test file; `describe.each(STORE_NAMES)` and `await open(name)` in each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../../test/postgres-db.ts';
import { createMemoryStore } from './memory.ts';
import { openPostgresStore } from './postgres.ts';
import { createSqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

export const STORE_NAMES = ['memory', 'sqlite', 'postgres'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

export function storesForTests(): (name: StoreName) => Promise<Store> {
  let url = '';
  const opened: Store[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    url = await createTestDatabase();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => {});
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  afterAll(async () => {
    if (url) await dropTestDatabase(url);
  });
  return async (name) => {
    let store: Store;
    if (name === 'memory') store = createMemoryStore();
    else if (name === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'sk-each-store-'));
      dirs.push(dir);
      store = createSqliteStore(join(dir, 'db.sqlite'));
    } else {
      store = await openPostgresStore(url, { max: 4 });
      await store.clear();
    }
    opened.push(store);
    return store;
  };
}
