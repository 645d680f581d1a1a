// The schemas of api/schemas.ts refuse a body, a query or a header in the API's own words: the same
// status, code, message and errors[] key the hand-written validator gave before them.
import { describe, expect, it } from 'vitest';
import * as S from '../../api/schemas.ts';
import type { ApiFailure } from '../domain/errors.ts';
import { parseWith } from './declare.ts';

function refusal(schema: Parameters<typeof parseWith>[0], value: unknown, top = 'body') {
  try {
    parseWith(schema, value, top);
  } catch (e) {
    const f = e as ApiFailure;
    return { status: f.status, code: f.code, error: f.message, errors: f.errors };
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}
const field = (key: string, message: string) => ({
  status: 400,
  code: 'manage.validationError',
  error: message,
  errors: [{ key, message }],
});

describe('refusals worded as the API words them', () => {
  it('types, lengths, numbers, arrays and nested fields name the field', () => {
    expect(refusal(S.EntryBody, [])).toEqual(field('body', 'body must be a JSON object.'));
    expect(refusal(S.EntryBody, { reason: 5 })).toEqual(field('reason', 'reason must be a string.'));
    expect(refusal(S.EntryBody, { expirationSeconds: '60' })).toEqual(
      field('expirationSeconds', 'expirationSeconds must be an integer.'),
    );
    expect(refusal(S.EntryBody, { expirationSeconds: 1.5 })).toEqual(
      field('expirationSeconds', 'expirationSeconds must be an integer.'),
    );
    expect(refusal(S.EntryBody, { expirationSeconds: 2 ** 53 })).toEqual(
      field('expirationSeconds', 'expirationSeconds must be an integer.'),
    );
    expect(refusal(S.NameBody, { name: 'x'.repeat(256) })).toEqual(
      field('name', 'name must be at most 255 characters long.'),
    );
    expect(refusal(S.CreateStorageTokenBody, { description: 'd', expiresIn: 0 })).toEqual(
      field('expiresIn', 'expiresIn must be at least 1.'),
    );
    const ticket = { subject: 's', description: 'd', type: 'question' };
    expect(refusal(S.CreateTicketBody, { ...ticket, type: 'bug' })).toEqual(
      field('type', 'type must be one of: question, problem, incident.'),
    );
    expect(refusal(S.CreateTicketBody, { ...ticket, attachments: [5] })).toEqual(
      field('attachments[0]', 'attachments[0] must be a JSON object.'),
    );
    expect(refusal(S.CreateTicketBody, { ...ticket, attachments: [1, 2, 3, 4] })).toEqual(
      field('attachments', 'attachments may hold at most 3 items.'),
    );
    expect(
      refusal(S.CreateTicketBody, { ...ticket, attachments: [{ name: '', type: 't', data: '' }] }),
    ).toEqual(field('name', 'name is too short.'));
    expect(
      refusal(S.CreateTicketBody, { ...ticket, context: { error: { message: 'm', status: 1000 } } }),
    ).toEqual(field('status', 'status must be at most 999.'));
  });

  it("an object's unknown fields come before its fields' own problems", () => {
    expect(refusal(S.EntryBody, { reason: 5, extra: 1 })).toEqual(field('extra', 'Unknown field "extra".'));
    expect(refusal(S.Empty, JSON.parse('{"__proto__":1}'))).toEqual(
      field('__proto__', 'Unknown field "__proto__".'),
    );
    // A field before the object with the unknown key is reported first, as the fields come in order.
    expect(
      refusal(S.CreateTicketBody, { subject: 5, description: 'd', type: 'question', context: { zz: 1 } }),
    ).toEqual(field('subject', 'subject must be a string.'));
  });

  it('roles, booleans, paging, actions and the idempotency key keep their own refusals', () => {
    expect(refusal(S.RoleBody, { role: 'owner' })).toEqual({
      status: 400,
      code: 'manage.badRequest',
      error: 'Role "owner" is not valid. Allowed roles are: admin, guest, readOnly, share',
      errors: [{ key: 'role', message: 'Invalid role' }],
    });
    expect(refusal(S.RoleBody, {})).toEqual(field('role', 'role must be a string.'));
    expect(refusal(S.NewMemberBody, { email: 'a@b.c', role: 'x'.repeat(101) })).toEqual(
      field('role', 'role must be at most 100 characters long.'),
    );
    expect(refusal(S.UpdateOrganizationBody, { allowAutoJoin: 'true' })).toEqual(
      field('allowAutoJoin', 'allowAutoJoin must be true, false, 0 or 1.'),
    );
    expect(parseWith(S.UpdateOrganizationBody, { allowAutoJoin: 0, mfaRequired: 1 }, 'body')).toEqual({
      allowAutoJoin: false,
      mfaRequired: true,
    });
    for (const [query, key, error] of [
      [{ offset: '1e3' }, 'offset', 'offset must be a whole number from 0 to 1000000000.'],
      [{ limit: '1001' }, 'limit', 'limit must be a whole number from 0 to 1000.'],
      [{ action: 'nope' }, 'action', expect.stringMatching(/^action must be one of: requested, joined, /)],
    ] as const)
      expect(refusal(S.AccessLogQuery, query, 'query')).toEqual({
        status: 400,
        code: 'manage.badRequest',
        error,
        errors: [{ key, message: 'Invalid value' }],
      });
    expect(parseWith(S.AccessLogQuery, { offset: '0', limit: '1000', action: 'joined' }, 'query')).toEqual({
      offset: 0,
      limit: 1000,
      action: 'joined',
    });
    expect(refusal(S.IdempotencyKey, '  ', 'Idempotency-Key')).toEqual({
      status: 400,
      code: 'manage.badRequest',
      error: 'The Idempotency-Key header is required (1 to 200 characters).',
      errors: [{ key: 'Idempotency-Key', message: 'Required' }],
    });
    expect(parseWith(S.IdempotencyKey, ' k ', 'Idempotency-Key')).toBe('k');
  });
});
