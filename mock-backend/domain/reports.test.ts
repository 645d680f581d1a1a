// Issue 23, point 3: when an outsider's membership ends, however it ends, the project's deciders get
// one report of what the outsider changed in the project while inside (from the access log), once.
import { describe, expect, it } from 'vitest';
import { STORE_NAMES, storesForTests } from '../store/each-store.ts';
import type { AccessLogRow } from '../store/schema.ts';
import { type Harness, harness, IDS, T0 } from '../testing.ts';
import { MAIL_STRINGS } from './mail-strings.ts';
import { changeLine } from './report-mail.ts';
import { CHANGE_ACTIONS } from './reports.ts';

const open = storesForTests();
const T0_SEC = Math.floor(T0 / 1000);
const SUBJECT = 'What Sam Support did in Acme Main';
const DECIDERS = ['alice@acme.test', 'sean@acme.test'];

/** Sam (support) asks for project 100, Alice approves: Sam is an admin member. */
async function samIn100(h: Harness, seconds = 3600, ticketId?: number): Promise<void> {
  const asked = await h
    .client('support')
    .requestAccess(100, { reason: 'Investigating <b>SK-1</b>', expirationSeconds: seconds, ticketId });
  expect(asked.error).toBeUndefined();
  expect((await h.client('admin').approveJoinRequest(100, asked.data?.id ?? 0)).response?.status).toBe(202);
}

/** The reports in the outbox, after the sweeper ran (it sends what waits). */
async function reports(h: Harness) {
  await h.runDue();
  return (await h.outbox()).filter((m) => m.subject === SUBJECT);
}

describe.each(STORE_NAMES)('%s store: one report per end, to the deciders, once', (storeName) => {
  const make = async () => harness({ store: await open(storeName) });

  it('when the outsider leaves: it lists the Storage token they made', async () => {
    const h = await make();
    await samIn100(h);
    h.clock.advance(60_000);
    const made = await h.client('support').createStorageToken(100, { description: 'Debug <b>jobs</b>' });
    expect(made.error).toBeUndefined();
    h.clock.advance(60_000);
    expect((await h.client('support').removeProjectUser(100, IDS.support)).response?.status).toBe(204);
    const sent = await reports(h);
    expect(sent.map((m) => m.to).sort()).toEqual(DECIDERS);
    const mail = sent[0];
    expect(mail?.text).toMatch(/^Who:\s+Sam Support <sam@supportkit\.test> \(support\)$/m);
    expect(mail?.text).toMatch(/^Reason:\s+Investigating <b>SK-1<\/b>$/m);
    expect(mail?.text).toMatch(/^Access began:\s+Friday, 27 November 2026, 10:00 UTC$/m);
    expect(mail?.text).toMatch(/^Access ended:\s+Friday, 27 November 2026, 10:02 UTC$/m);
    expect(mail?.text).toMatch(/^How it ended:\s+They left the project$/m);
    expect(mail?.text).toMatch(/^Approved by:\s+Alice Admin <alice@acme\.test>$/m);
    expect(mail?.text).toContain('Changes they made (1):');
    expect(mail?.text).toContain(
      '- Friday, 27 November 2026, 10:01 UTC: Made a Storage token "Debug <b>jobs</b>"',
    );
    expect(mail?.text).toContain('http://backend.test/admin/projects/100/users');
    // User text is text in the HTML part.
    expect(mail?.html).toContain('Debug &lt;b&gt;jobs&lt;/b&gt;');
    expect(mail?.html).toContain('Investigating &lt;b&gt;SK-1&lt;/b&gt;');
    expect(mail?.html).not.toContain('<b>jobs');
    expect(mail?.html).toContain('href="http://backend.test/admin/projects/100/users"');
    // Once: later sweeps send nothing more.
    h.clock.advance(120_000);
    expect(await reports(h)).toHaveLength(2);
    expect(await h.store.count('reports', {})).toBe(1);
  });

  it('when a decider removes the outsider', async () => {
    const h = await make();
    await samIn100(h);
    expect((await h.client('share').removeProjectUser(100, IDS.support)).response?.status).toBe(204);
    const sent = await reports(h);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.text).toMatch(/^How it ended:\s+Removed by Sean Share$/m);
  });

  it('when the membership expires: ended at its expiry, sent by the sweep that expired it', async () => {
    const h = await make();
    await samIn100(h, 3600);
    await h.advance(3600);
    const sent = (await h.outbox()).filter((m) => m.subject === SUBJECT);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.text).toMatch(/^How it ended:\s+It expired$/m);
    expect(sent[0]?.text).toMatch(/^Access ended:\s+Friday, 27 November 2026, 11:00 UTC$/m);
    await h.advance(60);
    expect(await reports(h)).toHaveLength(2);
  });

  it("when the grant it came from is withdrawn: by whom, granted by whom, and in the ticket's thread", async () => {
    const h = await make();
    const filed = await h
      .client('guest')
      .createTicket(
        { subject: 'Orders job fails', description: 'Since Monday.', type: 'problem', projectId: 100 },
        'g1',
      );
    const t = filed.data?.id ?? 0;
    const g = await h.client('admin').grantAccess(t, {});
    expect((await h.client('support').joinWithGrant(g.data?.id ?? 0)).response?.status).toBe(204);
    await h.client('support').createStorageToken(100, { description: 'For the grant' });
    expect((await h.client('share').withdrawGrant(t, g.data?.id ?? 0)).response?.status).toBe(204);
    const sent = await reports(h);
    expect(sent.map((m) => m.to).sort()).toEqual(DECIDERS);
    expect(sent[0]?.text).toMatch(/^How it ended:\s+Access withdrawn by Sean Share$/m);
    expect(sent[0]?.text).toMatch(/^Granted by:\s+Alice Admin <alice@acme\.test>$/m);
    expect(sent[0]?.text).toMatch(/^Ticket:\s+SK-\d+: Orders job fails$/m);
    expect(sent[0]?.text).toContain('Made a Storage token "For the grant"');
    const thread = (await h.client('guest').listMessages(t)).data ?? [];
    expect(thread.filter((m) => m.kind === 'report').map((m) => m.body)).toEqual([sent[0]?.text]);
    await h.advance(60);
    expect(await reports(h)).toHaveLength(2);
  });
});

