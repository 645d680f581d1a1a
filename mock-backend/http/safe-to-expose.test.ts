// docs/rules.md#safe-to-expose, in process: JSON only, tokens in the header only and never
// cached when unknown, paging in the store, per-user rate limits, stream caps, replay that yields.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { firstState } from '../domain/thread.ts';
import { withReadCache } from '../store/cached.ts';
import { createMemoryStore } from '../store/memory.ts';
import type { TicketRow } from '../store/schema.ts';
import { createSqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/types.ts';
import { BASE, DEMO, type Harness, harness, IDS, T0, TOKENS, watchFinds } from '../testing.ts';
import { REPLAY_PAGE } from './sse.ts';

const dir = mkdtempSync(join(tmpdir(), 'sk-expose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type H = Harness;

const post = (h: H, path: string, body: string, headers: Record<string, string> = {}) =>
  h.fetch(`${BASE}${path}`, { method: 'POST', headers, body });

/** Everything the store holds, to show a refused request changed nothing. */
const snapshot = async (h: H) =>
  JSON.stringify(
    await Promise.all(
      (['users', 'projectMembers', 'joinRequests', 'tickets', 'outbox', 'events'] as const).map((t) =>
        h.store.find(t, {}),
      ),
    ),
  );

describe('JSON only', () => {
  it('a text/plain POST from another origin (no preflight needed) is refused with 415 and does nothing', async () => {
    const h = await harness();
    const before = await snapshot(h);
    const crossSite = { Origin: 'https://evil.example', 'Content-Type': 'text/plain;charset=UTF-8' };
    const reset = await post(h, '/__test__/reset', '{}', crossSite);
    const clock = await post(h, '/__test__/clock', '{"advanceSeconds":691200}', crossSite);
    const request = await post(h, '/manage/projects/100/request-access', '{"reason":"x"}', {
      ...crossSite,
      'X-KBC-ManageApiToken': TOKENS.support,
    });
    for (const res of [reset, clock, request]) {
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ status: 'error', code: 'manage.unsupportedMediaType' });
    }
    expect(h.clock.now()).toBe(T0);
    expect(await snapshot(h)).toBe(before);
  });

  it('refuses form posts and bodies without a Content-Type; application/json with a charset is fine', async () => {
    const h = await harness();
    const form = await post(h, '/__test__/clock', 'advanceSeconds=60', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    const untyped = await post(h, '/__test__/clock', '{"advanceSeconds":60}');
    // fetch gives a string body text/plain; this Request has no type at all.
    const bare = await h.app.fetch(
      new Request(`${BASE}/__test__/clock`, {
        method: 'POST',
        body: new Blob(['{"advanceSeconds":60}']).stream(),
        duplex: 'half',
      } as RequestInit),
    );
    expect([form.status, untyped.status, bare.status]).toEqual([415, 415, 415]);
    expect(h.clock.now()).toBe(T0);
    const ok = await post(h, '/__test__/clock', '{"advanceSeconds":60}', {
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(ok.status).toBe(200);
    expect(h.clock.now()).toBe(T0 + 60_000);
  });

  it('still takes body-less calls without a Content-Type', async () => {
    const h = await harness();
    const res = await h.fetch(`${BASE}/manage/projects/100/users/1003`, {
      method: 'DELETE',
      headers: { 'X-KBC-ManageApiToken': TOKENS.readOnly },
    });
    expect(res.status).toBe(204);
  });
});

describe('tokens', () => {
  it('a token longer than 256 characters is a 401 without a store look-up', async () => {
    const store = createMemoryStore();
    const h = await harness({ store });
    let lookups = 0;
    const first = store.first.bind(store);
    store.first = ((table, filter) => {
      if (table === 'users') lookups++;
      return first(table, filter);
    }) as Store['first'];
    const res = await h.fetch(`${BASE}/manage/tokens/verify`, {
      headers: { 'X-KBC-ManageApiToken': 'x'.repeat(257) },
    });
    expect(res.status).toBe(401);
    expect(lookups).toBe(0);
    const known = await h.fetch(`${BASE}/manage/tokens/verify`, {
      headers: { 'X-KBC-ManageApiToken': TOKENS.admin },
    });
    expect([known.status, lookups]).toEqual([200, 1]);
  });

  it('a token in the query string is refused on every /manage route, in any case, %-escaped or under any name', async () => {
    const h = await harness();
    const routes = h.app.routes.filter((r) => r.path.startsWith('/manage/') && r.method !== 'ALL');
    expect(routes.length).toBeGreaterThan(30);
    const queries = [
      `TOKEN=${TOKENS.admin}`,
      `%74oken=${TOKENS.admin}`,
      `X-KBC-MANAGEAPITOKEN=${TOKENS.admin}`,
      'access_token=anything',
      `limit=5&q=${TOKENS.admin}`,
    ];
    for (const route of routes) {
      const path = route.path.replace(/:[A-Za-z]+/g, '1');
      for (const query of queries) {
        const res = await h.fetch(`${BASE}${path}?${query}`, {
          method: route.method,
          headers: { 'X-KBC-ManageApiToken': TOKENS.admin, 'Content-Type': 'application/json' },
          body: ['GET', 'DELETE'].includes(route.method) ? undefined : '{}',
        });
        await res.body?.cancel();
        expect(res.status, `${route.method} ${path}?${query}`).toBe(401);
      }
    }
    // A query without a token is fine.
    const ok = await h.fetch(`${BASE}/manage/support/tickets?limit=5`, {
      headers: { 'X-KBC-ManageApiToken': TOKENS.admin },
    });
    expect(ok.status).toBe(200);
  });

  it('memory stays flat after 10,000 requests with random tokens: no miss is cached', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const store = withReadCache(createSqliteStore(join(dir, 'random-tokens.sqlite')));
    const h = await harness({ store });
    const verify = (token: string) =>
      h.fetch(`${BASE}/manage/tokens/verify`, { headers: { 'X-KBC-ManageApiToken': token } });
    expect((await verify(TOKENS.admin)).status).toBe(200);
    const cachedBefore = store.cachedReads();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 10_000; i++) {
      // Half of them 15 KB (refused unread), half short enough to be looked up (and missed).
      const token = i % 2 ? randomBytes(7_500).toString('hex') : randomBytes(100).toString('hex');
      const res = await verify(token);
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
    gc();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(store.cachedReads()).toBe(cachedBefore);
    expect(grown).toBeLessThan(20 * 1024 * 1024);
    await store.close();
  });
});

describe('paging of our lists', () => {
  const ticket = (i: number, reporterId: number, projectId: number | null): Omit<TicketRow, 'id'> => ({
    number: `SK-${i}`,
    reporterId,
    idempotencyKey: `k-${i}`,
    created: Math.floor(T0 / 1000),
    subject: `Ticket ${i}`,
    description: 'x'.repeat(500),
    type: 'problem',
    severity: null,
    projectId,
    routedTo: 'support@partner.test',
    context: { pageUrl: 'https://app.test/' },
    attachments: [],
    ...firstState(Math.floor(T0 / 1000)),
  });

  it('a guest with 5,000 tickets in the store loads none of them; pages are 100 by default, at most 1000', async () => {
    let loaded = 0;
    let watching = false;
    const store = watchFinds(createMemoryStore(), (table, rows) => {
      if (watching && table === 'tickets') loaded += rows;
    });
    const h = await harness({ store });
    await store.transaction(async (tx) => {
      for (let i = 0; i < 5000; i++) await tx.insert('tickets', ticket(i, IDS.support, 100));
    });
    watching = true;
    const guest = await h.client('guest').listTickets();
    expect(guest.data).toEqual([]);
    expect(loaded).toBe(0);

    const support = await h.client('support').listTickets();
    expect(support.data).toHaveLength(100);
    expect(support.data?.[0]?.subject).toBe('Ticket 4999');
    expect(loaded).toBe(100);
    const get = (query: string) =>
      h.fetch(`${BASE}/manage/support/tickets?${query}`, {
        headers: { 'X-KBC-ManageApiToken': TOKENS.support },
      });
    const page = (await (await get('offset=4990&limit=1000')).json()) as { subject: string }[];
    expect(page.map((t) => t.subject)).toEqual(Array.from({ length: 10 }, (_, i) => `Ticket ${9 - i}`));
    expect((await get('limit=1001')).status).toBe(400);
    expect((await get('offset=-1')).status).toBe(400);
  });

  it('a maintainer user pages through the tickets of the projects they maintain, and only those', async () => {
    const h = await harness();
    // Project 100 is maintained by the maintainer user's partner; tickets without a project are not theirs.
    await h.store.transaction(async (tx) => {
      for (let i = 0; i < 30; i++) await tx.insert('tickets', ticket(i, IDS.support, i % 3 ? 100 : null));
      await tx.insert('tickets', ticket(99, IDS.maintainer, null));
    });
    const all = (await h.client('maintainer').listTickets()).data ?? [];
    expect(all.map((t) => t.subject)).toEqual([
      'Ticket 99',
      ...Array.from({ length: 30 }, (_, i) => 29 - i)
        .filter((i) => i % 3)
        .map((i) => `Ticket ${i}`),
    ]);
    const res = await h.fetch(`${BASE}/manage/support/tickets?offset=1&limit=2`, {
      headers: { 'X-KBC-ManageApiToken': TOKENS.maintainer },
    });
    expect(((await res.json()) as { subject: string }[]).map((t) => t.subject)).toEqual([
      'Ticket 29',
      'Ticket 28',
    ]);
  });

  it('the access log pages 100 by default and takes up to 1000', async () => {
    const h = await harness();
    await h.store.transaction(async (tx) => {
      for (let i = 0; i < 1100; i++)
        await tx.insert('accessLog', {
          projectId: 100,
          created: Math.floor(T0 / 1000),
          action: 'requested',
          actor: null,
          subject: null,
          reason: `r${i}`,
          details: {},
        });
    });
    const guest = h.client('guest');
    expect((await guest.listAccessLog(100)).data).toHaveLength(100);
    expect((await guest.listAccessLog(100, { limit: 1000 })).data).toHaveLength(1000);
    expect((await guest.listAccessLog(100, { limit: 1001 })).error).toMatchObject({ httpStatus: 400 });
  });
});

describe('rate limits per user', () => {
  const ticketBody = (i: number) =>
    JSON.stringify({ subject: `S${i}`, description: 'D', type: 'question', projectId: 100 });
  const fileTicket = (h: H, token: string, i: number) =>
    post(h, '/manage/support/tickets', ticketBody(i), {
      'X-KBC-ManageApiToken': token,
      'Content-Type': 'application/json',
      'Idempotency-Key': `key-${token}-${i}`,
    });

  it('10 tickets a minute per user; the 11th is 429 with Retry-After and sends no e-mail', async () => {
    const h = await harness();
    for (let i = 0; i < 10; i++) expect((await fileTicket(h, TOKENS.admin, i)).status).toBe(201);
    const mails = (await h.outbox()).length;
    const refused = await fileTicket(h, TOKENS.admin, 10);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'manage.tooManyRequests', status: 'error' });
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const retry = Number(refused.headers.get('Retry-After'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(await h.outbox()).toHaveLength(mails);
    expect(await h.store.count('tickets', { reporterId: IDS.admin })).toBe(10);
    // Another user is not affected.
    expect((await fileTicket(h, TOKENS.guest, 0)).status).toBe(201);
  });

  it('the window follows the server clock (/__test__/clock moves it) and /__test__/reset clears it', async () => {
    const h = await harness();
    for (let i = 0; i < 10; i++) await fileTicket(h, TOKENS.admin, i);
    expect((await fileTicket(h, TOKENS.admin, 10)).status).toBe(429);
    await h.advance(30);
    const later = await fileTicket(h, TOKENS.admin, 11);
    expect(later.status).toBe(429);
    expect(Number(later.headers.get('Retry-After'))).toBeLessThanOrEqual(30);
    await h.advance(30);
    expect((await fileTicket(h, TOKENS.admin, 12)).status).toBe(201);

    for (let i = 13; i < 30; i++) await fileTicket(h, TOKENS.admin, i);
    expect((await fileTicket(h, TOKENS.admin, 30)).status).toBe(429);
    const reset = await post(h, '/__test__/reset', JSON.stringify(DEMO), {
      'Content-Type': 'application/json',
    });
    expect(reset.status).toBe(204);
    expect((await fileTicket(h, TOKENS.admin, 31)).status).toBe(201);
  });

  it('20 join / request-access calls a minute per user together; then 429 and no e-mail', async () => {
    const h = await harness();
    const entry = (path: string) =>
      post(h, `/manage/projects/${path}`, '{"reason":"Investigating","expirationSeconds":3600}', {
        'X-KBC-ManageApiToken': TOKENS.support,
        'Content-Type': 'application/json',
      });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await entry('100/request-access');
      statuses.push(r.status);
      const mine = await h.store.first('joinRequests', { userId: IDS.support, status: 'pending' });
      if (mine)
        await h.fetch(`${BASE}/manage/current-user/projects-join-requests/${mine.id}`, {
          method: 'DELETE',
          headers: { 'X-KBC-ManageApiToken': TOKENS.support },
        });
    }
    for (let i = 0; i < 10; i++) statuses.push((await entry('101/join-project')).status);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    const mails = (await h.outbox()).length;
    const refused = await entry('100/request-access');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await entry('101/join-project')).status).toBe(429);
    expect(await h.outbox()).toHaveLength(mails);
    expect(await h.store.count('joinRequests', { userId: IDS.support, status: 'pending' })).toBe(0);
  });
});

