// The popup and the side panel: one UI, two entry points. State and effects come from hooks
// (app-data.ts, app-effects.ts), the frame from AppChrome.tsx; this file wires them to the tabs.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser, chromeSidePanel, firefoxSidebar } from '../browser.ts';
import {
  allSyncMeta,
  type CachedProject,
  type CachedTicket,
  db,
  type TrackedAccess,
  type TrackedRequest,
} from '../db.ts';
import { reportError } from '../errors.ts';
import type { InboxView } from '../inbox.ts';
import { callWorker, type Result } from '../messages.ts';
import { projectFromTabUrl } from '../project-ref.ts';
import {
  defaultStack,
  getSettings,
  isConfigured,
  onSettingsChanged,
  type ReadyStack,
  readyStacks,
  type Settings,
} from '../settings.ts';
import { Header, Identity, NotSetUp, StackNotices, type Tab, TabBar } from './AppChrome.tsx';
import { type AccessForm, createAccessForm } from './access-form.ts';
import { leaveBody, loadMine, newestFirst, useKnownProjects } from './app-data.ts';
import {
  useCachePaintMark,
  useLiveStream,
  usePageSnapshot,
  useTicketFromNotification,
} from './app-effects.ts';
import { Confirm } from './Confirm.tsx';
import { countdownOf } from './format.ts';
import { GetAccess } from './GetAccess.tsx';
import { useLive, useNow } from './hooks.ts';
import { MyAccess, type MyAccessData } from './MyAccess.tsx';
import { Tickets } from './Tickets.tsx';
import type { TicketWithProject } from './ticket-text.ts';

export type Mode = 'popup' | 'sidepanel';

async function openSidePanel(): Promise<void> {
  try {
    const panel = chromeSidePanel();
    if (panel) {
      const win = await browser.windows.getCurrent();
      if (win.id !== undefined) await panel.open({ windowId: win.id });
    } else await firefoxSidebar()?.open();
    window.close();
  } catch (e) {
    reportError(e, 'sidePanel');
  }
}

const openProject = (stack: string, projectId: number) =>
  void callWorker('openProject', { stack, projectId });

/** The settings, kept current across the popup, the side panel and the options page. */
function useSettings(): Settings | null {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    void getSettings().then(setSettings);
    return onSettingsChanged(setSettings);
  }, []);
  return settings;
}

/** The Tickets tab's view, problems and notes, asked again whenever it is shown or its view changes. */
function useTicketsRefresh(stacksKey: string) {
  const [view, setView] = useState<InboxView>('all');
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [unsupported, setUnsupported] = useState(false);
  const [cut, setCut] = useState(false);
  useEffect(() => {
    let gone = false;
    void callWorker('refreshTickets', { view }).then((r) => {
      if (gone) return;
      setError(r.ok ? r.value.problems.join(' ') || null : r.error.message);
      setNotes(r.ok ? r.value.notes : []);
      // No stack has our tickets: the tab stays the plain list with what it says (a Keboola stack).
      setUnsupported(!r.ok && r.error.code === 'unsupported');
      setCut(r.ok && r.value.cut === true);
    });
    return () => {
      gone = true;
    };
  }, [stacksKey, view]);
  return { view, setView, error, notes, unsupported, cut };
}

/** One action at a time on a row (its key), and the error of the last one. */
function useActions() {
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  async function act(key: string, run: () => Promise<Result<unknown>>) {
    setBusy(key);
    setActionError(null);
    const res = await run();
    setBusy(null);
    if (!res.ok) setActionError(res.error.message);
  }
  return { busy, actionError, act };
}

/** The worker's refresh, with whether it is running (the stale notices' button says so). */
function useRefresh() {
  const [refreshing, setRefreshing] = useState(false);
  async function refresh(): Promise<void> {
    setRefreshing(true);
    await callWorker('refresh', {});
    setRefreshing(false);
  }
  return { refreshing, refresh };
}

