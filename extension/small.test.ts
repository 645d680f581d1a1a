import { describe, expect, it } from 'vitest';
import type { User } from '../api/types.ts';
import { checkAccount, normalizeBackendUrl, originPattern } from './account.ts';
import { projectFromTabUrl, readProjectRef } from './project-ref.ts';
import {
  defaultStack,
  getSettings,
  migrateSettings,
  putStack,
  removeStack,
  SETTINGS_VERSION,
  setSettings,
  stackLabel,
} from './settings.ts';
import { fakeBrowser } from './test-browser.ts';
import { countdown, formatDuration } from './ui/format.ts';

const user = (over: Partial<User>): User => ({
  id: 1,
  name: 'Sam',
  email: 'sam@vendor.test',
  mfaEnabled: true,
  isSuperAdmin: true,
  features: [],
  ...over,
});

describe('project references', () => {
  const base = 'https://connection.keboola.com';
  const eu = 'https://connection.eu-central-1.keboola.com';
  it('accepts an id or #id, for the user to say which stack', () => {
    expect(readProjectRef('100', [base, eu])).toEqual({ kind: 'id', projectId: 100 });
    expect(readProjectRef(' #101 ', [base])).toEqual({ kind: 'id', projectId: 101 });
  });
  it('picks the stack of a pasted project URL by its origin', () => {
    expect(readProjectRef(`${base}/admin/projects/102/dashboard`, [base, eu])).toEqual({
      kind: 'url',
      stack: base,
      projectId: 102,
    });
    expect(readProjectRef(`${eu}/admin/projects/102`, [base, eu])).toEqual({
      kind: 'url',
      stack: eu,
      projectId: 102,
    });
  });
  it('names the stack of a project URL that is not set up, so it can be added', () => {
    expect(readProjectRef(`${eu}/admin/projects/9/dashboard`, [base])).toEqual({
      kind: 'otherStack',
      origin: eu,
      projectId: 9,
    });
  });
  it('refuses other pages, other schemes and junk', () => {
    expect(readProjectRef(`${base}/admin/organizations/5`, [base]).kind).toBe('invalid');
    expect(readProjectRef('ftp://connection.keboola.com/admin/projects/5', [base]).kind).toBe('invalid');
    expect(readProjectRef('abc', [base]).kind).toBe('invalid');
    expect(readProjectRef('0', [base]).kind).toBe('invalid');
  });
  it('reads the current tab only when it is a project page of a configured stack', () => {
    expect(projectFromTabUrl(`${eu}/admin/projects/7/`, [base, eu])).toEqual({ stack: eu, projectId: 7 });
    expect(projectFromTabUrl('https://evil.test/admin/projects/7', [base, eu])).toBeNull();
    expect(projectFromTabUrl('chrome://newtab', [base])).toBeNull();
    expect(projectFromTabUrl(undefined, [base])).toBeNull();
  });
  it('labels a stack by its short host name', () => {
    expect(stackLabel(base)).toBe('keboola.com');
    expect(stackLabel(eu)).toBe('eu-central-1.keboola.com');
    expect(stackLabel('http://127.0.0.1:4010')).toBe('127.0.0.1:4010');
  });
});