describe('event streams', () => {
  const open = (h: H, token: string, headers: Record<string, string> = {}) =>
    h.fetch(`${BASE}/manage/current-user/events`, {
      headers: { 'X-KBC-ManageApiToken': token, ...headers },
    });

  it('at most 10 open streams per user: the 11th is 429 with Retry-After; closing one frees a place', async () => {
    const h = await harness();
    const streams = await Promise.all(Array.from({ length: 10 }, () => open(h, TOKENS.admin)));
    expect(streams.map((s) => s.status)).toEqual(Array(10).fill(200));
    const eleventh = await open(h, TOKENS.admin);
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await eleventh.json()).toMatchObject({ code: 'manage.tooManyRequests' });
    // Someone else still gets one.
    const other = await open(h, TOKENS.guest);
    expect(other.status).toBe(200);
    await streams[0]?.body?.cancel();
    const again = await open(h, TOKENS.admin);
    expect(again.status).toBe(200);
    for (const s of [...streams.slice(1), other, again]) await s.body?.cancel();
  });

  it('replaying a long history never holds the event loop for more than a few milliseconds', async () => {
    let readThisTurn = 0;
    const h = await harness({
      store: watchFinds(createMemoryStore(), (table, rows) => {
        if (table === 'events') readThisTurn += rows;
      }),
    });
    const project = { id: 100, name: 'Acme Main' };
    const user = { id: 1006, name: 'Sam Support', email: 'sam@supportkit.test' };
    await h.store.transaction(async (tx) => {
      for (let i = 0; i < 6000; i++)
        await tx.insert('events', {
          recipientId: IDS.admin,
          projectId: null,
          audience: null,
          ticketId: null,
          created: Math.floor(T0 / 1000),
          event: { type: 'membership.changed', project, user },
        });
    });
    // Counted, not timed (a loaded machine stretches any wall-clock bound): how many event rows are
    // read from the store within one turn of the event loop. A replay that never yields reads all of
    // them in one turn; one that yields between pages reads at most a page per open stream per turn.
    readThisTurn = 0;
    let mostInOneTurn = 0;
    let probing = true;
    const sample = () => {
      mostInOneTurn = Math.max(mostInOneTurn, readThisTurn);
      readThisTurn = 0;
    };
    const turn = () => {
      sample();
      if (probing) setImmediate(turn);
    };
    setImmediate(turn);
    const readAll = async (res: Response) => {
      const reader = res.body?.getReader();
      if (!reader) throw new Error('no body');
      const decoder = new TextDecoder();
      let seen = 0;
      while (seen < 6000) {
        const chunk = await reader.read();
        if (chunk.done) break;
        seen += decoder.decode(chunk.value).split('\nevent: ').length - 1;
      }
      await reader.cancel();
      return seen;
    };
    try {
      const replays = await Promise.all(
        Array.from({ length: 5 }, () => open(h, TOKENS.admin, { 'Last-Event-ID': '0' })),
      );
      expect(await Promise.all(replays.map(readAll))).toEqual(Array(5).fill(6000));
    } finally {
      probing = false;
      sample();
    }
    // Five streams, each at most one page per turn (a page takes a millisecond or two).
    expect(mostInOneTurn).toBeGreaterThan(0);
    expect(mostInOneTurn).toBeLessThanOrEqual(5 * REPLAY_PAGE);
  });
});
