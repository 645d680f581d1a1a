// A copy of the popup's (or side panel's) first view, painted by boot.ts before the app's scripts have
// loaded (issue 12: the popup's first paint from the cache). It is kept as structured data, never as
// HTML: boot.ts rebuilds it with createElement / createTextNode / setAttribute from an allowlist, so
// user text (project names, reasons, e-mails) is never parsed as markup, and a tampered entry (a
// script tag, an event handler, a foreign URL) is refused whole.
// Kept in the extension origin's localStorage (the one synchronous store a page has), one entry per
// mode, under a key made from the signed-in stacks, tokens and users: it is painted only when that
// key matches the settings as they are now (read before painting), so it never shows another
// account's or stack's data; any other key, or signing out, drops it.
// No imports but the settings' format: boot.ts bundles this file alone, into a small classic script.
import { SETTINGS_VERSION } from '../settings-format.ts';

export type SnapshotMode = 'popup' | 'sidepanel';
/** A text, or an element: [tag, attributes, children]. */
export type SnapNode = string | [tag: string, attrs: Record<string, string>, children: SnapNode[]];

export interface Snapshot {
  v: number;
  /** `snapshotKey` of the settings it was taken with. */
  key: string;
  /** When it was taken (ms). */
  at: number;
  nodes: SnapNode[];
}

export const SNAPSHOT_VERSION = 1;
/** Older than this, a snapshot is not painted (the app paints its cache as before). */
export const SNAPSHOT_MAX_AGE_MS = 24 * 3600 * 1000;
/** The element boot.ts paints the snapshot in, just before #app. */
export const SNAPSHOT_ID = 'sk-snapshot';
/** On <html> while a snapshot stands in for the app (checked or shown): the styles hide #app. */
export const SNAPSHOT_CLASS = 'sk-snapshot';
/** On <html> once the app shows its own view: a snapshot checked later is not painted. */
export const APP_READY_ATTR = 'data-sk-app';
/** Performance mark set once the popup has painted the cached data (the app's or the snapshot's). */
export const CACHE_PAINT_MARK = 'support-kit:cache-painted';
/** Performance mark set when the app shows its own first view (and the snapshot, if any, goes). */
export const APP_PAINT_MARK = 'support-kit:app-painted';
/** Performance mark set once the snapshot was painted. */
export const SNAPSHOT_PAINT_MARK = 'support-kit:snapshot-painted';
/** The app did not take over by then (it failed or hangs): the live page is shown, not the copy. */
export const SNAPSHOT_FAILSAFE_MS = 5000;

const MAX_NODES = 5000;
const MAX_DEPTH = 40;

export const storageKey = (mode: SnapshotMode) => `support-kit:snapshot:${mode}`;
const MODES: SnapshotMode[] = ['popup', 'sidepanel'];

/** What the popup's views are made of; anything else (dialog, svg, script…) is never kept. */
const TAGS = new Set([
  'div',
  'span',
  'header',
  'main',
  'section',
  'h1',
  'h2',
  'h3',
  'p',
  'strong',
  'em',
  'br',
  'ul',
  'ol',
  'li',
  'button',
  'img',
  'form',
  'label',
  'input',
  'textarea',
  'select',
  'option',
  'fieldset',
  'legend',
]);

// Not kept: id, for, name, aria-labelledby / -describedby / -controls and data-*. While the copy and
// the app are both in the page, nothing may find the copy for the app: a label, a radio group, a test.
const ATTRS = new Set([
  'class',
  'role',
  'type',
  'title',
  'alt',
  'width',
  'height',
  'placeholder',
  'rows',
  'min',
  'max',
  'step',
  'maxlength',
  'tabindex',
  'autocomplete',
  'disabled',
  'checked',
  'selected',
  'required',
  'value',
  'novalidate',
  'aria-label',
  'aria-selected',
  'aria-live',
  'aria-invalid',
  'aria-required',
  'aria-expanded',
  'aria-pressed',
  'aria-hidden',
]);
/** Images only from the extension's own icons. */
const SRC = /^\/extension\/icons\/[\w.-]+\.png$/;

function allowedAttr(name: string, value: string): boolean {
  return ATTRS.has(name) || (name === 'src' && SRC.test(value));
}

// --- Taking the snapshot (the app, after it painted its first view) --------------------------------

