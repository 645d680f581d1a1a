// The inbound SMTP listener on its own, against a real SMTP client (nodemailer) over TCP, with an
// inbox that records what it is handed: what is refused at RCPT, at DATA, and what goes through.
// (The rules behind it, signed addresses and the thread, are in reply-inbox.test.ts.)
import { createConnection } from 'node:net';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { THREAD_LIMITS, TICKET_LIMITS } from '../../api/types.ts';
import {
  type InboundReply,
  type InboundServer,
  notAllowed,
  type ReplyInbox,
  startInboundServer,
  unknownAddress,
} from './inbound.ts';

const DOMAIN = 'reply.supportkit.test';
const GOOD = `t1-u2-abc@${DOMAIN}`;
const ALICE = 'alice@acme.test';

/** Knows one address, GOOD, of Alice; refuses the rest as the real inbox would. */
function fakeInbox() {
  const delivered: InboundReply[] = [];
  const seen = new Set<string>();
  const inbox: ReplyInbox = {
    async recipient(address) {
      if (address === GOOD) return { email: ALICE };
      throw unknownAddress(`<${address}> is not a reply address of ours.`);
    },
    async deliver(reply) {
      if (seen.has(reply.messageId)) return;
      seen.add(reply.messageId);
      delivered.push(reply);
    },
  };
  return { inbox, delivered };
}

const servers: InboundServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function start(
  o: { inbox?: ReplyInbox; maxBytes?: number; perMinute?: number; now?: () => number } = {},
) {
  const fake = fakeInbox();
  const server = await startInboundServer({
    inbox: o.inbox ?? fake.inbox,
    domain: DOMAIN,
    maxBytes: o.maxBytes,
    perMinute: o.perMinute,
    now: o.now,
  });
  servers.push(server);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false });
  return { server, transport, delivered: fake.delivered };
}

/** The SMTP error nodemailer got: its reply code and text. */
async function refusal(p: Promise<unknown>): Promise<{ code: number; text: string }> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof Error)) throw new Error('The message was accepted');
  const { responseCode, response } = e as Error & { responseCode?: number; response?: string };
  return { code: responseCode ?? 0, text: response ?? e.message };
}

const QUOTED = [
  'Thanks, the export works now.',
  '',
  'On Mon, 7 Dec 2026 at 15:02, Support Kit <t1-u2-abc@reply.supportkit.test> wrote:',
  '> We re-ran the job.',
  '> Support',
].join('\n');

describe('inbound SMTP: what goes through', () => {
  it('a reply lands once with the quoted history stripped and its attachments kept', async () => {
    const { transport, delivered } = await start();
    const info = await transport.sendMail({
      from: 'Alice <alice@acme.test>',
      to: GOOD,
      subject: 'Re: [SK-1001] Export fails',
      text: QUOTED,
      messageId: '<reply-1@acme.test>',
      attachments: [{ filename: 'log.txt', content: 'line 1\nline 2\n', contentType: 'text/plain' }],
    });
    expect(info.accepted).toEqual([GOOD]);
    expect(delivered).toHaveLength(1);
    const reply = delivered[0];
    expect(reply?.body).toBe('Thanks, the export works now.');
    expect(reply?.from).toBe(ALICE);
    expect(reply?.address).toBe(GOOD);
    expect(reply?.messageId).toBe('<reply-1@acme.test>');
    expect(reply?.attachments).toEqual([
      {
        name: 'log.txt',
        type: 'text/plain',
        size: 14,
        data: Buffer.from('line 1\nline 2\n').toString('base64'),
      },
    ]);
  });

  it('an HTML-only reply becomes text: markup never travels as markup', async () => {
    const { transport, delivered } = await start();
    await transport.sendMail({
      from: ALICE,
      to: GOOD,
      subject: 'Re: x',
      html: '<p>It <b>works</b> now</p><script>alert(1)</script>',
    });
    expect(delivered[0]?.body).toBe('It works now');
  });

  it('markup typed as text stays that very text', async () => {
    const { transport, delivered } = await start();
    const text = '<img src=x onerror=alert(1)> & <b>bold</b>';
    await transport.sendMail({ from: ALICE, to: GOOD, subject: 'Re: x', text });
    expect(delivered[0]?.body).toBe(text);
  });

  it('a Czech client\'s quote header ("napsal(a):") goes with the quote', async () => {
    const { transport, delivered } = await start();
    const text = 'Díky, funguje to.\n\nDne 7. 12. 2026 v 15:02 Support Kit napsal(a):\n> Opravili jsme to.\n';
    await transport.sendMail({ from: ALICE, to: GOOD, subject: 'Re: x', text });
    expect(delivered[0]?.body).toBe('Díky, funguje to.');
  });

  it('the same Message-ID again is taken (250) and handed over once more, for the rules to drop', async () => {
    const { transport, delivered } = await start();
    const mail = { from: ALICE, to: GOOD, subject: 'Re: x', text: 'Once', messageId: '<same@acme.test>' };
    await transport.sendMail(mail);
    const again = await transport.sendMail(mail);
    expect(again.accepted).toEqual([GOOD]);
    expect(delivered).toHaveLength(1);
  });
});

