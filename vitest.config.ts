// Unit and component tests: one project per part, each next to its code (x.ts + x.test.ts).
// End-to-end tests in real Chromium live in test/e2e and run with vitest.e2e.config.ts.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'api', include: ['api/**/*.test.ts'], environment: 'node' } },
      // What holds for the repository as a whole: it stands alone, the OpenAPI document is current.
      { test: { name: 'repository', include: ['test/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'mock-backend',
          include: ['mock-backend/**/*.test.ts', 'test/contract/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          // One PostgreSQL server per run for the PostgreSQL store's tests (test/postgres-db.ts).
          globalSetup: ['test/postgres-global-setup.ts'],
        },
      },
      {
        plugins: [preact()],
        test: {
          name: 'widget',
          include: ['widget/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['widget/test-setup.ts'],
        },
      },
      {
        plugins: [preact()],
        test: {
          name: 'extension',
          include: ['extension/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['extension/test-setup.ts'],
        },
      },
    ],
  },
});
