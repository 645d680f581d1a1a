// The Node server around the app: picks the store, loads a fixture into an empty store, runs the
// clock-driven notices and the SMTP worker, and lets the demo mount its own pages and static files.
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, extname, resolve, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Fixture } from '../api/types.ts';
import { type AppOptions, type Backend, createBackend, errorBody } from './app.ts';
import { type Clock, isShared, offsetClock, sharedOffsetClock, systemClock } from './clock.ts';
import { type Bus, createBus } from './domain/context.ts';
import { isFixture, loadFixture } from './domain/fixture.ts';
import { DEFAULT_REPLY_DOMAIN } from './domain/reply-address.ts';
import type { Bindings } from './http/common.ts';
import type { LimitsStore } from './http/rate-limit.ts';
import { type InboundServer, startInboundServer } from './mail/inbound.ts';
import { replyInbox } from './mail/reply-inbox.ts';
import { type SmtpWorker, startSmtpWorker } from './mail/smtp-worker.ts';
import { withReadCache } from './store/cached.ts';
import { createMemoryStore } from './store/memory.ts';
import {
  openPostgresStore,
  PostgresOpenError,
  type PostgresStore,
  settingsClockOffset,
} from './store/postgres.ts';
import { createPostgresBus, type PostgresBus } from './store/postgres-bus.ts';
import { postgresRateLimitStore } from './store/postgres-rate-limit.ts';
import { createSqliteStore, DatabaseOpenError } from './store/sqlite.ts';
import type { Store } from './store/types.ts';
import { systemResolver } from './webhooks/send.ts';
import { startWebhookWorker, type WebhookWorker } from './webhooks/worker.ts';

export interface ServerOptions extends AppOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * Where the data lives: a SQLite file (default `.data/backend.sqlite`), `:memory:` for the memory
   * store, or a `postgres://` / `postgresql://` URL (several instances may share that one).
   */
  db?: string;
  /** Use this store instead of opening `db`. */
  store?: Store;
  /** Loaded only into an empty store; default: the demo data. */
  fixture?: Fixture;
  clock?: Clock;
  /** SMTP delivery; default `process.env.SMTP_URL`. */
  smtpUrl?: string | null;
  smtpRetry?: { baseDelayMs?: number; maxDelayMs?: number; pollMs?: number; leaseMs?: number };
  /**
   * Replies by e-mail: an SMTP listener on this port (0: a free one) of `host` (default: the HTTP
   * server's), taking mail for `replyDomain`'s addresses (mail/inbound.ts). None without it.
   */
  inboundSmtp?: { port: number; host?: string };
  /** The webhook worker's pace (tests make retries come sooner). */
  webhookRetry?: { retryDelays?: readonly number[]; pollMs?: number; leaseSeconds?: number };
  /** Mount more routes before the API's (e.g. the demo host app's pages). */
  extraRoutes?: (app: OuterApp) => void;
  /**
   * URL prefix → directory, served as static files (e.g. `{ '/widget': 'dist/widget' }`). Only a
   * directory given as `{ dir, crossOrigin: true }` sends CORS headers (the widget, which pages of
   * any origin load as a module).
   */
  staticDirs?: Record<string, string | StaticDir>;
}

/** The app the demo mounts its routes on, in front of the API. */
export type OuterApp = Hono<{ Bindings: Bindings }>;

export interface StaticDir {
  dir: string;
  crossOrigin?: boolean;
}

/** node:crypto's SHA-256, the same hex as the app's portable one, about three times faster. */
// The one-shot form: no Hash object per request (about three times faster than createHash here).
const nodeSha256 = (token: string) => hash('sha256', token, 'hex');

export interface RunningServer {
  url: string;
  store: Store;
  backend: Backend;
  smtp: SmtpWorker | null;
  /** The inbound SMTP listener, when `inboundSmtp` asked for one. */
  inbound: InboundServer | null;
  webhooks: WebhookWorker;
  close(): Promise<void>;
}

export function demoFixture(): Fixture {
  const raw: unknown = JSON.parse(readFileSync(new URL('./fixtures/demo.json', import.meta.url), 'utf8'));
  if (!isFixture(raw)) throw new Error('fixtures/demo.json is not a fixture');
  return raw;
}

/** A `postgres://` or `postgresql://` URL (anything else names a SQLite file). */
export const isPostgresUrl = (db: string) => /^postgres(ql)?:\/\//i.test(db);

