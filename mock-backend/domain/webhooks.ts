// An organization's webhook endpoints, managed by its organization users only: support and
// maintainer users never, even when they joined the organization (the outsider rule), since the
// endpoints receive the organization's access events, theirs among them.
import type { z } from 'zod';
import type { CreateWebhookBody, UpdateWebhookBody } from '../../api/schemas.ts';
import {
  type NewWebhookEndpoint,
  WEBHOOK_LIMITS,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
} from '../../api/types.ts';
import type { OrganizationRow, UserRow, WebhookDeliveryRow, WebhookEndpointRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec } from './context.ts';
import { badRequest, conflict, forbidden, notFound } from './errors.ts';
import { iso, isoOrNull, orgRef, userRef, userRefById } from './format.ts';
import { cleanText, type TextField } from './inputs.ts';
import { organizationPageUrl } from './notify.ts';
import { isOutsider, relationToOrg, requireOrganization } from './relations.ts';
import { isIpLiteral, refusedAddress, refusedHostName } from './webhook-address.ts';
import { queueDelivery } from './webhook-events.ts';

/** The organization, if the caller is one of its own users; refused for everyone else. */
async function managedOrg(ctx: Ctx, organizationId: number, user: UserRow): Promise<OrganizationRow> {
  const org = await requireOrganization(ctx, organizationId);
  const relation = await relationToOrg(ctx, org, user);
  if (relation === 'organization') return org;
  throw forbidden(
    isOutsider(relation)
      ? "Only the organization's own users manage its webhooks: support and maintainer users never do, even as its members."
      : "You don't have access to the organization",
  );
}

async function endpointOf(ctx: Ctx, org: OrganizationRow, webhookId: number): Promise<WebhookEndpointRow> {
  const e = await ctx.store.get('webhookEndpoints', webhookId);
  if (!e || e.organizationId !== org.id) throw notFound(`Webhook ${webhookId} not found`);
  return e;
}

const URL_FIELD: TextField = {
  key: 'url',
  label: 'The webhook URL',
  max: WEBHOOK_LIMITS.urlMax,
  required: true,
};

/**
 * The URL, if a webhook may go there: https (http too in test mode), no credentials in it, and
 * outside test mode never this machine, a private network or a metadata service: an address
 * literal is judged as it stands, a name by every address it resolves to now (the worker checks
 * again at each delivery, and connects only to the address it checked).
 */
export async function checkWebhookUrl(ctx: Ctx, raw: string): Promise<string> {
  const text = cleanText(raw, URL_FIELD);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badRequest('The webhook URL is not a valid URL.');
  }
  const schemes = ctx.testMode ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw badRequest('The webhook URL must start with https://.');
  if (url.username || url.password)
    throw badRequest('The webhook URL may not carry a user name or password: sign with the secret instead.');
  if (url.hash) throw badRequest('The webhook URL may not have a #fragment.');
  if (ctx.testMode) return url.href;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const refuse = (why: string) =>
    badRequest(`The webhook URL points at ${why}: webhooks go only to public addresses.`);
  if (isIpLiteral(host)) {
    const why = refusedAddress(host);
    if (why) throw refuse(why);
    return url.href;
  }
  const byName = refusedHostName(host);
  if (byName) throw refuse(byName);
  if (ctx.resolveHost) {
    let addresses: string[];
    try {
      addresses = await ctx.resolveHost(host);
    } catch {
      throw badRequest(`The webhook URL's host ${host} does not resolve.`);
    }
    if (!addresses.length) throw badRequest(`The webhook URL's host ${host} does not resolve.`);
    for (const a of addresses) {
      const why = refusedAddress(a);
      if (why) throw refuse(`${why} (${host} resolves to ${a})`);
    }
  }
  return url.href;
}

function checkEvents(events: readonly WebhookEventType[]): WebhookEventType[] {
  if (new Set(events).size !== events.length) throw badRequest('Each event may be listed only once.');
  return [...events];
}

/** `whsec_` and 24 random bytes in base64: the Standard Webhooks form of a signing secret. */
function newSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

async function formatEndpoint(ctx: Ctx, e: WebhookEndpointRow): Promise<WebhookEndpoint> {
  return {
    id: e.id,
    organization: await orgRef(ctx, e.organizationId),
    url: e.url,
    format: e.format,
    events: e.events,
    created: iso(e.created),
    createdBy: e.createdBy === null ? null : await userRefById(ctx, e.createdBy),
    disabled: isoOrNull(e.disabled),
    failingSince: isoOrNull(e.failingSince),
  };
}

export function formatDelivery(d: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: d.id,
    endpointId: d.endpointId,
    messageId: d.messageId,
    type: d.type,
    created: iso(d.created),
    status: d.status,
    attempts: d.attempts,
    nextAttempt: d.status === 'pending' ? isoOrNull(d.nextAttempt) : null,
    lastAttempt: isoOrNull(d.lastAttempt),
    responseStatus: d.responseStatus,
    response: d.response,
    error: d.error,
  };
}

export async function listWebhooks(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
): Promise<WebhookEndpoint[]> {
  const org = await managedOrg(ctx, organizationId, user);
  const rows = await ctx.store.find('webhookEndpoints', { organizationId: org.id });
  return Promise.all(rows.map((e) => formatEndpoint(ctx, e)));
}

