// The popup and the side panel: one UI, two entry points.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser, chromeSidePanel, firefoxSidebar } from '../browser.ts';
import { db, getSyncMeta, type TrackedAccess, type TrackedRequest } from '../db.ts';
import { reportError } from '../errors.ts';
import { callWorker, LIVE_PORT, type Result } from '../messages.ts';
import { projectFromTabUrl } from '../project-ref.ts';
import { getSettings, isConfigured, onSettingsChanged, type Settings } from '../settings.ts';
import { createAccessForm } from './access-form.ts';
import { Confirm } from './Confirm.tsx';
import { ago, countdown } from './format.ts';
import { GetAccess, type KnownProject } from './GetAccess.tsx';
import { useLive, useNow } from './hooks.ts';
import { MyAccess, type MyAccessData, type RecentItem } from './MyAccess.tsx';
import { Tickets } from './Tickets.tsx';

export type Mode = 'popup' | 'sidepanel';
type Tab = 'access' | 'mine' | 'tickets';
const TABS: { id: Tab; label: string }[] = [
  { id: 'access', label: 'Get access' },
  { id: 'mine', label: 'My access' },
  { id: 'tickets', label: 'Tickets' },
];

/** Performance mark set once the popup has painted the cached data. */
export const CACHE_PAINT_MARK = 'support-kit:cache-painted';

/** Cached data older than this is flagged as stale. */
export const STALE_AFTER_MS = 2 * 60 * 1000;
const RECENT_MS = 7 * 24 * 3600 * 1000;

