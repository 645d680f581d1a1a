// Access for a ticket (issue 23): a decider lets support in for one ticket; staff join with it. Apart
// from the threads (api/conversations.ts) because the users panel lists and withdraws grants without
// reading any thread: what the two share lands in a chunk both load.
import { enc, type Id, type RequestOptions, type Transport } from './transport.ts';
import type { AccessGrant, CreateGrantBody } from './types.ts';

const tk = (id: Id) => `/support/tickets/${enc(String(id))}/grants`;

/** Access for a ticket (issue 23). */
export function grantMethods(t: Transport) {
  return {
    /** A decider of the ticket's project lets support in for this ticket. */
    grantAccess: (ticketId: Id, body: CreateGrantBody, r?: RequestOptions) =>
      t.request<AccessGrant>('POST', tk(ticketId), body, r),
    listTicketGrants: (ticketId: Id, r?: RequestOptions) =>
      t.request<AccessGrant[]>('GET', tk(ticketId), undefined, r),
    withdrawGrant: (ticketId: Id, grantId: Id, r?: RequestOptions) =>
      t.request<void>('DELETE', `${tk(ticketId)}/${enc(String(grantId))}`, undefined, r),
    /** Active grants the caller may use (staff) or decides on (a project's deciders). */
    listGrants: (q?: { projectId?: number }, r?: RequestOptions) =>
      t.request<AccessGrant[]>(
        'GET',
        `/support/grants${q?.projectId === undefined ? '' : `?projectId=${q.projectId}`}`,
        undefined,
        r,
      ),
    /** Staff join the grant's project for its ticket, until the grant ends. */
    joinWithGrant: (grantId: Id, r?: RequestOptions) =>
      t.request<void>('POST', `/support/grants/${enc(String(grantId))}/join`, {}, r),
  };
}
