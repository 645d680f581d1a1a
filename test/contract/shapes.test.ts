// The checker itself: a shape check that always passed would make every contract test worthless.
import { describe, expect, it } from 'vitest';
import {
  AccessLogEntryShape,
  assertShape,
  checkShape,
  ProjectUserShape,
  TIMESTAMP,
  TicketShape,
} from './shapes.ts';

const member = {
  id: 1000,
  name: 'Alice Admin',
  email: 'alice@acme.test',
  mfaEnabled: true,
  created: '2026-11-27T10:00:00+0000',
  expires: null,
  reason: null,
  role: 'admin',
  status: 'active',
  invitor: null,
  approver: { id: 1001, name: 'Sean Share', email: 'sean@acme.test' },
  kind: 'member',
};

describe('the shape checker', () => {
  it('accepts a value with exactly the fields of the shape', () => {
    expect(checkShape(member, ProjectUserShape)).toBeNull();
    expect(() => assertShape([member], ProjectUserShape)).toThrow(/expected object, got array/);
  });

  it('names a missing field', () => {
    const { kind: _kind, ...rest } = member;
    expect(checkShape(rest, ProjectUserShape, 'user')).toBe('user.kind: missing');
  });

  it('names an extra field, also inside a nested object', () => {
    expect(checkShape({ ...member, token: 'x' }, ProjectUserShape)).toBe(
      '$.token: unexpected field (string "x")',
    );
    const approver = { id: 1, name: 'A', email: 'a@b.c', isSuperAdmin: false };
    expect(checkShape({ ...member, approver }, ProjectUserShape)).toMatch(
      /^\$\.approver\.isSuperAdmin: unexpected/,
    );
  });

  it('refuses a wrong JSON type, a non-integer id, a value outside an enum and a null where none is allowed', () => {
    expect(checkShape({ ...member, id: '1000' }, ProjectUserShape)).toMatch(/^\$\.id: expected integer/);
    expect(checkShape({ ...member, id: 1.5 }, ProjectUserShape)).toMatch(/^\$\.id: expected integer/);
    expect(checkShape({ ...member, mfaEnabled: 1 }, ProjectUserShape)).toMatch(
      /^\$\.mfaEnabled: expected boolean/,
    );
    expect(checkShape({ ...member, kind: 'owner' }, ProjectUserShape)).toMatch(/^\$\.kind: expected one of/);
    expect(checkShape({ ...member, name: null }, ProjectUserShape)).toMatch(
      /^\$\.name: expected string, got null/,
    );
  });

  it('accepts timestamps only as ISO-8601 with a ±hhmm offset', () => {
    expect(TIMESTAMP.test('2026-11-27T10:50:00+0000')).toBe(true);
    expect(TIMESTAMP.test('2026-11-27T10:50:00-0130')).toBe(true);
    for (const bad of [
      '2026-11-27T10:50:00Z',
      '2026-11-27T10:50:00.000Z',
      '2026-11-27T10:50:00+00:00',
      '2026-11-27',
    ])
      expect(checkShape({ ...member, created: bad }, ProjectUserShape)).toMatch(
        /^\$\.created: expected timestamp/,
      );
  });

  it('checks every item of an array, optional keys only when present, and every value of a record', () => {
    const ticket = {
      id: 1,
      number: 'SK-1001',
      created: '2026-11-27T10:00:00+0000',
      subject: 's',
      description: 'd',
      type: 'question',
      severity: null,
      project: null,
      reporter: { id: 1, name: 'A', email: 'a@b.c' },
      routedTo: 'support@x.test',
      context: { pageUrl: 'https://x' },
      attachments: [{ name: 'a.txt', type: 'text/plain', size: 3 }],
      status: 'new',
      assignee: null,
      lastActivity: '2026-11-27T10:00:00+0000',
      solved: null,
      messages: 0,
      unread: 0,
      follows: null,
    };
    expect(checkShape(ticket, TicketShape)).toBeNull();
    expect(checkShape({ ...ticket, context: { pageUrl: 1 } }, TicketShape)).toMatch(/^\$\.context\.pageUrl:/);
    expect(checkShape({ ...ticket, attachments: [...ticket.attachments, { name: 'b' }] }, TicketShape)).toBe(
      '$.attachments[1].type: missing',
    );
    const entry = {
      id: 1,
      created: '2026-11-27T10:00:00+0000',
      action: 'joined',
      actor: null,
      subject: null,
      reason: null,
      details: { kind: 'support', expires: null, n: 1, ok: true },
    };
    expect(checkShape(entry, AccessLogEntryShape)).toBeNull();
    expect(checkShape({ ...entry, details: { nested: {} } }, AccessLogEntryShape)).toMatch(
      /^\$\.details\.nested: expected string\|number\|boolean\|null/,
    );
  });
});
