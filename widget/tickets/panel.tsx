// "My tickets" (issue 20), a chunk of its own: the support panel's model loads it when someone opens
// "My tickets" from the menu and renders what `createTickets` returns inside its dialog. Its strings,
// stylesheet and live updates come with it; the support path does not carry any of this.
import { batch, computed, effect, signal } from '@preact/signals-core';
import type { Ticket, TicketMessage } from '../../api/types.ts';
import { FOCUSABLE } from '../common/focus.ts';
import { adopt } from '../common/mount.ts';
import { createPacks } from '../common/packs.ts';
import type { TicketsHost } from './host.ts';
import { createTicketsModel, liveWhileShown, replyKey } from './model.ts';
import { en, type TicketsStrings } from './strings.ts';
import { TICKETS_CSS } from './styles.ts';
import { type Ctx, Thread, TicketList } from './view.tsx';

const PACKS = createPacks<TicketsStrings>(en, () => import('./strings-cs.ts'));

export function createTickets(w: TicketsHost) {
  const arrived = signal(0);
  const strings = computed(() => {
    arrived.value;
    return PACKS.get(w.locale) ?? en;
  });
  const stopPack = effect(() => {
    if (!PACKS.get(w.locale)) void PACKS.load(w.locale).then(() => arrived.value++);
  });
  const m = createTicketsModel(w, () => strings.value);
  const unstyle = adopt(w.root, TICKETS_CSS, w.options.nonce);
  const stopLive = liveWhileShown(w, m);

  /** Focus after the next render (rendering is synchronous, but the click that led here is not done). */
  const focus = (selector: string) => setTimeout(() => w.root.querySelector<HTMLElement>(selector)?.focus());

  void m.loadList().then(() => {
    // Opened from the menu while this chunk loaded: focus went to the dialog's first control.
    const body = w.root.querySelector('.body');
    if (!body?.contains(w.root.activeElement)) body?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
  });

  /** The open thread's reply draft, once it is read. */
  let draftLoaded: Promise<void> = Promise.resolve();

  /** The reply draft of this ticket, once who is signed in is known (nothing is shown before). */
  async function loadDraft(t: Ticket): Promise<void> {
    if (!w.identity()) await w.session();
    // What was typed into this thread meanwhile stays (and is saved under its key).
    if (m.open.value?.id === t.id) await m.reply.load(replyKey(w, t), true);
  }

  function openTicket(t: Ticket): void {
    m.openedFrom = t.id;
    m.resetRead();
    batch(() => {
      m.open.value = t;
      m.entries.value = [];
      m.threadState.value = 'loading';
      m.failure.value = undefined;
      m.problem.value = undefined;
      m.queued.value = false;
      m.announce.value = '';
    });
    // Another thread's text leaves the box at once (saved under its own key first).
    void m.reply.load(null);
    draftLoaded = loadDraft(t);
    void m.loadThread(t);
    focus('#sk-thread-title');
  }

  /** Runs an action of the thread (solve, approve, reject, withdraw) and says how it went. */
  function act(key: string, run: () => Promise<{ error?: unknown } | undefined>, done: string): void {
    if (m.busy.value.has(key)) return;
    m.busy.value = new Set([...m.busy.value, key]);
    m.problem.value = undefined;
    void run().then((r) => {
      const next = new Set(m.busy.value);
      next.delete(key);
      batch(() => {
        m.busy.value = next;
        if (r?.error) m.problem.value = r.error as never;
        else m.announce.value = done;
      });
      void m.catchUp(false);
    });
  }

  /** The form, following up a closed ticket; a reply that could not go (it closed) comes along. */
  async function newTicket(t: Ticket): Promise<void> {
    await draftLoaded;
    const kept = m.reply.description;
    w.show('form');
    w.draft.prefill({ follows: { id: t.id, number: t.number }, ...(kept ? { description: kept } : {}) });
  }

  const ctx = (): Ctx => ({
    w,
    m,
    s: strings.value,
    locale: w.locale,
    openTicket,
    act,
    newTicket,
  });

  return {
    /** The dialog's title: the ticket's number in a thread. */
    title: () => m.open.value?.number ?? strings.value.tabMine,
    render() {
      const c = ctx();
      const t = m.open.value;
      return (
        <div>
          <p class="vh" role="status" aria-live="polite">
            {m.announce.value}
          </p>
          {t ? <Thread t={t} c={c} /> : <TicketList c={c} />}
        </div>
      );
    },
    /** Back from a thread to the list, focus on the ticket it opened; false in the list. */
    back(): boolean {
      const from = m.openedFrom;
      if (!m.open.value) return false;
      void m.reply.load(null);
      m.resetRead();
      m.open.value = undefined;
      void m.loadList();
      focus(`[data-ticket="${from}"]`);
      return true;
    },
    /** A reply the outbox delivered (it was typed offline). */
    delivered(message: TicketMessage): void {
      if (message.ticketId === m.open.peek()?.id) m.add([message], false);
      void m.loadList();
    },
    destroy(): void {
      stopLive();
      stopPack();
      unstyle();
    },
  };
}
