import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyLike } from './shortcuts.ts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('shortcuts', () => {
  it('maps undo and redo per platform', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }), { mac: false })).toBe('undo');
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }), { mac: false })).toBe('redo');
    expect(shortcutFor(key('y', { ctrlKey: true }), { mac: false })).toBe('redo');
    expect(shortcutFor(key('z', { metaKey: true }), { mac: true })).toBe('undo');
    expect(shortcutFor(key('z', { ctrlKey: true }), { mac: true })).toBeNull();
  });

  it('maps transport, editing and zoom keys', () => {
    expect(shortcutFor(key(' '), { mac: false })).toBe('togglePlay');
    expect(['j', 'k', 'l'].map((k) => shortcutFor(key(k), { mac: false }))).toEqual(['shuttleReverse', 'shuttleStop', 'shuttleForward']);
    expect(shortcutFor(key('S'), { mac: false })).toBe('split');
    expect(shortcutFor(key('Delete'), { mac: false })).toBe('delete');
    expect(shortcutFor(key('Delete', { shiftKey: true }), { mac: false })).toBe('rippleDelete');
    expect(shortcutFor(key('+'), { mac: false })).toBe('zoomIn');
    expect(shortcutFor(key('='), { mac: false })).toBe('zoomIn');
    expect(shortcutFor(key('-'), { mac: false })).toBe('zoomOut');
    expect(shortcutFor(key('ArrowRight', { shiftKey: true }), { mac: false })).toBe('forward1s');
    expect(shortcutFor(key('['), { mac: false })).toBe('trimStart');
    expect(shortcutFor(key(']'), { mac: false })).toBe('trimEnd');
  });

  it('leaves browser shortcuts alone', () => {
    expect(shortcutFor(key('s', { ctrlKey: true }), { mac: false })).toBeNull();
    expect(shortcutFor(key('l', { altKey: true }), { mac: false })).toBeNull();
  });
});
