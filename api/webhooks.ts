// An organization's webhooks (issue 23): endpoints for its access events, their deliveries, a test
// event and a retry. Apart from the transport so that only what reads them loads them (the widget's
// webhooks chunk).
import { enc, type Id, type RequestOptions, type Transport } from './transport.ts';
import type {
  CreateWebhookBody,
  NewWebhookEndpoint,
  UpdateWebhookBody,
  WebhookDelivery,
  WebhookEndpoint,
} from './types.ts';

export function webhookMethods(t: Transport) {
  const wh = (organizationId: Id) => `/organizations/${enc(String(organizationId))}/webhooks`;
  const one = (organizationId: Id, webhookId: Id) => `${wh(organizationId)}/${enc(String(webhookId))}`;
  return {
    listWebhooks: (organizationId: Id, r?: RequestOptions) =>
      t.request<WebhookEndpoint[]>('GET', wh(organizationId), undefined, r),
    /** The answer holds the signing secret: the only time it is shown. */
    createWebhook: (organizationId: Id, body: CreateWebhookBody, r?: RequestOptions) =>
      t.request<NewWebhookEndpoint>('POST', wh(organizationId), body, r),
    updateWebhook: (organizationId: Id, webhookId: Id, body: UpdateWebhookBody, r?: RequestOptions) =>
      t.request<WebhookEndpoint>('PATCH', one(organizationId, webhookId), body, r),
    deleteWebhook: (organizationId: Id, webhookId: Id, r?: RequestOptions) =>
      t.request<void>('DELETE', one(organizationId, webhookId), undefined, r),
    /** The last 100, newest first. */
    listWebhookDeliveries: (organizationId: Id, webhookId: Id, r?: RequestOptions) =>
      t.request<WebhookDelivery[]>('GET', `${one(organizationId, webhookId)}/deliveries`, undefined, r),
    sendWebhookTest: (organizationId: Id, webhookId: Id, r?: RequestOptions) =>
      t.request<WebhookDelivery>('POST', `${one(organizationId, webhookId)}/test`, {}, r),
    retryWebhookDelivery: (organizationId: Id, webhookId: Id, deliveryId: Id, r?: RequestOptions) =>
      t.request<WebhookDelivery>(
        'POST',
        `${one(organizationId, webhookId)}/deliveries/${enc(String(deliveryId))}/retry`,
        {},
        r,
      ),
  };
}
