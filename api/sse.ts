// A Server-Sent Events parser (the WHATWG "event stream interpretation"): lines end in CRLF, LF or CR,
// even split across chunks; `:` starts a comment; `data` lines join with \n; an empty line dispatches;
// `id` with a NUL is ignored; `retry` takes ASCII digits only; a leading BOM is dropped. Ours, not
// eventsource-parser, because it is the users panel's and "My tickets"' live updates in the widget's
// core budget: this does what the reader needs (no `event` names, which the reader ignores) in a
// third of the bytes. An event or a line longer than `max` characters calls `onOverflow` instead of
// growing the buffer.

export interface SseMessage {
  /** The event's `id`, when it sent one. */
  id?: string;
  data: string;
}

export interface SseHandlers {
  onEvent(message: SseMessage): void;
  onRetry(ms: number): void;
  onOverflow(): void;
  max: number;
}

export function createSseParser(h: SseHandlers) {
  let buffer = '';
  let data: string[] = [];
  let size = 0;
  let id: string | undefined;
  let first = true;
  let afterCr = false;

  const reset = () => {
    buffer = '';
    data = [];
    size = 0;
    id = undefined;
    first = true;
    afterCr = false;
  };

  function line(text: string): void {
    if (!text) {
      const m: SseMessage = { data: data.join('\n'), ...(id === undefined ? {} : { id }) };
      const send = data.length > 0;
      data = [];
      size = 0;
      id = undefined;
      if (send) h.onEvent(m);
      return;
    }
    const colon = text.indexOf(':');
    if (colon === 0) return;
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(text[colon + 1] === ' ' ? colon + 2 : colon + 1);
    if (field === 'data') {
      data.push(value);
      size += value.length;
    } else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) h.onRetry(+value);
  }

  return {
    feed(chunk: string): void {
      let text = buffer + chunk;
      if (first && text) {
        first = false;
        if (text[0] === '\uFEFF') text = text.slice(1);
      }
      // A CR ended the last chunk's line: an LF opening this one belongs to it.
      if (afterCr && text[0] === '\n' && !buffer) text = text.slice(1);
      afterCr = false;
      let start = 0;
      for (const m of text.matchAll(/\r\n|\r|\n/g)) {
        const end = m.index;
        // A CR last in the chunk may be half of a CRLF: take the line, skip an LF that follows.
        if (m[0] === '\r' && end === text.length - 1) afterCr = true;
        line(text.slice(start, end));
        start = end + m[0].length;
      }
      buffer = text.slice(start);
      if (buffer.length + size > h.max) {
        reset();
        h.onOverflow();
      }
    },
    reset,
  };
}
