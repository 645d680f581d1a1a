// Everything the demo host app needs on the mock backend's server: its pages, its page script and
// stylesheet, and the built widget. Used by `npm start` and by the e2e tests.
import { resolve } from 'node:path';
import type { Fixture } from '../../api/types.ts';
import type { ServerOptions } from '../server.ts';
import { registerDemoRoutes } from './routes.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Everything `npm start` starts the server with: the demo data, its pages, the mailbox (to this
 * machine only), and NOT test mode (no `/__test__/*`: a page of any origin could otherwise reset the
 * store or move the clock).
 */
export function demoStartOptions(opts: {
  port: number;
  db: string;
  fixture: Fixture;
  /** Replies by e-mail on this port of 127.0.0.1 (none without it). */
  inboundSmtpPort?: number;
}): ServerOptions {
  return {
    host: '127.0.0.1',
    port: opts.port,
    inboundSmtp: opts.inboundSmtpPort === undefined ? undefined : { port: opts.inboundSmtpPort },
    db: opts.db,
    fixture: opts.fixture,
    testMode: false,
    mailbox: true,
    ...demoServerOptions(opts.fixture),
  };
}

export function demoServerOptions(fixture: Fixture): Pick<ServerOptions, 'extraRoutes' | 'staticDirs'> {
  const admin = fixture.projectMembers?.find((m) => (m.role ?? 'admin') === 'admin');
  return {
    extraRoutes: (app) => registerDemoRoutes(app, { fixture, defaultUserId: admin?.userId }),
    staticDirs: {
      // Host pages of any origin load the widget as a module: the only static files with CORS.
      '/widget': { dir: resolve(ROOT, 'dist/widget'), crossOrigin: true },
      '/demo/assets': resolve(ROOT, 'dist/demo'),
      '/demo/static': resolve(ROOT, 'mock-backend/demo/public'),
    },
  };
}
