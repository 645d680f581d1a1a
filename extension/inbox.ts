// The inbox's views, shared by the worker (tickets.ts) and the popup (ui/Tickets.tsx): what each of
// the server's `view`s of GET /support/tickets means for a cached ticket.
import type { CachedTicket } from './db.ts';

/** The inbox's filters: the server's `view` of GET /support/tickets. */
export const INBOX_VIEWS = ['mine', 'unassigned', 'waiting', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

/** One page of a list: the newest this many by activity. */
export const INBOX_PAGE = 100;

/** Whether a cached ticket belongs in a view: what the server's view means, for the user `me`. */
export function inView(view: InboxView, t: CachedTicket, me: number): boolean {
  switch (view) {
    case 'all':
      return true;
    case 'mine':
      return t.assignee?.id === me;
    case 'unassigned':
      return t.assignee === null;
    case 'waiting':
      return t.status === 'waiting';
  }
}
