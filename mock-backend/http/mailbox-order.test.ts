// The mailbox lists e-mails newest first by the time each was queued: the e-mails of a new request
// (one job, written as rows only when someone lists or sends them) sit where the request was made,
// not above a decision made after it (issue 21, point 4).
import { describe, expect, it } from 'vitest';
import { BASE, harness } from '../testing.ts';

async function subjectsListed(h: Awaited<ReturnType<typeof harness>>): Promise<string[]> {
  const html = await (await h.fetch(`${BASE}/mailbox`)).text();
  return [...html.matchAll(/<a href="\/mailbox\/\d+">([^<]*)<\/a>/g)].map((m) => m[1] ?? '');
}

describe('the mailbox order', () => {
  for (const gap of [0, 100]) {
    it(`a rejection queued ${gap ? `${gap} s` : 'in the same second'} after the request's e-mails is listed above them`, async () => {
      const h = await harness();
      const sent = await h.client('support').requestAccess(100, { reason: 'SK-1 checking the flow' });
      if (sent.error) throw new Error(sent.error.message);
      if (gap) await h.advance(gap);
      const rejected = await h.client('admin').rejectJoinRequest(100, sent.data.id);
      expect(rejected.error).toBeUndefined();
      const subjects = await subjectsListed(h);
      expect(subjects).toHaveLength(5);
      expect(subjects[0]).toBe('Your access request for Acme Main was rejected');
      expect(subjects.slice(1).every((s) => s === 'Access request for project Acme Main')).toBe(true);
    });
  }

  it('two plain e-mails in the same second: the later one first', async () => {
    const h = await harness();
    const a = await h.client('support').requestAccess(100, { reason: 'SK-1' });
    const b = await h.client('maintainer').requestAccess(100, { reason: 'SK-2' });
    if (a.error || b.error) throw new Error('request failed');
    await h.client('admin').approveJoinRequest(100, a.data.id);
    await h.client('admin').rejectJoinRequest(100, b.data.id);
    const subjects = await subjectsListed(h);
    expect(subjects.slice(0, 2)).toEqual([
      'Your access request for Acme Main was rejected',
      'Your access request for Acme Main was approved',
    ]);
  });
});
