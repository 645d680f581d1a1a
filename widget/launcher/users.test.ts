// The launcher's users & access commands: the idle pending count on the button, and mounting the
// users panel and the Auto Join setting into host page elements through the public API.
import { waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SupportKitApi } from '../types.ts';
import { as, BASE, TOKENS, useBackend } from '../users/test-backend.ts';
import { createSupportKit } from './core.ts';

useBackend();

let kit: SupportKitApi | undefined;
afterEach(() => {
  kit?.destroy();
  kit = undefined;
  document.body.innerHTML = '';
});

function start(extra: Record<string, unknown> = {}) {
  const load = vi.fn(() => import('../panel/index.tsx'));
  kit = createSupportKit(load);
  kit.init({ apiBaseUrl: BASE, token: TOKENS.admin, locale: 'en', ...extra });
  const button = document.querySelector('support-kit')?.shadowRoot?.querySelector('button');
  if (!button) throw new Error('no button');
  return { kit, load, button };
}

/** The dot's count (drawn by CSS from `data-count`), or undefined when there is no dot. */
const dot = (button: HTMLButtonElement) => button.dataset.count;

describe('launcher: users & access', () => {
  it('shows the pending requests as a dot with an accessible count, at idle, without the panel', async () => {
    await as('support').requestAccess(100, { reason: 'Count me' });
    await as('maintainer').requestAccess(100, { reason: 'Me too' });
    const { load, button } = start({
      usersPanel: true,
      project: { id: 100, name: 'Acme Main' },
      user: { role: 'admin' },
    });
    await waitFor(() => expect(dot(button)).toBe('2'));
    expect(button.textContent).toBe('Support');
    expect(button.getAttribute('aria-label')).toBe('Support, 2 new');
    expect(load).not.toHaveBeenCalled();
  });

  it('shows a member who may not decide no requests, with the one badge request (issue 20)', async () => {
    await as('support').requestAccess(100, { reason: 'Count me' });
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    for (const user of [{ role: 'guest' }, { role: 'readOnly' }, {}]) {
      const { button } = start({
        usersPanel: true,
        token: TOKENS.guest,
        project: { id: 100, name: 'Acme Main' },
        user,
      });
      await waitFor(() => expect(fetchSpy).toHaveBeenCalledTimes(1));
      await new Promise((r) => setTimeout(r, 50));
      expect(dot(button)).toBeUndefined();
      kit?.destroy();
      fetchSpy.mockClear();
    }
    fetchSpy.mockRestore();
  });

  it('asks nothing before intent without a project', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const { button } = start({ usersPanel: true, user: { role: 'admin' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(dot(button)).toBeUndefined();
    expect(button.hasAttribute('aria-label')).toBe(false);
    fetchSpy.mockRestore();
  });

  it('mounts the users panel into a page element, resolves to its handle, and its count drives the dot', async () => {
    await as('support').requestAccess(100, { reason: 'Mounted' });
    const { kit, button } = start({ locale: 'cs' });
    const el = document.createElement('div');
    document.body.append(el);
    const onPendingCount = vi.fn();
    const handle = await kit.mountUsers(el, {
      apiBaseUrl: BASE,
      token: TOKENS.admin,
      projectId: 100,
      live: false,
      locale: 'en',
      onPendingCount,
    });
    await waitFor(() => expect(el.shadowRoot?.textContent).toContain('Mounted'));
    await waitFor(() => expect(onPendingCount).toHaveBeenLastCalledWith(1));
    expect(dot(button)).toBe('1');
    expect(button.getAttribute('aria-label')).toBe('Podpora, nové: 1');
    handle.destroy();
    expect(el.shadowRoot?.textContent).toBe('');
  });

  it('mounts the Auto Join setting into a page element', async () => {
    const { kit } = start();
    const el = document.createElement('div');
    document.body.append(el);
    const handle = await kit.mountOrganizationSettings(el, {
      apiBaseUrl: BASE,
      token: TOKENS.org,
      organizationId: 10,
      locale: 'en',
    });
    await waitFor(() => expect(el.shadowRoot?.querySelector('[role=switch]')).toBeTruthy());
    handle.destroy();
    expect(el.shadowRoot?.textContent).toBe('');
  });
});
