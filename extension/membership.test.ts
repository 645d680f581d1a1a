import { describe, expect, it } from 'vitest';
import { createClient } from '../api/client.ts';
import { BASE, harness, IDS, TOKENS } from '../mock-backend/testing.ts';
import { ownMembership } from './membership.ts';

/** A client over the in-process backend that records the paths it asks for; `keboola` hides our GET. */
async function client(keboola = false, token: string = TOKENS.guest) {
  const h = await harness();
  const paths: string[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    paths.push(path);
    if (keboola && request.method === 'GET' && /\/users\/\d+$/.test(path))
      return new Response(
        JSON.stringify({ error: 'Route not found', code: 404, status: 'error', exceptionId: 'x' }),
        {
          status: 404,
          headers: { 'Content-Type': 'application/json' },
        },
      );
    return h.app.fetch(request);
  };
  return { h, paths, c: createClient({ baseUrl: BASE, token, fetch, timeoutMs: 5000 }) };
}

describe('ownMembership', () => {
  it('reads the one row, not the whole list, and null for a project the user is not in', async () => {
    const { c, paths } = await client();
    expect(await ownMembership(c, 100, IDS.guest)).toMatchObject({ id: IDS.guest, role: 'guest' });
    expect(await ownMembership(c, 101, IDS.guest)).toBeNull();
    expect(await ownMembership(c, 100, IDS.support)).toBeNull();
    expect(paths).toEqual([
      `/manage/projects/100/users/${IDS.guest}`,
      `/manage/projects/101/users/${IDS.guest}`,
      `/manage/projects/100/users/${IDS.support}`,
    ]);
  });

  it('falls back to the list on a backend without the one-row read (Keboola)', async () => {
    const { c, paths } = await client(true);
    expect(await ownMembership(c, 100, IDS.guest)).toMatchObject({ id: IDS.guest, role: 'guest' });
    expect(paths).toEqual([`/manage/projects/100/users/${IDS.guest}`, '/manage/projects/100/users']);
  });

  // Outsiders who are not members read no project's users (issue 22): only their own row, which
  // says "not a member" (404). Where the one-row read is missing (Keboola), the list's 403 says the same.
  it('tells a support user outside the project "not a member", and the row once they joined', async () => {
    const { c, paths } = await client(false, TOKENS.support);
    expect(await ownMembership(c, 101, IDS.support)).toBeNull();
    expect(paths).toEqual([`/manage/projects/101/users/${IDS.support}`]);
    expect(
      (await c.joinProject(101, { reason: 'Investigating', expirationSeconds: 3600 })).error,
    ).toBeUndefined();
    expect(await ownMembership(c, 101, IDS.support)).toMatchObject({ id: IDS.support, kind: 'support' });
  });

  it('on a backend without the one-row read, an outsider outside the project is "not a member" too', async () => {
    const { c, paths } = await client(true, TOKENS.support);
    expect(await ownMembership(c, 101, IDS.support)).toBeNull();
    expect(paths).toEqual([`/manage/projects/101/users/${IDS.support}`, '/manage/projects/101/users']);
  });
});