export async function openStore(db: string): Promise<Store> {
  if (db === ':memory:') return createMemoryStore();
  // Never behind the read cache: other instances write the same tables.
  if (isPostgresUrl(db)) return openPostgresStore(db);
  await mkdir(dirname(resolve(db)), { recursive: true });
  // The read cache makes listing reads several times cheaper; this process is the file's only writer.
  return withReadCache(createSqliteStore(db));
}

/** For the CLI and the demo: a database that cannot be opened is one line naming the file, then exit 1. */
export function exitOnDatabaseError(e: unknown): never {
  if (e instanceof DatabaseOpenError || e instanceof PostgresOpenError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg']);

/**
 * Static files go out compressed when the client accepts it (brotli, else gzip): the widget's chunks
 * are a third of their size on the wire. Each file is compressed once per version (size + mtime).
 */
const compressed = new Map<
  string,
  { version: string; br: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer> }
>();
function encodings(file: string, version: string, data: Buffer) {
  let entry = compressed.get(file);
  if (entry?.version !== version) {
    entry = {
      version,
      br: new Uint8Array(brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } })),
      gzip: new Uint8Array(gzipSync(data, { level: 9 })),
    };
    compressed.set(file, entry);
  }
  return entry;
}

function decodedPath(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function mountStatic(app: OuterApp, prefix: string, { dir, crossOrigin }: StaticDir): void {
  const root = resolve(dir);
  const base = prefix.replace(/\/+$/, '');
  app.get(`${base}/*`, async (c, next) => {
    const decoded = decodedPath(c.req.path.slice(base.length));
    if (decoded === undefined)
      return errorBody(400, 'manage.badRequest', 'Malformed %-escape in the URL.', undefined, {
        'Content-Type': 'application/json',
      });
    const rel = decoded.replace(/^\/+/, '') || 'index.html';
    const file = resolve(root, rel);
    // Never outside the directory.
    if (file !== root && !file.startsWith(root + sep)) return next();
    try {
      const info = await stat(file);
      if (!info.isFile()) return next();
      const data = await readFile(file);
      const headers: Record<string, string> = {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        ...(crossOrigin ? { 'Access-Control-Allow-Origin': '*' } : {}),
      };
      if (!COMPRESSIBLE.has(extname(file)) || data.length < 512) return c.body(data, 200, headers);
      headers.Vary = 'Accept-Encoding';
      const accepted = c.req.header('Accept-Encoding') ?? '';
      const encoded = encodings(file, `${info.size}:${info.mtimeMs}`, data);
      if (/\bbr\b/.test(accepted)) return c.body(encoded.br, 200, { ...headers, 'Content-Encoding': 'br' });
      if (/\bgzip\b/.test(accepted))
        return c.body(encoded.gzip, 200, { ...headers, 'Content-Encoding': 'gzip' });
      return c.body(data, 200, headers);
    } catch {
      return next();
    }
  });
}

export interface Sweeper {
  /** Starts a sweep, unless one is still running (then that one goes on alone). */
  start(): void;
  /** Resolves once no sweep runs. */
  idle(): Promise<void>;
}

/**
 * What the expiry timer runs once a second: what is due, one small batch per turn of the event loop,
 * so requests that arrive meanwhile are served between batches instead of waiting for the whole
 * sweep. A sweep still running when the next second comes is left to finish; none starts beside it.
 */
export function createSweeper(runBatch: () => Promise<boolean>, stopped: () => boolean): Sweeper {
  let sweeping: Promise<void> | null = null;
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const sweep = async () => {
    try {
      await nextTurn();
      while (!stopped() && (await runBatch())) await nextTurn();
    } catch (e) {
      console.error('Expiry tick failed', e);
    }
  };
  return {
    start() {
      if (sweeping) return;
      sweeping = sweep().finally(() => {
        sweeping = null;
      });
    },
    idle: async () => {
      await sweeping;
    },
  };
}

const isPostgres = (store: Store): store is PostgresStore => store.kind === 'postgres';
/**
 * Loads the fixture if the store is empty, in one transaction. Instances starting together on one
 * database: transactions never interleave (types.ts), so one loads and the others then find the
 * data there (never two copies, never an instance serving a half-loaded store).
 */
export async function loadFixtureOnce(store: Store, fixture: Fixture, nowSec: number): Promise<void> {
  await store.transaction(async (tx) => {
    if (await tx.isEmpty()) await loadFixture(tx, fixture, nowSec, nodeSha256);
  });
}

/** What instances share on PostgreSQL: the bus (NOTIFY), the rate limits and the test clock. */
async function sharedParts(store: Store, opts: ServerOptions) {
  if (!isPostgres(store)) {
    const clock = opts.clock ?? (opts.testMode ? offsetClock() : systemClock);
    return { clock, bus: createBus() as Bus, pgBus: null, limits: undefined };
  }
  const clock = opts.clock ?? (opts.testMode ? sharedOffsetClock(settingsClockOffset(store)) : systemClock);
  const pgBus: PostgresBus = await createPostgresBus(store);
  const limits: LimitsStore = postgresRateLimitStore(store.sql, () => clock.now());
  return { clock, bus: pgBus as Bus, pgBus, limits };
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const store = opts.store ?? (await openStore(opts.db ?? '.data/backend.sqlite'));
  const { clock, bus, pgBus, limits } = await sharedParts(store, opts);
  if (isShared(clock)) await clock.sync();
  await loadFixtureOnce(store, opts.fixture ?? demoFixture(), Math.floor(clock.now() / 1000));

  const host = opts.host ?? '127.0.0.1';
  // The public URL is known only once the port is; e-mail links read it lazily through this box.
  const options: AppOptions = { ...opts };
  const backend = createBackend({
    store,
    clock,
    bus,
    options,
    hashToken: nodeSha256,
    limits,
    resolveHost: async (host) => (await systemResolver(host)).map((a) => a.address),
  });

  // Extra routes and static files sit in front of the API; without them the API is served directly.
  let fetch = backend.app.fetch;
  if (opts.extraRoutes || opts.staticDirs) {
    const outer: OuterApp = new Hono();
    opts.extraRoutes?.(outer);
    for (const [prefix, dir] of Object.entries(opts.staticDirs ?? {}))
      mountStatic(outer, prefix, typeof dir === 'string' ? { dir } : dir);
    // The env carries the connection (the mailbox serves loopback clients only).
    outer.all('*', (c) => backend.app.fetch(c.req.raw, c.env));
    // The demo's own routes fail as the API does: a JSON error, never a plain-text 500 or a stack.
    outer.onError((err) => {
      // Middleware refusals (csrf's 403) carry their own answer.
      if (err instanceof HTTPException) return err.getResponse();
      console.error('Unhandled error', err);
      return errorBody(500, 'manage.internalError', 'Internal server error', undefined, {
        'Content-Type': 'application/json',
      });
    });
    fetch = outer.fetch;
  }

  const server = serve({ fetch, hostname: host, port: opts.port ?? 4010 });
  await new Promise<void>((ok, fail) => {
    server.once('listening', () => ok());
    server.once('error', fail);
  });
  // Started with the HTTP server: a port that is taken fails the start, as the HTTP port does.
  const inbound = opts.inboundSmtp
    ? await startInboundServer({
        inbox: replyInbox(backend.ctx),
        domain: backend.ctx.replyDomain ?? DEFAULT_REPLY_DOMAIN,
        host: opts.inboundSmtp.host ?? host,
        port: opts.inboundSmtp.port,
      }).catch(async (e: unknown) => {
        await new Promise<void>((ok) => server.close(() => ok()));
        await pgBus?.close();
        if (!opts.store) await store.close();
        throw e;
      })
    : null;
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!opts.publicUrl) backend.ctx.publicUrl = url;

  let closed = false;
  const sweeper = createSweeper(
    () => backend.runDueBatch(),
    () => closed,
  );
  const startSweep = sweeper.start;
  // At the start of each second of the server's clock (a few ms after), not at a phase set by when
  // the server started: what expires in a second is swept right as it comes, not up to 1 s later.
  let ticker: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    ticker = setTimeout(
      () => {
        startSweep();
        if (!closed) schedule();
      },
      1005 - (clock.now() % 1000),
    );
    ticker.unref();
  };
  schedule();

  const smtpUrl = opts.smtpUrl === undefined ? process.env.SMTP_URL : opts.smtpUrl;
  const smtp = smtpUrl ? startSmtpWorker({ store, bus, smtpUrl, ...opts.smtpRetry }) : null;
  const webhooks = startWebhookWorker({
    ctx: backend.ctx,
    testMode: opts.testMode === true,
    ...opts.webhookRetry,
  });

  return {
    url,
    store,
    backend,
    smtp,
    inbound,
    webhooks,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(ticker);
      await inbound?.close();
      await smtp?.stop();
      await webhooks.stop();
      // A batch under way finishes before the store closes.
      await sweeper.idle();
      await new Promise<void>((ok) => {
        server.close(() => ok());
        // Open SSE streams would hold close() forever.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await pgBus?.close();
      if (!opts.store) await store.close();
    },
  };
}
