// The stored first view (issue 12): captured as data, rebuilt without parsing user text, painted only
// under the settings it was taken with.
import { describe, expect, it, vi } from 'vitest';
import { migrateSettings, readyStacks, SETTINGS_VERSION } from '../settings.ts';
import {
  APP_READY_ATTR,
  type BootEnv,
  bootSnapshot,
  buildView,
  CACHE_PAINT_MARK,
  captureView,
  dropSnapshots,
  readSnapshot,
  SNAPSHOT_CLASS,
  SNAPSHOT_FAILSAFE_MS,
  SNAPSHOT_ID,
  SNAPSHOT_MAX_AGE_MS,
  SNAPSHOT_PAINT_MARK,
  type SnapNode,
  SnapshotError,
  saveSnapshot,
  snapshotKey,
  storageKey,
  storedStacks,
  takeOver,
} from './snapshot.ts';

const NASTY = '<img src=x onerror="alert(1)"> & </div><script>alert(2)</script>';
const user = { id: 7, name: 'Sam Support', email: 'sam@example.com' };
const stored = (token = 'tok-1', u: unknown = user, url = 'https://connection.keboola.com') => ({
  version: SETTINGS_VERSION,
  stacks: [{ url, token, user: u, verifiedAt: 1 }],
  lastStack: url,
});

function view(html: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = html; // test fixture markup only
  return root;
}

function allElements(fragment: DocumentFragment): Element[] {
  const box = document.createElement('div');
  box.appendChild(fragment);
  return [...box.querySelectorAll('*')];
}

describe('capture and rebuild', () => {
  it('keeps text as text: a project name that looks like markup never becomes an element', () => {
    const root = view('<div class="app"><span class="project-name"></span><button></button></div>');
    const name = root.querySelector('.project-name');
    if (!name) throw new Error('fixture');
    name.textContent = NASTY;
    root.querySelector('button')?.setAttribute('aria-label', `Leave project ${NASTY}`);
    const nodes = captureView(root);
    const rebuilt = buildView(document, JSON.parse(JSON.stringify(nodes)));
    const els = allElements(rebuilt);
    expect(els.map((e) => e.localName)).toEqual(['div', 'div', 'span', 'button']);
    expect(els[2]?.textContent).toBe(NASTY);
    expect(els[3]?.getAttribute('aria-label')).toBe(`Leave project ${NASTY}`);
  });

  it("keeps the controls' state and drops what could be found for the app's own elements", () => {
    const root = view(
      '<form><label for="project">Project</label><input id="project" name="project" data-testid="p" aria-describedby="h">' +
        '<input type="radio" name="d" value="1h"><input type="radio" name="d" value="4h">' +
        '<textarea id="reason"></textarea><select id="s"><option value="a">a</option><option value="b">b</option></select></form>',
    );
    const [project, , four] = [...root.querySelectorAll('input')];
    if (!project || !four) throw new Error('fixture');
    project.value = 'Acme';
    four.checked = true;
    const area = root.querySelector('textarea');
    const select = root.querySelector('select');
    if (!area || !select) throw new Error('fixture');
    area.value = 'why';
    select.value = 'b';
    const els = allElements(buildView(document, captureView(root)));
    const byTag = (tag: string) => els.filter((e) => e.localName === tag);
    expect(byTag('input')[0]?.getAttribute('value')).toBe('Acme');
    expect(byTag('input').map((e) => e.hasAttribute('checked'))).toEqual([false, false, true]);
    expect(byTag('textarea')[0]?.textContent).toBe('why');
    expect(byTag('option').map((e) => e.hasAttribute('selected'))).toEqual([false, true]);
    for (const name of ['id', 'for', 'name', 'data-testid', 'aria-describedby'])
      expect(els.filter((e) => e.hasAttribute(name)).map((e) => e.localName)).toEqual([]);
  });

  it('leaves out elements outside the allowlist (a dialog, an svg) with what is in them', () => {
    const root = view('<div><p>kept</p><dialog open><p>asked</p></dialog><svg><text>x</text></svg></div>');
    const text = allElements(buildView(document, captureView(root)))[0]?.textContent;
    expect(text).toBe('kept');
  });

  it.each<[string, unknown]>([
    ['a script', [['script', {}, ['alert(1)']]]],
    ['an iframe', [['iframe', { src: '/extension/icons/icon-16.png' }, []]]],
    ['an event handler', [['button', { onclick: 'alert(1)' }, []]]],
    ['a style attribute', [['div', { style: 'background:url(https://evil.test)' }, []]]],
    ['an image from elsewhere', [['img', { src: 'https://evil.test/x.png' }, []]]],
    ['a javascript: image', [['img', { src: 'javascript:alert(1)' }, []]]],
    ['an id', [['div', { id: 'app' }, []]]],
    ['a number for a text', [['div', {}, [42]]]],
    ['an attribute that is no string', [['div', { class: 1 }, []]]],
    ['a node of two parts', [['div', {}]]],
    ['no list', { div: {} }],
  ])('refuses a tampered snapshot whole: %s', (_what, nodes) => {
    expect(() => buildView(document, nodes)).toThrow(SnapshotError);
  });

  it('builds the icon of the extension', () => {
    const [img] = allElements(
      buildView(document, [['img', { src: '/extension/icons/icon-32.png', alt: '' }, []]]),
    );
    expect(img?.getAttribute('src')).toBe('/extension/icons/icon-32.png');
  });
});

