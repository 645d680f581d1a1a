// Issue 22, point 3: a Storage token made by an outsider dies with the membership that made it,
// however that ends (refused at use, deleted with the membership or by the sweep); the project's
// deciders list the outsiders' tokens and revoke one; minting is rate limited; the access history
// filters by action. On every store.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withReadCache } from '../store/cached.ts';
import { STORE_NAMES, storesForTests } from '../store/each-store.ts';
import { createSqliteStore } from '../store/sqlite.ts';
import { BASE, type Harness, harness, IDS, T0 } from '../testing.ts';

const open = storesForTests();
const reason = 'Investigating SK-2201';
const T0_SEC = Math.floor(T0 / 1000);

type H = Harness;

/** Uses a Storage token as Keboola's Storage API would be asked: its status. */
const use = async (h: H, token: string) => {
  const res = await h.fetch(`${BASE}/v2/storage/tokens/verify`, { headers: { 'X-StorageApi-Token': token } });
  return res.status;
};

/** Sam (support) asks for project 100 for `seconds`, Alice approves: Sam is an admin member. */
async function samIn100(h: H, seconds = 3600): Promise<void> {
  const asked = await h.client('support').requestAccess(100, { reason, expirationSeconds: seconds });
  expect(asked.error).toBeUndefined();
  const id = asked.data?.id ?? 0;
  expect((await h.client('admin').approveJoinRequest(100, id)).response?.status).toBe(202);
}

/** Sam makes a token in project 100; its token and id. */
async function samToken(h: H, body: { description: string; expiresIn?: number } = { description: 'Debug' }) {
  const made = await h.client('support').createStorageToken(100, body);
  expect(made.error).toBeUndefined();
  return { token: made.data?.token ?? '', id: made.data?.id ?? 0, expires: made.data?.expires };
}

