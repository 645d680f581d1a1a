import { describe, expect, it } from 'vitest';
import { contextRows, decidedMail, newJoinRequestMail, readableTime, ticketMail } from './emails.ts';

const facts = {
  project: { id: 100, name: 'Acme <Main>' },
  requester: { id: 1006, name: 'Sam <b>Support</b>', email: 'sam@supportkit.test' },
  reason: 'SK-1 <script>alert(1)</script>',
  expires: '2026-12-01T23:18:50+0000',
  usersPageUrl: 'http://backend.test/admin/projects/100/users',
};

describe('e-mails', () => {
  it('say times as people read them, with the time zone', () => {
    expect(readableTime('2026-12-01T23:18:50+0000')).toBe('Tuesday, 1 December 2026, 23:18 UTC');
    expect(readableTime('2026-12-02T01:18:50+0200')).toBe('Tuesday, 1 December 2026, 23:18 UTC');
    expect(readableTime(null)).toBe('never');
    const m = decidedMail('sam@supportkit.test', 'approved', facts, { id: 1, name: 'Alice', email: 'a@x' });
    expect(`${m.text}${m.html}`).not.toContain('2026-12-01T23:18:50');
    expect(m.text).toMatch(/Access ends:\s+Tuesday, 1 December 2026, 23:18 UTC/);
  });

  it('give the facts as a labelled list in both parts, with user text escaped in HTML', () => {
    const m = newJoinRequestMail('alice@acme.test', facts);
    expect(m.text).toMatch(/^Project:\s+Acme <Main> \(#100\)$/m);
    expect(m.text).toMatch(/^Reason:\s+SK-1 <script>alert\(1\)<\/script>$/m);
    expect(m.text).toContain(facts.usersPageUrl);
    expect(m.html).toContain('<th scope="row"');
    expect(m.html).toContain('SK-1 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).toContain('Sam &lt;b&gt;Support&lt;/b&gt;');
    expect(m.html).not.toMatch(/<script>|<b>Support/);
  });

  it('lists the ticket context by label, never as raw JSON', () => {
    const context = contextRows({
      pageUrl: 'http://app.test/p/1',
      browser: 'Chrome 131',
      error: { message: 'Table <x> missing', exceptionId: 'exception-7f3a', status: 500 },
    });
    expect(context).toEqual([
      ['Page', 'http://app.test/p/1'],
      ['Browser', 'Chrome 131'],
      ['Error', 'Table <x> missing'],
      ['Error reference', 'exception-7f3a'],
      ['Error status', '500'],
    ]);
    const m = ticketMail('support@partner.test', {
      number: 'SK-1001',
      subject: 'Flow fails',
      description: 'Line 1\nLine <2>',
      type: 'incident',
      severity: 'high',
      project: { id: 100, name: 'Acme Main' },
      reporter: { id: 1000, name: 'Alice', email: 'alice@acme.test' },
      context,
      attachments: [],
    });
    // The HTML part's braces are its style sheet's (the narrow-screen rules); none in what it says.
    const body = m.html.replace(/<style>[^<]*<\/style>/, '');
    expect(`${m.text}${body}`).not.toMatch(/[{}]|"pageUrl"/);
    expect(m.text).toMatch(/^Error reference:\s+exception-7f3a$/m);
    expect(m.text).toContain('Description:\nLine 1\nLine <2>');
    expect(m.html).toContain('Line &lt;2&gt;');
    expect(m.html).toContain('Table &lt;x&gt; missing');
  });
});
