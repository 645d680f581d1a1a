// Who sees a ticket (issue 20, docs/rules.md#tickets), on every store: each role × a ticket of its
// own, one of its project, one of another project of the same customer, one of another customer,
// and one without a project. The list (every view), the ticket, its thread, a reply and the events'
// fan-out agree; anything not visible is 404.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../api/client.ts';
import type { TicketView } from '../../api/limits.ts';
import { STORE_NAMES, storesForTests } from '../store/each-store.ts';
import { BASE, fixtureWith, type Harness, harness, IDS } from '../testing.ts';

const open = storesForTests();

/** Beyond the demo: a reporter in project 100, project 103 of Acme, and Gamma (another maintainer). */
const REX = { id: 3000, email: 'rex@acme.test', token: 'rex-token' };
const YVES = { id: 3001, email: 'yves@acme.test', token: 'yves-token' };
const ZOE = { id: 3002, email: 'zoe@gamma.test', token: 'zoe-token' };
const OTTO = { id: 3003, email: 'otto@other-partner.test', token: 'otto-token' };

const fixture = fixtureWith((f) => {
  f.maintainers.push({ id: 2, name: 'Other Partner', supportEmail: 'help@other-partner.test' });
  f.organizations.push({ id: 12, name: 'Gamma', maintainerId: 2 });
  f.projects.push(
    { id: 102, name: 'Gamma Main', organizationId: 12 },
    { id: 103, name: 'Acme Two', organizationId: 10 },
  );
  for (const u of [REX, YVES, ZOE, OTTO])
    f.users.push({ id: u.id, email: u.email, name: u.email, mfaEnabled: true, token: u.token });
  f.maintainerMembers.push({ maintainerId: 2, userId: OTTO.id });
  f.projectMembers.push(
    { projectId: 100, userId: REX.id, role: 'guest' },
    { projectId: 103, userId: YVES.id, role: 'admin' },
    { projectId: 102, userId: ZOE.id, role: 'admin' },
  );
});

const TOKENS = {
  reporter: REX.token,
  admin: 'demo-admin-token',
  share: 'demo-share-token',
  guest: 'demo-guest-token',
  readOnly: 'demo-readonly-token',
  support: 'demo-support-token',
  maintainer: 'demo-maintainer-token',
  otherMaintainer: OTTO.token,
  otherCustomer: 'demo-beta-admin-token',
} as const;
type Role = keyof typeof TOKENS;
const ROLES = Object.keys(TOKENS) as Role[];
type Which = 'project' | 'otherProject' | 'otherCustomer' | 'noProject';

/** Which of the four shared tickets each role sees (besides its own, which every role sees). */
const SEES: Record<Role, Which[]> = {
  reporter: ['project', 'noProject'],
  admin: ['project'],
  share: ['project'],
  guest: [],
  readOnly: [],
  support: ['project', 'otherProject', 'otherCustomer', 'noProject'],
  maintainer: ['project', 'otherProject'],
  otherMaintainer: ['otherCustomer'],
  otherCustomer: [],
};

const client = (h: Harness, token: string) =>
  createClient({ baseUrl: BASE, token, fetch: h.fetch, timeoutMs: 5000 });

async function setUp(h: Harness) {
  const body = { subject: 'Help', description: 'Broken', type: 'problem' as const };
  const file = async (token: string, key: string, projectId?: number) => {
    const t = await client(h, token).createTicket({ ...body, ...(projectId ? { projectId } : {}) }, key);
    if (!t.data) throw new Error(JSON.stringify(t.error));
    return t.data.id;
  };
  const shared: Record<Which, number> = {
    project: await file(REX.token, 'p', 100),
    otherProject: await file(YVES.token, 'op', 103),
    otherCustomer: await file(ZOE.token, 'oc', 102),
    noProject: await file(REX.token, 'np'),
  };
  const own = {} as Record<Role, number>;
  for (const role of ROLES)
    own[role] = role === 'reporter' ? shared.noProject : await file(TOKENS[role], `own-${role}`);
  return { shared, own };
}

