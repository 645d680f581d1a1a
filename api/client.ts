// The typed Manage API client: every endpoint, ours included. The core (api/core-client.ts) with the
// ticket threads and the grants (api/conversations.ts), for the extension, the tests and the demo;
// the widget's parts take the core and add only what they use.
import { threadMethods } from './conversations.ts';
import { createCoreClient } from './core-client.ts';
import { grantMethods } from './grants.ts';
import type { ClientOptions } from './transport.ts';

export type { ApiResult, ClientOptions, RequestOptions } from './transport.ts';
export { TOKEN_HEADER } from './transport.ts';

export function createClient(options: ClientOptions) {
  const c = createCoreClient(options);
  return { ...c, ...threadMethods(c), ...grantMethods(c) };
}

export type Client = ReturnType<typeof createClient>;