describe('inbound SMTP: what is refused, changing nothing', () => {
  it('another domain: 550 at RCPT, before any rule is asked', async () => {
    let asked = 0;
    const { inbox, delivered } = fakeInbox();
    const counting: ReplyInbox = {
      recipient: (a) => {
        asked++;
        return inbox.recipient(a);
      },
      deliver: inbox.deliver,
    };
    const { transport } = await start({ inbox: counting });
    const r = await refusal(transport.sendMail({ from: ALICE, to: 'bob@elsewhere.test', text: 'x' }));
    expect(r.code).toBe(550);
    expect(r.text).toContain('5.1.1');
    expect(r.text).toContain('replies to Support Kit e-mails only');
    expect(asked).toBe(0);
    expect(delivered).toEqual([]);
  });

  it('an address the rules do not know: 550 with their words', async () => {
    const { transport, delivered } = await start();
    const r = await refusal(transport.sendMail({ from: ALICE, to: `t1-u2-forged@${DOMAIN}`, text: 'x' }));
    expect(r.code).toBe(550);
    expect(r.text).toContain('is not a reply address of ours');
    expect(delivered).toEqual([]);
  });

  it('another envelope sender: 550 5.7.1 at RCPT', async () => {
    const { transport, delivered } = await start();
    const r = await refusal(
      transport.sendMail({
        from: ALICE,
        to: GOOD,
        text: 'x',
        envelope: { from: 'mallory@evil.test', to: GOOD },
      }),
    );
    expect(r.code).toBe(550);
    expect(r.text).toContain('5.7.1');
    expect(r.text).toContain('mallory@evil.test');
    expect(delivered).toEqual([]);
  });

  it('the right envelope but another From header: 550 5.7.1 after DATA', async () => {
    const { transport, delivered } = await start();
    const r = await refusal(
      transport.sendMail({
        from: 'mallory@evil.test',
        to: GOOD,
        text: 'x',
        envelope: { from: ALICE, to: GOOD },
      }),
    );
    expect(r.code).toBe(550);
    expect(r.text).toContain('From header');
    expect(delivered).toEqual([]);
  });

  it('a bounce (empty envelope sender) is refused', async () => {
    const { transport, delivered } = await start();
    const r = await refusal(
      transport.sendMail({ from: ALICE, to: GOOD, text: 'x', envelope: { from: '', to: GOOD } }),
    );
    expect(r.code).toBe(550);
    expect(delivered).toEqual([]);
  });

  it('a message over the size limit: 552, announced (SIZE) or not', async () => {
    const { server, delivered } = await start({ maxBytes: 64 * 1024 });
    const big = 'x'.repeat(100 * 1024);
    // nodemailer announces the size with MAIL FROM … SIZE=: refused before any data is sent.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false });
    const announced = await refusal(transport.sendMail({ from: ALICE, to: GOOD, text: big }));
    expect(announced.code).toBe(552);
    // A client that does not announce it: cut off while it streams in, then 552 at the end of DATA.
    const codes = await rawSession(server.port, [
      'EHLO client.test',
      `MAIL FROM:<${ALICE}>`,
      `RCPT TO:<${GOOD}>`,
      'DATA',
      `From: ${ALICE}\r\nTo: ${GOOD}\r\nSubject: big\r\n\r\n${`${'y'.repeat(998)}\r\n`.repeat(100)}.`,
      'QUIT',
    ]);
    expect(codes).toEqual([220, 250, 250, 250, 354, 552, 221]);
    expect(delivered).toEqual([]);
  });

  it('the default size limit is THREAD_LIMITS.inboundMessageBytesMax, announced in EHLO', async () => {
    const { server } = await start();
    const lines = await rawLines(server.port, ['EHLO client.test', 'QUIT']);
    expect(lines).toContain(`250 SIZE ${THREAD_LIMITS.inboundMessageBytesMax}`);
  });

  it(`more than ${TICKET_LIMITS.attachmentsMax} attachments, or one over the size: 552`, async () => {
    const { transport, delivered } = await start();
    const file = (n: number) => ({ filename: `f${n}.txt`, content: 'x' });
    const many = await refusal(
      transport.sendMail({ from: ALICE, to: GOOD, text: 'x', attachments: [1, 2, 3, 4].map(file) }),
    );
    expect(many.code).toBe(552);
    expect(many.text).toContain(`at most ${TICKET_LIMITS.attachmentsMax} attachments`);
    const large = await refusal(
      transport.sendMail({
        from: ALICE,
        to: GOOD,
        text: 'x',
        attachments: [{ filename: 'big.bin', content: Buffer.alloc(TICKET_LIMITS.attachmentBytesMax + 1) }],
      }),
    );
    expect(large.code).toBe(552);
    expect(large.text).toContain('big.bin');
    expect(delivered).toEqual([]);
  });

  it('an attachment name or a text against the text rule: 550 5.6.0 with its words', async () => {
    const { transport, delivered } = await start();
    const name = await refusal(
      transport.sendMail({
        from: ALICE,
        to: GOOD,
        text: 'x',
        attachments: [{ filename: 'evil\u202egnp.exe', content: 'x' }],
      }),
    );
    expect(name.code).toBe(550);
    expect(name.text).toContain('5.6.0');
    expect(name.text).toContain('Attachment name must not contain');
    const text = await refusal(transport.sendMail({ from: ALICE, to: GOOD, text: 'a\u0007bell' }));
    expect(text.code).toBe(550);
    expect(text.text).toContain('The reply must not contain');
    expect(delivered).toEqual([]);
  });

  it('a reply with nothing above the quote, or a text longer than bodyMax, is refused', async () => {
    const { transport, delivered } = await start();
    const empty = await refusal(
      transport.sendMail({ from: ALICE, to: GOOD, text: 'On Mon, 7 Dec 2026, X <x@y.test> wrote:\n> old\n' }),
    );
    expect(empty.code).toBe(550);
    expect(empty.text).toContain('no text of its own');
    const long = await refusal(
      transport.sendMail({ from: ALICE, to: GOOD, text: 'word '.repeat(THREAD_LIMITS.bodyMax / 4) }),
    );
    expect(long.code).toBe(552);
    expect(delivered).toEqual([]);
  });

  it('a refusal of the rules at DATA keeps its code; any other failure is 451 (try again later)', async () => {
    const inbox: ReplyInbox = {
      recipient: async () => ({ email: ALICE }),
      deliver: async (reply) => {
        if (reply.body === 'closed') throw notAllowed('SK-1001 is closed; write a new ticket.');
        throw new Error('database down');
      },
    };
    const { transport } = await start({ inbox });
    const closed = await refusal(transport.sendMail({ from: ALICE, to: GOOD, text: 'closed' }));
    expect(closed.code).toBe(550);
    expect(closed.text).toContain('SK-1001 is closed');
    const down = await refusal(transport.sendMail({ from: ALICE, to: GOOD, text: 'other' }));
    expect(down.code).toBe(451);
  });

  it('more replies a minute from one person than the limit: 451 (the sender tries later), then taken again', async () => {
    let now = 1_000_000;
    const { transport, delivered } = await start({ perMinute: 2, now: () => now });
    const send = (text: string) => transport.sendMail({ from: ALICE, to: GOOD, subject: 'Re', text });
    await send('one');
    await send('two');
    const third = await refusal(send('three'));
    expect(third.code).toBe(451);
    expect(third.text).toContain('4.7.1');
    expect(delivered.map((r) => r.body)).toEqual(['one', 'two']);
    now += 60_001;
    await send('three');
    expect(delivered.map((r) => r.body)).toEqual(['one', 'two', 'three']);
  });

  it('one reply address per message: a second RCPT is 452 (the client sends it again alone)', async () => {
    const { server } = await start();
    const codes = await rawSession(server.port, [
      'EHLO client.test',
      `MAIL FROM:<${ALICE}>`,
      `RCPT TO:<${GOOD}>`,
      `RCPT TO:<t1-u3-def@${DOMAIN}>`,
      'QUIT',
    ]);
    expect(codes).toEqual([220, 250, 250, 250, 452, 221]);
  });
});

/** Sends each command (after the greeting) and collects every reply line. */
function rawLines(port: number, commands: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1');
    const lines: string[] = [];
    let buffer = '';
    let sent = 0;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf('\r\n');
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        lines.push(line);
        // The last line of a reply has a space after its code; then the next command goes.
        if (/^\d{3} /.test(line) && sent < commands.length) socket.write(`${commands[sent++]}\r\n`);
        end = buffer.indexOf('\r\n');
      }
    });
    socket.on('close', () => resolve(lines));
    socket.on('error', reject);
  });
}

/** The reply code of each step: the greeting, then one per command. */
async function rawSession(port: number, commands: string[]): Promise<number[]> {
  const lines = await rawLines(port, commands);
  return lines.filter((l) => /^\d{3} /.test(l)).map((l) => Number(l.slice(0, 3)));
}
