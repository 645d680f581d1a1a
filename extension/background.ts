// The background service worker: routes UI messages, streams events while a popup or side panel is
// open, polls with an alarm otherwise, raises notifications and keeps the badge.

import { Dexie } from 'dexie';
import type { SupportEventEnvelope } from '../api/types.ts';
import { type Session, sessions } from './api-client.ts';
import { browser, chromeSidePanel, type Runtime } from './browser.ts';
import { db } from './db.ts';
import { captureErrors, reportError } from './errors.ts';
import { routeMessage } from './handlers.ts';
import { type Live, startLive } from './live.ts';
import { LIVE_PORT, OPEN_TICKET_KEY } from './messages.ts';
import { projectOfNotification, ticketOfNotification } from './notify.ts';
import { projectUrl } from './project-ref.ts';
import { noHints } from './reconcile.ts';
import { getSettings, onSettingsChanged } from './settings.ts';
import { syncStack } from './sync.ts';
import { liveStacks, onTicketEvent, pollMyTickets } from './tickets.ts';

captureErrors('background');

const POLL_ALARM = 'support-kit-poll';
const POLL_MINUTES = 0.5; // 30 s, the shortest alarm period browsers allow

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  routeMessage(message, sender.id),
);

async function ensureAlarm(): Promise<void> {
  const existing = await browser.alarms.get(POLL_ALARM);
  if (!existing)
    browser.alarms.create(POLL_ALARM, { periodInMinutes: POLL_MINUTES, delayInMinutes: POLL_MINUTES });
}

browser.runtime.onInstalled.addListener(() => {
  void ensureAlarm();
  // Chromium: the toolbar button opens the popup; the popup offers the side panel.
  chromeSidePanel()
    ?.setPanelBehavior({ openPanelOnActionClick: false })
    .catch((e: unknown) => reportError(e, 'sidePanel'));
});
browser.runtime.onStartup.addListener(() => void ensureAlarm());
void ensureAlarm();

browser.alarms.onAlarm.addListener((alarm) => {
  // While a stack's stream is open it carries every change of that stack (and a reconnect syncs): the
  // poll is for the other stacks, the rest of the time, and stacks without the events endpoint.
  if (alarm.name === POLL_ALARM) void pollStacks();
});

async function pollStacks(): Promise<void> {
  for (const s of await sessions())
    if (!streams.get(s.stack)?.open) {
      void syncStack(s.stack);
      // A customer's reply to a ticket assigned to me notifies with the popup closed too.
      void pollMyTickets(s).catch((e: unknown) => reportError(e, 'pollTickets'));
    }
}

// ---- live events while a UI is open, one stream per stack -----------------------------------------

const livePorts = new Set<Runtime.Port>();
interface Stream {
  live: Live;
  open: boolean;
  /** The token it follows with: a new token for the stack starts it over. */
  token: string;
}
const streams = new Map<string, Stream>();

function stopStreams(): void {
  for (const s of streams.values()) s.live.stop();
  streams.clear();
  liveStacks.clear();
}

/**
 * One stream per configured stack while a UI is open. Only what changed is touched: a stack added
 * starts, a stack removed (or given a new token) stops or starts over, the others keep their stream
 * (and its Last-Event-ID) — saving the last used stack, say, restarts nothing.
 */
let streamsChain: Promise<void> = Promise.resolve();
function syncStreams(): Promise<void> {
  // One at a time: two overlapping runs would both start a stream for a new stack.
  streamsChain = streamsChain.then(applyStreams).catch((e: unknown) => reportError(e, 'streams'));
  return streamsChain;
}

