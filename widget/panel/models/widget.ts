// The panel's state: open or closed, which view, the error alert, strings of the active locale, and
// the draft and outbox models wired to the typed client. Views read this; they never fetch.
import { batch, computed, signal } from '@preact/signals-core';
import { type ApiResult, type SupportClient, supportClient } from '../../../api/transport.ts';
import type {
  CreateTicketBody,
  ErrorContext,
  SupportBadge,
  Ticket,
  TicketMessage,
} from '../../../api/types.ts';
import type { Bridge } from '../../bridge.ts';
import { format } from '../../common/format.ts';
import { createPacks } from '../../common/packs.ts';
import { en } from '../../strings/en.ts';
import type { PanelStrings, Strings } from '../../strings/types.ts';
import type {
  ErrorReport,
  Locale,
  PrefillData,
  SupportKitEventName,
  SupportKitEvents,
  SupportKitOptions,
} from '../../types.ts';
import { captureContext, toErrorContext } from '../context.ts';
import { errorMessage } from '../errors.ts';
import type { WidgetStorage } from '../storage.ts';
import { createTicketDraft } from './draft.ts';
import { draftKey, type Identity, resolveIdentity } from './identity.ts';
import { createOutbox, type OutboxSession } from './outbox.ts';

/** What identifies who is signed in, as the host gave it: a change means asking the server again. */
const authOf = (o: { apiBaseUrl: string; token?: string; getToken?: unknown }): unknown[] => [
  o.apiBaseUrl,
  o.token,
  o.getToken,
];

/** The same key as the launcher's OUTBOX_FLAG (a literal: the panel must not import the launcher). */
const OUTBOX_FLAG = 'support-kit:outbox';

/** English is bundled; Czech is a chunk of its own, loaded only when the locale is Czech. */
const PACKS = createPacks<PanelStrings>(en, () => import('../../strings/cs.ts'));
const packArrived = signal(0);

/** Resolves once the pack of `locale` is here; undefined when it already is. */
function loadPack(locale: Locale): Promise<void> | undefined {
  if (!PACKS.get(locale))
    return PACKS.load(locale).then(() => {
      packArrived.value++;
    });
}

// Its own `import()`, not ../../users/load.ts: a module shared with the launcher would become a chunk
// that the launcher imports statically, and the launcher must stay one classic script.
const loadUsersPanel = () => import('../../users/panel.tsx');
type UsersModule = Awaited<ReturnType<typeof loadUsersPanel>>;
/** "My tickets" (issue 20): a chunk of its own, loaded when someone opens it. */
const loadTickets = () => import('../../tickets/panel.tsx');
type Tickets = ReturnType<Awaited<ReturnType<typeof loadTickets>>['createTickets']>;

export type View = 'menu' | 'form' | 'users' | 'tickets';