describe('what a report lists', () => {
  it('says so when the outsider changed nothing', async () => {
    const h = await harness();
    await samIn100(h);
    expect((await h.client('support').removeProjectUser(100, IDS.support)).response?.status).toBe(204);
    const [mail] = await reports(h);
    expect(mail?.text).toContain('They made no changes in the project through the API.');
    expect(mail?.text).not.toContain('Changes they made');
    expect(mail?.html).toContain('They made no changes in the project through the API.');
  });

  it("lists only the outsider's own changes made while inside, oldest first", async () => {
    const h = await harness();
    // Before this membership: Sam's token of an earlier stay is not this report's.
    await samIn100(h);
    await h.client('support').createStorageToken(100, { description: 'Earlier stay' });
    await h.client('support').removeProjectUser(100, IDS.support);
    await h.runDue();
    h.clock.advance(60_000);
    await samIn100(h);
    // Sam's change, and changes by others while Sam is inside: Alice's, and Mark's (another outsider).
    await h.client('support').createStorageToken(100, { description: 'Second stay' });
    await h.client('admin').updateProjectUser(100, IDS.readOnly, { role: 'guest' });
    const mark = await h.client('maintainer').requestAccess(100, { reason: 'SK-2', expirationSeconds: 3600 });
    await h.client('admin').approveJoinRequest(100, mark.data?.id ?? 0);
    await h.client('maintainer').createStorageToken(100, { description: "Mark's" });
    h.clock.advance(60_000);
    await h.client('support').createStorageToken(100, { description: 'Third' });
    await h.client('support').removeProjectUser(100, IDS.support);
    const mails = await reports(h);
    expect(mails).toHaveLength(4);
    const last = mails.at(-1)?.text ?? '';
    expect(last).not.toContain('Earlier stay');
    expect(last).not.toContain("Mark's");
    expect(last).not.toContain('Rita Reader');
    expect(last).toContain('Changes they made (2):');
    expect(last.indexOf('"Second stay"')).toBeGreaterThan(0);
    expect(last.indexOf('"Second stay"')).toBeLessThan(last.indexOf('"Third"'));
  });

  it('words every kind of change from the access log', () => {
    const w = MAIL_STRINGS.en;
    const who = { id: 1, name: 'Gary', email: 'g@x' };
    const e = (action: AccessLogRow['action'], details: AccessLogRow['details'] = {}): AccessLogRow => ({
      id: 1,
      projectId: 100,
      created: 0,
      action,
      actor: who,
      subject: who,
      reason: null,
      details,
    });
    expect(changeLine(e('roleChanged', { role: 'readOnly', from: 'guest' }), w)).toBe(
      'Changed the role of Gary <g@x> from guest to readOnly',
    );
    expect(changeLine(e('invited', { role: 'guest' }), w)).toBe('Invited Gary <g@x> as guest');
    expect(changeLine(e('added', { role: 'admin' }), w)).toBe('Added Gary <g@x> as admin');
    expect(changeLine(e('removed'), w)).toBe('Removed Gary <g@x>');
    expect(changeLine(e('approved'), w)).toBe('Approved the access request of Gary <g@x>');
    expect(changeLine(e('rejected'), w)).toBe('Rejected the access request of Gary <g@x>');
    expect(changeLine(e('autoJoinChanged', { allowAutoJoin: true }), w)).toBe(
      "Turned Auto Join on for the project's organization",
    );
    expect(changeLine(e('storageTokenRevoked', { description: 'T' }), w)).toBe(
      'Revoked the Storage token "T" of Gary <g@x>',
    );
    for (const action of CHANGE_ACTIONS) expect(changeLine(e(action), w)).not.toContain(action);
  });

  it('says who let them in: Auto Join', async () => {
    const h = await harness();
    expect(
      (await h.client('support').joinProject(101, { reason: 'SK-9', expirationSeconds: 3600 })).error,
    ).toBeUndefined();
    await h.client('support').removeProjectUser(101, IDS.support);
    await h.runDue();
    const mail = (await h.outbox()).find((m) => m.subject === 'What Sam Support did in Beta Sandbox');
    expect(mail?.to).toBe('bob@beta.test');
    expect(mail?.text).toMatch(/^Approved by:\s+Nobody: they joined with Auto Join on$/m);
  });

  it("reports no customer member's end", async () => {
    const h = await harness();
    await h.client('admin').removeProjectUser(100, IDS.guest);
    await h.runDue();
    expect(await h.store.count('reports', {})).toBe(0);
  });

  it('is written in Czech on a Czech backend', async () => {
    const h = await harness({ options: { mailLocale: 'cs' } });
    await samIn100(h);
    await h.client('support').createStorageToken(100, { description: 'Ladění' });
    await h.client('support').removeProjectUser(100, IDS.support);
    await h.runDue();
    const mail = (await h.outbox()).find(
      (m) => m.subject === 'Co v projektu Acme Main udělal(a) Sam Support',
    );
    expect(mail?.text).toMatch(/^Jak skončil:\s+Uživatel projekt opustil$/m);
    expect(mail?.text).toContain('Vytvořil(a) token Storage „Ladění“');
    expect(mail?.html).toContain('<html lang="cs">');
    expect(mail?.text).not.toMatch(/Changes|Access began|Storage token "/);
  });
});

describe('the report queue', () => {
  it('keeps one row per membership, and the row is stamped sent', async () => {
    const h = await harness();
    await samIn100(h);
    await h.client('support').removeProjectUser(100, IDS.support);
    const [row] = await h.store.find('reports', {});
    expect(row?.sent).toBeNull();
    expect(row?.started).toBe(T0_SEC);
    await h.runDue();
    expect((await h.store.get('reports', row?.id ?? 0))?.sent).toBe(T0_SEC);
  });
});