/** Fills the project field from the current tab's URL, unless something was typed already. */
async function fromCurrentTab(form: AccessForm, settings: Settings | null): Promise<void> {
  const urls = settings ? readyStacks(settings).map((s) => s.url) : [];
  try {
    const [active] = await browser.tabs.query({ active: true, currentWindow: true });
    const found = projectFromTabUrl(active?.url, urls);
    if (found && !form.projectInput) form.fillProject(found, 'tab');
  } catch (e) {
    reportError(e, 'tabs');
  }
}

/** Leaving asks first (leaveBody says what getting back takes); focus goes back to the opener. */
function useLeave(
  act: ReturnType<typeof useActions>['act'],
  projects: CachedProject[] | undefined,
  several: boolean,
) {
  const [leaving, setLeaving] = useState<TrackedAccess | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const leave = (a: TrackedAccess, from: HTMLElement) => {
    opener.current = from;
    setLeaving(a);
  };
  const confirmLeave = leaving && (
    <Confirm
      title={`Leave ${leaving.projectName}?`}
      body={leaveBody(leaving, projects, several)}
      confirm="Leave project"
      danger
      opener={opener.current}
      onClose={(yes) => {
        setLeaving(null);
        if (yes)
          void act(`leave ${leaving.stack} ${leaving.projectId}`, () =>
            callWorker('leaveProject', { stack: leaving.stack, projectId: leaving.projectId }),
          );
      }}
    />
  );
  return { leaving, leave, confirmLeave };
}

/** The Tickets tab: the inbox's view and what the worker said of it, the thread's access line. */
function TicketsTab(p: {
  stacksKey: string;
  tickets: CachedTicket[] | undefined;
  ready: ReadyStack[];
  mine: MyAccessData | undefined;
  now: number;
  offsetOf: (stack: string) => number;
  onRequest: (t: TicketWithProject) => void;
  initialOpen: { stack: string; id: number } | null;
}) {
  const state = useTicketsRefresh(p.stacksKey);
  return (
    <Tickets
      key={p.initialOpen ? `${p.initialOpen.stack} ${p.initialOpen.id}` : ''}
      initialOpen={p.initialOpen}
      tickets={p.tickets}
      error={state.error}
      notes={state.notes}
      unsupported={state.unsupported}
      cut={state.cut}
      view={state.view}
      onView={state.setView}
      showStack={p.ready.length > 1}
      me={(stack) => p.ready.find((s) => s.url === stack)?.user}
      access={(stack, projectId) => ({
        active: p.mine?.active.find((a) => a.stack === stack && a.projectId === projectId),
        pending: p.mine?.pending.find((r) => r.stack === stack && r.projectId === projectId),
      })}
      now={p.now}
      offsetOf={p.offsetOf}
      onRequest={p.onRequest}
    />
  );
}

/** A live query has answered (undefined until it has). */
const isRead = (x: unknown) => x !== undefined;

