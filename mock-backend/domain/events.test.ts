import { describe, expect, it } from 'vitest';
import { fixtureWith, harness, IDS } from '../testing.ts';
import { expandMailJobs } from './outbox.ts';

const MANY = 500;
const crowded = () =>
  fixtureWith((f) => {
    for (let i = 0; i < MANY; i++) {
      f.users.push({ id: 5000 + i, email: `m${i}@acme.test`, name: `M ${i}`, mfaEnabled: true });
      f.projectMembers.push({ projectId: 100, userId: 5000 + i, role: 'guest' });
    }
  });

describe('events stored once per audience, fanned out when read', () => {
  it(`a leave in a project of ${MANY} members writes one row for them and one for the leaver, and each of them reads it`, async () => {
    const h = await harness({ fixture: crowded() });
    const before = await h.store.count('events', {});
    expect((await h.client('guest').removeProjectUser(100, IDS.guest)).response?.status).toBe(204);
    expect((await h.store.count('events', {})) - before).toBe(2);
    for (const id of [IDS.admin, 5000, 5000 + MANY - 1, IDS.guest])
      expect((await h.events(id)).map((e) => e.event.type)).toEqual(['membership.changed']);
    expect(await h.events(IDS.random)).toEqual([]);
  });

  it('a request reaches the deciders only, and nobody hears of project events from before they joined', async () => {
    const h = await harness();
    await h.client('support').requestAccess(100, { reason: 'Audit' });
    expect((await h.events(IDS.admin)).map((e) => e.event.type)).toEqual(['joinRequest.created']);
    expect(await h.events(IDS.guest)).toEqual([]);
    await h.advance(5);
    await h.client('org').joinProject(100, {});
    // Olga joined after the request: her stream starts with her own joining.
    expect((await h.events(IDS.org)).map((e) => e.event.type)).toEqual(['membership.changed']);
  });
});

describe('e-mails to many members as one outbox job', () => {
  it(`a request in a project of ${MANY} members writes one job; the outbox lists every e-mail at once; the worker expands it in batches`, async () => {
    const h = await harness({ fixture: crowded() });
    await h.client('support').requestAccess(100, { reason: 'Audit' });
    expect(await h.store.count('mailJobs', {})).toBe(1);
    expect(await h.store.count('outbox', {})).toBe(0);
    const listed = await (await h.fetch('http://backend.test/__test__/outbox')).json();
    expect(listed).toHaveLength(MANY + 4);
    expect(new Set(listed.map((m: { to: string }) => m.to)).size).toBe(MANY + 4);
    let batches = 0;
    while ((await expandMailJobs(h.store, 100)) > 0) batches++;
    expect(batches).toBe(Math.ceil((MANY + 4) / 100));
    expect(await h.store.count('outbox', {})).toBe(MANY + 4);
    expect((await h.store.first('mailJobs', {}))?.done).toBe(true);
    // The same list, in the same order, once expanded.
    expect(await (await h.fetch('http://backend.test/__test__/outbox')).json()).toEqual(listed);
  });

  it('keeps the order of the outbox: a job sits where it was queued, before later single e-mails', async () => {
    const h = await harness();
    const req = await h.client('support').requestAccess(100, { reason: 'First' });
    await h.client('admin').rejectJoinRequest(100, req.data?.id ?? 0);
    const subjects = (await h.outbox()).map((m) => m.subject);
    expect(subjects.at(-1)).toBe('Your access request for Acme Main was rejected');
    expect(subjects.slice(0, -1).every((s) => s.includes('Acme Main') && !s.includes('rejected'))).toBe(true);
    await expandMailJobs(h.store, 1000);
    expect((await h.outbox()).map((m) => m.subject)).toEqual(subjects);
  });
});

describe('retention', () => {
  it('sweeps events older than the configured window (the Last-Event-ID window), and keeps newer ones', async () => {
    const h = await harness({ options: { retention: { eventsSeconds: 3600 } } });
    await h.client('guest').removeProjectUser(100, IDS.guest);
    await h.advance(1800);
    await h.client('readOnly').removeProjectUser(100, IDS.readOnly);
    expect(await h.events(IDS.admin)).toHaveLength(2);
    await h.advance(1801);
    expect((await h.events(IDS.admin)).map((e) => e.event.type)).toEqual(['membership.changed']);
    expect(await h.store.count('events', {})).toBe(2); // the readOnly's leave: one for the members, one for her
  });
});
