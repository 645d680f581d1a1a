// A ticket as a conversation, the whole story in Chromium against the mock backend: the customer
// writes in the widget, the engineer answers in the extension, the customer sees it live in "My
// tickets" and gets the e-mail, answers that e-mail through the backend's inbound SMTP port with a
// real SMTP client, the engineer sees the answer, the ticket is solved, and 7 days later (the test
// clock) it is closed on both sides and takes no more replies, by e-mail neither.
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THREAD_LIMITS } from '../../api/types.ts';
import {
  type ExtensionBrowser,
  launchBrowser,
  launchWithExtension,
  ROOT,
  saveStack,
  shot,
  startBackend,
  type TestBackend,
} from './harness.ts';

const SUPPORT = 'demo-support-token';
const GARY = 'gary@acme.test';
const SUBJECT = 'Orders export stops at step 2';
const ANSWER = 'We re-ran the export with a larger timeout. Does it pass now?';
const EMAILED = 'Yes, it <b>passes</b> now, thanks!';

let backend: TestBackend;
let ext: ExtensionBrowser;
let browser: Browser;
let customer: BrowserContext;
let widget: Page;
let popup: Page;
let smtp: Transporter;
let number = '';
let replyTo = '';

beforeAll(async () => {
  backend = await startBackend({ staticDirs: { '/pages': join(ROOT, 'test/e2e/pages') }, inboundSmtp: true });
  await backend.reset();
  smtp = nodemailer.createTransport({ host: '127.0.0.1', port: backend.smtpPort ?? 0, secure: false });
  browser = await launchBrowser();
  ext = await launchWithExtension();
});
afterAll(async () => {
  smtp?.close();
  await customer?.close();
  await browser?.close();
  await ext?.close();
  await backend?.close();
});

/** The widget's "Conversation" list: the entries the customer reads. */
const widgetThread = () => widget.getByRole('list', { name: 'Conversation' });
/** The extension's thread. */
const extThread = () => popup.getByRole('list', { name: 'Thread' });

describe('a ticket as a conversation, end to end', () => {
  it('the customer (Gary, a guest) writes a ticket in the widget', async () => {
    customer = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    widget = await customer.newPage();
    await widget.goto(`${backend.url}/pages/widget-normal.html?token=demo-guest-token&role=guest`);
    await widget.locator('support-kit button.b').click();
    await widget.getByRole('button', { name: /Contact support/ }).click();
    await widget.getByRole('textbox', { name: 'Subject' }).fill(SUBJECT);
    await widget.getByRole('textbox', { name: 'Description' }).fill('Since this morning the export stops.');
    await widget.getByRole('button', { name: 'Send' }).click();
    const done = widget.getByText(/^Ticket SK-\d+ created$/);
    await done.waitFor();
    number = /SK-\d+/.exec((await done.textContent()) ?? '')?.[0] ?? '';
    expect(number).not.toBe('');
  });

  it('the customer opens it in "My tickets" and keeps it open', async () => {
    // A later visit: the page loaded afresh, the widget opened from its button.
    await widget.reload();
    await widget.locator('support-kit button.b').click();
    await widget.getByRole('button', { name: /My tickets/ }).click();
    await widget.getByRole('button', { name: new RegExp(SUBJECT) }).click();
    await widgetThread().waitFor();
    await expect.poll(() => widgetThread().textContent()).toContain('Since this morning the export stops.');
  });

  it('the engineer finds it in the extension inbox and answers', async () => {
    await saveStack(ext, backend.url, SUPPORT);
    popup = await ext.page('extension/popup.html');
    await popup.setViewportSize({ width: 400, height: 700 });
    await popup.getByRole('tab', { name: 'Tickets' }).click();
    await popup.getByRole('button', { name: 'All', exact: true }).click();
    await popup.getByRole('button', { name: new RegExp(`${number} ${SUBJECT}`) }).click();
    await extThread().waitFor();
    await popup.getByRole('textbox', { name: 'Reply' }).fill(ANSWER);
    await popup.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => extThread().textContent()).toContain(ANSWER);
  });

  it('the customer sees the answer live in the open thread, and gets it by e-mail with a Reply-To', async () => {
    // No reload, no click: the event stream brings it.
    await expect.poll(() => widgetThread().textContent(), { timeout: 10_000 }).toContain(ANSWER);
    await shot(widget, 'conversation-1-widget-answer');
    await expect
      .poll(async () => (await backend.outbox()).find((m) => m.to === GARY && m.text.includes(ANSWER)))
      .toBeTruthy();
    const mail = (await backend.outbox()).find((m) => m.to === GARY && m.text.includes(ANSWER));
    replyTo = mail?.replyTo ?? '';
    expect(replyTo).toMatch(/^reply\+.+@reply\.supportkit\.test$/);
    expect(mail?.subject).toContain(number);
  });

  it('the customer answers that e-mail through the inbound SMTP port; the engineer sees it', async () => {
    const info = await smtp.sendMail({
      from: `Gary Guest <${GARY}>`,
      to: replyTo,
      subject: `Re: [${number}] ${SUBJECT}`,
      text: `${EMAILED}\n\nOn Mon, 7 Dec 2026 at 15:02, Support Kit <${replyTo}> wrote:\n> ${ANSWER}\n`,
      attachments: [{ filename: 'export.log', content: 'step 2: ok\n', contentType: 'text/plain' }],
    });
    expect(info.accepted).toEqual([replyTo]);
    // In the extension's open thread: the answer as text (markup shown, not applied), by e-mail, the
    // quoted history gone, the attachment named.
    const entry = extThread().getByRole('listitem').filter({ hasText: 'passes' });
    await expect.poll(() => entry.textContent(), { timeout: 10_000 }).toContain(EMAILED);
    const text = (await entry.textContent()) ?? '';
    expect(text).toContain('by e-mail');
    expect(text).toContain('export.log');
    expect(text).not.toContain('wrote:');
    expect(await entry.locator('b').count()).toBe(0);
    await shot(popup, 'conversation-2-extension-email-reply');
    // The customer's own widget shows it too.
    await expect.poll(() => widgetThread().textContent(), { timeout: 10_000 }).toContain(EMAILED);
  });

  it('the engineer solves it; the customer sees Solved', async () => {
    await popup.getByRole('combobox', { name: 'Status' }).selectOption('solved');
    await popup.getByRole('button', { name: 'Change status' }).click();
    await expect.poll(() => popup.getByTestId('thread-status').textContent()).toBe('Solved');
    await expect
      .poll(() => widget.getByText('Solved. A reply opens it again.').count(), { timeout: 10_000 })
      .toBe(1);
  });

  it('7 days after solved (the test clock) it is closed on both sides and takes no reply, by e-mail neither', async () => {
    await backend.advanceClock(THREAD_LIMITS.closeAfterSolvedSeconds + 1);
    await expect
      .poll(() => widget.getByText('This ticket is closed and takes no more replies.').count(), {
        timeout: 10_000,
      })
      .toBe(1);
    await expect(widget.getByRole('button', { name: 'New ticket' }).count()).resolves.toBe(1);
    await shot(widget, 'conversation-3-widget-closed');
    await expect
      .poll(() => popup.getByTestId('thread-status').textContent(), { timeout: 10_000 })
      .toBe('Closed');
    const refused = await smtp
      .sendMail({ from: GARY, to: replyTo, subject: 'Re', text: 'One more thing' })
      .then(
        () => null,
        (e: Error & { responseCode?: number; response?: string }) => e,
      );
    expect(refused?.responseCode).toBe(550);
    expect(refused?.response).toContain('closed');
  });
});