async function loadMine(): Promise<MyAccessData> {
  const [requests, accesses] = await Promise.all([db.requests.toArray(), db.accesses.toArray()]);
  const cutoff = Date.now() - RECENT_MS;
  // An approved request lives on as its access (active, then expired, left or ended): show that one.
  const tracked = new Set(accesses.map((a) => a.projectId));
  const recent: RecentItem[] = [
    ...requests
      .filter((r) => r.status !== 'pending' && r.updatedAt > cutoff)
      .filter((r) => !(r.status === 'approved' && tracked.has(r.projectId)))
      .map((r) => ({
        key: `r${r.id}`,
        projectId: r.projectId,
        projectName: r.projectName,
        reason: r.reason,
        status: r.status,
        at: r.updatedAt,
      })),
    ...accesses
      .filter((a) => a.status !== 'active' && a.updatedAt > cutoff)
      .map((a) => ({
        key: `a${a.projectId}`,
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
    pending: requests.filter((r) => r.status === 'pending').sort((a, b) => b.id - a.id),
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
  const [refreshing, setRefreshing] = useState(false);
  const settingsRef = useRef<Settings | null>(null);
  settingsRef.current = settings;
  const form = useMemo(() => createAccessForm(() => settingsRef.current?.backendUrl ?? ''), []);
  const now = useNow();
  const mine = useLive(loadMine);
  const meta = useLive(getSyncMeta);
  const tickets = useLive(() => db.tickets.orderBy('id').reverse().toArray());
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ access: null, mine: null, tickets: null });

  useEffect(() => {
    void getSettings().then(setSettingsState);
    return onSettingsChanged(setSettingsState);
  }, []);

  const configured = settings !== null && isConfigured(settings);

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
  }, [configured, settings?.backendUrl]);

  async function fromCurrentTab(): Promise<void> {
    const backendUrl = settingsRef.current?.backendUrl ?? '';
    try {
      const [active] = await browser.tabs.query({ active: true, currentWindow: true });
      const id = projectFromTabUrl(active?.url, backendUrl);
      if (id !== null && !form.projectInput) form.setProjectInput(String(id), 'tab');
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
    void callWorker('refreshTickets', {}).then((r) => setTicketsError(r.ok ? null : r.error.message));
  }, [tab, configured]);

  async function act(key: string, run: () => Promise<Result<unknown>>) {
    setBusy(key);
    setActionError(null);
    const res = await run();
    setBusy(null);
    if (!res.ok) setActionError(res.error.message);
  }

  const openProject = (projectId: number) => void callWorker('openProject', { projectId });
  const cancel = (r: TrackedRequest) =>
    act(`cancel${r.id}`, () => callWorker('cancelRequest', { requestId: r.id }));
  // Leaving asks first, and says what getting back takes (Auto Join of the project's organization).
  const [leaving, setLeaving] = useState<TrackedAccess | null>(null);
  const leave = (a: TrackedAccess) => setLeaving(a);
  const leaveNow = (a: TrackedAccess) =>
    act(`leave${a.projectId}`, () => callWorker('leaveProject', { projectId: a.projectId }));
  const projects = useLive(() => db.projects.toArray());
  // Projects to find by name: looked up recently, my accesses and requests, then those in tickets.
  const known = useMemo<KnownProject[]>(
    () => [
      ...[...(projects ?? [])]
        .sort((a, b) => b.fetchedAt - a.fetchedAt)
        .map((p) => ({ id: p.id, name: p.name, source: 'recent' as const })),
      ...(mine?.active ?? []).map((a) => ({
        id: a.projectId,
        name: a.projectName,
        source: 'recent' as const,
      })),
      ...(mine?.pending ?? []).map((r) => ({
        id: r.projectId,
        name: r.projectName,
        source: 'recent' as const,
      })),
      ...(tickets ?? []).flatMap((t) =>
        t.projectId !== null && t.projectName
          ? [{ id: t.projectId, name: t.projectName, source: 'ticket' as const }]
          : [],
      ),
    ],
    [projects, mine, tickets],
  );
  const leaveBody = (a: TrackedAccess): string => {
    // The organization's setting when it could be read; else how this access came (joined at once:
    // Auto Join was on; approved: it was off).
    const read = projects?.find((p) => p.id === a.projectId)?.allowAutoJoin ?? null;
    const autoJoin = read ?? a.via === 'joined';
    const back =
      autoJoin === true
        ? 'Its organization allows Auto Join, so you can join again at once, with a new reason.'
        : 'Its organization has Auto Join off: getting back needs a new request and a project admin’s approval.';
    return `Your access to ${a.projectName} (#${a.projectId}) ends now. ${back}`;
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

  // For the benchmark: when the first cached rows were painted (a mark in the page's timeline).
  useEffect(() => {
    if (configured && mine && performance.getEntriesByName(CACHE_PAINT_MARK).length === 0)
      performance.mark(CACHE_PAINT_MARK);
  }, [configured, mine]);

  // Countdowns count from the server's clock (its Date header, as the worker saw it).
  const serverNow = now + (meta?.clockOffsetMs ?? 0);
  const stale = meta && (meta.error !== null || now - meta.at > STALE_AFTER_MS);
  const pendingCount = mine?.pending.length ?? 0;
  const pendingHere = mine?.pending.find((r) => r.projectId === form.projectId);

  return (
    <div class={`app ${mode}`}>
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
              {settings.token
                ? 'The saved token could not be verified.'
                : 'Set the backend URL (your Keboola stack) and your Manage API token to start.'}
            </p>
            <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
              Open options
            </button>
          </section>
        ) : (
          <>
            <div class="identity" data-testid="identity">
              <span class="who">
                <strong>{settings.user.name}</strong> <span class="muted">{settings.user.email}</span>
              </span>
              <span class={settings.user.isSuperAdmin ? 'tag support' : 'tag'}>
                {settings.user.isSuperAdmin ? 'Support' : 'Maintainer'}
              </span>
            </div>
            {meta?.tokenRefused && (
              <div class="notice error" role="alert" data-testid="token-refused">
                <span>{meta.error}</span>
                <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
                  Open options
                </button>
              </div>
            )}
            {stale && meta && !meta.tokenRefused && (
              <div class="notice warn stale" role="status" data-testid="stale">
                <span>
                  {meta.at ? `Saved data from ${ago(meta.at, now)}` : 'Not synced yet'}
                  {meta.error ? `: ${meta.error}` : '.'}
                </span>
                <button type="button" disabled={refreshing} onClick={() => void refresh()}>
                  {refreshing ? 'Refreshing…' : 'Refresh'}
                </button>
              </div>
            )}
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
                  pendingLeft={
                    pendingHere?.expires
                      ? countdown(pendingHere.expires, serverNow).replace(' left', ' left to decide')
                      : ''
                  }
                  cancelling={pendingHere ? busy === `cancel${pendingHere.id}` : false}
                  onCancel={cancel}
                  onOpenProject={openProject}
                  onShowMine={() => setTab('mine')}
                />
              )}
              {tab === 'mine' && (
                <MyAccess
                  data={mine}
                  now={now}
                  serverNow={serverNow}
                  busy={busy}
                  onOpen={openProject}
                  onCancel={cancel}
                  onLeave={leave}
                />
              )}
              {tab === 'tickets' && (
                <Tickets
                  tickets={tickets}
                  error={ticketsError}
                  onRequest={(t) => {
                    form.fillFromTicket(t.projectId, t.number, t.subject);
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