/** The element and what is in it, as structured data: attributes from the allowlist, controls' state. */
export function captureView(root: Element): SnapNode[] {
  let count = 0;
  const walk = (node: Node, depth: number): SnapNode | null => {
    if (++count > MAX_NODES || depth > MAX_DEPTH) return null;
    if (node.nodeType === 3) return node.nodeValue ?? '';
    if (node.nodeType !== 1) return null;
    const el = node as Element;
    const tag = el.localName;
    if (!TAGS.has(tag)) return null;
    const attrs: Record<string, string> = {};
    for (const a of Array.from(el.attributes))
      if (a.name !== 'value' && a.name !== 'checked' && a.name !== 'selected' && allowedAttr(a.name, a.value))
        attrs[a.name] = a.value;
    // A control's state is in its properties, not its attributes.
    if (tag === 'input') {
      const input = el as HTMLInputElement;
      if (input.type === 'checkbox' || input.type === 'radio') {
        if (input.checked) attrs.checked = '';
      } else if (input.type !== 'password' && input.type !== 'file' && input.value) attrs.value = input.value;
      return [tag, attrs, []];
    }
    if (tag === 'textarea') {
      const value = (el as HTMLTextAreaElement).value;
      return [tag, attrs, value ? [value] : []];
    }
    if (tag === 'option' && (el as HTMLOptionElement).selected) attrs.selected = '';
    const children: SnapNode[] = [];
    for (const child of Array.from(el.childNodes)) {
      const c = walk(child, depth + 1);
      if (c !== null) children.push(c);
    }
    return [tag, attrs, children];
  };
  const top = walk(root, 0);
  return top === null ? [] : [top];
}

// --- Painting it (boot.ts) ------------------------------------------------------------------------

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/** DOM nodes from a snapshot. Throws SnapshotError on anything outside the allowlist or malformed. */
export function buildView(doc: Document, nodes: unknown): DocumentFragment {
  let count = 0;
  const build = (node: unknown, depth: number): Node => {
    if (++count > MAX_NODES) throw new SnapshotError('too many nodes');
    if (depth > MAX_DEPTH) throw new SnapshotError('nested too deep');
    if (typeof node === 'string') return doc.createTextNode(node);
    if (!Array.isArray(node) || node.length !== 3) throw new SnapshotError('not a node');
    const [tag, attrs, children] = node as unknown[];
    if (typeof tag !== 'string' || !TAGS.has(tag)) throw new SnapshotError(`tag not allowed: ${String(tag)}`);
    if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs))
      throw new SnapshotError('attributes are not an object');
    if (!Array.isArray(children)) throw new SnapshotError('children are not a list');
    const el = doc.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (typeof value !== 'string' || !allowedAttr(name, value))
        throw new SnapshotError(`attribute not allowed: ${name}`);
      el.setAttribute(name, value);
    }
    for (const child of children) el.appendChild(build(child, depth + 1));
    return el;
  };
  if (!Array.isArray(nodes)) throw new SnapshotError('not a list of nodes');
  const fragment = doc.createDocumentFragment();
  for (const node of nodes) fragment.appendChild(build(node, 0));
  return fragment;
}

// --- Which account a snapshot belongs to ------------------------------------------------------------

export interface KeyStack {
  url: string;
  token: string;
  user: unknown;
}

/**
 * SHA-256 (hex) of the ready stacks, in order: URL, token and user. null when none is ready (signed
 * out): nothing may be painted then. The token itself is never stored beside the snapshot.
 */
export async function snapshotKey(stacks: readonly KeyStack[]): Promise<string | null> {
  const ready = stacks.filter((s) => s.url && s.token && s.user);
  if (!ready.length) return null;
  const text = JSON.stringify(ready.map((s) => [s.url, s.token, s.user]));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The stacks of the settings as stored (what `settings.ts` wrote). null for another version: boot.ts
 * has no migrations, so it paints nothing until the settings are written at this version.
 */
export function storedStacks(stored: unknown): KeyStack[] | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const s = stored as { version?: unknown; stacks?: unknown };
  if (s.version !== SETTINGS_VERSION || !Array.isArray(s.stacks)) return null;
  return s.stacks.flatMap((x: unknown) => {
    if (typeof x !== 'object' || x === null) return [];
    const { url, token, user } = x as Record<string, unknown>;
    return typeof url === 'string' && typeof token === 'string' ? [{ url, token, user }] : [];
  });
}

// --- localStorage ---------------------------------------------------------------------------------

/** The stored snapshot of `mode`, or null; an unreadable, outdated or too old one is removed. */
export function readSnapshot(storage: Storage, mode: SnapshotMode, now: number): Snapshot | null {
  const text = storage.getItem(storageKey(mode));
  if (text === null) return null;
  try {
    const s = JSON.parse(text) as Partial<Snapshot> | null;
    if (
      s &&
      s.v === SNAPSHOT_VERSION &&
      typeof s.key === 'string' &&
      typeof s.at === 'number' &&
      s.at <= now &&
      now - s.at < SNAPSHOT_MAX_AGE_MS &&
      Array.isArray(s.nodes)
    )
      return { v: s.v, key: s.key, at: s.at, nodes: s.nodes };
  } catch {}
  storage.removeItem(storageKey(mode));
  return null;
}

/** Stores the snapshot (not when the same view is stored already). A full storage is no error. */
export function saveSnapshot(
  storage: Storage,
  mode: SnapshotMode,
  key: string,
  nodes: SnapNode[],
  at: number,
) {
  const name = storageKey(mode);
  const old = readSnapshot(storage, mode, at);
  if (old && old.key === key && JSON.stringify(old.nodes) === JSON.stringify(nodes)) return;
  const snap: Snapshot = { v: SNAPSHOT_VERSION, key, at, nodes };
  try {
    storage.setItem(name, JSON.stringify(snap));
  } catch {
    storage.removeItem(name);
  }
}

