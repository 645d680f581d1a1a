// A real SMTP server on a free loopback port that keeps what it receives: for the tests of e-mail
// delivery (one instance or several).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string[];
  messageId: string;
  subject: string;
  raw: string;
}

export interface SmtpSink {
  server: SMTPServer;
  port: number;
  received: Received[];
  stop(): Promise<void>;
}

/** Listens on `port` (0: a free one) of 127.0.0.1, without TLS or authentication. */
export function startSmtpSink(port = 0): Promise<SmtpSink> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (d: Buffer) => {
        raw += d.toString('utf8');
      });
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '',
          subject: /^Subject:\s*(.*)$/im.exec(raw)?.[1]?.trim() ?? '',
          raw,
        });
        callback();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.server.address() as AddressInfo;
      resolve({
        server,
        port: address.port,
        received,
        stop: () => new Promise<void>((ok) => server.close(() => ok())),
      });
    });
  });
}
