import { describe, expect, it } from 'vitest';
import type { User } from '../api/types.ts';
import { checkAccount, normalizeBackendUrl, originPattern } from './account.ts';
import { otherStackOf, parseProjectRef, projectFromTabUrl } from './project-ref.ts';
import { getSettings, migrateSettings, SETTINGS_VERSION, setSettings } from './settings.ts';
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
  it('accepts an id, #id or a project URL of the configured stack', () => {
    expect(parseProjectRef('100')).toBe(100);
    expect(parseProjectRef(' #101 ')).toBe(101);
    expect(parseProjectRef(`${base}/admin/projects/102/dashboard`, base)).toBe(102);
    expect(parseProjectRef(`${base}/admin/projects/103`, base)).toBe(103);
  });
  it('refuses other stacks, other pages and junk', () => {
    expect(parseProjectRef('https://evil.test/admin/projects/5', base)).toBeNull();
    expect(parseProjectRef(`${base}/admin/organizations/5`, base)).toBeNull();
    expect(parseProjectRef('abc')).toBeNull();
    expect(parseProjectRef('0')).toBeNull();
  });
  it('names the other stack of a pasted project URL, so the user knows where it belongs', () => {
    expect(otherStackOf('https://connection.eu-central-1.keboola.com/admin/projects/9/dashboard', base)).toBe(
      'https://connection.eu-central-1.keboola.com',
    );
    expect(otherStackOf(`${base}/admin/projects/9`, base)).toBeNull();
    expect(otherStackOf('https://evil.test/other', base)).toBeNull();
    expect(otherStackOf('42', base)).toBeNull();
  });
  it('reads the current tab only when it is a project page of the stack', () => {
    expect(projectFromTabUrl(`${base}/admin/projects/7/`, base)).toBe(7);
    expect(projectFromTabUrl('chrome://newtab', base)).toBeNull();
    expect(projectFromTabUrl(undefined, base)).toBeNull();
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
  it('has defaults and migrates the first skeleton format', () => {
    expect(migrateSettings(undefined)).toEqual({ backendUrl: '', token: '', user: null, verifiedAt: 0 });
    expect(migrateSettings({ version: 1, apiUrl: 'https://a.test', apiToken: 't' })).toMatchObject({
      backendUrl: 'https://a.test',
      token: 't',
    });
  });
  it('stores settings with the current version', async () => {
    await setSettings({ backendUrl: 'https://a.test' });
    expect((await getSettings()).backendUrl).toBe('https://a.test');
    const { settings } = await fakeBrowser.storage.local.get('settings');
    expect(settings).toMatchObject({ backendUrl: 'https://a.test', version: SETTINGS_VERSION });
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