/** Removes every mode's snapshot taken under another key than `key` (all of them for null). */
export function dropSnapshots(storage: Storage, key: string | null = null): void {
  for (const mode of MODES) {
    const text = storage.getItem(storageKey(mode));
    if (text === null) continue;
    let stored: unknown;
    try {
      stored = (JSON.parse(text) as { key?: unknown } | null)?.key;
    } catch {}
    if (key === null || stored !== key) storage.removeItem(storageKey(mode));
  }
}

/** This page's localStorage, or null where it is not available (disabled, or a worker). */
export function pageStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The settings changed: drops every snapshot not taken under their stacks (all when signed out). */
export async function dropStaleSnapshots(
  storage: Storage | null,
  stacks: readonly KeyStack[],
): Promise<void> {
  if (storage) dropSnapshots(storage, await snapshotKey(stacks));
}

// --- The hand-over ----------------------------------------------------------------------------------

export interface BootEnv {
  doc: Document;
  storage: Storage;
  /** The stored settings value (extension storage), as `settings.ts` wrote it. */
  readSettings(): Promise<unknown>;
  now(): number;
  /** Runs `callback` once the next frame was painted (as Preact runs effects). */
  afterNextFrame(callback: () => void): void;
  setTimeout(callback: () => void, ms: number): void;
  /** A mark in the page's timeline; `detail` says who set it (read by the tests). */
  mark(name: string, detail?: string): void;
  hasMark(name: string): boolean;
  /** Starts loading the app: called once, as soon as its loads no longer delay the snapshot's paint. */
  startApp(): void;
}

export type BootResult = 'none' | 'dropped' | 'late' | 'painted';

function documentParsed(doc: Document): Promise<void> {
  if (doc.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => {
    const onChange = () => {
      if (doc.readyState === 'loading') return;
      doc.removeEventListener('readystatechange', onChange);
      resolve();
    };
    doc.addEventListener('readystatechange', onChange);
  });
}

/**
 * Paints the stored snapshot of `mode` before #app, busy and inert, when it was taken under the
 * settings as they are now; drops it otherwise. The app removes it once it shows the same view
 * (`takeOver`).
 */
export async function bootSnapshot(env: BootEnv, mode: SnapshotMode): Promise<BootResult> {
  const { doc, storage } = env;
  const html = doc.documentElement;
  const snap = readSnapshot(storage, mode, env.now());
  if (!snap) {
    env.startApp();
    return 'none';
  }
  // The app's own first render (header only) stays hidden while the key is checked: no flash of it.
  html.classList.add(SNAPSHOT_CLASS);
  const drop = (): BootResult => {
    storage.removeItem(storageKey(mode));
    html.classList.remove(SNAPSHOT_CLASS);
    env.startApp();
    return 'dropped';
  };
  // The settings are asked for first; the view is built while the answer comes.
  const settings = env.readSettings();
  let view: DocumentFragment | null = null;
  try {
    view = buildView(doc, snap.nodes);
  } catch {}
  let key: string | null = null;
  try {
    const stacks = storedStacks(await settings);
    key = stacks ? await snapshotKey(stacks) : null;
  } catch {}
  // Signed out, another token, user or stack, or a snapshot that is not ours: never painted.
  if (!view || key === null || key !== snap.key) return drop();
  await documentParsed(doc);
  if (html.hasAttribute(APP_READY_ATTR)) {
    env.startApp();
    return 'late';
  }
  const app = doc.getElementById('app');
  if (!app) return drop();
  const box = doc.createElement('div');
  box.id = SNAPSHOT_ID;
  box.setAttribute('aria-busy', 'true');
  box.setAttribute('inert', '');
  box.appendChild(view);
  app.before(box);
  env.afterNextFrame(() => {
    // The app's loads start once the frame is out: they would delay it.
    env.startApp();
    if (!box.isConnected) return;
    env.mark(SNAPSHOT_PAINT_MARK);
    if (!env.hasMark(CACHE_PAINT_MARK)) env.mark(CACHE_PAINT_MARK, 'snapshot');
  });
  env.setTimeout(() => {
    if (!box.isConnected) return;
    box.remove();
    html.classList.remove(SNAPSHOT_CLASS);
  }, SNAPSHOT_FAILSAFE_MS);
  return 'painted';
}

/** The app shows its own view: the snapshot goes (in the same frame), and none is painted later. */
export function takeOver(doc: Document): void {
  if (!doc.documentElement.hasAttribute(APP_READY_ATTR)) performance.mark(APP_PAINT_MARK);
  doc.documentElement.setAttribute(APP_READY_ATTR, '');
  doc.documentElement.classList.remove(SNAPSHOT_CLASS);
  doc.getElementById(SNAPSHOT_ID)?.remove();
}
