// An organization's webhooks (issue 23): its organization users register endpoints for its access
// events, see their deliveries, send a test event and retry a failed delivery. Never support or
// maintainer users, even as members of the organization (mock-backend/domain/webhooks.ts).
import { z } from 'zod';
import {
  CreateWebhookBody,
  Empty,
  NewWebhookEndpoint,
  UpdateWebhookBody,
  WebhookDelivery,
  WebhookEndpoint,
} from '../../api/schemas.ts';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  retryDelivery,
  sendTestEvent,
  updateWebhook,
} from '../domain/webhooks.ts';
import { type RouteDecl, route } from './declare.ts';

const WHO_WEBHOOKS =
  "The organization's own users; never a support or maintainer user, even one who joined the organization.";
const BASE = '/manage/organizations/:organizationId/webhooks';

export const webhookRoutes: RouteDecl[] = [
  route({
    method: 'GET',
    path: BASE,
    summary: "The organization's webhook endpoints",
    who: WHO_WEBHOOKS,
    tag: 'Support Kit',
    ok: 200,
    response: z.array(WebhookEndpoint),
    handler: ({ ctx, user, params }) => listWebhooks(ctx, user, params.organizationId),
  }),
  route({
    method: 'POST',
    path: BASE,
    summary: 'Add a webhook endpoint (its signing secret is in this answer only)',
    who: WHO_WEBHOOKS,
    tag: 'Support Kit',
    body: CreateWebhookBody,
    ok: 201,
    response: NewWebhookEndpoint,
    errors: [409],
    handler: ({ ctx, user, params, body }) => createWebhook(ctx, user, params.organizationId, body),
  }),
  route({
    method: 'PATCH',
    path: `${BASE}/:webhookId`,
    summary: 'Change a webhook endpoint: its URL, its events, enabled or disabled',
    who: WHO_WEBHOOKS,
    tag: 'Support Kit',
    body: UpdateWebhookBody,
    ok: 200,
    response: WebhookEndpoint,
    handler: ({ ctx, user, params, body }) =>
      updateWebhook(ctx, user, params.organizationId, params.webhookId, body),
  }),
  route({
    method: 'DELETE',
    path: `${BASE}/:webhookId`,
    summary: 'Delete a webhook endpoint and its deliveries',
    who: WHO_WEBHOOKS,
    tag: 'Support Kit',
    ok: 204,
    handler: async ({ ctx, user, params }) => {
      await deleteWebhook(ctx, user, params.organizationId, params.webhookId);
    },
  }),
  route({
    method: 'GET',
    path: `${BASE}/:webhookId/deliveries`,
    summary: "A webhook endpoint's last 100 deliveries, newest first",
    who: WHO_WEBHOOKS,
    tag: 'Support Kit',
    ok: 200,
    response: z.array(WebhookDelivery),
    handler: ({ ctx, user, params }) => listDeliveries(ctx, user, params.organizationId, params.webhookId),
  }),
  route({
    method: 'POST',
    path: `${BASE}/:webhookId/test`,
    summary: 'Send a test event to a webhook endpoint',
    who: WHO_WEBHOOKS,
    tag: 'Support Kit',
    body: Empty,
    ok: 201,
    response: WebhookDelivery,
    errors: [409],
    handler: ({ ctx, user, params }) => sendTestEvent(ctx, user, params.organizationId, params.webhookId),
  }),
  route({
    method: 'POST',
    path: `${BASE}/:webhookId/deliveries/:deliveryId/retry`,
    summary: 'Try a failed delivery once more, now',
    who: WHO_WEBHOOKS,
    tag: 'Support Kit',
    body: Empty,
    ok: 200,
    response: WebhookDelivery,
    errors: [409],
    handler: ({ ctx, user, params }) =>
      retryDelivery(ctx, user, params.organizationId, params.webhookId, params.deliveryId),
  }),
];