describe('key', () => {
  it('is the same from the stored settings (boot.ts) as from the migrated ones (the app)', async () => {
    const raw = stored();
    const fromBoot = await snapshotKey(storedStacks(raw) ?? []);
    expect(fromBoot).toMatch(/^[0-9a-f]{64}$/);
    expect(await snapshotKey(readyStacks(migrateSettings(raw)))).toBe(fromBoot);
  });

  it('changes with the token, the user and the stack, and never holds the token', async () => {
    const key = await snapshotKey(storedStacks(stored()) ?? []);
    for (const other of [
      stored('tok-2'),
      stored('tok-1', { ...user, id: 8 }),
      stored('tok-1', user, 'https://connection.eu-central-1.keboola.com'),
    ])
      expect(await snapshotKey(storedStacks(other) ?? [])).not.toBe(key);
    expect(key).not.toContain('tok-1');
  });

  it('is null when no stack is ready (signed out), and unknown setting versions give no stacks', async () => {
    expect(await snapshotKey([])).toBeNull();
    expect(await snapshotKey([{ url: 'https://a.test', token: '', user }])).toBeNull();
    expect(await snapshotKey([{ url: 'https://a.test', token: 't', user: null }])).toBeNull();
    expect(storedStacks({ ...stored(), version: SETTINGS_VERSION - 1 })).toBeNull();
    expect(storedStacks(undefined)).toBeNull();
  });
});

describe('storage', () => {
  const nodes: SnapNode[] = [['p', {}, ['hello']]];

  it('drops what it cannot use: not JSON, another version, too old, from the future', () => {
    const now = 10 * SNAPSHOT_MAX_AGE_MS;
    const entries = [
      '{oops',
      JSON.stringify({ v: 0, key: 'k', at: now, nodes }),
      JSON.stringify({ v: 1, key: 'k', at: now - SNAPSHOT_MAX_AGE_MS, nodes }),
      JSON.stringify({ v: 1, key: 'k', at: now + 1, nodes }),
      JSON.stringify({ v: 1, key: 'k', at: now, nodes: 'x' }),
    ];
    for (const entry of entries) {
      localStorage.setItem(storageKey('popup'), entry);
      expect(readSnapshot(localStorage, 'popup', now)).toBeNull();
      expect(localStorage.getItem(storageKey('popup'))).toBeNull();
    }
    saveSnapshot(localStorage, 'popup', 'k', nodes, now);
    expect(readSnapshot(localStorage, 'popup', now)).toEqual({ v: 1, key: 'k', at: now, nodes });
  });

  it('does not write the same view again', () => {
    const writes: string[] = [];
    const items = new Map<string, string>();
    const storage: Storage = {
      get length() {
        return items.size;
      },
      clear: () => items.clear(),
      key: (i) => [...items.keys()][i] ?? null,
      getItem: (k) => items.get(k) ?? null,
      removeItem: (k) => void items.delete(k),
      setItem: (k, v) => {
        writes.push(v);
        items.set(k, v);
      },
    };
    saveSnapshot(storage, 'popup', 'k', nodes, 1000);
    saveSnapshot(storage, 'popup', 'k', nodes, 2000);
    saveSnapshot(storage, 'popup', 'k', [['p', {}, ['changed']]], 3000);
    saveSnapshot(storage, 'popup', 'k2', [['p', {}, ['changed']]], 4000);
    expect(writes.map((w) => (JSON.parse(w) as { at: number }).at)).toEqual([1000, 3000, 4000]);
  });

  it('keeps only the snapshots of the given key; none for null', () => {
    saveSnapshot(localStorage, 'popup', 'a', nodes, 1);
    saveSnapshot(localStorage, 'sidepanel', 'b', nodes, 1);
    dropSnapshots(localStorage, 'a');
    expect(localStorage.getItem(storageKey('popup'))).not.toBeNull();
    expect(localStorage.getItem(storageKey('sidepanel'))).toBeNull();
    dropSnapshots(localStorage, null);
    expect(localStorage.getItem(storageKey('popup'))).toBeNull();
  });
});

