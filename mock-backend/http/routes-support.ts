// Our extensions: support tickets and the access log.
import {
  ACCESS_LOG_ACTIONS,
  type AccessLogAction,
  BODY_LIMITS,
  PAGE_LIMITS,
  TICKET_LIMITS,
  TICKET_SEVERITIES,
  TICKET_TYPES,
} from '../../api/types.ts';
import { listAccessLog } from '../domain/access-log.ts';
import { badRequest } from '../domain/errors.ts';
import { createTicket, getTicket, listTickets } from '../domain/tickets.ts';
import { body, id, json, type RouteModule, user } from './common.ts';
import { arrayOf, int, object, oneOf, optional, pageParam, str } from './validate.ts';

const s = (max: number) => optional(str({ max }));
const ticketBody = object({
  subject: str({ max: TICKET_LIMITS.subjectMax }),
  description: str({ max: TICKET_LIMITS.descriptionMax }),
  type: oneOf(TICKET_TYPES),
  severity: optional(oneOf(TICKET_SEVERITIES)),
  projectId: optional(int({ min: 1 })),
  context: optional(
    object({
      pageUrl: s(2000),
      browser: s(500),
      viewport: s(50),
      locale: s(50),
      appVersion: s(100),
      error: optional(
        object({
          message: str({ max: 5000 }),
          exceptionId: s(200),
          status: optional(int({ min: 0, max: 999 })),
          requestId: s(200),
          url: s(2000),
        }),
      ),
    }),
  ),
  attachments: optional(
    arrayOf(
      object({
        name: str({ min: 1, max: 255 }),
        type: str({ max: 255 }),
        // Base64 of at most attachmentBytesMax bytes is ≤ 4/3 of it; larger is refused with 413 by the rule.
        data: str(),
      }),
      TICKET_LIMITS.attachmentsMax,
    ),
  ),
});

/** The access history's `action` filter: one of the actions it records, else 400. */
function actionParam(raw: string | undefined): AccessLogAction | undefined {
  if (raw === undefined) return undefined;
  if ((ACCESS_LOG_ACTIONS as readonly string[]).includes(raw)) return raw as AccessLogAction;
  throw badRequest(`action must be one of: ${ACCESS_LOG_ACTIONS.join(', ')}.`, [
    { key: 'action', message: 'Invalid value' },
  ]);
}

export const supportRoutes: RouteModule = (routes, ctx) => {
  routes.post(
    '/manage/support/tickets',
    async (c) => {
      const key = c.req.header('Idempotency-Key')?.trim();
      if (!key || key.length > 200)
        throw badRequest('The Idempotency-Key header is required (1 to 200 characters).', [
          { key: 'Idempotency-Key', message: 'Required' },
        ]);
      const input = await body(c, ticketBody);
      return json(await createTicket(ctx, user(c), key, input), 201);
    },
    { bodyLimit: BODY_LIMITS.ticket, rateLimit: 'tickets' },
  );
  routes.get('/manage/support/tickets', async (c) => {
    const offset = pageParam(c.req.query('offset'), 'offset', 1_000_000_000);
    const limit = pageParam(c.req.query('limit'), 'limit', PAGE_LIMITS.max);
    return json(await listTickets(ctx, user(c), { offset, limit }));
  });
  routes.get('/manage/support/tickets/:ticketId', async (c) =>
    json(await getTicket(ctx, user(c), id(c, 'ticketId'))),
  );
  routes.get('/manage/projects/:projectId/access-log', async (c) => {
    const projectId = id(c, 'projectId');
    const offset = pageParam(c.req.query('offset'), 'offset', 1_000_000_000);
    const limit = pageParam(c.req.query('limit'), 'limit', PAGE_LIMITS.max);
    const action = actionParam(c.req.query('action'));
    return json(await listAccessLog(ctx, user(c), projectId, { offset, limit, action }));
  });
};
