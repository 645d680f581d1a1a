// A thread's e-mails and the replies that come back: who gets which message, the signed Reply-To,
// user text escaped, and every way a reply by e-mail is refused (unknown, forged, expired, another
// sender, no longer a participant, a closed ticket), changing nothing.
import { describe, expect, it } from 'vitest';
import { THREAD_LIMITS } from '../../api/limits.ts';
import { harness, IDS } from '../testing.ts';
import { ReplyRefused, receiveEmailReply } from './email-reply.ts';
import { verifyReplyAddress } from './reply-address.ts';

const body = {
  subject: 'Export <fails>',
  description: 'Since Monday',
  type: 'problem' as const,
  projectId: 100,
};
const REPLY = /^reply\+[0-9a-z]+-[0-9a-z]+-[0-9a-z]+\.[0-9a-f]{32}@reply\.supportkit\.test$/;

async function answered() {
  const h = await harness();
  const t = (await h.client('guest').createTicket(body, 'k1')).data;
  if (!t) throw new Error('no ticket');
  const before = (await h.outbox()).length;
  await h.client('support').postMessage(t.id, { body: 'Try <b>this</b> & "that"', via: 'extension' }, 'm1');
  const mails = (await h.outbox()).slice(before);
  return { h, t, mails };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ReplyRefused) return e.reason;
    throw e;
  }
  return 'accepted';
}

describe("a thread's e-mails", () => {
  it('a staff reply goes to the reporter, escaped in HTML, with a reply address of theirs', async () => {
    const { mails } = await answered();
    expect(mails.map((m) => m.to)).toEqual(['gary@acme.test']);
    const [m] = mails;
    expect(m?.replyTo).toMatch(REPLY);
    expect(m?.subject).toBe('[SK-1001] Re: Export <fails>');
    expect(m?.text).toContain('Try <b>this</b> & "that"');
    expect(m?.html).toContain('Try &lt;b&gt;this&lt;/b&gt; &amp; &quot;that&quot;');
    expect(m?.html).not.toContain('<b>this');
    expect(m?.html).toContain('Export &lt;fails&gt;');
  });

  it("a customer's reply goes to the support address while unassigned (no reply address), then to the assignee", async () => {
    const { h, t } = await answered();
    let before = (await h.outbox()).length;
    await h.client('guest').postMessage(t.id, { body: 'Still broken' }, 'c1');
    let mails = (await h.outbox()).slice(before);
    expect(mails.map((m) => [m.to, m.replyTo])).toEqual([['support@partner.test', undefined]]);
    await h.client('maintainer').updateTicket(t.id, { assigneeId: IDS.maintainer });
    before = (await h.outbox()).length;
    await h.client('guest').postMessage(t.id, { body: 'Anyone?' }, 'c2');
    mails = (await h.outbox()).slice(before);
    expect(mails.map((m) => m.to)).toEqual(['mark@partner.test']);
    expect(mails[0]?.replyTo).toMatch(REPLY);
  });

  it("a decider who wrote in the thread gets staff replies too; one who did not, doesn't", async () => {
    const { h, t } = await answered();
    await h.client('admin').postMessage(t.id, { body: 'Same for me' }, 'a1');
    const before = (await h.outbox()).length;
    await h.client('support').postMessage(t.id, { body: 'Fixed' }, 'm2');
    const to = (await h.outbox()).slice(before).map((m) => m.to);
    expect(to.sort()).toEqual(['alice@acme.test', 'gary@acme.test']);
  });

  it('the same e-mail in Czech', async () => {
    const h = await harness({ options: { mailLocale: 'cs' } });
    const t = (await h.client('guest').createTicket(body, 'k1')).data;
    const before = (await h.outbox()).length;
    await h.client('support').postMessage(t?.id ?? 0, { body: 'Ahoj' }, 'm1');
    const [m] = (await h.outbox()).slice(before);
    expect(m?.text).toContain('z podpory odpověděl(a) na váš požadavek SK-1001');
    expect(m?.html).toContain('lang="cs"');
  });
});

