// The whole story with the backend on PostgreSQL, as two instances behind one database: the support
// engineer's extension talks to instance B, the customer's admin approves in the widget on a page
// served by instance A, and the popup sees the approval within a second (PostgreSQL's NOTIFY carried
// it from A to B's event stream).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../postgres.ts';
import { admin } from '../postgres-db.ts';
import {
  type ExtensionBrowser,
  getAccessInPopup,
  launchWithExtension,
  saveStack,
  shot,
  startBackend,
  type TestBackend,
} from './harness.ts';

let pg: PostgresServer | undefined;
let a: TestBackend;
let b: TestBackend;
let ext: ExtensionBrowser;
let popup: Page;

describe('support access on PostgreSQL, two instances', () => {
  beforeAll(async () => {
    pg = await startPostgres();
    await admin(pg.url('postgres'), 'CREATE DATABASE story');
    const db = pg.url('story');
    // Started together: one loads the demo data, the other finds it there.
    [a, b] = await Promise.all([startBackend({ db }), startBackend({ db })]);
    await a.reset();
    ext = await launchWithExtension();
  });
  afterAll(async () => {
    await ext?.close();
    await Promise.all([a?.close(), b?.close()]);
    await pg?.stop();
  });

  it('the extension on B asks for access; the admin approves on A; the popup shows it within a second', async () => {
    await (await saveStack(ext, b.url, 'demo-support-token')).close();

    popup = await ext.page('extension/popup.html');
    await popup.setViewportSize({ width: 380, height: 600 });
    const result = await getAccessInPopup(popup, '100', 'SK-2001: on PostgreSQL', '1 h');
    await expect.poll(() => result.textContent()).toContain('Request sent for Acme Main');
    await popup.getByRole('tab', { name: /My access/ }).click();
    const pending = popup.getByTestId('request-row').filter({ hasText: 'Acme Main' });
    await expect.poll(() => pending.getByTestId('status').textContent()).toBe('pending');

    // The request reached A's users panel (the same database).
    const adminPage = await ext.context.newPage();
    await adminPage.goto(`${a.url}/admin/projects/100/users`);
    const approve = adminPage.getByRole('button', { name: 'Approve access for Sam Support' });
    await approve.waitFor();
    await adminPage.getByText('SK-2001: on PostgreSQL').waitFor();
    const started = Date.now();
    await approve.click();

    const active = popup.getByTestId('access-row').filter({ hasText: 'Acme Main' });
    await active.getByTestId('status').filter({ hasText: 'approved' }).waitFor({ timeout: 1000 });
    console.log(`[e2e] PostgreSQL, A → B: approval visible in the popup after ${Date.now() - started} ms`);
    await shot(popup, 'postgres-popup-approved');

    const memberRow = adminPage.getByRole('listitem').filter({ hasText: 'Sam Support' });
    await memberRow.getByText('Approved by Alice Admin').waitFor();
    await adminPage.close();

    // One shared outbox: the request to every active member, the outcome to the requester.
    const mail = await b.outbox();
    for (const to of ['alice@acme.test', 'sean@acme.test', 'gary@acme.test', 'rita@acme.test'])
      expect(mail.filter((m) => m.to === to && m.text.includes('SK-2001'))).toHaveLength(1);
    expect(mail.filter((m) => m.to === 'sam@supportkit.test' && /approved/i.test(m.subject))).toHaveLength(1);
  });
});
