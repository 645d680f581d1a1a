// Who is told what about a new request, and the words of the outcome e-mails (issue 21, point 4).
import { describe, expect, it } from 'vitest';
import { harness } from '../testing.ts';

describe('the new-request e-mail', () => {
  it('asks admins to review it, and tells guests and read-only members who decides', async () => {
    const h = await harness();
    await h.client('support').requestAccess(100, { reason: 'SK-1 checking the flow' });
    const mails = await h.outbox();
    const to = (address: string) => {
      const m = mails.find((x) => x.to === address);
      if (!m) throw new Error(`no e-mail to ${address}`);
      return m;
    };
    // Alice is an admin, Sean has the share role: they decide.
    for (const decider of ['alice@acme.test', 'sean@acme.test']) {
      const m = to(decider);
      expect(m.text).toContain("Review the request in the project's users page");
      expect(m.html).toContain('Review in the users page');
      expect(m.text).not.toMatch(/Only the project's admins/);
    }
    // Gary is a guest, Rita read-only: nothing to review, told who can.
    for (const reader of ['gary@acme.test', 'rita@acme.test']) {
      const m = to(reader);
      expect(m.text).not.toMatch(/review/i);
      expect(m.html).not.toMatch(/review/i);
      expect(m.text).toContain(
        "Only the project's admins (members with the admin or share role) can approve or reject it.",
      );
      expect(m.html).toContain('Only the project&#39;s admins');
      expect(m.text).toContain('http://backend.test/admin/projects/100/users');
      expect(m.text).toContain('SK-1 checking the flow');
    }
  });

  it('keeps telling every recipient once as the e-mails are written out in batches', async () => {
    const h = await harness();
    await h.client('support').requestAccess(100, { reason: 'SK-2' });
    const { expandMailJobs } = await import('./outbox.ts');
    // One row at a time: each recipient's e-mail still fits their role.
    while ((await expandMailJobs(h.store, 1)) > 0) {}
    const rows = await h.store.find('outbox', {});
    const reviewers = rows.filter((r) => r.text.includes('Review the request')).map((r) => r.to);
    expect(reviewers.sort()).toEqual(['alice@acme.test', 'sean@acme.test']);
    expect(rows).toHaveLength(4);
  });
});

describe('the outcome e-mails', () => {
  it('an expired request "has expired"', async () => {
    const h = await harness();
    await h.client('support').requestAccess(100, { reason: 'SK-3', expirationSeconds: 60 });
    await h.advance(61);
    const subjects = (await h.outbox()).map((m) => m.subject);
    expect(subjects).toContain('Your access request for Acme Main has expired');
    expect(subjects.join('\n')).not.toContain('was expired');
  });
});
