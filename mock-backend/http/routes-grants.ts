// Access for a ticket (issue 23): a decider's grant lets the ticket's staff join its project.
import { z } from 'zod';
import { AccessGrant, CreateGrantBody, Empty, GrantListQuery } from '../../api/schemas.ts';
import { createGrant, joinWithGrant, listGrants, listTicketGrants, withdrawGrant } from '../domain/grants.ts';
import { type RouteDecl, route } from './declare.ts';

const DECIDERS =
  "Admin and share members of the ticket's project who are the customer's own people (never a support or maintainer member).";
const STAFF =
  "Support users, and maintainer users of the ticket's organization, who may see the ticket: only its assignee while it has one. Outsiders' rules hold (MFA).";

export const grantRoutes: RouteDecl[] = [
  route({
    method: 'POST',
    path: '/manage/support/tickets/:ticketId/grants',
    summary:
      "Let support into the ticket's project for this ticket (1 hour to 7 days, 48 hours by default); one active grant per ticket (409 otherwise)",
    who: DECIDERS,
    tag: 'Support Kit',
    body: CreateGrantBody,
    ok: 201,
    response: AccessGrant,
    errors: [403, 404, 409],
    handler: ({ ctx, user, params, body }) => createGrant(ctx, user, params.ticketId, body),
  }),
  route({
    method: 'GET',
    path: '/manage/support/tickets/:ticketId/grants',
    summary: "A ticket's grants, newest first, whatever their status",
    who: 'Anyone who may see the ticket.',
    tag: 'Support Kit',
    ok: 200,
    response: z.array(AccessGrant),
    errors: [403, 404],
    handler: ({ ctx, user, params }) => listTicketGrants(ctx, user, params.ticketId),
  }),
  route({
    method: 'DELETE',
    path: '/manage/support/tickets/:ticketId/grants/:grantId',
    summary:
      'Withdraw a grant: the memberships made from it end at once, with their Storage tokens (409 when it already ended)',
    who: "The member who gave it, or any admin or share member of the ticket's project who is one of the customer's own people.",
    tag: 'Support Kit',
    ok: 204,
    errors: [403, 404, 409],
    handler: async ({ ctx, user, params }) => {
      await withdrawGrant(ctx, user, params.ticketId, params.grantId);
    },
  }),
  route({
    method: 'GET',
    path: '/manage/support/grants',
    summary: "Active grants I may use (staff) or decide on (a project's deciders), newest first",
    who: 'Anyone with a valid token: each sees only the grants they may use or decide on.',
    tag: 'Support Kit',
    query: GrantListQuery,
    ok: 200,
    response: z.array(AccessGrant),
    handler: ({ ctx, user, query }) => listGrants(ctx, user, query),
  }),
  route({
    method: 'POST',
    path: '/manage/support/grants/:grantId/join',
    summary:
      "Join the grant's project for its ticket, Auto Join on or off, until the grant ends: the reason names the ticket, the approver is the member who gave it",
    who: STAFF,
    tag: 'Support Kit',
    body: Empty,
    ok: 204,
    errors: [403, 404, 409],
    rateLimit: 'entry',
    handler: async ({ ctx, user, params }) => {
      await joinWithGrant(ctx, user, params.grantId);
    },
  }),
];
