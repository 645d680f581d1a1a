// The popup and the side panel: one UI, two entry points.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser, chromeSidePanel, firefoxSidebar } from '../browser.ts';
import { allSyncMeta, db, type TrackedAccess, type TrackedRequest } from '../db.ts';
import { reportError } from '../errors.ts';
import { callWorker, LIVE_PORT, type Result } from '../messages.ts';
import { projectFromTabUrl } from '../project-ref.ts';
import {
  defaultStack,
  getSettings,
  isConfigured,
  onSettingsChanged,
  readyStacks,
  type Settings,
  stackLabel,
} from '../settings.ts';
import { parseTime } from '../time.ts';
import { createAccessForm } from './access-form.ts';
import { Confirm } from './Confirm.tsx';
import { ago, countdownOf } from './format.ts';
import { GetAccess, type KnownProject } from './GetAccess.tsx';
import { useLive, useNow } from './hooks.ts';
import { MyAccess, type MyAccessData, type RecentItem } from './MyAccess.tsx';
import {
  CACHE_PAINT_MARK,
  captureView,
  dropSnapshots,
  pageStorage,
  saveSnapshot,
  snapshotKey,
  takeOver,
} from './snapshot.ts';
import { Tickets } from './Tickets.tsx';

export type Mode = 'popup' | 'sidepanel';
type Tab = 'access' | 'mine' | 'tickets';
const TABS: { id: Tab; label: string }[] = [
  { id: 'access', label: 'Get access' },
  { id: 'mine', label: 'My access' },
  { id: 'tickets', label: 'Tickets' },
];

/** Cached data older than this is flagged as stale. */
export const STALE_AFTER_MS = 2 * 60 * 1000;
const RECENT_MS = 7 * 24 * 3600 * 1000;

/** Rows of several stacks merged: by creation time (ids of two stacks say nothing of their order). */
const newestFirst = (a: { created: string; id: number }, b: { created: string; id: number }) =>
  parseTime(b.created) - parseTime(a.created) || b.id - a.id;

async function loadMine(): Promise<MyAccessData> {
  const [requests, accesses] = await Promise.all([db.requests.toArray(), db.accesses.toArray()]);
  const cutoff = Date.now() - RECENT_MS;
  // An approved request lives on as its access (active, then expired, left or ended): show that one.
  // Same project id on two stacks is two projects: every key names the stack.
  const tracked = new Set(accesses.map((a) => `${a.stack} ${a.projectId}`));
  const recent: RecentItem[] = [
    ...requests
      .filter((r) => r.status !== 'pending' && r.updatedAt > cutoff)
      .filter((r) => !(r.status === 'approved' && tracked.has(`${r.stack} ${r.projectId}`)))
      .map((r) => ({
        key: `r ${r.stack} ${r.id}`,
        stack: r.stack,
        projectId: r.projectId,
        projectName: r.projectName,
        reason: r.reason,
        status: r.status,
        at: r.updatedAt,
      })),
    ...accesses
      .filter((a) => a.status !== 'active' && a.updatedAt > cutoff)
      .map((a) => ({
        key: `a ${a.stack} ${a.projectId}`,
        stack: a.stack,
        projectId: a.projectId,
        projectName: a.projectName,
        reason: a.reason,
        status: a.status,
        at: a.updatedAt,
      })),
  ]
    .sort((a, b) => b.at - a.at)
    .slice(0, 10);
  return {
    pending: requests.filter((r) => r.status === 'pending').sort(newestFirst),
    active: accesses.filter((a) => a.status === 'active').sort((a, b) => b.updatedAt - a.updatedAt),
    recent,
  };
}

