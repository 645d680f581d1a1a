// "My tickets" on a Keboola stack (the mock backend's Keboola flavor: no conversation routes): the
// menu stays as it was, and the launcher's dot falls back to the deciders' count of pending requests.
import { fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { as, startWidget, useBackend } from '../panel/test-kit.ts';

const { server } = useBackend('keboola');

describe('My tickets on a stack without the conversations', () => {
  it('does not appear in the menu; the rest of the menu stays', async () => {
    const w = startWidget({ usersPanel: true, user: { name: 'Alice Admin', role: 'admin' } });
    const asked: string[] = [];
    server.events.on('request:start', ({ request }) => asked.push(new URL(request.url).pathname));
    fireEvent.click(w.button());
    await w.ui.findByRole('button', { name: /Contact support/ });
    await waitFor(() => expect(asked).toContain('/manage/projects/100/support-badge'));
    await new Promise((r) => setTimeout(r, 100));
    expect(w.ui.queryByRole('button', { name: /My tickets/ })).toBeNull();
    expect(w.ui.getByRole('button', { name: /Users & access/ })).toBeTruthy();
    // Learned: opening again asks nothing more (the launcher's own idle request is the other one).
    const before = asked.filter((p) => p.endsWith('/support-badge')).length;
    fireEvent.click(w.button());
    fireEvent.click(w.button());
    await w.ui.findByRole('button', { name: /Contact support/ });
    await new Promise((r) => setTimeout(r, 100));
    expect(asked.filter((p) => p.endsWith('/support-badge'))).toHaveLength(before);
    server.events.removeAllListeners();
  });

  it('keeps the deciders’ count of pending requests on the launcher’s dot', async () => {
    await as('support').requestAccess(100, { reason: 'Count me on Keboola' });
    const urls: string[] = [];
    server.events.on('request:start', ({ request }) => urls.push(new URL(request.url).pathname));
    const w = startWidget({ usersPanel: true, user: { name: 'Alice Admin', role: 'admin' } });
    await waitFor(() => expect(w.button().dataset.count).toBe('1'));
    expect(urls).toEqual(['/manage/projects/100/support-badge', '/manage/projects/100/join-requests/count']);
    server.events.removeAllListeners();
  });
});