async function applyStreams(): Promise<void> {
  const all = await sessions();
  if (livePorts.size === 0) {
    stopStreams();
    return;
  }
  const wanted = new Map(all.map((s) => [s.stack, s]));
  for (const [stack, stream] of streams) {
    if (wanted.get(stack)?.settings.token === stream.token) continue;
    stream.live.stop();
    streams.delete(stack);
    liveStacks.delete(stack);
  }
  for (const s of all) {
    if (streams.has(s.stack)) continue;
    const stream: Stream = {
      open: false,
      token: s.settings.token,
      live: startLive({
        baseUrl: s.stack,
        token: s.settings.token,
        onOpen: ({ resumed }) => {
          stream.open = true;
          liveStacks.add(s.stack);
          // A resumed stream replays what was missed; a fresh one starts now, so sync what came before.
          if (!resumed) void syncStack(s.stack);
        },
        onClose: () => {
          stream.open = false;
          liveStacks.delete(s.stack);
        },
        onEvent: (envelope) => onEvent(s, envelope),
      }),
    };
    streams.set(s.stack, stream);
  }
}

function onEvent(s: Session, envelope: SupportEventEnvelope): void {
  const { stack } = s;
  const me = s.user.id;
  const { event } = envelope;
  const hints = noHints();
  switch (event.type) {
    case 'ticket.message':
    case 'ticket.updated':
      void onTicketEvent(s, envelope).catch((e: unknown) => reportError(e, 'ticketEvent'));
      return;
    case 'joinRequest.decided':
      if (event.user.id !== me) return;
      hints.outcomes.set(event.requestId, event.outcome);
      break;
    case 'membership.expired':
      if (event.user.id !== me) return;
      hints.expiredProjects.add(event.project.id);
      break;
    case 'grant.changed':
      // A withdrawal ends the memberships made from the grant: say so as such, not as an expiry.
      if (event.grant.status === 'withdrawn') hints.withdrawnProjects.add(event.project.id);
      break;
    case 'membership.expiring':
    case 'membership.changed':
      if (event.user.id !== me) return;
      break;
    case 'joinRequest.created':
      if (event.request.user.id !== me) return;
      break;
    case 'organization.autoJoinChanged':
      void db.projects
        .where('[stack+id]')
        .between([stack, Dexie.minKey], [stack, Dexie.maxKey])
        .filter((p) => p.organizationId === event.organization.id)
        .modify({ allowAutoJoin: event.allowAutoJoin });
      return;
  }
  void syncStack(stack, hints);
}

browser.runtime.onConnect.addListener((port) => {
  if (port.name !== LIVE_PORT || port.sender?.id !== browser.runtime.id) return;
  livePorts.add(port);
  // The UI pings through the port: each message keeps this worker alive while it is open.
  port.onMessage.addListener(() => undefined);
  // The UI holds its port only while it is visible: the first one shown resumes the streams (with
  // Last-Event-ID), the last one hidden or closed pauses them.
  if (livePorts.size === 1) {
    for (const s of streams.values()) s.live.setVisible(true);
    void syncStreams();
  }
  port.onDisconnect.addListener(() => {
    livePorts.delete(port);
    if (livePorts.size === 0) for (const s of streams.values()) s.live.setVisible(false);
  });
});

onSettingsChanged(() => {
  // A stack removed or given another token: a paused stream of the old one must not resume.
  void syncStreams();
});

// ---- notifications --------------------------------------------------------------------------------

async function openTicketFromNotification(id: string, target: { stack: string; ticketId: number }) {
  const { stacks } = await getSettings();
  await browser.notifications.clear(id);
  if (!stacks.some((s) => s.url === target.stack)) return;
  await browser.storage.local.set({ [OPEN_TICKET_KEY]: { ...target, at: Date.now() } });
  // Chromium opens the popup for the click where it can; else the next open shows the thread.
  const action = browser.action as { openPopup?: () => Promise<void> };
  await action.openPopup?.().catch(() => undefined);
}

async function openFromNotification(id: string): Promise<void> {
  const ticket = ticketOfNotification(id);
  if (ticket) return openTicketFromNotification(id, ticket);
  const target = projectOfNotification(id);
  if (!target) return;
  // Only a stack still set up: a notification outliving its stack opens nothing.
  const { stacks } = await getSettings();
  if (!stacks.some((s) => s.url === target.stack)) return;
  await browser.tabs.create({ url: projectUrl(target.stack, target.projectId) });
  await browser.notifications.clear(id);
}

browser.notifications.onClicked.addListener((id) => void openFromNotification(id));
browser.notifications.onButtonClicked?.addListener((id) => void openFromNotification(id));
