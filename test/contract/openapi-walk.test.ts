// The walk of the contract suite's answers through the OpenAPI document can fail: each kind of
// disagreement it must catch, on answers made up here.
import { describe, expect, it } from 'vitest';
import { openapiDocument } from '../../mock-backend/openapi.ts';
import { type Answer, walkAnswers } from './openapi-walk.ts';

const URL = 'http://127.0.0.1:1/manage/projects/100/join-requests/count';
const answer = (over: Partial<Answer>): Answer => ({
  method: 'GET',
  url: URL,
  status: 200,
  contentType: 'application/json',
  body: '{"count":2}',
  ...over,
});
const error = (code: unknown) =>
  JSON.stringify({
    error: 'No',
    ...(code === undefined ? {} : { code }),
    status: 'error',
    exceptionId: 'e-1',
  });
const walk = (answers: Answer[], flavor: 'default' | 'keboola' = 'default') =>
  walkAnswers(openapiDocument(), answers, flavor).problems;

describe('the walk through the OpenAPI document', () => {
  it('passes answers that are what the document says', () => {
    expect(walk([answer({}), answer({ status: 403, body: error('manage.accessDenied') })])).toEqual([]);
    const user = 'http://127.0.0.1:1/manage/projects/100/users/sean%40acme.test';
    expect(walk([answer({ method: 'DELETE', url: user, status: 204, contentType: null, body: '' })])).toEqual(
      [],
    );
  });

  it('finds a body that does not validate: a missing field, an extra one, a wrong type', () => {
    expect(walk([answer({ body: '{}' })])).toEqual([
      expect.stringMatching(/^GET \/manage\/projects\/\{projectId\}\/join-requests\/count 200: .*count/),
    ]);
    expect(walk([answer({ body: '{"count":1,"more":true}' })])).toHaveLength(1);
    expect(walk([answer({ body: '{"count":"1"}' })])).toHaveLength(1);
    expect(walk([answer({ status: 403, body: error(403) })])).toHaveLength(1);
  });

  it('finds a status the route does not document (default does not count) and a route it lacks', () => {
    expect(walk([answer({ status: 409, body: error('manage.conflict') })])).toEqual([
      'GET /manage/projects/{projectId}/join-requests/count 409: status not documented',
    ]);
    expect(walk([answer({ url: 'http://127.0.0.1:1/manage/nowhere' })])).toEqual([
      'GET /manage/nowhere 200: route not in the document',
    ]);
    expect(walk([answer({ method: 'PATCH' })])).toHaveLength(1);
  });

  it('finds a body where none is documented, and a content type the document does not name', () => {
    const reject = { method: 'DELETE', url: 'http://127.0.0.1:1/manage/projects/100/join-requests/5' };
    expect(walk([answer({ ...reject, status: 204, body: '{}' })])).toHaveLength(1);
    expect(walk([answer({ contentType: 'text/html' })])).toHaveLength(1);
  });

  it("holds the Keboola flavor to Keboola's shapes, and skips only its route-not-found for our extensions", () => {
    const verify = 'http://127.0.0.1:1/manage/tokens/verify';
    const ours = JSON.stringify({ id: 1, description: 'd', user: null });
    expect(walk([answer({ url: verify, body: ours })])).toEqual([]);
    expect(walk([answer({ url: verify, body: ours })], 'keboola')).toHaveLength(1);
    expect(walk([answer({ status: 403, body: error(403) })], 'keboola')).toEqual([]);
    const notFound = JSON.stringify({ error: 'Route GET /x not found', status: 'error', exceptionId: 'e' });
    const tickets = 'http://127.0.0.1:1/manage/support/tickets';
    expect(walk([answer({ url: tickets, status: 404, body: notFound })], 'keboola')).toEqual([]);
    expect(walk([answer({ url: tickets, status: 404, body: notFound })], 'default')).toHaveLength(1);
  });
});
