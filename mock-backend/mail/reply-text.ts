// What a person wrote in an e-mail reply, without the message they answered: the quoted history and
// the signature go, by Crisp's email-reply-parser (the port of GitHub's EmailReplyParser), plus the
// Czech quote headers it does not know (our e-mails are written in Czech too).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The parser's patterns backtrack (its optional RE2 engine is a native module we do not build): on
 * 64 KiB of blank lines it ran 90 s, on one long line of digits or spaces seconds. So it reads at
 * most this much text (a reply's own text, at most THREAD_LIMITS.bodyMax characters, comes first;
 * what is beyond is quoted history), runs of blank lines shrink to one, and it never sees a line
 * longer than LINE_MAX: such a line is a paragraph, never a quote header or a signature, and stands
 * in the parser's input as a short placeholder that is put back afterwards. A few of its patterns
 * span lines and still backtrack on crafted text, so it runs in a worker thread that gets
 * `budgetMs` per reply and is replaced when it takes longer (reply-text.test.ts measures both).
 */
export const PARSED_TEXT_MAX = 64 * 1024;
/** The longest line an e-mail may carry (RFC 5322); a quote header is one line of a client's. */
export const LINE_MAX = 998;

/**
 * Czech mail clients: Thunderbird "Dne 7. 12. 2026 v 15:02 Jan Novák napsal(a):", Gmail
 * "po 7. 12. 2026 v 15:02 odesílatel Jan Novák <jan@example.cz> napsal:". Checked one line at a
 * time, and only a line followed by a quoted line counts: a reply saying "napsal:" is kept.
 */
const CZECH_QUOTE_HEADER = /(^|\s)(napsal\(a\)|napsala|napsal|odesílatel)(\s.*)?:\s*$/iu;
const HEADER_LINE_MAX = 400;

function cutCzechQuote(lines: string[]): string[] {
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i] ?? '';
    if (line.length > HEADER_LINE_MAX || !CZECH_QUOTE_HEADER.test(line)) continue;
    // The quoted block starts on the next line, or after one blank line.
    const next = lines[i + 1]?.trim() === '' ? lines[i + 2] : lines[i + 1];
    if (next?.startsWith('>')) return lines.slice(0, i);
  }
  return lines;
}

/** Lines as the parser may read them: blank runs shrunk, long lines swapped for placeholders. */
function shaped(text: string): { input: string; long: string[] } {
  const lines = cutCzechQuote(text.replace(/\r\n?/g, '\n').slice(0, PARSED_TEXT_MAX).split('\n'));
  const out: string[] = [];
  const long: string[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === '' && out.length > 0 && out[out.length - 1] === '') continue;
    if (line.length <= LINE_MAX) {
      out.push(line);
      continue;
    }
    // A long quoted line keeps its quote marks, so it still counts as quoted.
    const marks = /^[> ]*/.exec(line)?.[0] ?? '';
    out.push(`${marks}\u{e000}${long.length}\u{e001}`);
    long.push(line);
  }
  return { input: out.join('\n'), long };
}

/** The placeholders are private-use characters around a number; one the parser kept is its line again. */
const restored = (visible: string, long: string[]) =>
  visible.replace(/[> ]*\u{e000}(\d+)\u{e001}/gu, (_, i: string) => long[Number(i)] ?? '').trim();

// The worker is a CommonJS script (no TypeScript loader is needed in it) that imports the parser.
// It says `ready` once the parser is loaded: the budget counts the parsing, not the start.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.parser).then(({ default: Parser }) => {
  const parser = new Parser();
  parentPort.on('message', ({ id, text }) => parentPort.postMessage({ id, text: parser.parseReply(text) }));
  parentPort.postMessage('ready');
});`;
const PARSER_URL = pathToFileURL(createRequire(import.meta.url).resolve('email-reply-parser')).href;

export interface ReplyReader {
  /** The reply's own text (LF line breaks, trimmed), or null when the parser ran out of time. */
  read(text: string): Promise<string | null>;
  close(): Promise<void>;
}

/** One worker, one reply at a time; a reply that takes longer than `budgetMs` ends the worker. */
export function createReplyReader({ budgetMs = 2000 } = {}): ReplyReader {
  let current: { worker: Worker; ready: Promise<void> } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let next = 0;
  const spawn = () => {
    const worker = new Worker(WORKER, { eval: true, workerData: { parser: PARSER_URL } });
    // An idle worker does not keep the process alive.
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      const onReady = (m: unknown) => {
        if (m !== 'ready') return;
        worker.off('message', onReady);
        resolve();
      };
      worker.on('message', onReady);
      worker.once('error', reject);
    });
    return { worker, ready };
  };
  const run = async (input: string): Promise<string | null> => {
    current ??= spawn();
    const { worker, ready } = current;
    try {
      await ready;
    } catch (e) {
      current = null;
      throw e;
    }
    return new Promise((resolve, reject) => {
      const id = next++;
      const settle = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (m: { id: number; text: string } | 'ready') => {
        if (typeof m === 'object' && m.id === id) {
          settle();
          resolve(m.text);
        }
      };
      const onError = (e: Error) => {
        settle();
        current = null;
        reject(e);
      };
      const timer = setTimeout(() => {
        settle();
        current = null;
        void worker.terminate();
        resolve(null);
      }, budgetMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ id, text: input });
    });
  };
  return {
    read(text) {
      const { input, long } = shaped(text);
      const result = queue.then(() => run(input)).then((v) => (v === null ? null : restored(v, long)));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      await queue;
      await current?.worker.terminate();
      current = null;
    },
  };
}
