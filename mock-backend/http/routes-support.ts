// Our extensions: support tickets and the access log.
import { z } from 'zod';
import {
  AccessLogEntry,
  AccessLogQuery,
  CreateTicketBody,
  IdempotencyKey,
  PageQuery,
  Ticket,
} from '../../api/schemas.ts';
import { BODY_LIMITS, PAGE_LIMITS } from '../../api/types.ts';
import { listAccessLog } from '../domain/access-log.ts';
import { createTicket, getTicket, listTickets } from '../domain/tickets.ts';
import { type RouteDecl, route, WHO } from './declare.ts';

const TICKET_READERS =
  'Anyone with a valid token, about the tickets they filed; maintainer users also those of the projects they maintain, support users every ticket.';
const PAGE = `one page (offset, limit: default ${PAGE_LIMITS.default}, at most ${PAGE_LIMITS.max})`;

export const supportRoutes: RouteDecl[] = [
  route({
    method: 'POST',
    path: '/manage/support/tickets',
    summary: `File a support ticket (idempotent per key and user; at most 10 a minute per user, then 429 with Retry-After; body at most ${BODY_LIMITS.ticket} bytes)`,
    who: `${WHO.anyone} A ticket about a project: anyone who may see it.`,
    tag: 'Support Kit',
    headers: { 'Idempotency-Key': IdempotencyKey },
    body: CreateTicketBody,
    ok: 201,
    response: Ticket,
    errors: [404],
    rateLimit: 'tickets',
    bodyLimit: BODY_LIMITS.ticket,
    handler: ({ ctx, user, headers, body }) => createTicket(ctx, user, headers['Idempotency-Key'], body),
  }),
  route({
    method: 'GET',
    path: '/manage/support/tickets',
    summary: `Tickets I may see, newest first, ${PAGE}`,
    who: TICKET_READERS,
    tag: 'Support Kit',
    query: PageQuery,
    ok: 200,
    response: z.array(Ticket),
    handler: ({ ctx, user, query }) => listTickets(ctx, user, query),
  }),
  route({
    method: 'GET',
    path: '/manage/support/tickets/:ticketId',
    summary: 'One ticket',
    who: TICKET_READERS,
    tag: 'Support Kit',
    ok: 200,
    response: Ticket,
    handler: ({ ctx, user, params }) => getTicket(ctx, user, params.ticketId),
  }),
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/access-log',
    summary: `Access history of a project, newest first (append-only), ${PAGE}, all actions or only \`action\` (one of the actions it records; anything else 400)`,
    who: WHO.reader,
    tag: 'Support Kit',
    query: AccessLogQuery,
    ok: 200,
    response: z.array(AccessLogEntry),
    handler: ({ ctx, user, params, query }) => listAccessLog(ctx, user, params.projectId, query),
  }),
];
