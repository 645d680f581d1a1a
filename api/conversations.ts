// Our ticket conversations (issue 20): the threads, replies, status and the launcher's badge. Apart
// from the core client so that only what reads them loads them: the widget's "My tickets" chunk and
// the extension (api/client.ts composes them; "My tickets" wraps createPanelClient instead).
import { enc, type Id, type RequestOptions, type Transport } from './transport.ts';
import type {
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

const tk = (id: Id) => `/support/tickets/${enc(String(id))}`;

export function threadMethods(t: Transport) {
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
  };
}
