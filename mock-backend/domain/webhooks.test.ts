// Issue 23, point 4: an organization's webhooks are its own users' (never an outsider's, even one
// who joined it), their URLs never aim at this machine or its network outside test mode, bad input
// changes nothing, and the access events are queued in the change's own transaction, one delivery
// per enabled endpoint that wants the event. On every store.

import { describe, expect, it } from 'vitest';
import type { WebhookEventType } from '../../api/types.ts';
import { webhookMethods } from '../../api/webhooks.ts';
import { STORE_NAMES, storesForTests } from '../store/each-store.ts';
import { type Harness, harness, IDS, type Persona } from '../testing.ts';

const open = storesForTests();
const reason = 'Investigating SK-2201';
const ALL: WebhookEventType[] = [
  'request.created',
  'request.approved',
  'member.left',
  'organization.autoJoinChanged',
];

async function addHook(h: Harness, persona: Persona, org: number, url = 'https://hooks.example.com/in') {
  return webhookMethods(h.client(persona)).createWebhook(org, { url, events: ALL });
}

/** Every way in to an organization's webhooks, as one persona: the statuses. */
async function statuses(h: Harness, persona: Persona, org: number, hookId: number, deliveryId: number) {
  const c = webhookMethods(h.client(persona));
  return [
    (await c.listWebhooks(org)).response?.status,
    (await c.createWebhook(org, { url: 'https://evil.example.com/', events: ['member.joined'] })).response
      ?.status,
    (await c.updateWebhook(org, hookId, { url: 'https://evil.example.com/' })).response?.status,
    (await c.listWebhookDeliveries(org, hookId)).response?.status,
    (await c.sendWebhookTest(org, hookId)).response?.status,
    (await c.retryWebhookDelivery(org, hookId, deliveryId)).response?.status,
    (await c.deleteWebhook(org, hookId)).response?.status,
  ];
}

