// Replies by e-mail end to end on the backend: a ticket, a staff answer whose e-mail carries the
// signed Reply-To, and a real SMTP client (nodemailer) over TCP answering it through the backend's
// inbound port. What lands, and what is refused with which SMTP code while the thread stays as it was.
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../api/client.ts';
import { THREAD_LIMITS } from '../../api/types.ts';
import { type RunningServer, startServer } from '../server.ts';
import { DEMO, TOKENS } from '../testing.ts';

const GARY = 'gary@acme.test';

let server: RunningServer;
let transport: Transporter;
const gary = () => createClient({ baseUrl: server.url, token: TOKENS.guest, timeoutMs: 10_000 });
const sam = () => createClient({ baseUrl: server.url, token: TOKENS.support, timeoutMs: 10_000 });

beforeAll(async () => {
  server = await startServer({
    port: 0,
    db: ':memory:',
    fixture: DEMO,
    testMode: true,
    mailbox: true,
    inboundSmtp: { port: 0 },
  });
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.inbound?.port, secure: false });
});
afterAll(async () => {
  transport.close();
  await server.close();
});

interface Mail {
  to: string;
  subject: string;
  replyTo: string | null;
}
async function outbox(): Promise<Mail[]> {
  return (await (await fetch(`${server.url}/__test__/outbox`)).json()) as Mail[];
}

/** A new ticket of Gary's that Sam answered: its id and the Reply-To of the answer's e-mail to Gary. */
async function answeredTicket(subject: string): Promise<{ id: number; replyTo: string }> {
  const ticket = await gary().createTicket(
    { subject, description: 'It fails', type: 'problem', projectId: 100 },
    subject,
  );
  const id = ticket.data?.id ?? 0;
  expect(
    (await sam().postMessage(id, { body: 'We re-ran it.', via: 'extension' }, `a-${subject}`)).response
      ?.status,
  ).toBe(201);
  const mail = (await outbox()).findLast(
    (m) => m.to === GARY && m.subject.includes(ticket.data?.number ?? '?'),
  );
  const replyTo = mail?.replyTo;
  if (!replyTo) throw new Error(`No e-mail with a Reply-To reached ${GARY}`);
  return { id, replyTo };
}

async function thread(id: number) {
  return (await gary().listMessages(id)).data ?? [];
}

async function refusal(p: Promise<unknown>): Promise<{ code: number; text: string }> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof Error)) throw new Error('The message was accepted');
  const { responseCode, response } = e as Error & { responseCode?: number; response?: string };
  return { code: responseCode ?? 0, text: response ?? e.message };
}

const QUOTE =
  '\n\nOn Mon, 7 Dec 2026 at 15:02, Support Kit <x@reply.supportkit.test> wrote:\n> We re-ran it.\n';

describe('a reply by e-mail', () => {
  it('lands in the thread as the participant, via email, quoted history stripped, attachments kept', async () => {
    const { id, replyTo } = await answeredTicket('Export fails');
    expect(replyTo).toMatch(/^reply\+[0-9a-z]+-[0-9a-z]+-[0-9a-z]+\.[0-9a-f]{32}@reply\.supportkit\.test$/);
    const info = await transport.sendMail({
      from: `Gary Guest <${GARY}>`,
      to: replyTo,
      subject: 'Re: Export fails',
      text: `Thanks, it <b>works</b> now.${QUOTE}`,
      messageId: '<good-1@acme.test>',
      attachments: [{ filename: 'job.log', content: 'ok\n', contentType: 'text/plain' }],
    });
    expect(info.accepted).toEqual([replyTo]);
    const last = (await thread(id)).at(-1);
    expect(last).toMatchObject({
      kind: 'message',
      via: 'email',
      side: 'customer',
      author: { email: GARY },
      // Markup is text: stored as written, never as HTML.
      body: 'Thanks, it <b>works</b> now.',
      attachments: [{ name: 'job.log', type: 'text/plain', size: 3 }],
    });
  });

  it("the mailbox shows the e-mail's Reply-To, to answer it by hand (README: Replies by e-mail)", async () => {
    const { replyTo } = await answeredTicket('Mailbox');
    const list = await (await fetch(`${server.url}/mailbox`)).text();
    const link = [...list.matchAll(/href="\/mailbox\/(\d+)"/g)].map((m) => m[1]);
    const pages = await Promise.all(
      link.map(async (id) => (await fetch(`${server.url}/mailbox/${id}`)).text()),
    );
    expect(pages.some((p) => p.includes(`Reply-To: ${replyTo}<br>`))).toBe(true);
  });

  it('the same e-mail again (its Message-ID) is taken and adds nothing', async () => {
    const { id, replyTo } = await answeredTicket('Replayed');
    const mail = {
      from: GARY,
      to: replyTo,
      subject: 'Re',
      text: 'Once only',
      messageId: '<replay@acme.test>',
    };
    await transport.sendMail(mail);
    const after = await thread(id);
    const again = await transport.sendMail(mail);
    expect(again.accepted).toEqual([replyTo]);
    expect(await thread(id)).toEqual(after);
    expect(after.filter((m) => m.body === 'Once only')).toHaveLength(1);
  });
});

