// Replies by e-mail: an SMTP server (Nodemailer's smtp-server) on a port of its own that takes mail
// for the reply addresses of one domain only. The address is checked at RCPT (unknown, forged or
// expired: 550; another sender: 550), the message is bounded while it streams in (552), read with
// mailparser, stripped of the quoted history (reply-text.ts), and handed with its attachments to
// the rules (a ReplyInbox), which add it to the ticket's thread once per Message-ID. Every refusal
// is an SMTP error the sending server turns into a bounce with our text, and changes nothing.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type Attachment, type ParsedMail, simpleParser } from 'mailparser';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import { THREAD_LIMITS, TICKET_LIMITS } from '../../api/types.ts';
import { ApiFailure } from '../domain/errors.ts';
import { cleanText, saysSomething } from '../domain/inputs.ts';
import { RATE_LIMITS } from '../http/rate-limit.ts';
import { createReplyReader, type ReplyReader } from './reply-text.ts';

/**
 * An SMTP refusal: `responseCode` is the reply code smtp-server sends, the message starts with its
 * enhanced status code (RFC 3463), so a sending server's bounce says exactly what was wrong.
 */
export class SmtpRefusal extends Error {
  constructor(
    readonly responseCode: 550 | 552 | 451 | 452,
    enhanced: string,
    text: string,
  ) {
    super(`${enhanced} ${text}`);
  }
}

export const unknownAddress = (text: string) => new SmtpRefusal(550, '5.1.1', text);
export const notAllowed = (text: string) => new SmtpRefusal(550, '5.7.1', text);
const badContent = (text: string) => new SmtpRefusal(550, '5.6.0', text);
const tooBig = (text: string) => new SmtpRefusal(552, '5.3.4', text);

export interface InboundAttachment {
  name: string;
  type: string;
  /** Base64, as the HTTP API takes an attachment. */
  data: string;
  size: number;
}

/** A reply as the listener hands it to the rules. */
export interface InboundReply {
  /** The reply address it was sent to (RCPT TO). */
  address: string;
  /** The sender, lower case: the envelope's and the From header's, which are the same. */
  from: string;
  /** The Message-ID header (or, for a message without one, a hash of the message). */
  messageId: string;
  /** What the person wrote, without the quoted history: the text rule applied, at most bodyMax. */
  body: string;
  attachments: InboundAttachment[];
}

/** What the listener asks the rules (the backend's is in mail/reply-inbox.ts). */
export interface ReplyInbox {
  /**
   * At RCPT TO: the e-mail address of the participant `address` belongs to. Throws SmtpRefusal
   * when the address is unknown, forged or expired.
   */
  recipient(address: string): Promise<{ email: string }>;
  /**
   * Adds the reply to the thread, once per Message-ID: the same e-mail again changes nothing and is
   * accepted all the same. Throws SmtpRefusal when the rules refuse it (a closed ticket, say).
   */
  deliver(reply: InboundReply): Promise<void>;
}

export interface InboundOptions {
  inbox: ReplyInbox;
  /** Only addresses of this domain are taken (e.g. `reply.supportkit.test`). */
  domain: string;
  host?: string;
  /** 0 picks a free one. */
  port?: number;
  /** The largest message, in bytes (default THREAD_LIMITS.inboundMessageBytesMax). */
  maxBytes?: number;
  /** How long the reply parser may take on one message (reply-text.ts). */
  parseBudgetMs?: number;
  /** Replies one person may add a minute (default RATE_LIMITS.tickets, as the API's replies). */
  perMinute?: number;
  /** Wall clock for that window (a flood is real time, not the test clock). */
  now?: () => number;
}

export interface InboundServer {
  port: number;
  host: string;
  close(): Promise<void>;
}

const lower = (address: string) => address.trim().toLowerCase();
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/**
 * When each person's last replies came, for the per-minute limit. This process's own count: instances
 * on one PostgreSQL database each count theirs (a mail server relays to one of them).
 */
function replyWindow(perMinute: number, now: () => number) {
  const seen = new Map<string, number[]>();
  const recent = (email: string) => (seen.get(email) ?? []).filter((t) => t > now() - 60_000);
  return {
    full(email: string): boolean {
      const times = recent(email);
      if (times.length) seen.set(email, times);
      else seen.delete(email);
      return times.length >= perMinute;
    },
    add(email: string): void {
      seen.set(email, [...recent(email), now()]);
    },
  };
}

/** The participant an accepted RCPT named, per mail transaction (its envelope). */
const accepted = new WeakMap<object, { address: string; email: string }>();

async function readBounded(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Past the limit nothing more is kept; the rest is read only to reach the end of DATA.
    if (size <= maxBytes) chunks.push(chunk);
  }
  return size > maxBytes || stream.sizeExceeded ? null : Buffer.concat(chunks);
}

/** One address in the From header, and it is the participant's: that address, lower case. */
function fromHeader(mail: ParsedMail, email: string): string {
  const from = mail.from?.value ?? [];
  const only = from.length === 1 ? from[0]?.address : undefined;
  if (only === undefined || lower(only) !== email)
    throw notAllowed(
      // Whose address it is stays unsaid: a refusal tells a stranger nothing about the participant.
      'The From header must be the address the e-mail was sent to: replies are taken only from the person who got it.',
    );
  return lower(only);
}

/**
 * Files the person attached, under the limits of a ticket's. Images a client embeds in its HTML
 * (multipart/related, no file name) are part of the HTML, which is not kept, so they are left out.
 */