describe('replies by e-mail (receiveEmailReply)', () => {
  it('adds the reply as the participant, via e-mail, once per Message-ID; the sender is matched case-insensitively', async () => {
    const { h, t, mails } = await answered();
    const address = mails[0]?.replyTo ?? '';
    const reply = {
      address: address.toUpperCase(),
      from: 'Gary Guest <GARY@acme.test>',
      text: 'Thanks, <i>works</i>',
      attachments: [{ name: 'log.txt', type: 'text/plain', data: 'aGVsbG8=' }],
      messageId: '<abc@mail.test>',
    };
    const a = await receiveEmailReply(h.ctx, reply);
    expect(a).toMatchObject({
      author: { id: IDS.guest },
      side: 'customer',
      via: 'email',
      body: 'Thanks, <i>works</i>',
      attachments: [{ name: 'log.txt', type: 'text/plain', size: 5 }],
    });
    expect(await receiveEmailReply(h.ctx, reply)).toEqual(a);
    const thread = (await h.client('support').listMessages(t.id)).data ?? [];
    expect(thread.filter((m) => m.via === 'email')).toHaveLength(1);
    expect((await h.client('guest').getTicket(t.id)).data?.status).toBe('open');
  });

  it('refuses unknown, forged, expired and other senders, changing nothing', async () => {
    const { h, t, mails } = await answered();
    const address = mails[0]?.replyTo ?? '';
    const ok = { address, from: 'gary@acme.test', text: 'Hi', attachments: [], messageId: '<x@y>' };
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'a' ? 'b' : 'a') + s.slice(at + 1);
    const sigAt = address.indexOf('.') + 1;
    const payloadAt = address.indexOf('+') + 1;
    const cases: [string, typeof ok][] = [
      ['unknown', { ...ok, address: 'someone@reply.supportkit.test' }],
      ['unknown', { ...ok, address: address.replace('reply.supportkit.test', 'elsewhere.test') }],
      ['forged', { ...ok, address: flip(address, sigAt) }],
      // Another ticket's or user's address with this signature: the payload is signed too.
      ['forged', { ...ok, address: address.replace(/^reply\+[0-9a-z]+-/, 'reply+zz-') }],
      ['forged', { ...ok, address: flip(address, payloadAt) }],
      ['wrongSender', { ...ok, from: 'alice@acme.test' }],
      ['wrongSender', { ...ok, from: 'gary@acme.test.evil.test' }],
    ];
    for (const [reason, reply] of cases)
      expect([reason, await refusal(receiveEmailReply(h.ctx, reply))]).toEqual([reason, reason]);
    await h.advance(THREAD_LIMITS.replyAddressSeconds);
    expect(await refusal(receiveEmailReply(h.ctx, ok))).toBe('expired');
    expect((await h.client('support').listMessages(t.id)).data).toHaveLength(1);
  });

  it('refuses one who no longer takes part, and a closed ticket', async () => {
    const { h, t } = await answered();
    await h.client('admin').postMessage(t.id, { body: 'Me too' }, 'a1');
    const before = (await h.outbox()).length;
    await h.client('support').postMessage(t.id, { body: 'Fixed' }, 'm2');
    const alices = (await h.outbox()).slice(before).find((m) => m.to === 'alice@acme.test')?.replyTo ?? '';
    const garys = (await h.outbox()).slice(before).find((m) => m.to === 'gary@acme.test')?.replyTo ?? '';
    expect(await verifyReplyAddress(h.ctx, alices)).toMatchObject({ ticketId: t.id, userId: IDS.admin });
    // Alice is no longer a decider of the project: she sees the ticket no more.
    await h.client('share').updateProjectUser(100, IDS.admin, { role: 'guest' });
    const mail = { from: 'alice@acme.test', text: 'Hi', attachments: [], messageId: '<1@y>' };
    expect(await refusal(receiveEmailReply(h.ctx, { ...mail, address: alices }))).toBe('notParticipant');
    await h.client('guest').updateTicket(t.id, { status: 'solved' });
    await h.advance(THREAD_LIMITS.closeAfterSolvedSeconds);
    const gary = { address: garys, from: 'gary@acme.test', text: 'Hi', attachments: [], messageId: '<2@y>' };
    expect(await refusal(receiveEmailReply(h.ctx, gary))).toBe('closed');
    expect(await refusal(receiveEmailReply(h.ctx, { ...gary, text: '   ' }))).toBe('closed');
  });

  it('refuses text that breaks the rules, as the API would', async () => {
    const { h, mails } = await answered();
    const address = mails[0]?.replyTo ?? '';
    const reply = { address, from: 'gary@acme.test', attachments: [], messageId: '<3@y>' };
    expect(await refusal(receiveEmailReply(h.ctx, { ...reply, text: ' \n ' }))).toBe('invalid');
    expect(await refusal(receiveEmailReply(h.ctx, { ...reply, text: 'a\u202eb' }))).toBe('invalid');
  });

  it('keeps its key in the store: the same after a restart on the same store', async () => {
    const { h, mails } = await answered();
    const address = mails[0]?.replyTo ?? '';
    const { createBackend } = await import('../app.ts');
    const again = createBackend({ store: h.store, clock: h.clock, options: { testMode: true } });
    expect(await verifyReplyAddress(again.ctx, address)).toMatchObject({ userId: IDS.guest });
    const other = createBackend({ store: h.store, clock: h.clock, options: { replySecret: 'another key' } });
    expect(await refusal(verifyReplyAddress(other.ctx, address))).toBe('forged');
  });
});
