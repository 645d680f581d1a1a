// Issue 22, point 7: one text rule (the reason rule: a letter or digit; no control characters but line
// breaks and tabs; no bidirectional overrides; no unpaired surrogates) for every name, subject and
// message a person reads; line breaks only where the field is multi-line. 400 with the field's key,
// nothing stored. On every store: a NUL was a 500 on PostgreSQL (SQLite stored it).
import { describe, expect, it } from 'vitest';
import { STORE_NAMES, storesForTests } from '../store/each-store.ts';
import { BASE, type Harness, harness, TOKENS } from '../testing.ts';

const open = storesForTests();
type H = Harness;

/** What the rule refuses in any field, by name. */
const REFUSED: Record<string, string> = {
  'U+202E (right-to-left override)': '\u202E',
  'U+0000 (NUL)': '\u0000',
  'U+2067 (right-to-left isolate)': '\u2067',
  'U+0085 (NEL, a C1 control)': '\u0085',
  'U+001B (escape)': '\u001B',
  'a lone high surrogate': '\uD800',
  'a lone low surrogate': '\uDC00',
};

interface Field {
  /** The field's key in the error. */
  key: string;
  multiline: boolean;
  /** Sends the field holding `text` (everything else valid); the response. */
  send(h: H, text: string): Promise<Response>;
  /** What the store would show had it been taken. */
  stored(h: H): Promise<unknown>;
}

