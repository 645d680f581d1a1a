// What the inbox and the thread share: the words for a ticket's status, and the shapes they pass.
import type { CachedTicket } from '../db.ts';

export type TicketWithProject = CachedTicket & { projectId: number };

/** The signed-in user on a ticket's stack. */
export interface Me {
  id: number;
  name: string;
}

const STATUS_TEXT: Record<CachedTicket['status'], string> = {
  new: 'New',
  open: 'Open',
  waiting: 'Waiting on customer',
  solved: 'Solved',
  closed: 'Closed',
};

export const statusText = (s: CachedTicket['status']): string => STATUS_TEXT[s];