export function createWidget(bridge: Bridge, storage: WidgetStorage) {
  /** Calls the host's listeners; one that throws does not stop the others, nor the widget. */
  function emit<K extends SupportKitEventName>(type: K, payload: SupportKitEvents[K]): void {
    for (const fn of bridge.listeners[type] ?? []) {
      try {
        (fn as (p: typeof payload) => void)(payload);
      } catch (e) {
        console.error('[SupportKit]', e);
      }
    }
  }
  const setExpanded = (open: boolean) => bridge.button?.setAttribute('aria-expanded', String(open));

  /** Bumped when the host changes options, locale or theme. */
  const revision = signal(0);
  const isOpen = signal(false);
  const view = signal<View>('menu');
  const alert = signal<ErrorContext | undefined>(undefined);
  const lastError = signal<ErrorContext | undefined>(undefined);
  const notice = signal('');
  const usersModule = signal<UsersModule | undefined>(undefined);
  const tickets = signal<Tickets | undefined>(undefined);
  /** Tickets with an unread staff reply (support-badge); undefined: the stack has no conversations. */
  const unread = signal<number | undefined>(undefined);
  /** The project's pending requests, for the launcher's dot beside the unread tickets. */
  let requests = 0;
  /** The server counts requests only for those who may decide them: "Project tickets" is theirs. */
  const decider = signal(false);
  const paintBadge = () => bridge.setBadge(requests + (unread.value ?? 0));

  const options = computed(() => {
    revision.value;
    return bridge.options();
  });
  const locale = computed(() => {
    revision.value;
    return bridge.locale();
  });
  const strings = computed<Strings>(() => {
    packArrived.value; // re-read when a pack arrives
    return {
      ...bridge.launcherStrings(),
      // While a pack loads (after setLocale), the English one stands in.
      ...(PACKS.get(locale.value) ?? en),
      ...options.value.strings,
    };
  });
  // Only the transport, tokens/verify and the ticket methods: the support path stays small (transport.ts).
  const clientWith = (auth: { token?: string | undefined; getToken?: () => unknown }): SupportClient => {
    const o = options.value;
    return supportClient({
      baseUrl: o.apiBaseUrl,
      ...(auth.token ? { token: auth.token } : {}),
      ...(auth.getToken ? { getToken: o.getToken } : {}),
      fetch: bridge.fetch,
      timeoutMs: o.timeoutMs ?? 15_000,
    });
  };
  const client = computed(() => clientWith(options.value));
  const projectKey = () => String(options.value.project?.id ?? 'none');
  /** The fallback of stacks without our tickets endpoint, loaded when first needed. */
  const fallback = signal<typeof import('../fallback.tsx') | undefined>(undefined);
  const loadFallback = async () => {
    fallback.value ??= await import('../fallback.tsx');
    return fallback.value;
  };

  /** Sends through `c`: our tickets endpoint where the stack has it, else the host's submitTicket. */
  async function sendWith(c: SupportClient, body: CreateTicketBody, key: string): Promise<ApiResult<Ticket>> {
    const submit = options.value.submitTicket;
    // The first answer of the endpoint (a missing route) teaches the client: later tickets go straight on.
    const host = (fn: NonNullable<SupportKitOptions['submitTicket']>) =>
      loadFallback().then((f) => f.viaHost(fn, body, options.value));
    if (submit && c.supports('tickets') === false) return host(submit);
    const res = await c.createTicket(body, key);
    if (res.error?.kind !== 'unsupported') return res;
    if (submit) return host(submit);
    void loadFallback();
    return res;
  }

  const send = (body: CreateTicketBody, key: string) => sendWith(client.value, body, key);

  /** Who is signed in, as the server says: drafts and queued tickets are theirs alone. */
  const identity = signal<Identity | null>(null);
  let identitySeq = 0;
  /** Aborted by destroy: a request of a widget that is gone would answer nobody. */
  const alive = new AbortController();

  /** The current token, once: verifying and sending with the same one, so a ticket goes as its user. */
  async function session(): Promise<OutboxSession | null> {
    const mine = ++identitySeq;
    const o = options.value;
    const token = (o.getToken ? await o.getToken() : o.token) || undefined;
    const fixed = clientWith({ token });
    const id = await resolveIdentity({
      backend: fixed.baseUrl,
      token,
      verify: () => fixed.verifyToken({ signal: alive.signal }),
      storage,
    });
    if (mine === identitySeq && !alive.signal.aborted) await applyIdentity(id);
    return (
      id && {
        identity: id,
        send: (body, key) => sendWith(fixed, body, key),
        reply: (ticketId, body, key) =>
          fixed.request<TicketMessage>('POST', `/support/tickets/${ticketId}/messages`, body, {
            headers: { 'Idempotency-Key': key },
          }),
      }
    );
  }

  /** The draft shown is the one of this user (and backend and project); someone else's never is. */
  let loadedDraft: string | null = null;
  async function applyIdentity(id: Identity | null): Promise<void> {
    const before = identity.value;
    identity.value = id;
    const key = id ? draftKey(id, projectKey()) : null;
    if (key === loadedDraft) return;
    loadedDraft = key;
    // From "not known yet" to known, it is the person who was typing meanwhile: keep their text.
    const keep = before === null && id !== null;
    await draft.load(key, keep);
  }

  /** Forget who was signed in (the token changed): the form empties at once, until we know again. */
  function signedOut(): void {
    identitySeq++;
    identity.value = null;
    loadedDraft = null;
    void draft.load(null);
  }

  const outbox = createOutbox({
    storage,
    session,
    identity: () => identity.value,
    onDelivered(result, item) {
      if (item.ticketId !== undefined) return tickets.value?.delivered(result as TicketMessage);
      const ticket = result as Ticket;
      // The queued result of this ticket turns into the sent one; other deliveries get a notice.
      if (!draft.delivered(item.key, ticket))
        notice.value = format(strings.value.outboxDelivered, { number: ticket.number });
      emit('ticketCreated', { id: ticket.id, number: ticket.number, queued: true });
    },
    onRefused(item, error) {
      // Nothing is lost: a refused reply goes back into its draft, a refused ticket into the form
      // (unless one is being written).
      if (item.ticketId !== undefined) {
        const { draft: key, body } = item;
        void storage.loadDraft(key).then((d) => {
          if (!d?.description)
            void storage.saveDraft(key, {
              subject: '',
              description: body.body,
              type: 'question',
              severity: 'normal',
              attachments: body.attachments ?? [],
            });
        });
      } else if (!draft.subject && !draft.description) {
        draft.prefill({
          subject: item.body.subject,
          description: item.body.description,
          type: item.body.type,
        });
      }
      emit('error', { code: error.code, message: errorMessage(strings.value, error) });
    },
    onPendingChange(pending) {
      // The launcher reads this flag after a reload to load the panel, which then sends the ticket.
      try {
        if (pending) localStorage.setItem(OUTBOX_FLAG, '1');
        else localStorage.removeItem(OUTBOX_FLAG);
      } catch {}
    },
  });

  const draft = createTicketDraft({
    storage,
    send,
    async enqueue(item) {
      const id = identity.value ?? (await session())?.identity;
      if (!id) return false;
      await outbox.enqueue({ ...item, backend: id.backend, who: id.who });
      return true;
    },
    context: () => context.value,
    projectId: () => options.value.project?.id,
    onSent: (t) => emit('ticketCreated', { id: t.id, number: t.number, queued: false }),
    onQueued: (key, error) =>
      emit('ticketQueued', { idempotencyKey: key, reason: errorMessage(strings.value, error) }),
    onFailed: (error) => emit('error', { code: error.code, message: errorMessage(strings.value, error) }),
  });

  const context = computed(() => {
    isOpen.value; // re-capture page URL and viewport on every open
    return captureContext({
      locale: locale.value,
      ...(options.value.appVersion ? { appVersion: options.value.appVersion } : {}),
      ...(draft.error || lastError.value ? { error: draft.error ?? lastError.value } : {}),
    });
  });

  let loadedProject = projectKey();
  // A draft saved before drafts were kept per user (key `draft:<project>`): whose it was cannot be
  // known, so it is dropped, never shown.
  void storage.clearDraft(loadedProject);
  let auth = authOf(options.value);
  // Who is signed in is asked when it matters (open, send, a queued ticket): loading the panel on
  // hover costs no request.
  void outbox.load();

  let returnTo: HTMLElement | null = null;

  function open(prefill?: PrefillData): void {
    if (prefill) applyPrefill(prefill);
    if (!isOpen.value) {
      // Focus goes back where it came from: the host's own contact button, else the launcher.
      const active = document.activeElement;
      returnTo =
        active instanceof HTMLElement && active !== bridge.root.host && active !== document.body
          ? active
          : bridge.button;
    }
    batch(() => {
      if (prefill) view.value = 'form';
      notice.value = '';
      isOpen.value = true;
    });
    setExpanded(true);
    emit('open', undefined);
    // Whoever is signed in now (a getToken may answer for someone else than before), then their queue.
    void session().then(() => {
      if (outbox.count) void outbox.flush();
    });
    void askBadge();
  }

  /**
   * On open: the unread tickets for "My tickets" (and the dot). Only a stack that answers it has the
   * conversations; one known to lack them (Keboola's: its 404 taught the client) is not asked again.
   */
  async function askBadge(): Promise<void> {
    const c = client.value;
    const p = options.value.project?.id;
    if (p === undefined || c.supports('conversations') === false) return;
    const r = await c.request<SupportBadge>('GET', `/projects/${p}/support-badge`);
    if (!r.data) return;
    requests = r.data.pendingRequests ?? 0;
    batch(() => {
      decider.value = r.data.pendingRequests !== null;
      unread.value = r.data.unreadTickets;
    });
    paintBadge();
  }

  function close(): void {
    if (!isOpen.value) return;
    isOpen.value = false;
    setExpanded(false);
    returnTo?.focus();
    emit('close', undefined);
  }

  function applyPrefill(data: PrefillData): void {
    const error = data.error ? toErrorContext(data.error) : undefined;
    if (error) lastError.value = error;
    draft.prefill({
      ...(data.subject !== undefined ? { subject: data.subject } : {}),
      ...(data.description !== undefined ? { description: data.description } : {}),
      ...(data.type ? { type: data.type } : error ? { type: 'problem' as const } : {}),
      ...(data.severity ? { severity: data.severity } : {}),
      ...(error ? { error } : {}),
      ...(error && !data.subject && !draft.subject ? { subject: error.message } : {}),
    });
  }

  function reportError(report: ErrorReport): void {
    const error = toErrorContext(report);
    batch(() => {
      lastError.value = error;
      alert.value = error;
    });
  }

  const self = {
    get isOpen() {
      return isOpen.value;
    },
    get view() {
      return view.value;
    },
    get strings() {
      return strings.value;
    },
    get options() {
      return options.value;
    },
    get alert() {
      return alert.value;
    },
    /** The fallback module, once a stack without our tickets endpoint needed it. */
    get fallback() {
      return fallback.value;
    },
    get notice() {
      return notice.value;
    },
    get context() {
      return context.value;
    },
    get client() {
      return client.value;
    },
    get locale() {
      return locale.value;
    },
    fetch: bridge.fetch,
    /** The users panel's count of pending requests; the dot adds the unread tickets. */
    setBadge(n: number) {
      requests = n;
      paintBadge();
    },
    /** Whether the server counts the project's requests for this user (admin/share, a member). */
    get decider() {
      return decider.value;
    },
    /** Tickets with an unread staff reply, once the stack said it has conversations. */
    get unread() {
      return unread.value;
    },
    setUnread(n: number) {
      unread.value = n;
      paintBadge();
    },
    /** "My tickets", once its chunk is here. */
    get tickets() {
      return tickets.value;
    },
    root: bridge.root,
    storage,
    identity: () => identity.value,
    session,
    projectKey,
    draft,
    outbox,
    open,
    close,
    toggle: () => (isOpen.value ? close() : open()),
    /** The "Users & access" chunk, once loaded. */
    get usersModule() {
      return usersModule.value;
    },
    show(next: View) {
      if (next === 'form' && (draft.status === 'sent' || draft.status === 'queued')) draft.acknowledge();
      if (next === 'users' && !usersModule.value) {
        loadUsersPanel().then((m) => {
          usersModule.value = m;
        });
      }
      if (next === 'tickets' && !tickets.value)
        loadTickets().then((m) => {
          tickets.value ??= m.createTickets(self);
        });
      view.value = next;
    },
    /** Back: from a thread to the list, else to the menu. */
    back() {
      if (view.value !== 'tickets' || !tickets.value?.back()) self.show('menu');
    },
    prefill: applyPrefill,
    reportError,
    reportResponse(res: Response) {
      const report = (body?: unknown) =>
        reportError({
          ...(typeof body === 'object' && body ? body : {}),
          status: res.status,
          url: res.url,
        });
      res.json().then(report, () => report());
    },
    dismissAlert() {
      alert.value = undefined;
    },
    /** "Contact support" in the alert: the form, prefilled with the alert's error. */
    contactFromAlert() {
      const error = alert.value;
      alert.value = undefined;
      open(error ? { error } : {});
    },
    /** The active locale's pack: mountPanel waits for it, so the first view is in that locale. */
    loadLocale: () => loadPack(locale.value),
    update() {
      revision.value++;
      void loadPack(locale.value);
      const key = projectKey();
      const nextAuth = authOf(options.value);
      if (nextAuth.some((v, i) => v !== auth[i])) {
        // Another token or stack: maybe another person. Nothing of the previous one stays on screen.
        auth = nextAuth;
        loadedProject = key;
        signedOut();
        if (isOpen.value || outbox.pending) void session().then(() => outbox.flush());
      } else if (key !== loadedProject) {
        loadedProject = key;
        const id = identity.value;
        if (id) void applyIdentity(id);
      }
    },
    destroy() {
      alive.abort();
      outbox.destroy();
      tickets.value?.destroy();
    },
  };
  return self;
}

export type WidgetModel = ReturnType<typeof createWidget>;
