// The reply's own text: what mail clients put under a reply goes, what the person wrote stays, and
// text crafted to make the parser backtrack costs at most the budget.
import { afterAll, describe, expect, it } from 'vitest';
import { createReplyReader, LINE_MAX, PARSED_TEXT_MAX } from './reply-text.ts';

const reader = createReplyReader();
afterAll(() => reader.close());

describe('replyText', () => {
  it.each([
    [
      'Gmail',
      'Works now, thanks!\r\n\r\nOn Mon, 7 Dec 2026 at 15:02, Support Kit <t1@reply.supportkit.test> wrote:\r\n> We re-ran it.\r\n> Bob\r\n',
    ],
    [
      'Outlook',
      'Works now, thanks!\n\nFrom: Support Kit <t1@reply.supportkit.test>\nSent: Monday, December 7, 2026 3:02 PM\nSubject: [SK-1001] Export\n\nWe re-ran it.\n',
    ],
    [
      'Thunderbird, Czech',
      'Works now, thanks!\n\nDne 07. 12. 26 v 15:02 Support Kit napsal(a):\n> We re-ran it.\n',
    ],
    [
      'Gmail, Czech',
      'Works now, thanks!\n\npo 7. 12. 2026 v 15:02 odesílatel Support Kit <t1@reply.supportkit.test> napsal:\n\n> We re-ran it.\n',
    ],
    ['a signature', 'Works now, thanks!\n\n-- \nAlice Admin\nAcme Inc.\n'],
  ])('%s: the quoted part goes', async (_, text) => {
    expect(await reader.read(text)).toBe('Works now, thanks!');
  });

  it('what the person wrote stays as written: markup, a colon, several paragraphs', async () => {
    const text = 'First <b>paragraph</b>.\n\nThe error said:\n  Error: 42 & <script>\n\nAlice';
    expect(await reader.read(text)).toBe(text);
  });

  it('a line longer than LINE_MAX is kept whole, in its place', async () => {
    const long = 'word '.repeat(LINE_MAX).trim();
    const text = `Before\n${long}\nAfter\n\nOn Mon, 7 Dec 2026, X <x@y.test> wrote:\n> old\n> ${long}\n`;
    expect(await reader.read(text)).toBe(`Before\n${long}\nAfter`);
  });

  it('runs of blank lines shrink to one (the parser backtracked 90 s on 64 KiB of them)', async () => {
    const started = performance.now();
    expect(await reader.read(`Hi${'\n'.repeat(PARSED_TEXT_MAX)}there`)).toBe('Hi');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('text crafted against its line-spanning patterns ends at the budget, and the next reply is read', async () => {
    const tight = createReplyReader({ budgetMs: 300 });
    try {
      // "DATE skrev NAME:" spans lines: many such starts, no ending colon, 64 KiB (about 14 s unbounded).
      const line = `abc. ${'x skrev '.repeat(LINE_MAX)}`.slice(0, LINE_MAX);
      const crafted = `${line}\n`.repeat(Math.floor(PARSED_TEXT_MAX / (LINE_MAX + 1)));
      const started = performance.now();
      expect(await tight.read(crafted)).toBeNull();
      expect(performance.now() - started).toBeLessThan(3000);
      expect(await tight.read('Still here.\n\nOn Mon, X <x@y.test> wrote:\n> old')).toBe('Still here.');
    } finally {
      await tight.close();
    }
  });
});