export function App({ mode }: { mode: Mode }) {
  const settings = useSettings();
  const [tab, setTab] = useState<Tab>('access');
  const { busy, actionError, act } = useActions();
  const { refreshing, refresh } = useRefresh();
  const settingsRef = useRef<Settings | null>(null);
  settingsRef.current = settings;
  const form = useMemo(() => createAccessForm(), []);
  const now = useNow();
  const mine = useLive(loadMine);
  const metas = useLive(allSyncMeta);
  const tickets = useLive(async () => (await db.tickets.toArray()).sort(newestFirst));
  const projects = useLive(() => db.projects.toArray());
  const known = useKnownProjects(projects, mine, tickets);
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ access: null, mine: null, tickets: null });

  const configured = settings !== null && isConfigured(settings);
  const ready = settings ? readyStacks(settings) : [];
  const stackUrls = ready.map((s) => s.url);
  const stacksKey = stackUrls.join(' ');
  const several = ready.length > 1;

  // In the same commit as the form's first paint, and before the effect below (which may prefill
  // from the tab): the form knows the stacks before anything is typed.
  useLayoutEffect(() => {
    if (settings) form.setStacks(stackUrls, defaultStack(settings));
  }, [settings]);

  // Shown: refresh now, and prefill from the current tab.
  useLiveStream(configured, stacksKey, () => {
    void refresh();
    // Tickets name projects: the project field finds them by name without a visit to the Tickets tab.
    void callWorker('refreshTickets', {});
    void fromCurrentTab(form, settingsRef.current);
  });

  const fromNotification = useTicketFromNotification(configured, () => setTab('tickets'));
  const cancel = (r: TrackedRequest) =>
    act(`cancel ${r.stack} ${r.id}`, () => callWorker('cancelRequest', { stack: r.stack, requestId: r.id }));
  const { leaving, leave, confirmLeave } = useLeave(act, projects, several);

  // The first view, as every open shows it: settings read and, signed in, every cached table it
  // shows (the identity, the pending count, stale notices, the recent projects to pick from).
  const viewReady = settings !== null && (!configured || [mine, metas, projects, tickets].every(isRead));
  const rootRef = useRef<HTMLDivElement>(null);
  const pristine = tab === 'access' && !leaving && busy === null && actionError === null && form.pristine;
  usePageSnapshot({
    root: rootRef,
    settings,
    viewReady,
    pristine,
    mode,
    shown: [mine, metas, projects, tickets, refreshing],
  });
  useCachePaintMark(configured && !!mine);

  const pendingCount = mine?.pending.length ?? 0;
  // Countdowns count with each stack's server clock (its Date header, as the worker saw it last).
  const offsetOf = (stack: string) => metas?.find((m) => m.stack === stack)?.clockOffsetMs ?? 0;
  const target = form.target;
  const pendingHere = target
    ? mine?.pending.find((r) => r.stack === target.stack && r.projectId === target.projectId)
    : undefined;

  return (
    <div class={`app ${mode}`} ref={rootRef}>
      <Header popup={mode === 'popup'} onSidePanel={() => void openSidePanel()} />
      <main>
        {settings === null ? null : !isConfigured(settings) ? (
          <NotSetUp settings={settings} />
        ) : (
          <>
            <Identity ready={ready} />
            <StackNotices
              ready={ready}
              metas={metas}
              now={now}
              refreshing={refreshing}
              onRefresh={() => void refresh()}
            />
            <TabBar tab={tab} onTab={setTab} tabRefs={tabRefs} pendingCount={pendingCount} />
            {actionError && (
              <p class="notice error" role="alert">
                {actionError}
              </p>
            )}
            <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class="panel">
              {tab === 'access' && (
                <GetAccess
                  form={form}
                  known={known}
                  pending={pendingHere}
                  offsetOf={offsetOf}
                  pendingLeft={
                    pendingHere?.expires
                      ? countdownOf(pendingHere, now, offsetOf(pendingHere.stack)).replace(
                          ' left',
                          ' left to decide',
                        )
                      : ''
                  }
                  cancelling={pendingHere ? busy === `cancel ${pendingHere.stack} ${pendingHere.id}` : false}
                  onCancel={cancel}
                  onOpenProject={openProject}
                  onShowMine={() => setTab('mine')}
                  onAddStack={(url) => void callWorker('openOptionsToAdd', { url })}
                />
              )}
              {tab === 'mine' && (
                <MyAccess
                  data={mine}
                  showStack={several}
                  now={now}
                  offsetOf={offsetOf}
                  busy={busy}
                  onOpen={openProject}
                  onCancel={cancel}
                  onLeave={leave}
                  onRequestAgain={(r) => {
                    form.fillAgain({ stack: r.stack, projectId: r.projectId }, r.reason);
                    setTab('access');
                    // Focus follows to the tab that now holds the filled form.
                    tabRefs.current.access?.focus();
                  }}
                />
              )}
              {tab === 'tickets' && (
                <TicketsTab
                  initialOpen={fromNotification}
                  stacksKey={stacksKey}
                  tickets={tickets}
                  ready={ready}
                  mine={mine}
                  now={now}
                  offsetOf={offsetOf}
                  onRequest={(t) => {
                    form.fillFromTicket(t);
                    setTab('access');
                  }}
                />
              )}
            </div>
          </>
        )}
      </main>
      {confirmLeave}
    </div>
  );
}
