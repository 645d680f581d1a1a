// What "My tickets" uses of the support panel's model (panel/models/widget.ts), which loads this chunk:
// an interface of its own, so that the chunk does not import the model that imports it.
import type { TicketContext } from '../../api/types.ts';
import type { Locale } from '../common/locale.ts';
import type { Identity } from '../panel/models/identity.ts';
import type { OutboxSession } from '../panel/models/outbox.ts';
import type { DraftData, OutboxItem, WidgetStorage } from '../panel/storage.ts';
import type { Strings } from '../strings/types.ts';
import type { SupportKitOptions } from '../types.ts';

export interface TicketsHost {
  readonly isOpen: boolean;
  readonly view: string;
  readonly options: SupportKitOptions;
  /** The support panel's strings (errors are worded there). */
  readonly strings: Strings;
  readonly locale: Locale;
  readonly context: TicketContext;
  /** The project's deciders (the server's answer): the project's tickets, Approve, Withdraw. */
  readonly decider: boolean;
  fetch: typeof fetch;
  root: ShadowRoot;
  storage: WidgetStorage;
  identity(): Identity | null;
  session(): Promise<OutboxSession | null>;
  outbox: { readonly items: OutboxItem[]; enqueue(item: OutboxItem): Promise<void> };
  draft: { prefill(d: Partial<DraftData>): void };
  show(view: 'form'): void;
  /** Tickets with an unread staff reply: the menu's count and the launcher's dot. */
  setUnread(n: number): void;
}
