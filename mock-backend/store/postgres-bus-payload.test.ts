// The bus's NOTIFY payloads carry a ticket's signal across instances (issue 20), and nothing else
// shaped like one.
import { describe, expect, it } from 'vitest';
import { decodePayload } from './postgres-bus.ts';

describe('a ticket signal between instances', () => {
  it('comes through whole; a malformed ticket makes the payload not ours', () => {
    const s = { type: 'events', recipients: [1002], ticket: { id: 7 } };
    expect(decodePayload(JSON.stringify({ o: 'a', s }))).toEqual({ o: 'a', s });
    for (const ticket of [null, { id: '7' }, { id: 1.5 }, {}])
      expect(decodePayload(JSON.stringify({ s: { ...s, ticket } }))).toBeUndefined();
  });
});
