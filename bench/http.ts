// One API call for the bench's load scripts: JSON in and out, the token in its header, an error
// (with the start of the body) for anything but 2xx.
export async function call(url: string, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'X-KBC-ManageApiToken': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return text;
}

/** A user's event stream (GET /manage/current-user/events), read as text until a pattern shows. */
export async function openEventStream(url: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(`${url}/manage/current-user/events`, {
    headers: { 'X-KBC-ManageApiToken': token },
    signal: abort.signal,
  });
  const reader = res.body?.getReader();
  if (!reader) throw new Error(`stream: ${res.status}`);
  const decoder = new TextDecoder();
  let text = '';
  return {
    /** Resolves once what arrived so far matches `pattern`. */
    async until(pattern: RegExp): Promise<void> {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value, { stream: true });
      }
    },
    close(): void {
      abort.abort();
    },
  };
}