describe.each(STORE_NAMES)('%s store', (storeName) => {
  const make = async () => harness({ store: await open(storeName) });

  it('an organization user adds a webhook: the secret is in that answer only, the list never has it', async () => {
    const h = await make();
    const made = await addHook(h, 'org', 10);
    expect(made.response?.status).toBe(201);
    expect(made.data?.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(made.data?.format).toBe('standard');
    expect(made.data?.createdBy?.id).toBe(IDS.org);
    const listed = await webhookMethods(h.client('org')).listWebhooks(10);
    expect(listed.data).toHaveLength(1);
    expect(JSON.stringify(listed.data)).not.toContain('whsec_');
  });

  it('outsiders never manage webhooks, even after joining the organization; nor guests, nor another organization', async () => {
    const h = await make();
    const made = await addHook(h, 'betaAdmin', 11);
    const hookId = made.data?.id ?? 0;
    const test = await webhookMethods(h.client('betaAdmin')).sendWebhookTest(11, hookId);
    const deliveryId = test.data?.id ?? 0;
    // Sam (support) joins Beta Corp (Auto Join is on there): a member of it, still an outsider.
    expect((await h.client('support').joinOrganization(11)).response?.status).toBe(204);
    const before = [await h.store.find('webhookEndpoints', {}), await h.store.find('webhookDeliveries', {})];
    for (const persona of ['support', 'maintainer', 'random', 'admin', 'guest'] as const)
      expect(await statuses(h, persona, 11, hookId, deliveryId), persona).toEqual([
        403, 403, 403, 403, 403, 403, 403,
      ]);
    // Olga is an organization user of Acme, not of Beta Corp: her webhooks path does not reach it.
    expect((await webhookMethods(h.client('org')).listWebhooks(11)).response?.status).toBe(403);
    expect((await webhookMethods(h.client('org')).listWebhookDeliveries(10, hookId)).response?.status).toBe(
      404,
    );
    expect((await webhookMethods(h.client('org')).deleteWebhook(10, hookId)).response?.status).toBe(404);
    expect([await h.store.find('webhookEndpoints', {}), await h.store.find('webhookDeliveries', {})]).toEqual(
      before,
    );
  });

  it('a bad events list or URL is refused and changes nothing', async () => {
    const h = await make();
    const c = webhookMethods(h.client('org'));
    const bad = [
      { url: 'https://hooks.example.com/', events: [] },
      { url: 'https://hooks.example.com/', events: ['member.joined', 'member.joined'] },
      { url: 'https://hooks.example.com/', events: ['project.deleted'] },
      { url: 'https://hooks.example.com/', events: ['member.joined'], format: 'teams' },
      { url: 'not a url', events: ['member.joined'] },
      { url: 'ftp://hooks.example.com/', events: ['member.joined'] },
      { url: 'https://user:pass@hooks.example.com/', events: ['member.joined'] },
      { url: `https://hooks.example.com/${'a'.repeat(2000)}`, events: ['member.joined'] },
    ];
    for (const body of bad) {
      // biome-ignore lint/suspicious/noExplicitAny: deliberately outside the type, as a caller could send.
      const r = await c.createWebhook(10, body as any);
      expect(r.response?.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect(await h.store.count('webhookEndpoints', {})).toBe(0);
    for (let i = 0; i < 10; i++) expect((await addHook(h, 'org', 10)).response?.status).toBe(201);
    expect((await addHook(h, 'org', 10)).response?.status).toBe(409);
    expect(await h.store.count('webhookEndpoints', {})).toBe(10);
  });

  it('the access events are queued in the change, once per enabled endpoint that wants them', async () => {
    const h = await make();
    const all = (await addHook(h, 'org', 10)).data?.id ?? 0;
    const joinsOnly =
      (
        await webhookMethods(h.client('org')).createWebhook(10, {
          url: 'https://b.example.com/',
          events: ['member.joined'],
        })
      ).data?.id ?? 0;
    const off = (await addHook(h, 'org', 10, 'https://c.example.com/')).data?.id ?? 0;
    expect(
      (await webhookMethods(h.client('org')).updateWebhook(10, off, { enabled: false })).data?.disabled,
    ).not.toBeNull();
    const asked = await h.client('support').requestAccess(100, { reason, expirationSeconds: 3600 });
    await h.client('admin').approveJoinRequest(100, asked.data?.id ?? 0);
    await h.client('support').removeProjectUser(100, IDS.support);
    await h.client('org').updateOrganization(10, { allowAutoJoin: true });
    const types = async (endpointId: number) =>
      (await h.store.find('webhookDeliveries', { endpointId })).map((d) => d.type);
    expect(await types(all)).toEqual([
      'request.created',
      'request.approved',
      'member.left',
      'organization.autoJoinChanged',
    ]);
    expect(await types(joinsOnly)).toEqual([]);
    expect(await types(off)).toEqual([]);
    const [first] = await h.store.find('webhookDeliveries', { endpointId: all });
    const body = JSON.parse(first?.payload ?? '{}');
    expect(body).toMatchObject({
      type: 'request.created',
      data: {
        organization: { id: 10, name: 'Acme Analytics' },
        project: { id: 100, name: 'Acme Main' },
        subject: { id: IDS.support },
        reason,
        url: 'http://backend.test/admin/projects/100/users',
      },
    });
    // The panel lists them newest first, pending until the worker sends them.
    const listed = await webhookMethods(h.client('org')).listWebhookDeliveries(10, all);
    expect(listed.data?.map((d) => [d.type, d.status])).toEqual([
      ['organization.autoJoinChanged', 'pending'],
      ['member.left', 'pending'],
      ['request.approved', 'pending'],
      ['request.created', 'pending'],
    ]);
  });

  it('a refused change queues nothing', async () => {
    const h = await make();
    await addHook(h, 'org', 10);
    // Auto Join is off in Acme: Sam's join is refused, and no event goes out.
    expect(
      (await h.client('support').joinProject(100, { reason, expirationSeconds: 3600 })).response?.status,
    ).toBe(403);
    expect(await h.store.count('webhookDeliveries', {})).toBe(0);
  });

  it('a slack endpoint gets one line of text with a link, user text escaped, no button', async () => {
    const h = await make();
    const made = await webhookMethods(h.client('org')).createWebhook(10, {
      url: 'https://hooks.slack.example.com/services/x',
      format: 'slack',
      events: ['request.created'],
    });
    await h
      .client('support')
      .requestAccess(100, { reason: 'Fix <!channel> & <https://evil.test|click>', expirationSeconds: 3600 });
    const [d] = await h.store.find('webhookDeliveries', { endpointId: made.data?.id ?? 0 });
    const body = JSON.parse(d?.payload ?? '{}') as { text: string };
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toContain('*Access requested*: Acme Main (#100), Acme Analytics');
    expect(body.text).toContain('Reason: Fix &lt;!channel&gt; &amp; &lt;https://evil.test|click&gt;');
    expect(body.text).toContain('<http://backend.test/admin/projects/100/users|Open the users page>');
    expect(body.text).not.toMatch(/approve/i);
  });

  it('the sweep deletes deliveries done with 30 days ago, and never a pending one', async () => {
    const h = await make();
    const id = (await addHook(h, 'org', 10)).data?.id ?? 0;
    const [done, failed, pending] = [
      (await webhookMethods(h.client('org')).sendWebhookTest(10, id)).data?.id ?? 0,
      (await webhookMethods(h.client('org')).sendWebhookTest(10, id)).data?.id ?? 0,
      (await webhookMethods(h.client('org')).sendWebhookTest(10, id)).data?.id ?? 0,
    ];
    const at = Math.floor(h.clock.now() / 1000);
    await h.store.update('webhookDeliveries', done, {
      status: 'delivered',
      nextAttempt: null,
      lastAttempt: at,
    });
    await h.store.update('webhookDeliveries', failed, {
      status: 'failed',
      nextAttempt: null,
      lastAttempt: at,
    });
    await h.store.update('webhookDeliveries', pending, { nextAttempt: at + 40 * 86_400, lastAttempt: at });
    await h.advance(29 * 86_400);
    expect(await h.store.count('webhookDeliveries', {})).toBe(3);
    await h.advance(2 * 86_400);
    expect((await h.store.find('webhookDeliveries', {})).map((d) => d.id)).toEqual([pending]);
  });

  it('retry: only a failed delivery, once more; test event: only an enabled endpoint', async () => {
    const h = await make();
    const id = (await addHook(h, 'org', 10)).data?.id ?? 0;
    const test = await webhookMethods(h.client('org')).sendWebhookTest(10, id);
    expect(test.response?.status).toBe(201);
    expect(test.data?.type).toBe('test');
    const deliveryId = test.data?.id ?? 0;
    expect(
      (await webhookMethods(h.client('org')).retryWebhookDelivery(10, id, deliveryId)).response?.status,
    ).toBe(409);
    await h.store.update('webhookDeliveries', deliveryId, { status: 'failed', nextAttempt: null });
    const retried = await webhookMethods(h.client('org')).retryWebhookDelivery(10, id, deliveryId);
    expect(retried.data?.status).toBe('pending');
    await webhookMethods(h.client('org')).updateWebhook(10, id, { enabled: false });
    expect((await webhookMethods(h.client('org')).sendWebhookTest(10, id)).response?.status).toBe(409);
    expect(await h.store.count('webhookDeliveries', {})).toBe(1);
    // Deleting takes its deliveries with it.
    expect((await webhookMethods(h.client('org')).deleteWebhook(10, id)).response?.status).toBe(204);
    expect(await h.store.count('webhookDeliveries', {})).toBe(0);
  });
});

describe('outside test mode, a webhook never aims at this machine or its network', () => {
  const make = async () => {
    const h = await harness({ options: { testMode: false } });
    const names: Record<string, string[]> = {
      'hooks.example.com': ['93.184.216.34'],
      'sneaky.example.com': ['93.184.216.34', '10.1.2.3'],
      'mapped.example.com': ['::ffff:127.0.0.1'],
      'metadata.example.com': ['169.254.169.254'],
    };
    h.ctx.resolveHost = async (host) => {
      const found = names[host];
      if (!found) throw new Error('ENOTFOUND');
      return found;
    };
    return h;
  };

  it.each([
    ['http://hooks.example.com/', 'https://'],
    ['https://127.0.0.1/', 'loopback'],
    ['https://127.1/', 'loopback'],
    ['https://0x7f000001/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://[::ffff:7f00:1]/', 'loopback'],
    ['https://[::ffff:10.0.0.1]/', 'private'],
    ['https://10.0.0.8/', 'private'],
    ['https://192.168.1.1:8443/', 'private'],
    ['https://172.20.0.1/', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'metadata'],
    ['https://[fe80::1]/', 'link-local'],
    ['https://[fd00:ec2::254]/', 'private'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://localhost/', 'this machine'],
    ['https://api.localhost/', 'this machine'],
    ['https://metadata.google.internal/', 'internal'],
    ['https://sneaky.example.com/', 'private'],
    ['https://mapped.example.com/', 'loopback'],
    ['https://metadata.example.com/', 'metadata'],
    ['https://nowhere.example.com/', 'does not resolve'],
  ])('%s is refused', async (url, why) => {
    const h = await make();
    const r = await webhookMethods(h.client('org')).createWebhook(10, { url, events: ['member.joined'] });
    expect(r.response?.status).toBe(400);
    expect(r.error?.message).toContain(why);
    expect(await h.store.count('webhookEndpoints', {})).toBe(0);
  });

  it('a public https address is taken, and a change of URL is checked the same way', async () => {
    const h = await make();
    const made = await webhookMethods(h.client('org')).createWebhook(10, {
      url: 'https://hooks.example.com/in',
      events: ['member.joined'],
    });
    expect(made.response?.status).toBe(201);
    const id = made.data?.id ?? 0;
    const moved = await webhookMethods(h.client('org')).updateWebhook(10, id, {
      url: 'https://192.168.0.10/',
    });
    expect(moved.response?.status).toBe(400);
    expect((await webhookMethods(h.client('org')).listWebhooks(10)).data?.[0]?.url).toBe(
      'https://hooks.example.com/in',
    );
  });
});
