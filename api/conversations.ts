// Our ticket conversations (issue 20) and access grants (issue 23): the threads, replies, status and
// the launcher's badge. Apart from the transport so that only what reads them loads them: the
// widget's "My tickets" chunk and the extension; the ticket form's path has ticketMethods alone.
import { enc, type Id, type RequestOptions, type Transport } from './transport.ts';
import type {
  AccessGrant,
  CreateGrantBody,
  PostMessageBody,
  SupportBadge,
  ThreadQuery,
  Ticket,
  TicketListQuery,
  TicketMessage,
  UpdateTicketBody,
  UserRef,
} from './types.ts';

/** `?a=1&b=x` of the defined values, or ''. */
export function queryString(q: Record<string, string | number | undefined> | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function conversationMethods(t: Transport) {
  const tk = (id: Id) => `/support/tickets/${enc(String(id))}`;
  return {
    /** Tickets the caller may see in a view, newest activity first. */
    listTicketsIn: (q?: TicketListQuery, r?: RequestOptions) =>
      t.request<Ticket[]>('GET', `/support/tickets${queryString(q)}`, undefined, r),
    /** A thread's entries, oldest first. */
    listMessages: (ticketId: Id, q?: ThreadQuery, r?: RequestOptions) =>
      t.request<TicketMessage[]>('GET', `${tk(ticketId)}/messages${queryString(q)}`, undefined, r),
    /** A reply; the same key and user again answer the first (no second message, no second e-mail). */
    postMessage: (ticketId: Id, body: PostMessageBody, idempotencyKey: string, r?: RequestOptions) =>
      t.request<TicketMessage>('POST', `${tk(ticketId)}/messages`, body, {
        ...r,
        headers: { ...r?.headers, 'Idempotency-Key': idempotencyKey },
      }),
    /** Staff: status and assignee; the reporter and the project's deciders: `{ status: 'solved' }`. */
    updateTicket: (ticketId: Id, body: UpdateTicketBody, r?: RequestOptions) =>
      t.request<Ticket>('PATCH', tk(ticketId), body, r),
    /** Read up to and including this entry. */
    markRead: (ticketId: Id, messageId: number, r?: RequestOptions) =>
      t.request<void>('POST', `${tk(ticketId)}/read`, { messageId }, r),
    /** Staff: who may take the ticket (the caller's side: support users, or the maintainer's users). */
    listAssignees: (ticketId: Id, r?: RequestOptions) =>
      t.request<UserRef[]>('GET', `${tk(ticketId)}/assignees`, undefined, r),
    /** The launcher's one request: pending requests (deciders) and tickets with an unread reply. */
    getSupportBadge: (projectId: Id, r?: RequestOptions) =>
      t.request<SupportBadge>('GET', `/projects/${enc(String(projectId))}/support-badge`, undefined, r),

    // Access for a ticket (issue 23)
    /** A decider of the ticket's project lets support in for this ticket. */
    grantAccess: (ticketId: Id, body: CreateGrantBody, r?: RequestOptions) =>
      t.request<AccessGrant>('POST', `${tk(ticketId)}/grants`, body, r),
    listTicketGrants: (ticketId: Id, r?: RequestOptions) =>
      t.request<AccessGrant[]>('GET', `${tk(ticketId)}/grants`, undefined, r),
    withdrawGrant: (ticketId: Id, grantId: Id, r?: RequestOptions) =>
      t.request<void>('DELETE', `${tk(ticketId)}/grants/${enc(String(grantId))}`, undefined, r),
    /** Active grants the caller may use (staff) or decides on (a project's deciders). */
    listGrants: (q?: { projectId?: number }, r?: RequestOptions) =>
      t.request<AccessGrant[]>('GET', `/support/grants${queryString(q)}`, undefined, r),
    /** Staff join the grant's project for its ticket, until the grant ends. */
    joinWithGrant: (grantId: Id, r?: RequestOptions) =>
      t.request<void>('POST', `/support/grants/${enc(String(grantId))}/join`, {}, r),
  };
}

export type ConversationMethods = ReturnType<typeof conversationMethods>;
