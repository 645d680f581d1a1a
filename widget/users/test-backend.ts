// Component tests' backend: MSW forwarding to the real HTTP app over a memory store with the demo
// data, reset before each test. Acting as another demo user goes through the same typed client.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createClient } from '../../api/client.ts';
import type { Flavor } from '../../mock-backend/app.ts';
import { createMockBackend } from '../../mock-backend/msw.ts';
import { TOKENS } from '../../mock-backend/testing.ts';

export const BASE = 'http://support-kit.test';

export { TOKENS };

export const as = (who: keyof typeof TOKENS) => createClient({ baseUrl: BASE, token: TOKENS[who] });

/** `flavor: 'keboola'` answers in Keboola's wire shapes (mock-backend/flavors/README.md). */
export function useBackend(flavor: Flavor = 'default') {
  const mock = createMockBackend({ baseUrl: BASE, options: { flavor } });
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => mock.reset());
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { mock, server };
}
