import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_LOG_ACTIONS } from '../../api/types.ts';
import { UsersPanel } from './panel.tsx';
import { en } from './strings.ts';
import { cs } from './strings-cs.ts';
import { as, BASE, TOKENS, useBackend } from './test-backend.ts';

useBackend();
afterEach(cleanup);

const show = (logPageSize = 20) =>
  render(
    <UsersPanel
      options={{
        apiBaseUrl: BASE,
        token: TOKENS.admin,
        projectId: 100,
        locale: 'en',
        live: false,
        logPageSize,
      }}
    />,
  );

describe('access history tab', () => {
  it('is a proper ARIA tab: arrows, Home and End move selection and focus', async () => {
    show();
    await screen.findByText('Sean Share');
    const [users, history] = screen.getAllByRole('tab');
    if (!users || !history) throw new Error('two tabs expected');
    expect(screen.getByRole('tablist').getAttribute('aria-label')).toBe('Users & access');
    expect(users.getAttribute('aria-selected')).toBe('true');
    expect(users.tabIndex).toBe(0);
    expect(history.tabIndex).toBe(-1);
    const panel = document.getElementById(users.getAttribute('aria-controls') ?? '');
    expect(panel?.getAttribute('role')).toBe('tabpanel');
    expect(panel?.getAttribute('aria-labelledby')).toBe(users.id);

    users.focus();
    fireEvent.keyDown(users, { key: 'ArrowRight' });
    await waitFor(() => expect(history.getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(history);
    expect(panel?.hidden).toBe(true);
    fireEvent.keyDown(history, { key: 'ArrowRight' });
    await waitFor(() => expect(document.activeElement).toBe(users));
    fireEvent.keyDown(users, { key: 'End' });
    await waitFor(() => expect(document.activeElement).toBe(history));
    fireEvent.keyDown(history, { key: 'Home' });
    await waitFor(() => expect(users.getAttribute('aria-selected')).toBe('true'));
  });

  it('lists what happened, newest first, with reasons as text, and pages to older entries', async () => {
    const sam = as('support');
    const first = await sam.requestAccess(100, { reason: 'First <b>look</b>' });
    await as('admin').rejectJoinRequest(100, first.data?.id ?? 0);
    const second = await sam.requestAccess(100, { reason: 'Second look' });
    await as('share').approveJoinRequest(100, second.data?.id ?? 0);
    await as('admin').removeProjectUser(100, 1006);

    show(2);
    await screen.findByText('Sean Share');
    fireEvent.click(screen.getByRole('tab', { name: 'Access history' }));
    const log = await screen.findByText('Alice Admin removed Sam Support');
    const list = log.closest('ul');
    if (!list) throw new Error('no list');
    await screen.findByText('Sean Share approved the request of Sam Support');
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);

    fireEvent.click(screen.getByRole('button', { name: 'Load older entries' }));
    await screen.findByText('Alice Admin rejected the request of Sam Support');
    fireEvent.click(await screen.findByRole('button', { name: 'Load older entries' }));
    await screen.findByText('No earlier events.');
    const texts = within(list)
      .getAllByRole('listitem')
      .map((li) => li.querySelector('p')?.textContent);
    expect(texts).toEqual([
      'Alice Admin removed Sam Support',
      'Sean Share approved the request of Sam Support',
      'Sam Support requested access',
      'Alice Admin rejected the request of Sam Support',
      'Sam Support requested access',
    ]);
    expect(screen.getAllByText('First <b>look</b>', { exact: false }).length).toBeGreaterThan(0);
    expect(list.querySelector('b')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Load older entries' })).toBeNull();
  });

  it('dates every entry in the user locale, to the second, with how long ago as the hint', async () => {
    await as('support').requestAccess(100, { reason: 'When was this?' });
    const created = (await as('admin').listAccessLog(100)).data?.[0]?.created;
    if (!created) throw new Error('no entry');
    const at = new Date(created.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    for (const [locale, tab] of [
      ['en', 'Access history'],
      ['cs', 'Historie přístupů'],
    ] as const) {
      render(
        <UsersPanel
          options={{ apiBaseUrl: BASE, token: TOKENS.admin, projectId: 100, locale, live: false }}
        />,
      );
      fireEvent.click(await screen.findByRole('tab', { name: tab }));
      const time = await waitFor(() => {
        const t = document.querySelector('.log time');
        if (!t) throw new Error('no time yet');
        return t;
      });
      expect(new Date(time.getAttribute('datetime') ?? '').getTime()).toBe(at.getTime());
      const local = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(at);
      expect(time.textContent).toBe(local);
      // The date shows, not only "… ago": the year is there.
      expect(time.textContent).toContain(String(at.getFullYear()));
      expect(time.parentElement?.textContent).toMatch(locale === 'en' ? /· (now|\d+ seconds? ago)$/ : /· /);
      cleanup();
    }
  });

  it('says so when nothing has happened yet', async () => {
    show();
    await screen.findByText('Sean Share');
    fireEvent.click(screen.getByRole('tab', { name: 'Access history' }));
    await screen.findByText('Nothing has happened yet.');
  });
});

describe('access history wording', () => {
  const keyOf = (a: string) => `log${a[0]?.toUpperCase()}${a.slice(1)}`;

  it.each([
    ['en', en],
    ['cs', cs],
  ])('has %s words for every action the access log records', (_locale, pack) => {
    const words = pack as Record<string, string>;
    const missing = [...ACCESS_LOG_ACTIONS]
      .filter((a) => a !== 'autoJoinChanged')
      .filter((a) => typeof words[keyOf(a)] !== 'string');
    expect(missing).toEqual([]);
    expect(typeof words.logAutoJoinOn).toBe('string');
    expect(typeof words.logAutoJoinOff).toBe('string');
  });
});
