// `npm start`: the mock backend with the demo data on 127.0.0.1, the demo host app with the widget,
// and the path of the built extension to load unpacked. (`npm start` builds everything first.)
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { demoStartOptions } from '../mock-backend/demo/mount.ts';
import { demoFixture, exitOnDatabaseError, startServer } from '../mock-backend/server.ts';

const ROOT = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 4010);
// Replies to the demo's ticket e-mails: a mail client or swaks sends them here (README: Replies by e-mail).
const inboundSmtpPort = Number(process.env.INBOUND_SMTP_PORT ?? 2525);
if (
  !Number.isInteger(inboundSmtpPort) ||
  inboundSmtpPort < 1 ||
  inboundSmtpPort > 65535 ||
  inboundSmtpPort === port
) {
  console.error(`INBOUND_SMTP_PORT must be 1..65535 and not PORT, got ${process.env.INBOUND_SMTP_PORT}`);
  process.exit(1);
}
const db = process.env.SUPPORT_KIT_DB ?? resolve(ROOT, '.data/demo.sqlite');

for (const dir of ['dist/widget', 'dist/extension', 'dist/demo']) {
  if (!existsSync(resolve(ROOT, dir))) {
    console.error(`${dir} is missing: run "npm run build" first (npm start does).`);
    process.exit(1);
  }
}

const fixture = demoFixture();
// Not in test mode (see demoStartOptions); the mailbox and the demo pages go to this machine only.
const server = await startServer(demoStartOptions({ port, db, fixture, inboundSmtpPort })).catch(
  exitOnDatabaseError,
);

console.log(`
Support Kit demo is running.

  Demo host app (widget embedded):  ${server.url}/
  Users & access of Acme Main:      ${server.url}/admin/projects/100/users
  Organization (Auto Join switch):  ${server.url}/admin/organizations/10
  Mailbox (every e-mail sent):      ${server.url}/mailbox   (this machine only)
  API (Manage API contract):        ${server.url}/manage/…   OpenAPI: ${server.url}/openapi.json
  Replies by e-mail (SMTP):         ${server.inbound?.host}:${server.inbound?.port}   (this machine only; README: Replies by e-mail)

  Extension to load unpacked:       ${resolve(ROOT, 'dist/extension')}
    options: backend URL ${server.url}, token demo-support-token

  Data: ${db} (delete it to start over). Ctrl+C stops.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