export async function createWebhook(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  body: z.output<typeof CreateWebhookBody>,
): Promise<NewWebhookEndpoint> {
  const org = await managedOrg(ctx, organizationId, user);
  const url = await checkWebhookUrl(ctx, body.url);
  const events = checkEvents(body.events);
  return mutate(ctx, async (ctx) => {
    if (
      (await ctx.store.count('webhookEndpoints', { organizationId: org.id })) >=
      WEBHOOK_LIMITS.endpointsPerOrganization
    )
      throw conflict(
        `An organization has at most ${WEBHOOK_LIMITS.endpointsPerOrganization} webhooks: delete one first.`,
      );
    const secret = newSecret();
    const id = await ctx.store.insert('webhookEndpoints', {
      organizationId: org.id,
      url,
      format: body.format ?? 'standard',
      events,
      secret,
      created: nowSec(ctx),
      createdBy: user.id,
      disabled: null,
      failingSince: null,
    });
    const row = await ctx.store.get('webhookEndpoints', id);
    if (!row) throw new Error('Webhook insert failed');
    return { ...(await formatEndpoint(ctx, row)), secret };
  });
}

export async function updateWebhook(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  webhookId: number,
  body: z.output<typeof UpdateWebhookBody>,
): Promise<WebhookEndpoint> {
  const org = await managedOrg(ctx, organizationId, user);
  const url = body.url === undefined ? undefined : await checkWebhookUrl(ctx, body.url);
  const events = body.events === undefined ? undefined : checkEvents(body.events);
  return mutate(ctx, async (ctx) => {
    const e = await endpointOf(ctx, org, webhookId);
    const patch: Partial<WebhookEndpointRow> = {};
    if (url !== undefined) patch.url = url;
    if (events !== undefined) patch.events = events;
    // Enabling starts afresh: its failing streak is forgotten. Disabling by hand keeps its queue's
    // pending deliveries, which fail when their turn comes.
    if (body.enabled === true && e.disabled !== null)
      Object.assign(patch, { disabled: null, failingSince: null });
    if (body.enabled === false && e.disabled === null) patch.disabled = nowSec(ctx);
    await ctx.store.update('webhookEndpoints', e.id, patch);
    return formatEndpoint(ctx, { ...e, ...patch });
  });
}

export async function deleteWebhook(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  webhookId: number,
): Promise<void> {
  const org = await managedOrg(ctx, organizationId, user);
  await mutate(ctx, async (ctx) => {
    const e = await endpointOf(ctx, org, webhookId);
    const deliveries = await ctx.store.find('webhookDeliveries', { endpointId: e.id });
    await ctx.store.deleteMany(
      'webhookDeliveries',
      deliveries.map((d) => d.id),
    );
    await ctx.store.delete('webhookEndpoints', e.id);
  });
}

export async function listDeliveries(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  webhookId: number,
): Promise<WebhookDelivery[]> {
  const org = await managedOrg(ctx, organizationId, user);
  const e = await endpointOf(ctx, org, webhookId);
  const rows = await ctx.store.find(
    'webhookDeliveries',
    { endpointId: e.id },
    { desc: true, limit: WEBHOOK_LIMITS.deliveriesListed },
  );
  return rows.map(formatDelivery);
}

const DISABLED = 'The webhook is disabled: enable it first.';

/** A `test` event to the endpoint now, whatever events it wants. */
export async function sendTestEvent(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  webhookId: number,
): Promise<WebhookDelivery> {
  const org = await managedOrg(ctx, organizationId, user);
  return mutate(ctx, async (ctx) => {
    const e = await endpointOf(ctx, org, webhookId);
    if (e.disabled !== null) throw conflict(DISABLED);
    const id = await queueDelivery(ctx, e, 'test', {
      organization: { id: org.id, name: org.name },
      project: null,
      actor: userRef(user),
      subject: null,
      reason: null,
      details: {},
      url: organizationPageUrl(ctx, org.id),
    });
    const d = await ctx.store.get('webhookDeliveries', id);
    if (!d) throw new Error('Delivery insert failed');
    return formatDelivery(d);
  });
}

/**
 * One more attempt of a failed delivery, now: the same body under the same `webhook-id` (the
 * receiver drops it if the first did arrive). Its day of retries is over: if this fails, it stays
 * failed.
 */
export async function retryDelivery(
  ctx: Ctx,
  user: UserRow,
  organizationId: number,
  webhookId: number,
  deliveryId: number,
): Promise<WebhookDelivery> {
  const org = await managedOrg(ctx, organizationId, user);
  return mutate(ctx, async (ctx) => {
    const e = await endpointOf(ctx, org, webhookId);
    const d = await ctx.store.get('webhookDeliveries', deliveryId);
    if (!d || d.endpointId !== e.id) throw notFound(`Delivery ${deliveryId} not found`);
    if (e.disabled !== null) throw conflict(DISABLED);
    if (d.status !== 'failed')
      throw conflict(
        d.status === 'pending'
          ? 'The delivery is already queued.'
          : 'The delivery was delivered: nothing to retry.',
      );
    const patch = { status: 'pending' as const, nextAttempt: nowSec(ctx), error: null };
    await ctx.store.update('webhookDeliveries', d.id, patch);
    ctx.pending.push({ type: 'webhooks' });
    return formatDelivery({ ...d, ...patch });
  });
}
