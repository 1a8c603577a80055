import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESET_LIST, PRESET_NAMES, PRESETS, presetLabel } from './presets.ts';

describe('render presets', () => {
  it('offers every preset the farm renders, once, in the order of PRESET_NAMES', () => {
    expect(PRESET_LIST.map((p) => p.name)).toEqual([...PRESET_NAMES]);
    expect(new Set(PRESET_LIST.map((p) => p.label)).size).toBe(PRESET_NAMES.length);
  });

  it('labels a known preset by its label and an unknown one by its name', () => {
    expect(presetLabel('mp4-720p')).toBe(PRESETS['mp4-720p'].label);
    expect(presetLabel('mp4-8k')).toBe('mp4-8k');
  });

  it('stays browser-safe: the editor imports it, so it imports nothing', () => {
    const source = readFileSync(new URL('./presets.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import /m);
  });
});
