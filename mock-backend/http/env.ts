// Hono's environment of the HTTP layer, in a module of its own: the route helpers (common.ts) and the
// rate limits (rate-limit.ts) both need it, and neither needs the other for it.
import type { Context } from 'hono';
import type { UserRow } from '../store/schema.ts';

/** What @hono/node-server passes as the env (absent when the app is called in-process or by MSW). */
export type Bindings =
  | { incoming?: { socket?: { remoteAddress?: string; localPort?: number; destroy?: () => void } } }
  | undefined;
export type Env = { Variables: { user: UserRow }; Bindings: Bindings };
export type C = Context<Env>;
