import { describe, expect, it } from 'vitest';
import { fixtureWith, harness, IDS } from '../testing.ts';

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
    const h = harness({ fixture: crowded() });
    const before = h.store.count('events', {});
    expect((await h.client('guest').removeProjectUser(100, IDS.guest)).response?.status).toBe(204);
    expect(h.store.count('events', {}) - before).toBe(2);
    for (const id of [IDS.admin, 5000, 5000 + MANY - 1, IDS.guest])
      expect(h.events(id).map((e) => e.event.type)).toEqual(['membership.changed']);
    expect(h.events(IDS.random)).toEqual([]);
  });

  it('a request reaches the deciders only, and nobody hears of project events from before they joined', async () => {
    const h = harness();
    await h.client('support').requestAccess(100, { reason: 'Audit' });
    expect(h.events(IDS.admin).map((e) => e.event.type)).toEqual(['joinRequest.created']);
    expect(h.events(IDS.guest)).toEqual([]);
    await h.advance(5);
    await h.client('org').joinProject(100, {});
    // Olga joined after the request: her stream starts with her own joining.
    expect(h.events(IDS.org).map((e) => e.event.type)).toEqual(['membership.changed']);
  });
});
