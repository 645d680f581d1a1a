import { fireEvent, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MountPanel } from '../bridge.ts';
import { BASE, TOKENS, useBackend } from '../panel/test-kit.ts';
import type { SupportKitApi } from '../types.ts';
import { createSupportKit } from './core.ts';

// Opening the panel asks the backend who is signed in (drafts are per user).
useBackend();

let kit: SupportKitApi | undefined;
afterEach(() => {
  kit?.destroy();
  kit = undefined;
  document.body.innerHTML = '';
});

function start(extra: Record<string, unknown> = {}) {
  const load = vi.fn(() => import('../panel/index.tsx') as Promise<{ mountPanel: MountPanel }>);
  const fetchSpy = vi.spyOn(globalThis, 'fetch');
  kit = createSupportKit(load);
  kit.init({ apiBaseUrl: BASE, token: TOKENS.admin, locale: 'en', ...extra });
  const host = document.querySelector<HTMLElement>('support-kit');
  const root = host?.shadowRoot;
  if (!host || !root) throw new Error('no widget');
  const button = root.querySelector('button');
  if (!button) throw new Error('no button');
  return { load, fetchSpy, host, root, button, ui: within(root as unknown as HTMLElement) };
}

describe('launcher', () => {
  it('draws the Support button in an open shadow root without loading the panel or the network', () => {
    const { load, fetchSpy, root, button } = start();
    expect(button.textContent).toBe('Support');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-haspopup')).toBe('dialog');
    expect(root.adoptedStyleSheets.length).toBe(1);
    expect(root.querySelector('style')).toBeNull();
    expect(load).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('loads the panel on hover or focus, before the click', async () => {
    const { load, button } = start();
    fireEvent.pointerEnter(button);
    fireEvent.focus(button);
    await waitFor(() => expect(load).toHaveBeenCalledTimes(1));
  });

  it('is busy from the click until the panel is mounted, not while a hover only preloads it', async () => {
    let arrive: (() => void) | undefined;
    const load = vi.fn(
      () =>
        new Promise<{ mountPanel: MountPanel }>((resolve) => {
          arrive = () => void import('../panel/index.tsx').then(resolve);
        }),
    );
    kit = createSupportKit(load);
    kit.init({ apiBaseUrl: BASE, token: TOKENS.admin, locale: 'en' });
    const root = document.querySelector('support-kit')?.shadowRoot;
    const button = root?.querySelector('button');
    if (!root || !button) throw new Error('no button');
    fireEvent.pointerEnter(button);
    expect(load).toHaveBeenCalledTimes(1);
    expect(button.hasAttribute('aria-busy')).toBe(false);
    fireEvent.click(button);
    expect(button.getAttribute('aria-busy')).toBe('true');
    arrive?.();
    await within(root as unknown as HTMLElement).findByRole('dialog');
    expect(button.hasAttribute('aria-busy')).toBe(false);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('opens a dialog that keeps focus inside, closes on Esc and gives focus back to the button', async () => {
    const { button, ui, root } = start({ docsUrl: 'https://docs.test' });
    const opened = vi.fn();
    const closed = vi.fn();
    kit?.on('open', opened);
    const off = kit?.on('close', closed);
    button.focus();
    fireEvent.click(button);
    const dialog = await ui.findByRole('dialog', { name: 'Support' });
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(opened).toHaveBeenCalledTimes(1);
    const items = Array.from(dialog.querySelectorAll<HTMLElement>('a[href],button'));
    const first = items[0];
    const last = items[items.length - 1];
    expect(root.activeElement?.textContent).toContain('Contact support');
    last?.focus();
    fireEvent.keyDown(last ?? dialog, { key: 'Tab' });
    expect(root.activeElement).toBe(first);
    fireEvent.keyDown(first ?? dialog, { key: 'Tab', shiftKey: true });
    expect(root.activeElement).toBe(last);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(ui.queryByRole('dialog')).toBeNull());
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(root.activeElement).toBe(button);
    expect(closed).toHaveBeenCalledTimes(1);
    off?.();
    fireEvent.click(button);
    await ui.findByRole('dialog');
    kit?.close();
    await waitFor(() => expect(ui.queryByRole('dialog')).toBeNull());
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('is idempotent: a second init updates the one widget', () => {
    const { button, host } = start();
    kit?.init({
      apiBaseUrl: BASE,
      locale: 'cs',
      position: 'bottom-left',
      zIndex: 10,
      offset: { x: 8, y: 12 },
    });
    expect(document.querySelectorAll('support-kit')).toHaveLength(1);
    expect(button.textContent).toBe('Podpora');
    expect(host.dataset.position).toBe('bottom-left');
    expect(host.style.getPropertyValue('--support-kit-z-index')).toBe('10');
    expect(host.style.getPropertyValue('--support-kit-inset-x')).toBe('8px');
    kit?.setTheme({ scheme: 'dark', accent: '#ff0066' });
    expect(host.dataset.scheme).toBe('dark');
    expect(host.style.getPropertyValue('--support-kit-accent')).toBe('#ff0066');
  });

  it('runs API calls made before init once init comes', async () => {
    const load = vi.fn(() => import('../panel/index.tsx'));
    kit = createSupportKit(load);
    kit.open();
    expect(load).not.toHaveBeenCalled();
    kit.init({ apiBaseUrl: BASE, token: TOKENS.admin, locale: 'en' });
    const root = document.querySelector('support-kit')?.shadowRoot;
    expect(await within(root as unknown as HTMLElement).findByRole('dialog')).toBeTruthy();
  });

  it('draws no button when asked not to, and destroy removes everything', () => {
    kit = createSupportKit(() => import('../panel/index.tsx'));
    kit.init({ apiBaseUrl: BASE, showButton: false });
    expect(document.querySelector('support-kit')?.shadowRoot?.querySelector('button')).toBeNull();
    kit.destroy();
    expect(document.querySelector('support-kit')).toBeNull();
  });
});

describe('snippet', () => {
  it('replays the queued commands and then answers calls directly', async () => {
    type Queued = ((...a: unknown[]) => void) & { q?: unknown[][] };
    const w = window as unknown as { SupportKit?: Queued & Partial<SupportKitApi> };
    const stub: Queued = (...args: unknown[]) => {
      stub.q = stub.q ?? [];
      stub.q.push(args);
    };
    w.SupportKit = stub;
    w.SupportKit('init', { apiBaseUrl: BASE, token: TOKENS.admin, locale: 'en' });
    w.SupportKit('reportError', { message: 'Boom', exceptionId: 'exc-1' });
    await import('../embed.ts');
    const root = document.querySelector('support-kit')?.shadowRoot;
    const ui = within(root as unknown as HTMLElement);
    expect(await ui.findByText('Boom')).toBeTruthy();
    expect(typeof w.SupportKit?.open).toBe('function');
    w.SupportKit?.destroy?.();
    expect(document.querySelector('support-kit')).toBeNull();
  });
});