function attachmentsOf(mail: ParsedMail): InboundAttachment[] {
  const files = mail.attachments.filter((a: Attachment) => a.filename !== undefined || !a.related);
  if (files.length > TICKET_LIMITS.attachmentsMax)
    throw tooBig(
      `A reply may carry at most ${TICKET_LIMITS.attachmentsMax} attachments; this one has ${files.length}.`,
    );
  return files.map((a, i) => {
    const name = contentText(() =>
      cleanText(a.filename ?? '', { key: `attachments[${i}].name`, label: 'Attachment name', max: 255 }),
    );
    if (!name) throw badContent('Every attachment needs a file name.');
    if (a.size > TICKET_LIMITS.attachmentBytesMax)
      throw tooBig(`Attachment "${name}" is larger than ${TICKET_LIMITS.attachmentBytesMax} bytes.`);
    const type = contentText(() =>
      cleanText(a.contentType, { key: `attachments[${i}].type`, label: 'Attachment type', max: 255 }),
    );
    return { name, type, size: a.size, data: a.content.toString('base64') };
  });
}

/** The text rule's refusal (a 400 naming the field) as an SMTP one with the same words. */
function contentText(fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ApiFailure) throw badContent(e.message);
    throw e;
  }
}

async function replyOf(
  mail: ParsedMail,
  raw: Buffer,
  to: { address: string; email: string },
  reader: ReplyReader,
): Promise<InboundReply> {
  // The rules check the sender again: what they get is the header's, not the address's owner.
  const from = fromHeader(mail, to.email);
  const attachments = attachmentsOf(mail);
  // mailparser turns an HTML-only message into text; markup never reaches the thread as markup.
  const visible = await reader.read(mail.text ?? '');
  if (visible === null)
    throw badContent('The reply could not be read in time; please send it as plain text.');
  if (visible.length > THREAD_LIMITS.bodyMax)
    throw tooBig(`A reply's text may be at most ${THREAD_LIMITS.bodyMax} characters long.`);
  const body = contentText(() =>
    cleanText(visible, { key: 'body', label: 'The reply', max: THREAD_LIMITS.bodyMax, multiline: true }),
  );
  // As a message written in the widget: text is required, attachments come with it.
  if (!saysSomething(body)) throw badContent('The reply has no text of its own above the quoted message.');
  const messageId = mail.messageId ?? `<${createHash('sha256').update(raw).digest('hex')}@no-message-id>`;
  return { address: to.address, from, messageId, body, attachments };
}

/** Anything but a refusal is our fault: 451, so the sending server tries again later. */
function smtpError(e: unknown): Error {
  if (e instanceof SmtpRefusal) return e;
  console.error('Inbound e-mail failed', e);
  return new SmtpRefusal(451, '4.3.0', 'The reply could not be stored just now; it will be tried again.');
}

export async function startInboundServer(o: InboundOptions): Promise<InboundServer> {
  const domain = lower(o.domain);
  const maxBytes = o.maxBytes ?? THREAD_LIMITS.inboundMessageBytesMax;
  const reader = createReplyReader({ budgetMs: o.parseBudgetMs });
  const recentReplies = replyWindow(o.perMinute ?? RATE_LIMITS.tickets, o.now ?? Date.now);
  const server = new SMTPServer({
    name: domain,
    banner: 'Support Kit: replies to ticket e-mails',
    // Loopback by default, no accounts: the reply address itself is the credential.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    // Our refusals carry their own enhanced status codes.
    hideENHANCEDSTATUSCODES: true,
    size: maxBytes,
    rejectOversized: true,
    maxRecipients: 1,
    maxClients: 50,
    socketTimeout: 30_000,
    closeTimeout: 1000,
    logger: false,
    onMailFrom(_address: SMTPServerAddress, _session: SMTPServerSession, callback) {
      callback();
    },
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback) {
      const to = lower(address.address);
      const sender = lower(session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address);
      if (domainOf(to) !== domain)
        return callback(unknownAddress(`<${to}>: this server takes replies to Support Kit e-mails only.`));
      o.inbox
        .recipient(to)
        .then(({ email }) => {
          if (sender !== lower(email))
            throw notAllowed(
              `<${to}> takes replies only from the person it was sent to; the sender <${sender}> is someone else.`,
            );
          // As the API's limit on replies; 451, so the sending server delivers it a little later.
          if (recentReplies.full(sender))
            throw new SmtpRefusal(
              451,
              '4.7.1',
              'Too many replies from you in the last minute; try again later.',
            );
          accepted.set(session.envelope, { address: to, email: lower(email) });
          callback();
        })
        .catch((e: unknown) => callback(smtpError(e)));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const to = accepted.get(session.envelope);
      readBounded(stream, maxBytes)
        .then(async (raw) => {
          // Over the size: smtp-server answers 552 itself (rejectOversized).
          if (raw === null) return callback(tooBig(`A reply may be at most ${maxBytes} bytes.`));
          if (!to) return callback(unknownAddress('No reply address was accepted for this message.'));
          const mail = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
          await o.inbox.deliver(await replyOf(mail, raw, to, reader));
          recentReplies.add(to.email);
          // A replayed Message-ID is accepted too (250): the sender has nothing to fix.
          callback(null, 'OK: the reply is in the ticket');
        })
        .catch((e: unknown) => callback(smtpError(e)));
    },
  });
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client that misbehaves is its connection's problem, never the process's.
  server.on('error', (e) => console.error('Inbound SMTP error', e));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    host,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await reader.close();
    },
  };
}
