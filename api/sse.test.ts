import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse.ts';

function parse(chunks: string[], max = 1000) {
  const events: SseMessage[] = [];
  const retries: number[] = [];
  let overflows = 0;
  const p = createSseParser({
    max,
    onEvent: (m) => events.push(m),
    onRetry: (ms) => retries.push(ms),
    onOverflow: () => overflows++,
  });
  for (const c of chunks) p.feed(c);
  return { events, retries, overflows, p };
}

describe('the Server-Sent Events parser', () => {
  it('reads LF, CRLF and CR line ends, split anywhere, a CRLF split across chunks too', () => {
    const text = 'id: 1\ndata: a\n\nid: 2\r\ndata: b\r\n\r\nid: 3\rdata: c\r\rdata: d\r\n\r\n';
    const whole = parse([text]).events;
    expect(whole).toEqual([
      { id: '1', data: 'a' },
      { id: '2', data: 'b' },
      { id: '3', data: 'c' },
      { data: 'd' },
    ]);
    for (let i = 1; i < text.length; i++)
      expect(parse([text.slice(0, i), text.slice(i)]).events, `at ${i}`).toEqual(whole);
    expect(parse([...text]).events).toEqual(whole);
  });

  it('joins data lines with \\n, skips comments, strips one space, takes a field without a colon', () => {
    const { events } = parse([':hello\ndata:x\ndata:  y\ndata\nfoo: bar\n\n']);
    expect(events).toEqual([{ data: 'x\n y\n' }]);
  });

  it('dispatches nothing for an event without data, and drops a leading BOM', () => {
    expect(parse(['id: 5\n\n']).events).toEqual([]);
    expect(parse(['\uFEFFdata: a\n\n']).events).toEqual([{ data: 'a' }]);
    expect(parse(['\uFEFF', 'data: a\n\n']).events).toEqual([{ data: 'a' }]);
  });

  it('ignores an id with NUL and a retry that is not digits', () => {
    const { events, retries } = parse(['id: a\0b\nretry: 1.5\nretry: x\nretry: 2500\ndata: z\n\n']);
    expect(events).toEqual([{ data: 'z' }]);
    expect(retries).toEqual([2500]);
  });

  it('keeps an unfinished event until its empty line, and reset drops it', () => {
    const r = parse(['data: a\n']);
    expect(r.events).toEqual([]);
    r.p.reset();
    r.p.feed('\ndata: b\n\n');
    expect(r.events).toEqual([{ data: 'b' }]);
  });

  it('calls onOverflow for a line or an event longer than the limit, never buffering on', () => {
    expect(parse(['data: ', 'x'.repeat(60)], 50).overflows).toBe(1);
    const many = parse(
      Array.from({ length: 10 }, () => 'data: xxxxxxxxxx\n'),
      50,
    );
    expect(many.overflows).toBe(1);
    expect(many.events).toEqual([]);
    expect(parse(['data: short\n\n'], 50).overflows).toBe(0);
  });
});