describe('accounts', () => {
  it('accepts a support account with MFA', () => {
    expect(checkAccount(user({}))).toMatchObject({ ok: true, kind: 'support' });
  });
  it('refuses any account without MFA and says why', () => {
    const r = checkAccount(user({ mfaEnabled: false }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/multi-factor/);
  });
  it('accepts a non-support MFA account with a warning about maintainers', () => {
    const r = checkAccount(user({ isSuperAdmin: false }));
    expect(r).toMatchObject({ ok: true, kind: 'maybeMaintainer' });
    if (r.ok && r.kind === 'maybeMaintainer') expect(r.warning).toMatch(/maintainer/);
  });
  it('normalizes the backend URL to its origin and asks for that origin only', () => {
    expect(normalizeBackendUrl('connection.keboola.com/admin')).toBe('https://connection.keboola.com');
    expect(normalizeBackendUrl('http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010');
    expect(normalizeBackendUrl('  ')).toBeNull();
    expect(normalizeBackendUrl('http://localhost:4010')).toBe('http://localhost:4010');
    expect(normalizeBackendUrl('http://[::1]:4010')).toBe('http://[::1]:4010');
    expect(originPattern('http://127.0.0.1:4010')).toBe('http://127.0.0.1/*');
  });
});

describe('remote stacks need https', () => {
  it('refuses plain http to anything but this machine, so a token never crosses a network in clear', () => {
    expect(normalizeBackendUrl('http://connection.keboola.com')).toBeNull();
    expect(normalizeBackendUrl('http://10.0.0.5:4010')).toBeNull();
    expect(normalizeBackendUrl('http://127.0.0.1.evil.test')).toBeNull();
    expect(normalizeBackendUrl('ftp://connection.keboola.com')).toBeNull();
    expect(normalizeBackendUrl('https://connection.us-east4.gcp.keboola.com/admin/projects/1')).toBe(
      'https://connection.us-east4.gcp.keboola.com',
    );
  });
});

describe('settings', () => {
  const sam = user({});
  it('has defaults and migrates the first skeleton format through to a list of stacks', () => {
    expect(migrateSettings(undefined)).toEqual({ stacks: [], lastStack: '' });
    expect(migrateSettings({ version: 1, apiUrl: 'https://a.test', apiToken: 't' })).toEqual({
      stacks: [{ url: 'https://a.test', token: 't', user: null, verifiedAt: 0 }],
      lastStack: 'https://a.test',
    });
  });
  it('migrates the one stack of version 2 into the first entry, keeping its token and user', () => {
    const v2 = { version: 2, backendUrl: 'https://a.test', token: 't', user: sam, verifiedAt: 5 };
    expect(migrateSettings(v2)).toEqual({
      stacks: [{ url: 'https://a.test', token: 't', user: sam, verifiedAt: 5 }],
      lastStack: 'https://a.test',
    });
    expect(migrateSettings({ version: 2, backendUrl: '', token: '', user: null, verifiedAt: 0 })).toEqual({
      stacks: [],
      lastStack: '',
    });
  });
  it('keeps one entry per stack and drops entries without a URL', () => {
    const entry = { url: 'https://a.test', token: 't', user: sam, verifiedAt: 1 };
    const got = migrateSettings({ version: 3, stacks: [entry, { ...entry, token: 'x' }, { token: 'y' }] });
    expect(got.stacks).toEqual([entry]);
  });
  it('adds stacks, replaces a stack’s token in place, removes one, and stores the current version', async () => {
    await putStack({ url: 'https://a.test', token: 'a', user: sam, verifiedAt: 1 });
    await putStack({ url: 'https://b.test', token: 'b', user: sam, verifiedAt: 1 });
    await putStack({ url: 'https://a.test', token: 'a2', user: sam, verifiedAt: 2 });
    await setSettings({ lastStack: 'https://b.test' });
    const s = await getSettings();
    expect(s.stacks.map((x) => [x.url, x.token])).toEqual([
      ['https://a.test', 'a2'],
      ['https://b.test', 'b'],
    ]);
    expect(defaultStack(s)).toBe('https://b.test');
    await removeStack('https://b.test');
    const after = await getSettings();
    expect(after.stacks.map((x) => x.url)).toEqual(['https://a.test']);
    expect(defaultStack(after)).toBe('https://a.test');
    const { settings } = await fakeBrowser.storage.local.get('settings');
    expect(settings).toMatchObject({ version: SETTINGS_VERSION });
  });
});

describe('countdown', () => {
  it('counts down and says expired at the end', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(countdown('2026-01-01T04:00:00Z', now)).toBe('4 h left');
    expect(countdown('2026-01-01T00:10:30Z', now)).toBe('10 min left');
    expect(countdown('2025-12-31T23:00:00Z', now)).toBe('expired');
    expect(countdown(null, now)).toBe('no expiry');
  });

  it('counts to the second in the last minute and labels 90 s as 1 min 30 s', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(countdown('2026-01-01T00:00:27Z', now)).toBe('27 s left');
    expect(countdown('2026-01-01T00:00:27Z', now + 500)).toBe('27 s left');
    expect(countdown('2026-01-01T00:00:01Z', now + 999)).toBe('1 s left');
    expect(countdown('2026-01-01T00:00:01Z', now + 1000)).toBe('expired');
    expect(formatDuration(90_000)).toBe('1 min 30 s');
    expect(formatDuration(60_000)).toBe('1 min');
  });
});