describe('a reply by e-mail is refused and changes nothing', () => {
  it('a forged signature: 550', async () => {
    const { id, replyTo } = await answeredTicket('Forged');
    const before = await thread(id);
    // One hex digit of the signature changed.
    const forged = replyTo.replace(/\.([0-9a-f])/, (_, c: string) => `.${c === '0' ? '1' : '0'}`);
    const r = await refusal(transport.sendMail({ from: GARY, to: forged, text: 'x' }));
    expect(r.code).toBe(550);
    expect(r.text).toContain('not one of ours');
    expect(await thread(id)).toEqual(before);
  });

  it("a signature moved to another of the person's own tickets: 550", async () => {
    const first = await answeredTicket('Moved from');
    const second = await answeredTicket('Moved to');
    const before = await thread(second.id);
    // Gary may write to both tickets; only the address of the second may write to the second.
    const moved = first.replyTo.replace(/^reply\+[0-9a-z]+-/, `reply+${second.id.toString(36)}-`);
    const r = await refusal(transport.sendMail({ from: GARY, to: moved, text: 'x' }));
    expect(r.code).toBe(550);
    expect(r.text).toContain('not one of ours');
    expect(await thread(second.id)).toEqual(before);
  });

  it('an unknown address or another domain: 550 5.1.1', async () => {
    for (const to of [
      'nobody@reply.supportkit.test',
      'reply+1-1-1.00@reply.supportkit.test',
      'gary@acme.test',
    ]) {
      const r = await refusal(transport.sendMail({ from: GARY, to, text: 'x' }));
      expect(r.code, to).toBe(550);
      expect(r.text, to).toContain('5.1.1');
    }
  });

  it('another sender, in the envelope or in From: 550 5.7.1', async () => {
    const { id, replyTo } = await answeredTicket('Sender');
    const before = await thread(id);
    const envelope = await refusal(
      transport.sendMail({
        from: GARY,
        to: replyTo,
        text: 'x',
        envelope: { from: 'alice@acme.test', to: replyTo },
      }),
    );
    expect(envelope.code).toBe(550);
    expect(envelope.text).toContain('5.7.1');
    const header = await refusal(
      transport.sendMail({
        from: 'alice@acme.test',
        to: replyTo,
        text: 'x',
        envelope: { from: GARY, to: replyTo },
      }),
    );
    expect(header.code).toBe(550);
    expect(header.text).toContain('5.7.1');
    expect(await thread(id)).toEqual(before);
  });

  it('a message over THREAD_LIMITS.inboundMessageBytesMax: 552', async () => {
    const { id, replyTo } = await answeredTicket('Large');
    const before = await thread(id);
    const r = await refusal(
      transport.sendMail({
        from: GARY,
        to: replyTo,
        text: 'x',
        attachments: [{ filename: 'big.bin', content: Buffer.alloc(THREAD_LIMITS.inboundMessageBytesMax) }],
      }),
    );
    expect(r.code).toBe(552);
    // The message's size, not the attachment's (which is over its own limit too).
    expect(r.text).toContain(`maximum message size ${THREAD_LIMITS.inboundMessageBytesMax}`);
    expect(await thread(id)).toEqual(before);
  });

  // Last: it moves the test clock past the address's life.
  it('an expired address: 550 5.1.1, the day after its 90 days', async () => {
    const { id, replyTo } = await answeredTicket('Expired');
    const before = await thread(id);
    const moved = await fetch(`${server.url}/__test__/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: THREAD_LIMITS.replyAddressSeconds + 1 }),
    });
    expect(moved.status).toBe(200);
    const r = await refusal(transport.sendMail({ from: GARY, to: replyTo, text: 'Too late' }));
    expect(r.code).toBe(550);
    expect(r.text).toContain('expired');
    expect(await thread(id)).toEqual(before);
  });
});
