// "My tickets" (issue 20): the list, the open thread, the reply being written and the live updates.
// Signals inside, getters and actions outside; the views read it and never fetch. It runs inside the
// support panel's model (the widget model `w`): its client, storage, outbox and who is signed in.
import { batch, computed, effect, type Signal, signal } from '@preact/signals-core';
import { threadMethods } from '../../api/conversations.ts';
import type { PanelClient } from '../../api/core-client.ts';
import type { ApiError } from '../../api/errors.ts';
import { followEvents } from '../../api/events.ts';
import { grantMethods } from '../../api/grants.ts';
import type {
  AccessGrant,
  PostMessageBody,
  ProjectJoinRequest,
  Ticket,
  TicketMessage,
  TicketView,
} from '../../api/types.ts';
import { format } from '../common/format.ts';
import { clientFor } from '../common/mount.ts';
import { classify, isQueueable, type WidgetError } from '../panel/errors.ts';
import { createTicketDraft } from '../panel/models/draft.ts';
import { draftKey } from '../panel/models/identity.ts';
import type { TicketsHost } from './host.ts';
import type { TicketsStrings } from './strings.ts';

/** The users parts' client with the threads and the grants: what "My tickets" calls. */
type Client = PanelClient & ReturnType<typeof threadMethods> & ReturnType<typeof grantMethods>;

export const PAGE = 50;
/** A thread is read in pages of this many entries (the server's largest page). */
const THREAD_PAGE = 1000;

/** What an access request or a grant shown in the thread is now. */
export type RequestState = ProjectJoinRequest | 'gone' | 'loading';
export type Tab = Extract<TicketView, 'mine' | 'project'>;

function newKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** The reply box: a draft (text and attachments with the ticket form's checks) kept per ticket. */
function createReply(w: TicketsHost) {
  const never = () => Promise.reject(new Error('a reply is sent by the thread'));
  return createTicketDraft({
    storage: w.storage,
    send: never,
    enqueue: never,
    context: () => w.context,
    projectId: () => undefined,
    onSent() {},
    onQueued() {},
    onFailed() {},
  });
}

/** The thread's entries after `afterId` (all of them with 0), oldest first, page after page. */
async function fetchEntries(
  c: Client,
  ticketId: number,
  afterId: number,
): Promise<TicketMessage[] | ApiError> {
  const all: TicketMessage[] = [];
  for (let after = afterId; ; ) {
    const r = await c.listMessages(ticketId, { ...(after ? { afterId: after } : {}), limit: THREAD_PAGE });
    if (r.error) return r.error;
    all.push(...r.data);
    const last = r.data[r.data.length - 1];
    if (r.data.length < THREAD_PAGE || !last) return all;
    after = last.id;
  }
}

/** Appends entries not yet shown, in order; the newest from the other side is announced. */
function addEntries(
  to: { entries: Signal<TicketMessage[]>; announce: Signal<string>; strings(): TicketsStrings },
  found: TicketMessage[],
  announceNew: boolean,
): void {
  const known = new Set(to.entries.value.map((e) => e.id));
  const added = found.filter((e) => !known.has(e.id));
  if (!added.length) return;
  to.entries.value = [...to.entries.value, ...added].sort((a, b) => a.id - b.id);
  const theirs = added.filter((e) => e.kind === 'message' && e.side !== 'customer');
  const newest = theirs[theirs.length - 1];
  if (announceNew && newest)
    to.announce.value = format(to.strings().newMessage, { name: newest.author?.name ?? to.strings().server });
}

type States = {
  requests: Signal<ReadonlyMap<number, RequestState>>;
  grants: Signal<ReadonlyMap<number, AccessGrant>>;
};

/** Reads what the thread's access entries are now (a request pending or decided, a grant's state). */
async function loadStates(c: Client, ticket: Ticket, list: TicketMessage[], to: States): Promise<void> {
  const askRequests = list.filter((e) => e.kind === 'accessRequest' && e.requestId !== null);
  if (askRequests.length && ticket.project) {
    const project = ticket.project.id;
    const found = await Promise.all(
      askRequests.map(async (e) => {
        const r = await c.getJoinRequest(project, e.requestId as number);
        return [e.requestId as number, r.data ?? 'gone'] as const;
      }),
    );
    to.requests.value = new Map([...to.requests.value, ...found]);
  }
  if (list.some((e) => e.kind === 'grant')) {
    const r = await c.listTicketGrants(ticket.id);
    if (r.data) to.grants.value = new Map(r.data.map((g) => [g.id, g]));
  }
}

/** A status in words: `statusWaiting` for `waiting`. */
export const statusName = (s: TicketsStrings, status: Ticket['status']): string =>
  s[`status${status[0]?.toUpperCase()}${status.slice(1)}` as keyof TicketsStrings];

/** The users parts' client with the threads and the grants, which live apart from it: only here. */
function ticketsClient(w: TicketsHost): Client {
  const o = w.options;
  const c = clientFor({
    apiBaseUrl: o.apiBaseUrl,
    ...(o.token ? { token: o.token } : {}),
    ...(o.getToken ? { getToken: o.getToken } : {}),
    fetch: w.fetch,
  });
  return { ...c, ...threadMethods(c), ...grantMethods(c) };
}

export function createTicketsModel(w: TicketsHost, strings: () => TicketsStrings) {
  const client = computed(() => ticketsClient(w));
  const tab = signal<Tab>('mine');
  const list = signal<Ticket[]>([]);
  const listState = signal<'loading' | 'ready' | 'more' | 'error'>('loading');
  const listError = signal<ApiError | undefined>(undefined);
  const open = signal<Ticket | undefined>(undefined);
  const entries = signal<TicketMessage[]>([]);
  const threadState = signal<'loading' | 'ready' | 'error'>('loading');
  const requests = signal<ReadonlyMap<number, RequestState>>(new Map());
  const grants = signal<ReadonlyMap<number, AccessGrant>>(new Map());
  const sending = signal(false);
  const failure = signal<WidgetError | undefined>(undefined);
  const queued = signal(false);
  const announce = signal('');
  const busy = signal<ReadonlySet<string>>(new Set());
  /** A failed action in the thread (solve, approve, reject, withdraw), until the next one. */
  const problem = signal<ApiError | undefined>(undefined);
  let listSeq = 0;
  let threadSeq = 0;
  let lastRead = 0;
  const reply = createReply(w);

  const projectId = () => w.options.project?.id;
  /** The server's word (support-badge counts requests for deciders only); it decides again on each call. */
  const decider = computed(() => projectId() !== undefined && w.decider);

  async function loadList(more = false): Promise<void> {
    const mine = ++listSeq;
    const offset = more ? list.value.length : 0;
    if (!more) listState.value = 'loading';
    const view = tab.value;
    const r = await client.value.listTicketsIn({
      view,
      ...(view === 'project' ? { projectId: projectId() } : {}),
      offset,
      limit: PAGE,
    });
    if (mine !== listSeq) return;
    batch(() => {
      listError.value = r.error;
      if (r.data) {
        const next = more ? [...list.value, ...r.data] : r.data;
        // A refetch keeps every page that was open.
        list.value = next;
        listState.value = r.data.length === PAGE ? 'more' : 'ready';
      } else if (!more) listState.value = 'error';
    });
  }

  /** Read up to the newest entry shown; the menu's count and the dot follow. */
  async function markRead(ticket: Ticket): Promise<void> {
    const last = entries.value[entries.value.length - 1];
    if (!last || last.id <= lastRead || !w.isOpen || document.visibilityState === 'hidden') return;
    lastRead = last.id;
    const r = await client.value.markRead(ticket.id, last.id);
    if (r.error) return;
    list.value = list.value.map((t) => (t.id === ticket.id ? { ...t, unread: 0 } : t));
    const p = projectId();
    if (p === undefined) return;
    const badge = await client.value.getSupportBadge(p);
    if (badge.data) w.setUnread(badge.data.unreadTickets);
  }

  async function loadThread(ticket: Ticket): Promise<void> {
    const mine = ++threadSeq;
    const [fresh, found] = await Promise.all([
      client.value.getTicket(ticket.id),
      fetchEntries(client.value, ticket.id, 0),
    ]);
    if (mine !== threadSeq) return;
    if (Array.isArray(found)) {
      batch(() => {
        if (fresh.data) open.value = fresh.data;
        entries.value = found;
        threadState.value = 'ready';
      });
      void loadStates(client.value, fresh.data ?? ticket, found, { requests, grants });
      void markRead(fresh.data ?? ticket);
    } else threadState.value = 'error';
  }

  /** New entries of the open thread (an event, a poll): appended once each, announced, read. */
  async function catchUp(announceNew = true): Promise<void> {
    const ticket = open.value;
    if (!ticket || threadState.value !== 'ready') return;
    const mine = threadSeq;
    const last = entries.value[entries.value.length - 1]?.id ?? 0;
    const [found, fresh] = await Promise.all([
      fetchEntries(client.value, ticket.id, last),
      client.value.getTicket(ticket.id),
    ]);
    if (mine !== threadSeq || !Array.isArray(found)) return;
    add(found, announceNew);
    if (fresh.data && fresh.data.status !== open.value?.status && announceNew)
      announce.value = format(strings().statusNow, { status: statusName(strings(), fresh.data.status) });
    if (fresh.data) open.value = fresh.data;
    if (found.length) void loadStates(client.value, fresh.data ?? ticket, found, { requests, grants });
    void markRead(fresh.data ?? ticket);
  }

  const add = (found: TicketMessage[], announceNew: boolean) =>
    addEntries({ entries, announce, strings }, found, announceNew);

  return {
    client,
    tab,
    list,
    listState,
    listError,
    open,
    entries,
    threadState,
    requests,
    grants,
    sending,
    failure,
    queued,
    announce,
    busy,
    problem,
    reply,
    decider,
    loadList,
    loadThread,
    catchUp,
    add,
    markRead,
    /** Reads again what the access entries shown are now (decided in the users list, withdrawn). */
    refreshStates() {
      const t = open.peek();
      if (t) void loadStates(client.value, t, entries.peek(), { requests, grants });
    },
    /** The ticket whose thread was opened from the list: Back returns focus to it. */
    openedFrom: undefined as number | undefined,
    resetRead() {
      lastRead = 0;
      threadSeq++;
    },
  };
}

export type TicketsState = ReturnType<typeof createTicketsModel>;

/** The key of a ticket's reply draft: stack, user, the ticket's project and the ticket. */
export function replyKey(w: TicketsHost, ticket: Ticket): string | null {
  const id = w.identity();
  return id && `${draftKey(id, String(ticket.project?.id ?? 'none'))}|t${ticket.id}`;
}

/** Sends the reply being written: 2xx → in the thread; offline/5xx → the outbox; else the text stays. */
export async function sendReply(w: TicketsHost, m: TicketsState): Promise<void> {
  const ticket = m.open.value;
  const { reply } = m;
  if (!ticket || m.sending.value) return;
  if (!reply.description.trim()) {
    m.failure.value = { code: 'descriptionRequired' };
    return;
  }
  const body: PostMessageBody = {
    body: reply.description,
    ...(reply.attachments.length ? { attachments: reply.attachments } : {}),
    via: 'widget',
  };
  const key = newKey();
  batch(() => {
    m.sending.value = true;
    m.failure.value = undefined;
    m.queued.value = false;
  });
  const queue = async (why: WidgetError) => {
    const id = w.identity() ?? (await w.session())?.identity;
    const draft = replyKey(w, ticket);
    if (!id || !draft) {
      m.failure.value = why;
      return;
    }
    await w.outbox.enqueue({
      key,
      body,
      ticketId: ticket.id,
      draft,
      created: Date.now(),
      backend: id.backend,
      who: id.who,
    });
    await clearReply(w, m, ticket);
    batch(() => {
      m.failure.value = why;
      m.queued.value = true;
    });
  };
  try {
    if (!navigator.onLine) return await queue({ code: 'offline' });
    const r = await m.client.value.postMessage(ticket.id, body, key);
    if (r.data) {
      await clearReply(w, m, ticket);
      m.add([r.data], false);
      void m.markRead(ticket);
      void m.loadList();
      return;
    }
    const why = classify(r.error);
    if (isQueueable(why.code)) await queue(why);
    else m.failure.value = why;
  } finally {
    m.sending.value = false;
  }
}

/** Empties the reply box and forgets its saved draft (what was not yet saved goes first, then away). */
async function clearReply(w: TicketsHost, m: TicketsState, ticket: Ticket): Promise<void> {
  const key = replyKey(w, ticket);
  await m.reply.load(null);
  if (key) await w.storage.clearDraft(key);
  if (m.open.value?.id === ticket.id) await m.reply.load(key);
}

/** Follows the user's events while "My tickets" is on screen; the poll where there is no stream. */
export function liveWhileShown(w: TicketsHost, m: TicketsState): () => void {
  let follower: { stop(): void } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      void m.loadList();
      void m.catchUp();
    }, 50);
  };
  const stopWatch = effect(() => {
    const shown = w.isOpen && w.view === 'tickets';
    if (shown && !follower) {
      const o = w.options;
      follower = followEvents({
        baseUrl: o.apiBaseUrl,
        token: async () => (o.getToken ? await o.getToken() : o.token) || null,
        fetch: w.fetch,
        onEvent: ({ event }) => {
          if (event.type === 'ticket.message' && event.ticket.id === m.open.peek()?.id)
            m.add([event.message], true);
          if (event.type.startsWith('ticket.') || event.type === 'grant.changed') soon();
          // A request of the thread decided elsewhere (the users list), a grant withdrawn: the same here.
          if (event.type.startsWith('joinRequest.') || event.type === 'grant.changed') m.refreshStates();
        },
        onOpen: ({ resumed }) => {
          if (!resumed) soon();
        },
        onPoll: soon,
      });
    } else if (!shown && follower) {
      follower.stop();
      follower = undefined;
    }
  });
  return () => {
    stopWatch();
    follower?.stop();
    clearTimeout(timer);
  };
}
