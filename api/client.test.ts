import { describe, expect, it, vi } from 'vitest';
import { createClient } from './client.ts';

type FetchArgs = [input: string | URL | Request, init?: RequestInit];

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function recordingFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (...[input, init]: FetchArgs) => {
    const url = String(input);
    calls.push({ url, init: init ?? {} });
    return respond(url, init ?? {});
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const user = {
  id: 1,
  name: 'Sam',
  email: 'sam@vendor.test',
  mfaEnabled: true,
  isSuperAdmin: true,
  features: [],
};

describe('createClient', () => {
  it('sends the token header to the /manage path under the base URL', async () => {
    const { fetch, calls } = recordingFetch(() => json(200, { id: 7, description: 'demo', user }));
    const client = createClient({ baseUrl: 'http://stack.test/', token: 'secret', fetch });
    const result = await client.verifyToken();
    expect(result.error).toBeUndefined();
    expect(result.data?.user?.email).toBe('sam@vendor.test');
    expect(calls[0]?.url).toBe('http://stack.test/manage/tokens/verify');
    expect(new Headers(calls[0]?.init.headers).get('X-KBC-ManageApiToken')).toBe('secret');
  });

  it('reads the token from getToken on every call', async () => {
    let current = 'first';
    const { fetch, calls } = recordingFetch(() => json(200, []));
    const client = createClient({ baseUrl: 'http://stack.test', getToken: () => current, fetch });
    await client.listProjectUsers(100);
    current = 'second';
    await client.listProjectUsers(100);
    expect(calls.map((c) => new Headers(c.init.headers).get('X-KBC-ManageApiToken'))).toEqual([
      'first',
      'second',
    ]);
  });

  it('returns a noToken error without calling fetch when there is no token', async () => {
    const { fetch, calls } = recordingFetch(() => json(200, {}));
    const client = createClient({ baseUrl: 'http://stack.test', getToken: () => null, fetch });
    const result = await client.verifyToken();
    expect(result.error?.kind).toBe('noToken');
    expect(calls).toHaveLength(0);
  });

  it('returns an HTTP error with its code, message, exceptionId and field errors instead of throwing', async () => {
    const body = {
      error: 'Reason is required',
      code: 'manage.validationError',
      status: 'error',
      exceptionId: 'exc-1',
      errors: [{ key: 'reason', message: 'Reason is required' }],
    };
    const { fetch } = recordingFetch(() => json(400, body));
    const client = createClient({ baseUrl: 'http://stack.test', token: 't', fetch });
    const result = await client.joinProject(100, { reason: ' ' });
    expect(result.data).toBeUndefined();
    expect(result.response?.status).toBe(400);
    expect(result.error).toEqual({
      kind: 'http',
      httpStatus: 400,
      message: 'Reason is required',
      code: 'manage.validationError',
      exceptionId: 'exc-1',
      errors: [{ key: 'reason', message: 'Reason is required' }],
    });
  });

  it('reports a non-JSON error page as invalidResponse with its status', async () => {
    const { fetch } = recordingFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const client = createClient({ baseUrl: 'http://stack.test', token: 't', fetch });
    const result = await client.getProject(100);
    expect(result.error).toMatchObject({ kind: 'invalidResponse', httpStatus: 502 });
  });

  it('turns a network failure into a typed network error', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof globalThis.fetch;
    const client = createClient({ baseUrl: 'http://stack.test', token: 't', fetch });
    const result = await client.getProject(100);
    expect(result.error).toEqual({ kind: 'network', code: 'network', message: 'Failed to fetch' });
    expect(result.response).toBeUndefined();
  });

  it('aborts a request that takes longer than timeoutMs and says it timed out', async () => {
    const fetch = vi.fn(
      (_input: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          const abort = () => reject(new DOMException('aborted', 'AbortError'));
          if (init?.signal?.aborted) abort();
          init?.signal?.addEventListener('abort', abort);
        }),
    ) as unknown as typeof globalThis.fetch;
    const client = createClient({ baseUrl: 'http://stack.test', token: 't', fetch, timeoutMs: 20 });
    const result = await client.listMyJoinRequests();
    expect(result.error?.kind).toBe('timeout');
  });

  it('says aborted when the caller aborts, not timeout', async () => {
    const fetch = vi.fn(
      (_input: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          const abort = () => reject(new DOMException('aborted', 'AbortError'));
          if (init?.signal?.aborted) abort();
          init?.signal?.addEventListener('abort', abort);
        }),
    ) as unknown as typeof globalThis.fetch;
    const client = createClient({ baseUrl: 'http://stack.test', token: 't', fetch });
    const controller = new AbortController();
    const early = client.listMyJoinRequests({ signal: controller.signal });
    controller.abort();
    expect((await early).error?.kind).toBe('aborted');

    const later = new AbortController();
    const inFlight = client.listMyJoinRequests({ signal: later.signal });
    await new Promise((r) => setTimeout(r, 5));
    later.abort();
    expect((await inFlight).error?.kind).toBe('aborted');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('treats an empty 204 as success with no data', async () => {
    const { fetch, calls } = recordingFetch(() => new Response(null, { status: 204 }));
    const client = createClient({ baseUrl: 'http://stack.test', token: 't', fetch });
    const result = await client.rejectJoinRequest(100, 5);
    expect(result.error).toBeUndefined();
    expect(calls[0]?.init.method).toBe('DELETE');
    expect(calls[0]?.url).toBe('http://stack.test/manage/projects/100/join-requests/5');
  });

  it('sends JSON bodies and the Idempotency-Key header for tickets', async () => {
    const { fetch, calls } = recordingFetch(() => json(201, { id: 1, number: 'SK-1001' }));
    const client = createClient({ baseUrl: 'http://stack.test', token: 't', fetch });
    await client.createTicket({ subject: 'Help', description: 'It broke', type: 'problem' }, 'key-1');
    const headers = new Headers(calls[0]?.init.headers);
    expect(headers.get('Idempotency-Key')).toBe('key-1');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({
      subject: 'Help',
      description: 'It broke',
      type: 'problem',
    });
  });

  it('encodes path parameters so an e-mail cannot escape its segment', async () => {
    const { fetch, calls } = recordingFetch(() => new Response(null, { status: 204 }));
    const client = createClient({ baseUrl: 'http://stack.test', token: 't', fetch });
    await client.removeProjectUser(100, 'a/b@x.test');
    expect(calls[0]?.url).toBe('http://stack.test/manage/projects/100/users/a%2Fb%40x.test');
  });

  it('adds paging to the access log query', async () => {
    const { fetch, calls } = recordingFetch(() => json(200, []));
    const client = createClient({ baseUrl: 'http://stack.test', token: 't', fetch });
    await client.listAccessLog(100, { offset: 20, limit: 10 });
    expect(calls[0]?.url).toBe('http://stack.test/manage/projects/100/access-log?offset=20&limit=10');
  });
});

