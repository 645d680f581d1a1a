// `npm run backend -- --host 127.0.0.1 --port 4010 --db .data/backend.sqlite --fixture f.json --test-mode`
// `--mail-locale cs` writes the e-mails in Czech (default `en`).
// `--mailbox` serves /mailbox (every e-mail sent) to this machine only; without it there is none.
// `--inbound-smtp-port 2525` takes replies to ticket e-mails over SMTP (for `--reply-domain`'s
// addresses, default reply.supportkit.test) on HOST; without it there is no listener.
// `--db` takes a SQLite file, `:memory:`, or a `postgres://…` URL (default: $DATABASE_URL, else
// `.data/backend.sqlite`). Prints exactly one line once ready:
// `Support Kit mock backend listening on http://HOST:PORT` (and, with the SMTP listener, a second
// naming its address).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FLAVORS } from './app.ts';
import { isFixture } from './domain/fixture.ts';
import { MAIL_LOCALES } from './domain/mail-strings.ts';
import { isLoopbackUrl } from './http/local.ts';
import { exitOnDatabaseError, startServer } from './server.ts';

const USAGE = `Usage: npm run backend -- [options]

  --host HOST              address to listen on (default 127.0.0.1)
  --port PORT              port, 0..65535 (default 4010; 0 picks a free one)
  --db FILE|:memory:|URL   a SQLite file, :memory:, or a postgres://… URL
                           (default $DATABASE_URL, else .data/backend.sqlite)
  --fixture FILE           load this fixture into an empty store (docs/api.md#the-fixture)
  --test-mode              the /__test__ routes (reset, clock) for tests
  --mailbox                serve /mailbox (every e-mail sent) to this machine only
  --public-url URL         the address people reach this backend at (links in e-mails)
  --vendor-support-email A the address tickets without a maintainer go to
  --flavor default|keboola answer as Support Kit, or as Keboola's Manage API does
  --mail-locale en|cs      the language of the e-mails (default en)
  --inbound-smtp-port PORT take replies to ticket e-mails over SMTP on this port of
                           HOST, 0..65535 (default: no listener; 0 picks a free one)
  --reply-domain DOMAIN    the domain of the reply addresses in ticket e-mails, the only
                           one the listener takes mail for (default reply.supportkit.test)
  --help                   this text
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '4010' },
        db: { type: 'string', default: process.env.DATABASE_URL || '.data/backend.sqlite' },
        fixture: { type: 'string' },
        'test-mode': { type: 'boolean', default: false },
        mailbox: { type: 'boolean', default: false },
        'public-url': { type: 'string' },
        'vendor-support-email': { type: 'string' },
        flavor: { type: 'string', default: 'default' },
        'mail-locale': { type: 'string', default: 'en' },
        'inbound-smtp-port': { type: 'string' },
        'reply-domain': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    // An unknown option or a missing value: say which, and how to ask for the rest.
    return fail(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  }
}

const { values } = parse();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got ${values.port}`);

const flavor = FLAVORS.find((f) => f === values.flavor);
if (!flavor) fail(`--flavor must be one of ${FLAVORS.join(', ')}, got ${values.flavor}`);

const mailLocale = MAIL_LOCALES.find((l) => l === values['mail-locale']);
if (!mailLocale)
  fail(`--mail-locale must be one of ${MAIL_LOCALES.join(', ')}, got ${values['mail-locale']}`);

const inboundRaw = values['inbound-smtp-port'];
const inboundPort = inboundRaw === undefined ? undefined : Number(inboundRaw);
if (inboundPort !== undefined && (!/^\d+$/.test(inboundRaw ?? '') || inboundPort > 65535))
  fail(`--inbound-smtp-port must be 0..65535, got ${inboundRaw}`);
if (inboundPort !== undefined && inboundPort !== 0 && inboundPort === port)
  fail(`--inbound-smtp-port ${inboundPort} is the HTTP --port too; give the listener a port of its own`);
const replyDomain = values['reply-domain']?.trim().toLowerCase();
// A host name as mail uses it: letters, digits, hyphens, at least one dot (no address literal).
if (
  replyDomain !== undefined &&
  !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(replyDomain)
)
  fail(`--reply-domain must be a domain name such as reply.example.com, got ${values['reply-domain']}`);

// Behind a proxy on this machine every request comes from loopback, and a proxy that passes Host
// through and adds no forwarding header cannot be told from a browser here: a public URL that is not
// this machine says there may be one, so the mailbox is not served with it.
if (values.mailbox && values['public-url'] !== undefined && !isLoopbackUrl(values['public-url']))
  fail(
    `--mailbox serves every e-mail to this machine only; --public-url ${values['public-url']} says the backend is reached from elsewhere (through a proxy, say). Leave out one of them.`,
  );

let fixture: unknown;
if (values.fixture) {
  try {
    fixture = JSON.parse(readFileSync(values.fixture, 'utf8'));
  } catch (e) {
    fail(`Cannot read fixture ${values.fixture}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isFixture(fixture)) fail(`${values.fixture} is not a fixture (see docs/api.md#the-fixture)`);
}

// How long a dead instance's claimed e-mails wait before another instance sends them (PostgreSQL).
const lease = process.env.SMTP_LEASE_MS;
const leaseMs = lease === undefined || lease === '' ? undefined : Number(lease);
if (leaseMs !== undefined && (!Number.isSafeInteger(leaseMs) || leaseMs < 1000))
  fail(`SMTP_LEASE_MS must be a whole number of milliseconds, at least 1000: got ${lease}`);

const server = await startServer({
  host: values.host,
  port,
  db: values.db,
  fixture: isFixture(fixture) ? fixture : undefined,
  testMode: values['test-mode'],
  mailbox: values.mailbox,
  publicUrl: values['public-url'],
  vendorSupportEmail: values['vendor-support-email'],
  flavor,
  mailLocale,
  replyDomain,
  inboundSmtp: inboundPort === undefined ? undefined : { port: inboundPort },
  smtpRetry: leaseMs === undefined ? undefined : { leaseMs },
}).catch(exitOnDatabaseError);
process.stdout.write(`Support Kit mock backend listening on ${server.url}\n`);
if (server.inbound)
  process.stdout.write(
    `Replies by e-mail (SMTP) on ${server.inbound.host}:${server.inbound.port} for @${server.backend.ctx.replyDomain ?? 'reply.supportkit.test'}\n`,
  );

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
