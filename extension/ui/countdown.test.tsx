// Countdowns never say more time than was granted, whatever the server's clock did (issue 21, point 3).
// The backend's test clock is moved as the gallery moves it: ahead before the extension first talks
// to it, and forward again between two screens.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { offsetClock } from '../../mock-backend/clock.ts';
import { createMockBackend } from '../../mock-backend/msw.ts';
import { db, getSyncMeta, patchSyncMeta } from '../db.ts';
import { callWorker } from '../messages.ts';
import { noHints, reconcile } from '../reconcile.ts';
import { App } from './App.tsx';
import { countdownOf, localEnd } from './format.ts';

const BASE = 'https://backend.test';
const clock = offsetClock();
const mock = createMockBackend({ baseUrl: BASE, clock });
const server = setupServer(...mock.handlers);
const MIN = 60_000;
const HOUR = 60 * MIN;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => mock.reset());

async function signIn() {
  const res = await callWorker('saveSettings', { backendUrl: BASE, token: 'demo-support-token' });
  if (!res.ok) throw new Error(res.error.message);
}

/** "3 h 59 min left" → minutes; the countdown rounds up, so a whole hour may read as either. */
function minutesLeft(text: string): number {
  const m = /(?:(\d+) h)?\s*(?:(\d+) min)?(?:\s*\d+ s)? left/.exec(text);
  if (!m) throw new Error(`no countdown in "${text}"`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

describe('countdowns follow the server clock and never exceed the grant', () => {
  it('a server clock 13 minutes ahead, then an hour more between two screens', async () => {
    // The server is ahead of this machine before the extension has seen a single answer from it.
    clock.advance(13 * MIN);
    await signIn();
    render(<App mode="popup" />);
    fireEvent.input(await screen.findByLabelText('Project'), { target: { value: '101' } });
    await screen.findByTestId('project-info');
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'SK-1001 export is stuck' } });
    fireEvent.click(screen.getByRole('radio', { name: '4 h' }));
    fireEvent.click(screen.getByRole('button', { name: /Get access/ }));
    const result = await screen.findByTestId('access-result');
    // "until" is the end on this machine's clock: four hours from now, not four hours and 13 minutes.
    const until = within(result).getByTestId('until').getAttribute('datetime') ?? '';
    expect(Math.abs(Date.parse(until) - (Date.now() + 4 * HOUR))).toBeLessThan(2 * MIN);

    // A request on the other project: its "left to decide" is its hour, not 1 h 13 min.
    const sent = await callWorker('getAccess', {
      stack: BASE,
      projectId: 100,
      reason: 'SK-1002 pipeline fails nightly',
      expirationSeconds: 3600,
    });
    expect(sent.ok && sent.value.kind).toBe('requested');

    fireEvent.click(screen.getByRole('tab', { name: /My access/ }));
    const row = await screen.findByTestId('access-row');
    await waitFor(() => expect(minutesLeft(row.textContent ?? '')).toBeGreaterThan(0));
    expect(minutesLeft(row.textContent ?? '')).toBeGreaterThanOrEqual(239);
    expect(minutesLeft(row.textContent ?? '')).toBeLessThanOrEqual(240);
    const pending = await screen.findByTestId('request-row');
    expect(minutesLeft(pending.textContent ?? '')).toBeGreaterThanOrEqual(59);
    expect(minutesLeft(pending.textContent ?? '')).toBeLessThanOrEqual(60);

    // The server's clock moves an hour forward between two screens: the next answer teaches the
    // extension, and the access has three hours left by the server's reckoning, the request none.
    clock.advance(HOUR);
    await callWorker('refresh', {});
    await waitFor(() =>
      expect(minutesLeft(screen.getByTestId('access-row').textContent ?? '')).toBeLessThan(181),
    );
    expect(minutesLeft(screen.getByTestId('access-row').textContent ?? '')).toBeGreaterThanOrEqual(179);
  });
});

describe('the offset to the server clock in the cache', () => {
  it('two writers patching the sync state at once both keep their field', async () => {
    await Promise.all([
      patchSyncMeta(BASE, { clockOffsetMs: 780_000 }),
      patchSyncMeta(BASE, { ticketsAt: 1 }),
      patchSyncMeta(BASE, { at: 2, error: null }),
    ]);
    const meta = await getSyncMeta(BASE);
    expect(meta.clockOffsetMs).toBe(780_000);
    expect(meta.ticketsAt).toBe(1);
    expect(meta.at).toBe(2);
  });

  it('an offset lost from the cache is written again by the next answer', async () => {
    clock.advance(10 * MIN);
    await signIn();
    await callWorker('refresh', {});
    const offset = () => getSyncMeta(BASE).then((m) => m.clockOffsetMs ?? 0);
    const serverAhead = clock.now() - Date.now();
    await waitFor(async () => expect(Math.abs((await offset()) - serverAhead)).toBeLessThan(1500));
    // As a write of another field that read the row before the offset was stored leaves it.
    const { clockOffsetMs: _, ...without } = await getSyncMeta(BASE);
    await db.meta.put(without);
    await callWorker('refresh', {});
    await waitFor(async () => expect(Math.abs((await offset()) - serverAhead)).toBeLessThan(1500));
  });
});

describe('a countdown is capped at what was granted', () => {
  const local = Date.parse('2026-12-07T12:00:00Z');
  // The server's clock is 73 minutes ahead; the extension saw the grant at `local`.
  const server = local + 73 * MIN;
  const grant = {
    created: new Date(server).toISOString(),
    expires: new Date(server + 4 * HOUR).toISOString(),
    seenAt: local,
  };

  it('says no more than the grant, even with no offset known', () => {
    expect(countdownOf(grant, local, 0)).toBe('4 h left');
    expect(countdownOf(grant, local + 30 * MIN, 0)).toBe('3 h 30 min left');
    expect(localEnd(grant, 0)).toBe(local + 4 * HOUR);
  });

  it('says less when the server says less (its clock moved on)', () => {
    // The server's clock jumped an hour forward after the grant: it ends in three hours.
    expect(countdownOf(grant, local, 73 * MIN + HOUR)).toBe('3 h left');
    expect(countdownOf(grant, local + 3 * HOUR, 73 * MIN + HOUR)).toBe('expired');
  });

  it('keeps the server clock alone for a record without its start (cached before)', () => {
    expect(countdownOf({ expires: grant.expires }, local, 73 * MIN)).toBe('4 h left');
  });

  it('a request that lapsed by the server clock, not yet by this machine, is expired, not rejected', () => {
    const request = {
      stack: BASE,
      id: 1,
      projectId: 100,
      projectName: 'Acme Main',
      reason: 'SK-1',
      created: new Date(server - HOUR).toISOString(),
      expires: new Date(server - MIN).toISOString(),
      status: 'pending' as const,
      updatedAt: local - HOUR,
    };
    const out = reconcile({
      stack: BASE,
      now: local,
      serverNow: server,
      pending: [request],
      active: [],
      serverPending: [],
      memberships: new Map([[100, null]]),
      hints: noHints(),
    });
    expect(out.requests[0]?.status).toBe('expired');
  });
});
