// Our extensions: support tickets and the access log.
import { z } from 'zod';
import {
  AccessLogEntry,
  AccessLogQuery,
  CreateTicketBody,
  IdempotencyKey,
  MarkReadBody,
  PostMessageBody,
  SupportBadge,
  ThreadQuery,
  Ticket,
  TicketListQuery,
  TicketMessage,
  UpdateTicketBody,
  UserRef,
} from '../../api/schemas.ts';
import { BODY_LIMITS, PAGE_LIMITS } from '../../api/types.ts';
import { listAccessLog } from '../domain/access-log.ts';
import {
  listAssignees,
  listMessages,
  markRead,
  postMessage,
  supportBadge,
  updateTicket,
} from '../domain/conversation.ts';
import { createTicket, getTicket, listTickets } from '../domain/tickets.ts';
import { type RouteDecl, route, WHO } from './declare.ts';

const TICKET_READERS =
  "Anyone with a valid token, about the tickets they filed; the customer's admin and share members those of their project; maintainer users those of the projects they maintain, support users every ticket. Any other ticket is 404.";
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
    summary: `Tickets I may see in a view (all, mine: filed by me or assigned to me, unassigned, waiting, project: needs projectId), newest activity first, ${PAGE}`,
    who: TICKET_READERS,
    tag: 'Support Kit',
    query: TicketListQuery,
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
    method: 'PATCH',
    path: '/manage/support/tickets/:ticketId',
    summary:
      'Change the status (open, waiting, solved) or the assignee (a staff user of your side, or null); each change is an entry of the thread. A closed ticket is 409.',
    who: `${TICKET_READERS} Staff change both; the reporter and the project's admin and share members may only set solved (anything else 403).`,
    tag: 'Support Kit',
    body: UpdateTicketBody,
    ok: 200,
    response: Ticket,
    errors: [403, 404, 409],
    handler: ({ ctx, user, params, body }) => updateTicket(ctx, user, params.ticketId, body),
  }),
  route({
    method: 'GET',
    path: '/manage/support/tickets/:ticketId/messages',
    summary: `A ticket's thread (messages, status and assignment changes), oldest first, only after \`afterId\` when given, ${PAGE}`,
    who: TICKET_READERS,
    tag: 'Support Kit',
    query: ThreadQuery,
    ok: 200,
    response: z.array(TicketMessage),
    handler: ({ ctx, user, params, query }) => listMessages(ctx, user, params.ticketId, query),
  }),
  route({
    method: 'POST',
    path: '/manage/support/tickets/:ticketId/messages',
    summary: `Reply in a ticket's thread (idempotent per key, ticket and user; rate limited as tickets; body at most ${BODY_LIMITS.ticket} bytes). A staff reply sets waiting, the customer's open; a reply to a solved ticket reopens it; a closed ticket is 409. E-mailed to the other side.`,
    who: TICKET_READERS,
    tag: 'Support Kit',
    headers: { 'Idempotency-Key': IdempotencyKey },
    body: PostMessageBody,
    ok: 201,
    response: TicketMessage,
    errors: [404, 409],
    rateLimit: 'tickets',
    bodyLimit: BODY_LIMITS.ticket,
    handler: ({ ctx, user, params, headers, body }) =>
      postMessage(ctx, user, params.ticketId, headers['Idempotency-Key'], body),
  }),
  route({
    method: 'POST',
    path: '/manage/support/tickets/:ticketId/read',
    summary:
      "Mark the thread read up to and including an entry (the caller's unread count; never moves back)",
    who: TICKET_READERS,
    tag: 'Support Kit',
    body: MarkReadBody,
    ok: 204,
    errors: [404],
    handler: ({ ctx, user, params, body }) => markRead(ctx, user, params.ticketId, body.messageId),
  }),
  route({
    method: 'GET',
    path: '/manage/support/tickets/:ticketId/assignees',
    summary:
      "Who may take the ticket: the staff users of your side (support users, or the maintainer's users), with MFA",
    who: 'Staff who see the ticket (support users; maintainer users for their projects); anyone else who sees it 403.',
    tag: 'Support Kit',
    ok: 200,
    response: z.array(UserRef),
    errors: [403, 404],
    handler: ({ ctx, user, params }) => listAssignees(ctx, user, params.ticketId),
  }),
  route({
    method: 'GET',
    path: '/manage/projects/:projectId/support-badge',
    summary:
      "The launcher's one request: the project's pending join requests (for those who decide; else null) and the caller's tickets with an unread staff reply",
    who: WHO.viewer,
    tag: 'Support Kit',
    ok: 200,
    response: SupportBadge,
    handler: ({ ctx, user, params }) => supportBadge(ctx, user, params.projectId),
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