describe('redirects', () => {
  /** A stack that redirects every API call to another origin, which records what reaches it. */
  async function redirectingStack() {
    const { createServer } = await import('node:http');
    const reached: { url: string; token: string | undefined }[] = [];
    const elsewhere = createServer((req, res) => {
      const token = req.headers['x-kbc-manageapitoken'];
      reached.push({ url: req.url ?? '', token: Array.isArray(token) ? token[0] : token });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":1,"user":{}}');
    });
    const stack = createServer((req, res) => {
      const a = elsewhere.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      res.writeHead(302, { Location: `http://localhost:${port}${req.url ?? '/'}` }).end();
    });
    const listen = (s: typeof stack) =>
      new Promise<number>((resolve) =>
        s.listen(0, '127.0.0.1', () => {
          const a = s.address();
          resolve(typeof a === 'object' && a ? a.port : 0);
        }),
      );
    await listen(elsewhere);
    const port = await listen(stack);
    const close = () =>
      Promise.all([stack, elsewhere].map((s) => new Promise((r) => s.close(() => r(undefined)))));
    return { baseUrl: `http://127.0.0.1:${port}`, reached, close };
  }

  it('does not follow a redirect, so the token never reaches the other origin, and says why', async () => {
    const stack = await redirectingStack();
    try {
      const client = createClient({ baseUrl: stack.baseUrl, token: 'secret-token' });
      const result = await client.verifyToken();
      expect(stack.reached).toEqual([]);
      expect(result.error?.kind).toBe('redirect');
      expect(result.error?.message).toContain('answered with a redirect');
      expect(result.error?.message).toContain('do not follow redirects');
      expect(result.error?.message).not.toContain('Failed to fetch');
    } finally {
      await stack.close();
    }
  });

  it('tells an opaque redirect (a browser hides its target) from a network failure', async () => {
    const opaque = Object.defineProperty(new Response(null, { status: 200 }), 'type', {
      value: 'opaqueredirect',
    });
    const { fetch, calls } = recordingFetch(() => opaque);
    const result = await createClient({ baseUrl: 'http://stack.test', token: 't', fetch }).listTickets();
    expect(calls[0]?.init.redirect).toBe('manual');
    expect(result.error).toMatchObject({ kind: 'redirect', code: 'redirect' });
  });
});
