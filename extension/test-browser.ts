// A fake of the WebExtension API for unit and component tests (installed once in test-setup.ts).
// Messages sent with runtime.sendMessage reach the listeners in-process, as the worker would get them.

type Listener = (...args: never[]) => unknown;

function event<L extends Listener>() {
  const listeners = new Set<L>();
  return {
    listeners,
    addListener: (l: L) => void listeners.add(l),
    removeListener: (l: L) => void listeners.delete(l),
    hasListener: (l: L) => listeners.has(l),
  };
}

export interface FakeTab {
  id: number;
  url?: string;
  active: boolean;
}

export interface FakeNotification {
  id: string;
  options: { title: string; message: string; buttons?: { title: string }[] };
}

function createFakeBrowser() {
  const store = new Map<string, unknown>();
  const state = {
    tabs: [] as FakeTab[],
    created: [] as { url: string }[],
    notifications: [] as FakeNotification[],
    badge: '',
    permissionGranted: true,
    optionsOpened: 0,
  };
  const onMessage = event<(message: unknown, sender: { id: string }) => unknown>();
  const onConnect = event<(port: unknown) => void>();
  const onChanged =
    event<(changes: Record<string, { newValue?: unknown; oldValue?: unknown }>, area: string) => void>();

  const fake = {
    state,
    runtime: {
      id: 'test-extension-id',
      onMessage,
      onConnect,
      onInstalled: event(),
      onStartup: event(),
      getURL: (path: string) => `chrome-extension://test-extension-id/${path.replace(/^\//, '')}`,
      async sendMessage(message: unknown): Promise<unknown> {
        for (const l of onMessage.listeners) {
          const answer = l(message as never, { id: 'test-extension-id' } as never);
          if (answer !== undefined) return await answer;
        }
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
      connect({ name }: { name: string }) {
        const onDisconnect = event();
        const port = {
          name,
          sender: { id: 'test-extension-id' },
          onMessage: event(),
          onDisconnect,
          postMessage: () => undefined,
          disconnect: () => {
            for (const l of onDisconnect.listeners) (l as () => void)();
          },
        };
        for (const l of onConnect.listeners) l(port as never);
        return port;
      },
      async openOptionsPage() {
        state.optionsOpened++;
      },
    },
    storage: {
      onChanged,
      local: {
        async get(key: string | string[] | null) {
          const keys = key === null ? [...store.keys()] : Array.isArray(key) ? key : [key];
          const out: Record<string, unknown> = {};
          for (const k of keys) if (store.has(k)) out[k] = structuredClone(store.get(k));
          return out;
        },
        async set(items: Record<string, unknown>) {
          const changes: Record<string, { newValue?: unknown; oldValue?: unknown }> = {};
          for (const [k, v] of Object.entries(items)) {
            changes[k] = { oldValue: store.get(k), newValue: structuredClone(v) };
            store.set(k, structuredClone(v));
          }
          for (const l of onChanged.listeners) l(changes as never, 'local' as never);
        },
        async remove(key: string) {
          store.delete(key);
        },
      },
    },
    permissions: {
      request: async () => state.permissionGranted,
      contains: async () => state.permissionGranted,
    },
    tabs: {
      async query() {
        return state.tabs.filter((t) => t.active);
      },
      async create({ url }: { url: string }) {
        state.created.push({ url });
        return { id: 99, url };
      },
    },
    windows: { getCurrent: async () => ({ id: 1 }) },
    notifications: {
      onClicked: event(),
      onButtonClicked: event(),
      async create(id: string, options: FakeNotification['options']) {
        state.notifications.push({ id, options });
        return id;
      },
      clear: async () => true,
    },
    action: {
      async setBadgeText({ text }: { text: string }) {
        state.badge = text;
      },
      setBadgeBackgroundColor: async () => undefined,
    },
    alarms: {
      onAlarm: event(),
      get: async () => undefined,
      create: () => undefined,
    },
    reset() {
      store.clear();
      state.tabs = [];
      state.created = [];
      state.notifications = [];
      state.badge = '';
      state.permissionGranted = true;
      state.optionsOpened = 0;
    },
  };
  return fake;
}

export const fakeBrowser = createFakeBrowser();
export type FakeBrowser = typeof fakeBrowser;
