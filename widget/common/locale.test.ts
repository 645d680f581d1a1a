// The one pickLocale and the one pack loader of every part of the widget.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pickLocale } from './locale.ts';
import { createPacks } from './packs.ts';

afterEach(() => vi.unstubAllGlobals());

describe('pickLocale', () => {
  it('picks Czech for cs and any cs- tag, English for anything else', () => {
    for (const tag of ['cs', 'CS', 'cs-CZ']) expect(pickLocale(tag), tag).toBe('cs');
    for (const tag of ['en', 'en-US', 'de', 'csb', 'czech', '']) expect(pickLocale(tag), tag).toBe('en');
  });

  it("without a tag, follows the browser's language", () => {
    vi.stubGlobal('navigator', { language: 'cs-CZ' });
    expect(pickLocale()).toBe('cs');
    vi.stubGlobal('navigator', { language: 'en-GB' });
    expect(pickLocale(undefined)).toBe('en');
  });
});

describe('createPacks', () => {
  it('has English at once and loads the Czech module once, on first use', async () => {
    const csModule = vi.fn(async () => ({ cs: { hello: 'Ahoj' } }));
    const packs = createPacks({ hello: 'Hello' }, csModule);
    expect(packs.get('en')).toEqual({ hello: 'Hello' });
    expect(packs.get('cs')).toBeUndefined();
    expect(csModule).not.toHaveBeenCalled();
    await expect(packs.load('en')).resolves.toEqual({ hello: 'Hello' });
    expect(csModule).not.toHaveBeenCalled();
    await expect(packs.load('cs')).resolves.toEqual({ hello: 'Ahoj' });
    await packs.load('cs');
    expect(csModule).toHaveBeenCalledTimes(1);
    expect(packs.get('cs')).toEqual({ hello: 'Ahoj' });
  });
});
