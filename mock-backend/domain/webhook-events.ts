// What an organization's webhooks receive: its access events, queued in the very transaction of the
// change (a durable queue, as e-mails are), one delivery per enabled endpoint that wants the event.
// A failing endpoint never blocks or rolls back the change: delivery happens later, in the webhook
// worker (mock-backend/webhooks/worker.ts).
import type { IdName, UserRef, WebhookEventType, WebhookFormat } from '../../api/types.ts';
import type { AccessLogRow, WebhookEndpointRow } from '../store/schema.ts';
import { nowSec, type TxCtx } from './context.ts';
import { iso } from './format.ts';

/**
 * The access log's actions that are webhook events. `expired` is a request's when the entry names
 * one, a membership's otherwise. The grant actions are the access log's names for grants (issue 23,
 * point 1): logging one is all it takes to send its event.
 */
const FROM_ACCESS_LOG: Readonly<Record<string, WebhookEventType>> = {
  requested: 'request.created',
  approved: 'request.approved',
  rejected: 'request.rejected',
  cancelled: 'request.cancelled',
  joined: 'member.joined',
  added: 'member.joined',
  invitationAccepted: 'member.joined',
  left: 'member.left',
  removed: 'member.removed',
  grantGiven: 'grant.given',
  grantWithdrawn: 'grant.withdrawn',
  grantExpired: 'grant.expired',
};

export function webhookEventOf(action: string, details: AccessLogRow['details']): WebhookEventType | null {
  if (action === 'expired') return details.requestId === undefined ? 'member.expired' : 'request.expired';
  return FROM_ACCESS_LOG[action] ?? null;
}

/** What every event says: where, who did it, to whom, why, and the rest of the log entry's facts. */
export interface WebhookEventData {
  organization: IdName;
  project: IdName | null;
  actor: UserRef | null;
  subject: UserRef | null;
  reason: string | null;
  details: AccessLogRow['details'];
  /** Where a person looks at it, signed in: the project's users page (or the organization's). */
  url: string;
}

const TITLES: Record<WebhookEventType | 'test', string> = {
  'request.created': 'Access requested',
  'request.approved': 'Access request approved',
  'request.rejected': 'Access request rejected',
  'request.cancelled': 'Access request cancelled',
  'request.expired': 'Access request expired',
  'member.joined': 'Joined the project',
  'member.left': 'Left the project',
  'member.removed': 'Removed from the project',
  'member.expired': 'Access expired',
  'grant.given': 'Access allowed for a ticket',
  'grant.withdrawn': 'Access for a ticket withdrawn',
  'grant.expired': 'Access for a ticket ended',
  'organization.autoJoinChanged': 'Auto Join changed',
  test: 'Test event',
};

/**
 * Slack's (and Mattermost's) mrkdwn: `&`, `<` and `>` escaped, so a name or a reason can neither
 * make a link nor ping a channel (`<!channel>`).
 */
export const slackEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const person = (u: UserRef) => `${slackEscape(u.name)} (${slackEscape(u.email)})`;

/** The one line a chat shows, and a link to the users page: no approve button (no MFA in a chat). */
export function slackText(type: WebhookEventType | 'test', d: WebhookEventData): string {
  const where = d.project
    ? `${slackEscape(d.project.name)} (#${d.project.id}), ${slackEscape(d.organization.name)}`
    : slackEscape(d.organization.name);
  const parts = [`*${TITLES[type]}*: ${where}`];
  if (d.subject) parts.push(`Who: ${person(d.subject)}`);
  if (d.actor && d.actor.id !== d.subject?.id) parts.push(`By: ${person(d.actor)}`);
  if (type === 'organization.autoJoinChanged')
    parts.push(`Auto Join is now ${d.details.allowAutoJoin === true ? 'on' : 'off'}`);
  if (d.reason) parts.push(`Reason: ${slackEscape(d.reason)}`);
  const label = d.project ? 'Open the users page' : 'Open the organization settings';
  parts.push(`<${d.url.replace(/[<>|]/g, encodeURIComponent)}|${label}>`);
  return parts.join('\n');
}

/** The exact body one endpoint gets, in its format. */
export function webhookBody(
  format: WebhookFormat,
  type: WebhookEventType | 'test',
  created: number,
  data: WebhookEventData,
): string {
  if (format === 'slack') return JSON.stringify({ text: slackText(type, data) });
  return JSON.stringify({ type, timestamp: iso(created), data });
}

const newMessageId = () => `msg_${globalThis.crypto.randomUUID().replace(/-/g, '')}`;

/** Queues one delivery of `type` to `endpoint` (a test event goes whatever the endpoint wants). */
export async function queueDelivery(
  ctx: TxCtx,
  endpoint: WebhookEndpointRow,
  type: WebhookEventType | 'test',
  data: WebhookEventData,
): Promise<number> {
  const created = nowSec(ctx);
  const id = await ctx.store.insert('webhookDeliveries', {
    endpointId: endpoint.id,
    organizationId: endpoint.organizationId,
    messageId: newMessageId(),
    type,
    payload: webhookBody(endpoint.format, type, created, data),
    created,
    status: 'pending',
    attempts: 0,
    nextAttempt: created,
    lastAttempt: null,
    responseStatus: null,
    response: null,
    error: null,
  });
  ctx.pending.push({ type: 'webhooks' });
  return id;
}

/** Queues the event for each enabled endpoint of the organization that wants it. */
export async function queueWebhookEvent(
  ctx: TxCtx,
  organizationId: number,
  type: WebhookEventType,
  data: WebhookEventData,
): Promise<void> {
  const endpoints = await ctx.store.find('webhookEndpoints', { organizationId, disabled: null });
  for (const e of endpoints) if (e.events.includes(type)) await queueDelivery(ctx, e, type, data);
}

/**
 * The access log's hook (notify.ts logAccess): an entry that is a webhook event goes to the
 * project's organization's endpoints. Auto Join is logged on every project of the organization, so
 * its one event is queued by the change itself (organizations.ts), not here.
 */
export async function webhookFromAccessLog(
  ctx: TxCtx,
  projectId: number,
  action: string,
  entry: Pick<AccessLogRow, 'actor' | 'subject' | 'reason' | 'details'>,
  usersPageUrl: string,
): Promise<void> {
  const type = webhookEventOf(action, entry.details);
  if (!type) return;
  const project = await ctx.store.get('projects', projectId);
  if (!project) return;
  // Most organizations have no endpoint: one indexed read, nothing more.
  if (!(await ctx.store.first('webhookEndpoints', { organizationId: project.organizationId }))) return;
  const org = await ctx.store.get('organizations', project.organizationId);
  await queueWebhookEvent(ctx, project.organizationId, type, {
    organization: { id: project.organizationId, name: org?.name ?? '' },
    project: { id: project.id, name: project.name },
    actor: entry.actor,
    subject: entry.subject,
    reason: entry.reason,
    details: entry.details,
    url: usersPageUrl,
  });
}