describe('boot', () => {
  async function setUp(settings: unknown, nodes: unknown = [['p', { class: 'who' }, ['Sam Support']]]) {
    document.body.replaceChildren();
    document.documentElement.removeAttribute(APP_READY_ATTR);
    document.documentElement.classList.remove(SNAPSHOT_CLASS);
    const app = document.createElement('div');
    app.id = 'app';
    document.body.append(app);
    const key = (await snapshotKey(storedStacks(stored()) ?? [])) ?? '';
    localStorage.setItem(storageKey('popup'), JSON.stringify({ v: 1, key, at: 1000, nodes }));
    const frames: (() => void)[] = [];
    const timers: (() => void)[] = [];
    const marks: string[] = [];
    const startApp = vi.fn();
    const env: BootEnv = {
      doc: document,
      storage: localStorage,
      readSettings: async () => settings,
      now: () => 2000,
      afterNextFrame: (cb) => void frames.push(cb),
      setTimeout: (cb, ms) => {
        expect(ms).toBe(SNAPSHOT_FAILSAFE_MS);
        timers.push(cb);
      },
      mark: (name) => void marks.push(name),
      hasMark: (name) => marks.includes(name),
      startApp,
    };
    return { app, env, frames, timers, marks, startApp };
  }
  const box = () => document.getElementById(SNAPSHOT_ID);
  const html = document.documentElement;

  it('paints it busy and inert before #app, marks the paint after the frame, then loads the app', async () => {
    const { app, env, frames, marks, startApp } = await setUp(stored());
    expect(await bootSnapshot(env, 'popup')).toBe('painted');
    expect(box()?.nextElementSibling).toBe(app);
    expect(box()?.getAttribute('aria-busy')).toBe('true');
    expect(box()?.hasAttribute('inert')).toBe(true);
    expect(box()?.textContent).toBe('Sam Support');
    expect(html.classList.contains(SNAPSHOT_CLASS)).toBe(true);
    // Nothing else loads before the frame is out.
    expect(startApp).not.toHaveBeenCalled();
    expect(marks).toEqual([]);
    for (const f of frames) f();
    expect(marks).toEqual([SNAPSHOT_PAINT_MARK, CACHE_PAINT_MARK]);
    expect(startApp).toHaveBeenCalledTimes(1);
    takeOver(document);
    expect(box()).toBeNull();
    expect(html.classList.contains(SNAPSHOT_CLASS)).toBe(false);
  });

  it.each<[string, unknown]>([
    ['another token', stored('tok-2')],
    ['another user', stored('tok-1', { ...user, id: 8 })],
    ['another stack', stored('tok-1', user, 'https://connection.eu-central-1.keboola.com')],
    ['signed out', { version: SETTINGS_VERSION, stacks: [], lastStack: '' }],
    ['no settings', undefined],
  ])('never paints it for %s, and forgets it', async (_what, settings) => {
    const { env, startApp } = await setUp(settings);
    expect(await bootSnapshot(env, 'popup')).toBe('dropped');
    expect(box()).toBeNull();
    expect(html.classList.contains(SNAPSHOT_CLASS)).toBe(false);
    expect(localStorage.getItem(storageKey('popup'))).toBeNull();
    expect(startApp).toHaveBeenCalledTimes(1);
  });

  it('drops a tampered snapshot without painting any of it', async () => {
    const { env } = await setUp(stored(), [
      ['p', {}, ['ok']],
      ['script', {}, ['alert(1)']],
    ]);
    expect(await bootSnapshot(env, 'popup')).toBe('dropped');
    expect(document.body.textContent).toBe('');
    expect(localStorage.getItem(storageKey('popup'))).toBeNull();
  });

  it('does not paint it once the app shows its own view', async () => {
    const { env, startApp } = await setUp(stored());
    takeOver(document);
    expect(await bootSnapshot(env, 'popup')).toBe('late');
    expect(box()).toBeNull();
    expect(startApp).toHaveBeenCalledTimes(1);
  });

  it('loads the app at once when nothing is stored', async () => {
    const { env, startApp } = await setUp(stored());
    localStorage.clear();
    expect(await bootSnapshot(env, 'popup')).toBe('none');
    expect(startApp).toHaveBeenCalledTimes(1);
    expect(html.classList.contains(SNAPSHOT_CLASS)).toBe(false);
  });

  it('shows the live page when the app never takes over', async () => {
    const { env, timers } = await setUp(stored());
    await bootSnapshot(env, 'popup');
    expect(box()).not.toBeNull();
    for (const t of timers) t();
    expect(box()).toBeNull();
    expect(html.classList.contains(SNAPSHOT_CLASS)).toBe(false);
  });
});