export function App({ mode }: { mode: Mode }) {
  const [settings, setSettingsState] = useState<Settings | null>(null);
  const [tab, setTab] = useState<Tab>('access');
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [ticketsError, setTicketsError] = useState<string | null>(null);
  const [ticketsNotes, setTicketsNotes] = useState<string[]>([]);
  const [refreshing, setRefreshing] = useState(false);
  const settingsRef = useRef<Settings | null>(null);
  settingsRef.current = settings;
  const form = useMemo(() => createAccessForm(), []);
  const now = useNow();
  const mine = useLive(loadMine);
  const metas = useLive(allSyncMeta);
  const tickets = useLive(async () => (await db.tickets.toArray()).sort(newestFirst));
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ access: null, mine: null, tickets: null });

  useEffect(() => {
    void getSettings().then(setSettingsState);
    return onSettingsChanged(setSettingsState);
  }, []);

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

  // While open and visible: keep the worker streaming live events (a hidden side panel lets the
  // stream go, and shown again resumes it), refresh now, prefill from the current tab.
  useEffect(() => {
    if (!configured) return;
    let port: ReturnType<typeof browser.runtime.connect> | null = null;
    let ping: ReturnType<typeof setInterval> | undefined;
    const hold = () => {
      if (port) return;
      try {
        port = browser.runtime.connect({ name: LIVE_PORT });
      } catch (e) {
        reportError(e, 'connect');
        return;
      }
      ping = setInterval(() => {
        try {
          port?.postMessage({ ping: Date.now() });
        } catch {
          clearInterval(ping);
        }
      }, 20_000);
    };
    const release = () => {
      clearInterval(ping);
      port?.disconnect();
      port = null;
    };
    const onVisibility = () => (document.visibilityState === 'hidden' ? release() : hold());
    if (document.visibilityState !== 'hidden') hold();
    document.addEventListener('visibilitychange', onVisibility);
    void refresh();
    // Tickets name projects: the project field finds them by name without a visit to the Tickets tab.
    void callWorker('refreshTickets', {});
    void fromCurrentTab();
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      release();
    };
  }, [configured, stacksKey]);

  async function fromCurrentTab(): Promise<void> {
    const urls = settingsRef.current ? readyStacks(settingsRef.current).map((s) => s.url) : [];
    try {
      const [active] = await browser.tabs.query({ active: true, currentWindow: true });
      const found = projectFromTabUrl(active?.url, urls);
      if (found && !form.projectInput) form.fillProject(found, 'tab');
    } catch (e) {
      reportError(e, 'tabs');
    }
  }

  async function refresh(): Promise<void> {
    setRefreshing(true);
    await callWorker('refresh', {});
    setRefreshing(false);
  }

  useEffect(() => {
    if (tab !== 'tickets' || !configured) return;
    void callWorker('refreshTickets', {}).then((r) => {
      setTicketsError(r.ok ? r.value.problems.join(' ') || null : r.error.message);
      setTicketsNotes(r.ok ? r.value.notes : []);
    });
  }, [tab, configured, stacksKey]);

  async function act(key: string, run: () => Promise<Result<unknown>>) {
    setBusy(key);
    setActionError(null);
    const res = await run();
    setBusy(null);
    if (!res.ok) setActionError(res.error.message);
  }

  const openProject = (stack: string, projectId: number) =>
    void callWorker('openProject', { stack, projectId });
  const cancel = (r: TrackedRequest) =>
    act(`cancel ${r.stack} ${r.id}`, () => callWorker('cancelRequest', { stack: r.stack, requestId: r.id }));
  // Leaving asks first, and says what getting back takes (Auto Join of the project's organization).
  const [leaving, setLeaving] = useState<TrackedAccess | null>(null);
  const leaveOpener = useRef<HTMLElement | null>(null);
  const leave = (a: TrackedAccess, opener: HTMLElement) => {
    leaveOpener.current = opener;
    setLeaving(a);
  };
  const leaveNow = (a: TrackedAccess) =>
    act(`leave ${a.stack} ${a.projectId}`, () =>
      callWorker('leaveProject', { stack: a.stack, projectId: a.projectId }),
    );
  const projects = useLive(() => db.projects.toArray());
  // Projects to find by name: looked up recently, my accesses and requests, then those in tickets.
  const known = useMemo<KnownProject[]>(
    () => [
      ...[...(projects ?? [])]
        .sort((a, b) => b.fetchedAt - a.fetchedAt)
        .map((p) => ({ stack: p.stack, id: p.id, name: p.name, source: 'recent' as const })),
      ...(mine?.active ?? []).map((a) => ({
        stack: a.stack,
        id: a.projectId,
        name: a.projectName,
        source: 'recent' as const,
      })),
      ...(mine?.pending ?? []).map((r) => ({
        stack: r.stack,
        id: r.projectId,
        name: r.projectName,
        source: 'recent' as const,
      })),
      ...(tickets ?? []).flatMap((t) =>
        t.projectId !== null && t.projectName
          ? [{ stack: t.stack, id: t.projectId, name: t.projectName, source: 'ticket' as const }]
          : [],
      ),
    ],
    [projects, mine, tickets],
  );
  const leaveBody = (a: TrackedAccess): string => {
    // The organization's setting when it could be read; else how this access came (joined at once:
    // Auto Join was on; approved: it was off).
    const read = projects?.find((p) => p.stack === a.stack && p.id === a.projectId)?.allowAutoJoin ?? null;
    const autoJoin = read ?? a.via === 'joined';
    const back =
      autoJoin === true
        ? 'Its organization allows Auto Join, so you can join again at once, with a new reason.'
        : 'Its organization has Auto Join off: getting back needs a new request and a project admin’s approval.';
    const on = several ? ` on ${stackLabel(a.stack)}` : '';
    return `Your access to ${a.projectName} (#${a.projectId}${on}) ends now. ${back}`;
  };

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

  function onTabKey(e: KeyboardEvent, index: number) {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = TABS[(index + delta + TABS.length) % TABS.length];
    if (!next) return;
    setTab(next.id);
    tabRefs.current[next.id]?.focus();
  }

  // The first view, as every open shows it: settings read and, signed in, every cached table it
  // shows (the identity, the pending count, stale notices, the recent projects to pick from).
  const viewReady =
    settings !== null &&
    (!configured ||
      (mine !== undefined && metas !== undefined && projects !== undefined && tickets !== undefined));
  // The view is the app's own now: the snapshot boot.ts painted goes, in this same frame.
  useLayoutEffect(() => {
    if (viewReady) takeOver(document);
  }, [viewReady]);

  // What the next open paints before its scripts load (snapshot.ts): this view while nothing has been
  // typed or opened in it, under the key of these settings; signed out, no snapshot is kept.
  const rootRef = useRef<HTMLDivElement>(null);
  const keyPromise = useMemo(() => (settings ? snapshotKey(readyStacks(settings)) : null), [settings]);
  const keyRef = useRef(keyPromise);
  keyRef.current = keyPromise;
  const pristine = tab === 'access' && !leaving && busy === null && actionError === null && form.pristine;
  // Read in the commit itself (a layout effect): later, the page may hold what the user has typed since.
  useLayoutEffect(() => {
    const storage = pageStorage();
    const root = rootRef.current;
    if (!viewReady || !keyPromise || !storage || !root) return;
    const nodes = pristine ? captureView(root) : null;
    void keyPromise.then((key) => {
      if (keyRef.current !== keyPromise) return;
      dropSnapshots(storage, key);
      if (key && nodes) saveSnapshot(storage, mode, key, nodes, Date.now());
    });
  }, [viewReady, keyPromise, pristine, mine, metas, projects, tickets, refreshing, mode]);

  // For the benchmark: when the first cached rows were painted (a mark in the page's timeline).
  useEffect(() => {
    if (configured && mine && performance.getEntriesByName(CACHE_PAINT_MARK).length === 0)
      performance.mark(CACHE_PAINT_MARK);
  }, [configured, mine]);

  // Per stack: a refused token or stale data on one stack is said for that stack only.
  const stackMetas = ready.map((s) => ({
    stack: s.url,
    meta: metas?.find((m) => m.stack === s.url) ?? null,
  }));
  const refused = stackMetas.filter((m) => m.meta?.tokenRefused);
  const stale = metas
    ? stackMetas.filter(
        ({ meta }) => !meta?.tokenRefused && (!meta || meta.error !== null || now - meta.at > STALE_AFTER_MS),
      )
    : [];
  const pendingCount = mine?.pending.length ?? 0;
  const identity = ready[0]?.user;
  // Countdowns count with each stack's server clock (its Date header, as the worker saw it last).
  const offsetOf = (stack: string) => metas?.find((m) => m.stack === stack)?.clockOffsetMs ?? 0;
  const target = form.target;
  const pendingHere = target
    ? mine?.pending.find((r) => r.stack === target.stack && r.projectId === target.projectId)
    : undefined;

  return (
    <div class={`app ${mode}`} ref={rootRef}>
      <header class="top">
        <div class="brand">
          <img src="/extension/icons/icon-32.png" alt="" width={20} height={20} />
          <h1>Support Kit</h1>
        </div>
        <div class="top-actions">
          {mode === 'popup' && (
            <button
              type="button"
              class="icon"
              aria-label="Open in side panel"
              title="Open in side panel"
              onClick={() => void openSidePanel()}
            >
              ⇥
            </button>
          )}
          <button
            type="button"
            class="icon"
            aria-label="Options"
            title="Options"
            onClick={() => void browser.runtime.openOptionsPage()}
          >
            ⚙
          </button>
        </div>
      </header>

      <main>
        {settings === null ? null : !isConfigured(settings) ? (
          <section class="setup stack" aria-labelledby="setup-h">
            <h2 id="setup-h">Not set up yet</h2>
            <p>
              {settings.stacks.some((s) => s.token)
                ? 'The saved token could not be verified.'
                : 'Add a stack (your Keboola stack’s URL) and your Manage API token for it to start.'}
            </p>
            <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
              Open options
            </button>
          </section>
        ) : (
          <>
            {identity && (
              <div class="identity" data-testid="identity">
                <span class="who">
                  <strong>{identity.name}</strong> <span class="muted">{identity.email}</span>
                  {several && <span class="muted"> · {ready.length} stacks</span>}
                </span>
                <span class={identity.isSuperAdmin ? 'tag support' : 'tag'}>
                  {identity.isSuperAdmin ? 'Support' : 'Maintainer'}
                </span>
              </div>
            )}
            {refused.map(({ stack, meta }) => (
              <div
                key={stack}
                class="notice error"
                role="alert"
                data-testid="token-refused"
                data-stack={stack}
              >
                <span>{meta?.error}</span>
                <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
                  Open options
                </button>
              </div>
            ))}
            {stale.map(({ stack, meta }) => (
              <div key={stack} class="notice warn stale" role="status" data-testid="stale" data-stack={stack}>
                <span>
                  {several ? `${stackLabel(stack)}: ` : ''}
                  {meta?.at ? `Saved data from ${ago(meta.at, now)}` : 'Not synced yet'}
                  {meta?.error ? `: ${meta.error}` : '.'}
                </span>
                <button type="button" disabled={refreshing} onClick={() => void refresh()}>
                  {refreshing ? 'Refreshing…' : 'Refresh'}
                </button>
              </div>
            ))}
            <div role="tablist" aria-label="Sections" class="tabs">
              {TABS.map((t, i) => (
                <button
                  key={t.id}
                  ref={(el) => {
                    tabRefs.current[t.id] = el;
                  }}
                  type="button"
                  role="tab"
                  id={`tab-${t.id}`}
                  aria-selected={tab === t.id}
                  aria-controls={`panel-${t.id}`}
                  tabIndex={tab === t.id ? 0 : -1}
                  onClick={() => setTab(t.id)}
                  onKeyDown={(e) => onTabKey(e, i)}
                >
                  {t.label}
                  {t.id === 'mine' && pendingCount > 0 && (
                    <span class="count">
                      {pendingCount}
                      <span class="sr-only"> pending</span>
                    </span>
                  )}
                </button>
              ))}
            </div>
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
                <Tickets
                  tickets={tickets}
                  error={ticketsError}
                  notes={ticketsNotes}
                  showStack={several}
                  onRequest={(t) => {
                    form.fillFromTicket({ stack: t.stack, projectId: t.projectId }, t.number, t.subject);
                    setTab('access');
                  }}
                />
              )}
            </div>
          </>
        )}
      </main>
      {leaving && (
        <Confirm
          title={`Leave ${leaving.projectName}?`}
          body={leaveBody(leaving)}
          confirm="Leave project"
          danger
          opener={leaveOpener.current}
          onClose={(yes) => {
            const a = leaving;
            setLeaving(null);
            if (yes) void leaveNow(a);
          }}
        />
      )}
    </div>
  );
}
