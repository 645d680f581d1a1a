// The frame of the popup and the side panel around the tabs' content: the header, the "not set up"
// view, who is signed in, each stack's notices (token refused, stale data) and the tab bar.
import type { Ref } from 'preact';
import { browser } from '../browser.ts';
import type { SyncMeta } from '../db.ts';
import { type ReadyStack, type Settings, stackLabel } from '../settings.ts';
import { ago } from './format.ts';

/** Cached data older than this is flagged as stale. */
export const STALE_AFTER_MS = 2 * 60 * 1000;

export type Tab = 'access' | 'mine' | 'tickets';
export const TABS: { id: Tab; label: string }[] = [
  { id: 'access', label: 'Get access' },
  { id: 'mine', label: 'My access' },
  { id: 'tickets', label: 'Tickets' },
];

const openOptions = () => void browser.runtime.openOptionsPage();

export function Header({ popup, onSidePanel }: { popup: boolean; onSidePanel: () => void }) {
  return (
    <header class="top">
      <div class="brand">
        <img src="/extension/icons/icon-32.png" alt="" width={20} height={20} />
        <h1>Support Kit</h1>
      </div>
      <div class="top-actions">
        {popup && (
          <button
            type="button"
            class="icon"
            aria-label="Open in side panel"
            title="Open in side panel"
            onClick={onSidePanel}
          >
            ⇥
          </button>
        )}
        <button type="button" class="icon" aria-label="Options" title="Options" onClick={openOptions}>
          ⚙
        </button>
      </div>
    </header>
  );
}

export function NotSetUp({ settings }: { settings: Settings }) {
  return (
    <section class="setup stack" aria-labelledby="setup-h">
      <h2 id="setup-h">Not set up yet</h2>
      <p>
        {settings.stacks.some((s) => s.token)
          ? 'The saved token could not be verified.'
          : 'Add a stack (your Keboola stack’s URL) and your Manage API token for it to start.'}
      </p>
      <button type="button" class="primary" onClick={openOptions}>
        Open options
      </button>
    </section>
  );
}

export function Identity({ ready }: { ready: ReadyStack[] }) {
  const identity = ready[0]?.user;
  if (!identity) return null;
  return (
    <div class="identity" data-testid="identity">
      <span class="who">
        <strong>{identity.name}</strong> <span class="muted">{identity.email}</span>
        {ready.length > 1 && <span class="muted"> · {ready.length} stacks</span>}
      </span>
      <span class={identity.isSuperAdmin ? 'tag support' : 'tag'}>
        {identity.isSuperAdmin ? 'Support' : 'Maintainer'}
      </span>
    </div>
  );
}

/** Per stack: a refused token or stale data on one stack is said for that stack only. */
export function StackNotices(props: {
  ready: ReadyStack[];
  metas: SyncMeta[] | undefined;
  now: number;
  refreshing: boolean;
  onRefresh: () => void;
}) {
  const { ready, metas, now, refreshing } = props;
  const several = ready.length > 1;
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
  return (
    <>
      {refused.map(({ stack, meta }) => (
        <div key={stack} class="notice error" role="alert" data-testid="token-refused" data-stack={stack}>
          <span>{meta?.error}</span>
          <button type="button" class="primary" onClick={openOptions}>
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
          <button type="button" disabled={refreshing} onClick={props.onRefresh}>
            {refreshing ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      ))}
    </>
  );
}

/** ARIA tabs: arrow keys move between them, focus follows. */
export function TabBar(props: {
  tab: Tab;
  onTab: (tab: Tab) => void;
  tabRefs: Ref<Record<Tab, HTMLButtonElement | null>> & { current: Record<Tab, HTMLButtonElement | null> };
  pendingCount: number;
}) {
  const { tab, onTab, tabRefs, pendingCount } = props;
  function onTabKey(e: KeyboardEvent, index: number) {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = TABS[(index + delta + TABS.length) % TABS.length];
    if (!next) return;
    onTab(next.id);
    tabRefs.current[next.id]?.focus();
  }
  return (
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
          onClick={() => onTab(t.id)}
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
  );
}