const call = (h: H, method: string, path: string, token: string, body: unknown, headers = {}) =>
  h.fetch(`${BASE}${path}`, {
    method,
    headers: { 'X-KBC-ManageApiToken': token, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

let ticketKey = 0;
const ticket = (h: H, change: (t: Record<string, unknown>) => void) => {
  const t: Record<string, unknown> = {
    subject: 'Export fails',
    description: 'The nightly export fails.',
    type: 'problem',
    projectId: 100,
    context: { pageUrl: 'https://app.test/p/100', error: { message: 'Job failed' } },
    attachments: [{ name: 'log.txt', type: 'text/plain', data: 'aGVsbG8=' }],
  };
  change(t);
  return call(h, 'POST', '/manage/support/tickets', TOKENS.admin, t, {
    'Idempotency-Key': `k${++ticketKey}`,
  });
};
const tickets = (h: H) => h.store.find('tickets', {});

const FIELDS: Field[] = [
  {
    key: 'name',
    multiline: false,
    send: (h, name) =>
      call(h, 'POST', '/manage/organizations/10/projects', TOKENS.org, { name: `Acme ${name} Main` }),
    stored: (h) => h.store.find('projects', {}),
  },
  {
    key: 'name',
    multiline: false,
    send: (h, name) =>
      call(h, 'PATCH', '/manage/organizations/10', TOKENS.org, { name: `Acme ${name} Analytics` }),
    stored: (h) => h.store.get('organizations', 10),
  },
  {
    key: 'description',
    multiline: false,
    send: (h, d) =>
      call(h, 'POST', '/manage/projects/100/tokens', TOKENS.admin, { description: `Enter ${d}` }),
    stored: (h) => h.store.find('storageTokens', {}),
  },
  {
    key: 'subject',
    multiline: false,
    send: (h, s) =>
      ticket(h, (t) => {
        t.subject = `Export ${s} fails`;
      }),
    stored: tickets,
  },
  {
    key: 'description',
    multiline: true,
    send: (h, d) =>
      ticket(h, (t) => {
        t.description = `The export ${d} fails.`;
      }),
    stored: tickets,
  },
  {
    key: 'attachments[0].name',
    multiline: false,
    send: (h, n) =>
      ticket(h, (t) => {
        t.attachments = [{ name: `log${n}.txt`, type: 'text/plain', data: 'aGVsbG8=' }];
      }),
    stored: tickets,
  },
  {
    key: 'attachments[0].type',
    multiline: false,
    send: (h, n) =>
      ticket(h, (t) => {
        t.attachments = [{ name: 'log.txt', type: `text/plain${n}`, data: 'aGVsbG8=' }];
      }),
    stored: tickets,
  },
  {
    key: 'context.pageUrl',
    multiline: false,
    send: (h, u) =>
      ticket(h, (t) => {
        t.context = { pageUrl: `https://app.test/${u}` };
      }),
    stored: tickets,
  },
  {
    key: 'context.error.message',
    multiline: true,
    send: (h, m) =>
      ticket(h, (t) => {
        t.context = { error: { message: `Job ${m} failed` } };
      }),
    stored: tickets,
  },
  {
    key: 'reason',
    multiline: true,
    send: (h, r) =>
      call(h, 'POST', '/manage/projects/100/request-access', TOKENS.support, {
        reason: `Debugging ${r} SK-1`,
      }),
    stored: (h) => h.store.find('joinRequests', {}),
  },
];

/** E-mail addresses become the names of new users and are shown in lists and e-mails. */
const EMAIL_ROUTES: [string, string][] = [
  ['POST', '/manage/projects/100/users'],
  ['POST', '/manage/projects/100/invitations'],
  ['POST', '/manage/organizations/10/users'],
  ['POST', '/manage/organizations/10/invitations'],
];

const errorKey = async (res: Response) => {
  const body = (await res.json()) as { status?: string; errors?: { key: string }[] };
  expect(body.status).toBe('error');
  return body.errors?.[0]?.key;
};

describe.each(STORE_NAMES)('%s store', (storeName) => {
  const make = async () => harness({ store: await open(storeName) });

  it.each(FIELDS.map((f) => [`${f.key} (${f.multiline ? 'multi-line' : 'one line'})`, f] as const))(
    '%s: every refused character is a 400 naming the field, and nothing is stored',
    async (_label, field) => {
      const h = await make();
      const before = JSON.stringify(await field.stored(h));
      for (const [what, ch] of Object.entries(REFUSED)) {
        const res = await field.send(h, ch);
        expect(res.status, what).toBe(400);
        expect(await errorKey(res), what).toBe(field.key);
      }
      expect(JSON.stringify(await field.stored(h))).toBe(before);
      expect(await h.outbox()).toEqual([]);
    },
  );

  it.each(FIELDS.map((f) => [f.key, f] as const))(
    '%s: line breaks only where the field is multi-line; tabs and RTL marks (U+200F) are text',
    async (_key, field) => {
      const h = await make();
      const res = await field.send(h, 'one\ntwo');
      if (field.multiline) expect(res.status).toBeLessThan(300);
      else {
        expect(res.status).toBe(400);
        expect(await errorKey(res)).toBe(field.key);
      }
      // A mark right-to-left text needs (it cannot reorder a run of letters), and a tab.
      const h2 = await make();
      const ok = await field.send(h2, 'שלום\u200F\tx');
      expect(ok.status).toBeLessThan(300);
    },
  );

  it('names, subjects and descriptions must say something (a letter or digit), after trimming', async () => {
    const h = await make();
    for (const name of ['   ', '---', '\u3164\u3164']) {
      const res = await call(h, 'POST', '/manage/organizations/10/projects', TOKENS.org, { name });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(await errorKey(res)).toBe('name');
    }
    const ok = await call(h, 'POST', '/manage/organizations/10/projects', TOKENS.org, { name: '  Acme 2  ' });
    expect(((await ok.json()) as { name: string }).name).toBe('Acme 2');
    const bare = await ticket(h, (t) => {
      t.subject = '?!';
    });
    expect(await errorKey(bare)).toBe('subject');
  });

  it.each(EMAIL_ROUTES)(
    '%s %s: an address with a refused character is not valid (422, key email)',
    async (method, path) => {
      const h = await make();
      for (const [what, ch] of Object.entries(REFUSED)) {
        const res = await call(h, method, path, path.includes('organizations') ? TOKENS.org : TOKENS.admin, {
          email: `eve${ch}@evil.test`,
        });
        expect(res.status, what).toBe(422);
        expect(await errorKey(res), what).toBe('email');
      }
      expect(await h.store.count('users', {})).toBe(10);
    },
  );

  it('an e-mail address in a path with a refused character is a 400, not a look-up (PostgreSQL answered a NUL with 500)', async () => {
    const h = await make();
    // A lone surrogate cannot be put in a URL at all (it has no UTF-8): the others can.
    for (const [what, ch] of Object.entries(REFUSED).filter(([w]) => !w.includes('surrogate'))) {
      const res = await h.fetch(
        `${BASE}/manage/projects/100/users/${encodeURIComponent(`eve${ch}@evil.test`)}`,
        {
          method: 'DELETE',
          headers: { 'X-KBC-ManageApiToken': TOKENS.admin },
        },
      );
      expect(res.status, what).toBe(400);
      expect(await errorKey(res), what).toBe('userIdOrEmail');
    }
  });

  it('an organization renamed with U+202E never reaches the e-mails to support staff', async () => {
    const h = await make();
    const res = await call(h, 'PATCH', '/manage/organizations/10', TOKENS.org, {
      name: 'Acme \u202Eniam emca\u202C',
    });
    expect(res.status).toBe(400);
    await call(h, 'POST', '/manage/projects/100/request-access', TOKENS.support, { reason: 'Checking SK-3' });
    for (const m of await h.outbox()) expect(m.text + m.html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect((await h.store.get('organizations', 10))?.name).toBe('Acme Analytics');
  });
});