describe.each(STORE_NAMES)('%s store', (storeName) => {
  it('each role sees its own tickets and exactly those the rule gives it, everywhere', async () => {
    const h = await harness({ store: await open(storeName), fixture });
    const { shared, own } = await setUp(h);
    const byId = new Map<number, string>(Object.entries(shared).map(([k, v]) => [v, k]));
    for (const [role, id] of Object.entries(own)) if (!byId.has(id)) byId.set(id, `own:${role}`);
    const name = (ids: number[]) => ids.map((id) => byId.get(id) ?? `?${id}`).sort();
    // Support answers each shared ticket: one event row each, fanned out on read.
    for (const id of Object.values(shared))
      expect(
        (await client(h, TOKENS.support).postMessage(id, { body: 'Hi' }, `s${id}`)).error,
      ).toBeUndefined();

    const got: Record<string, unknown> = {};
    const want: Record<string, unknown> = {};
    for (const role of ROLES) {
      const c = client(h, TOKENS[role]);
      // Support users see every ticket: everyone's own ones too.
      const owns =
        role === 'support' ? ROLES.filter((r) => r !== 'reporter') : role === 'reporter' ? [] : [role];
      const expected = [...SEES[role], ...owns.map((r) => `own:${r}`)].sort();
      want[role] = { list: expected, each: expected, thread: expected, events: SEES[role].slice().sort() };
      const list = (await c.listTicketsIn({ limit: 1000 })).data?.map((t) => t.id) ?? [];
      const each: number[] = [];
      const thread: number[] = [];
      for (const id of byId.keys()) {
        const one = await c.getTicket(id);
        if (one.response?.status === 200) each.push(id);
        else expect(one.response?.status, `${role} GET ${byId.get(id)}`).toBe(404);
        const msgs = await c.listMessages(id);
        if (msgs.response?.status === 200) thread.push(id);
        else expect(msgs.response?.status).toBe(404);
      }
      const user = (await c.verifyToken()).data?.user?.id ?? 0;
      const events = (await h.events(user))
        .filter((e) => e.event.type === 'ticket.message')
        .map((e) => (e.event as { ticket: { id: number } }).ticket.id);
      got[role] = { list: name(list), each: name(each), thread: name(thread), events: name(events) };
    }
    expect(got).toEqual(want);
  });

  it('the views stay within what the caller sees; a reply or change to an unseen ticket is 404 and changes nothing', async () => {
    const h = await harness({ store: await open(storeName), fixture });
    const { shared } = await setUp(h);
    const views: TicketView[] = ['all', 'mine', 'unassigned', 'waiting'];
    await client(h, TOKENS.support).postMessage(shared.otherCustomer, { body: 'Hi' }, 'w');
    for (const role of ['guest', 'maintainer', 'otherCustomer'] as const) {
      const c = client(h, TOKENS[role]);
      for (const view of views) {
        const ids = (await c.listTicketsIn({ view })).data?.map((t) => t.id) ?? [];
        expect(ids).not.toContain(shared.otherCustomer);
      }
      const project = await c.listTicketsIn({ view: 'project', projectId: 102 });
      expect(project.data).toEqual([]);
      expect((await c.postMessage(shared.otherCustomer, { body: 'x' }, 'x')).response?.status).toBe(404);
      expect((await c.updateTicket(shared.otherCustomer, { status: 'solved' })).response?.status).toBe(404);
      expect((await c.markRead(shared.otherCustomer, 1)).response?.status).toBe(404);
    }
    const ticket = await client(h, TOKENS.support).getTicket(shared.otherCustomer);
    expect(ticket.data).toMatchObject({ status: 'waiting', messages: 1 });
    // view=project: a decider gets the project's tickets, the maintainer's user too.
    for (const role of ['admin', 'maintainer'] as const)
      expect(
        (await client(h, TOKENS[role]).listTicketsIn({ view: 'project', projectId: 100 })).data?.map(
          (t) => t.id,
        ),
      ).toEqual([shared.project]);
    expect((await client(h, TOKENS.admin).listTicketsIn({ view: 'project' })).response?.status).toBe(400);
    void IDS;
  });
});