describe.each(STORE_NAMES)('%s store', (storeName) => {
  const make = async () => harness({ store: await open(storeName) });

  describe('a token made by an outsider dies with the membership that made it', () => {
    it('when the outsider leaves: refused at once, and gone from the store in the same change', async () => {
      const h = await make();
      await samIn100(h);
      const { token } = await samToken(h);
      expect(await use(h, token)).toBe(200);
      expect((await h.client('support').removeProjectUser(100, IDS.support)).response?.status).toBe(204);
      expect(await use(h, token)).toBe(401);
      expect(await h.store.count('storageTokens', { userId: IDS.support })).toBe(0);
    });

    it('when a decider removes the outsider', async () => {
      const h = await make();
      await samIn100(h);
      const { token } = await samToken(h);
      expect((await h.client('share').removeProjectUser(100, IDS.support)).response?.status).toBe(204);
      expect(await use(h, token)).toBe(401);
      expect(await h.store.count('storageTokens', { userId: IDS.support })).toBe(0);
    });

    it('when the membership expires: alive its last second, refused at the second it ends (before any sweep), then swept', async () => {
      const h = await make();
      await samIn100(h, 3600);
      // Asked for longer than the membership: capped at its end.
      const { token, expires } = await samToken(h, { description: 'Long one', expiresIn: 86_400 });
      expect(expires).toBe(`${new Date((T0_SEC + 3600) * 1000).toISOString().slice(0, 19)}+0000`);
      h.clock.advance(3599 * 1000);
      expect(await use(h, token)).toBe(200);
      // The clock alone (no sweep has run): the membership ended this second, so has the token.
      h.clock.advance(1000);
      expect(await use(h, token)).toBe(401);
      expect(await h.store.count('storageTokens', { userId: IDS.support })).toBe(1);
      await h.runDue();
      expect(await h.store.count('storageTokens', { userId: IDS.support })).toBe(0);
      expect(await use(h, token)).toBe(401);
    });

    it('whatever ends the row, even a way the rules do not know yet (a raw delete): refused at use', async () => {
      const h = await make();
      await samIn100(h);
      const { token } = await samToken(h);
      const m = await h.store.first('projectMembers', { projectId: 100, userId: IDS.support });
      await h.store.delete('projectMembers', m?.id ?? 0);
      expect(await use(h, token)).toBe(401);
    });

    it('coming back does not bring an old token back: a new membership is a new row', async () => {
      const h = await make();
      await samIn100(h);
      const { token: old } = await samToken(h);
      await h.client('support').removeProjectUser(100, IDS.support);
      await samIn100(h);
      const { token: fresh } = await samToken(h);
      expect([await use(h, old), await use(h, fresh)]).toEqual([401, 200]);
    });

    it('a role lowered to guest (which may not enter) takes the token with it; so does deleting the project', async () => {
      const h = await make();
      await samIn100(h);
      const { token } = await samToken(h);
      await h.client('admin').updateProjectUser(100, IDS.support, { role: 'guest' });
      expect(await use(h, token)).toBe(401);
      await h.client('admin').updateProjectUser(100, IDS.support, { role: 'admin' });
      const { token: second } = await samToken(h);
      expect(await use(h, second)).toBe(200);
      expect((await h.client('admin').deleteProject(100)).response?.status).toBe(204);
      expect(await use(h, second)).toBe(401);
    });

    it("a customer's own token is not tied to a membership (Keboola's behaviour) and is never listed", async () => {
      const h = await make();
      const mine = await h.client('admin').createStorageToken(100, { description: 'Mine' });
      const row = await h.store.get('storageTokens', mine.data?.id ?? 0);
      expect(row?.membershipId).toBeNull();
      expect(await use(h, mine.data?.token ?? '')).toBe(200);
      expect((await h.client('share').listOutsiderStorageTokens(100)).data).toEqual([]);
    });

    it('unknown, empty and over-long tokens are 401', async () => {
      const h = await make();
      expect(await use(h, 'nope')).toBe(401);
      expect(await use(h, 'x'.repeat(257))).toBe(401);
      const bare = await h.fetch(`${BASE}/v2/storage/tokens/verify`);
      expect(bare.status).toBe(401);
    });
  });

  describe("the project's deciders see and revoke the outsiders' tokens", () => {
    it('admin and share list them (never the token itself); an ended membership takes its tokens off the list', async () => {
      const h = await make();
      await samIn100(h);
      const { id } = await samToken(h, { description: 'Debugging the flow' });
      for (const p of ['admin', 'share'] as const) {
        const list = await h.client(p).listOutsiderStorageTokens(100);
        expect(list.data).toEqual([
          {
            id,
            description: 'Debugging the flow',
            created: expect.any(String),
            expires: expect.any(String),
            user: { id: IDS.support, name: 'Sam Support', email: 'sam@supportkit.test' },
            kind: 'support',
          },
        ]);
        expect(JSON.stringify(list.data)).not.toContain('"token"');
      }
      await h.client('support').removeProjectUser(100, IDS.support);
      expect((await h.client('admin').listOutsiderStorageTokens(100)).data).toEqual([]);
    });

    it('guests, read-only members, organization users, outsiders (members or not) and strangers may not list (403)', async () => {
      const h = await make();
      await samIn100(h);
      await samToken(h);
      for (const p of ['guest', 'readOnly', 'org', 'support', 'maintainer', 'random', 'betaAdmin'] as const)
        expect((await h.client(p).listOutsiderStorageTokens(100)).response?.status, p).toBe(403);
    });

    it('a decider revokes one: 204, refused at use, recorded in the history; a second time 404', async () => {
      const h = await make();
      await samIn100(h);
      const { token, id } = await samToken(h);
      expect((await h.client('share').revokeStorageToken(100, id)).response?.status).toBe(204);
      expect(await use(h, token)).toBe(401);
      const log = (await h.client('admin').listAccessLog(100, { action: 'storageTokenRevoked' })).data ?? [];
      expect(log).toMatchObject([
        {
          action: 'storageTokenRevoked',
          actor: { id: IDS.share },
          subject: { id: IDS.support },
          details: { tokenId: id },
        },
      ]);
      expect((await h.client('share').revokeStorageToken(100, id)).response?.status).toBe(404);
    });

    it('guests, outsiders (the owner too) and organization users may not revoke (403); the token lives on', async () => {
      const h = await make();
      await samIn100(h);
      const { token, id } = await samToken(h);
      for (const p of ['guest', 'readOnly', 'org', 'support', 'maintainer', 'random'] as const)
        expect((await h.client(p).revokeStorageToken(100, id)).response?.status, p).toBe(403);
      expect(await use(h, token)).toBe(200);
    });

    it('a decider of another project cannot reach a token by id: through their own project it is 404, through its project 403', async () => {
      const h = await make();
      // Sam in project 101 (Auto Join on), with a token there.
      expect((await h.client('support').joinProject(101, { reason })).response?.status).toBe(204);
      const made = await h.client('support').createStorageToken(101, { description: 'Beta' });
      const id = made.data?.id ?? 0;
      // Alice decides in 100, not 101.
      expect((await h.client('admin').revokeStorageToken(100, id)).response?.status).toBe(404);
      expect((await h.client('admin').revokeStorageToken(101, id)).response?.status).toBe(403);
      expect((await h.client('admin').listOutsiderStorageTokens(101)).response?.status).toBe(403);
      expect(await use(h, made.data?.token ?? '')).toBe(200);
      // Bob decides in 101.
      expect((await h.client('betaAdmin').listOutsiderStorageTokens(101)).data?.map((t) => t.id)).toEqual([
        id,
      ]);
      expect((await h.client('betaAdmin').revokeStorageToken(101, id)).response?.status).toBe(204);
    });

    it("a customer's own token cannot be revoked through the outsiders' route (404)", async () => {
      const h = await make();
      const mine = await h.client('admin').createStorageToken(100, { description: 'Mine' });
      expect((await h.client('share').revokeStorageToken(100, mine.data?.id ?? 0)).response?.status).toBe(
        404,
      );
      expect(await use(h, mine.data?.token ?? '')).toBe(200);
    });
  });

  describe('minting is rate limited, and the history filters by action', () => {
    it('20 tokens a minute per user; the 21st is 429 with Retry-After, makes no token and writes no history', async () => {
      const h = await make();
      await samIn100(h);
      for (let i = 0; i < 20; i++) await samToken(h, { description: `Token ${i}` });
      const refused = await h.client('support').createStorageToken(100, { description: 'One more' });
      expect(refused.response?.status).toBe(429);
      expect(Number(refused.response?.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(refused.error).toMatchObject({ code: 'manage.tooManyRequests' });
      expect(await h.store.count('storageTokens', { userId: IDS.support })).toBe(20);
      expect(await h.store.count('accessLog', { projectId: 100, action: 'storageTokenCreated' })).toBe(20);
      // Someone else is not held back by Sam's flood.
      expect(
        (await h.client('admin').createStorageToken(100, { description: 'Mine' })).response?.status,
      ).toBe(201);
      h.clock.advance(60_000);
      // The membership lasts an hour: Sam may mint again in the next minute.
      expect(
        (await h.client('support').createStorageToken(100, { description: 'Later' })).response?.status,
      ).toBe(201);
    });

    it('?action= lists only that action, pages within it; an unknown action is 400 naming the key', async () => {
      const h = await make();
      await samIn100(h);
      for (let i = 0; i < 3; i++) await samToken(h, { description: `Token ${i}` });
      const admin = h.client('admin');
      const all = (await admin.listAccessLog(100)).data ?? [];
      expect(all.map((e) => e.action)).toEqual([
        'storageTokenCreated',
        'storageTokenCreated',
        'storageTokenCreated',
        'approved',
        'requested',
      ]);
      const approved = (await admin.listAccessLog(100, { action: 'approved' })).data ?? [];
      expect(approved.map((e) => e.action)).toEqual(['approved']);
      const page = (await admin.listAccessLog(100, { action: 'storageTokenCreated', offset: 1, limit: 1 }))
        .data;
      expect(page?.map((e) => e.details.description)).toEqual(['Token 1']);
      for (const bad of ['bogus', 'storagetokencreated', '', 'approved,rejected']) {
        const res = await h.fetch(
          `${BASE}/manage/projects/100/access-log?action=${encodeURIComponent(bad)}`,
          {
            headers: { 'X-KBC-ManageApiToken': 'demo-admin-token' },
          },
        );
        expect(res.status, bad).toBe(400);
        expect(await res.json()).toMatchObject({ status: 'error', errors: [{ key: 'action' }] });
      }
    });
  });
});

describe('using Storage tokens on the SQLite store behind the read cache (what the server runs)', () => {
  it('a removal is seen at once, and random tokens are never remembered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-storage-cache-'));
    const store = withReadCache(createSqliteStore(join(dir, 'db.sqlite')));
    try {
      const h = await harness({ store });
      await samIn100(h);
      const { token } = await samToken(h);
      expect([await use(h, token), await use(h, token)]).toEqual([200, 200]);
      const cached = store.cachedReads();
      for (let i = 0; i < 500; i++) expect(await use(h, randomBytes(20).toString('hex'))).toBe(401);
      expect(store.cachedReads()).toBe(cached);
      await h.client('share').removeProjectUser(100, IDS.support);
      expect(await use(h, token)).toBe(401);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
