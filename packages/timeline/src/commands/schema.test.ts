import { describe, expect, it } from 'vitest';
import { InvalidCommandError } from '../errors.ts';
import { ID_PATTERN } from '../ids.ts';
import { jsonSchemaAccepts } from '../testing/json-schema.ts';
import {
  COMMAND_BATCH_SCHEMA,
  COMMAND_SCHEMAS,
  COMMAND_TYPES,
  COMMAND_VALIDATORS,
  ID_REF_PATTERN,
  REF_PATTERN,
  TIMELINE_COMMAND_SCHEMA,
  parseCommand,
} from './schema.ts';

function validatorAccepts(value: unknown): boolean {
  try {
    parseCommand(value);
    return true;
  } catch (e) {
    if (e instanceof InvalidCommandError) return false;
    throw e;
  }
}

const VALID: unknown[] = [
  { type: 'setSettings', width: 1280, height: 720 },
  { type: 'setSettings', fps: { num: 24000, den: 1001 }, background: '#112233', sampleRate: 44100 },
  { type: 'addTrack', kind: 'video' },
  { type: 'addTrack', kind: 'audio', name: 'Music', index: 0 },
  { type: 'updateTrack', trackId: 't1', muted: true },
  { type: 'removeTrack', trackId: 't1' },
  { type: 'addClip', trackId: 't1', assetId: 'a1', start: 0 },
  { type: 'addClip', trackId: 't1', assetId: 'a1', start: 1.5, duration: 2, sourceIn: 10 },
  { type: 'addTextClip', trackId: 't1', text: 'Hello', start: 0, duration: 3, style: { fontFamily: 'Inter', background: { color: '#00000080' } } },
  { type: 'addTextClip', trackId: 't1', text: '', start: 0, duration: 3, style: { background: null }, x: 0.2, y: 0.9 },
  { type: 'addColorClip', trackId: 't1', color: '#ff0000', start: 0, duration: 1 },
  { type: 'updateClip', clipId: 'c1', opacity: 0.5 },
  { type: 'updateClip', clipId: 'c1', style: { align: 'left' } },
  { type: 'moveClip', clipId: 'c1', start: 3 },
  { type: 'moveClip', clipId: 'c1', start: 3, trackId: 't2' },
  { type: 'trimClip', clipId: 'c1', edge: 'end', to: 4 },
  { type: 'splitClip', clipId: 'c1', at: 2 },
  { type: 'removeClip', clipId: 'c1' },
  { type: 'rippleDelete', clipId: 'c1' },
  { type: 'addTransition', fromClipId: 'c1', toClipId: 'c2', kind: 'wipe', duration: 0.5 },
  { type: 'removeTransition', transitionId: 'x1' },
  { type: 'addMarker', time: 10 },
  { type: 'addMarker', time: 10, label: 'Drop', color: '#00ff00' },
  { type: 'removeMarker', markerId: 'm1' },
  { type: 'registerAsset', kind: 'video' },
  { type: 'registerAsset', assetId: 'upload_123-abc', kind: 'video', name: 'clip.mp4', duration: 12.5, width: 1920, height: 1080, fps: { num: 30, den: 1 }, hasAudio: true },
  { type: 'updateAsset', assetId: 'a1', duration: 3 },
];

const INVALID: unknown[] = [
  null,
  'addTrack',
  [],
  {},
  { type: 'nope' },
  { type: 'addTrack' },
  { type: 'addTrack', kind: 'subtitle' },
  { type: 'addTrack', kind: 'video', extra: 1 },
  { type: 'addTrack', kind: 'video', index: 1.5 },
  { type: 'addTrack', kind: 'video', index: -1 },
  { type: 'addTrack', kind: 'video', name: 7 },
  { type: 'setSettings' },
  { type: 'setSettings', width: 1281 },
  { type: 'setSettings', width: 8 },
  { type: 'setSettings', fps: { num: 30 } },
  { type: 'setSettings', fps: { num: 30, den: 0 } },
  { type: 'setSettings', background: 'red' },
  { type: 'setSettings', background: '#12345' },
  { type: 'updateTrack', trackId: 't1' },
  { type: 'updateTrack', trackId: 'bad id', muted: true },
  { type: 'updateTrack', trackId: 't1', muted: 'yes' },
  { type: 'addClip', trackId: 't1', assetId: 'a1' },
  { type: 'addClip', trackId: 't1', assetId: 'a1', start: -1 },
  { type: 'addClip', trackId: 't1', assetId: 'a1', start: 0, duration: 0 },
  { type: 'addClip', trackId: 't1', assetId: 'a1', start: 90_000 },
  { type: 'addClip', trackId: 't1', assetId: 'a1', start: '0' },
  { type: 'addTextClip', trackId: 't1', text: 'x', start: 0, duration: 1, style: { fontFamily: 'Comic Sans' } },
  { type: 'addTextClip', trackId: 't1', text: 'x'.repeat(5001), start: 0, duration: 1 },
  { type: 'addTextClip', trackId: 't1', text: 'x', start: 0, duration: 1, style: { fontSize: 0 } },
  { type: 'addColorClip', trackId: 't1', color: '#ff000', start: 0, duration: 1 },
  { type: 'updateClip', clipId: 'c1' },
  { type: 'updateClip', clipId: 'c1', opacity: 1.5 },
  { type: 'updateClip', clipId: 'c1', speed: 8 },
  { type: 'updateClip', clipId: 'c1', speed: 0.1 },
  { type: 'updateClip', clipId: 'c1', volume: 5 },
  { type: 'updateClip', clipId: 'c1', start: 2 },
  { type: 'trimClip', clipId: 'c1', edge: 'middle', to: 4 },
  { type: 'addTransition', fromClipId: 'c1', toClipId: 'c2', kind: 'spin', duration: 1 },
  { type: 'addTransition', fromClipId: 'c1', toClipId: 'c2', kind: 'wipe', duration: 0 },
  { type: 'registerAsset', kind: 'font' },
  { type: 'registerAsset', kind: 'video', assetId: 'has space' },
  { type: 'registerAsset', kind: 'video', width: 0 },
  { type: 'updateAsset', assetId: 'a1' },
  { type: 'addMarker', time: 1, label: 'x'.repeat(501) },
];

describe('command schemas', () => {
  it('[TL41] every command has a published JSON Schema', () => {
    expect(Object.keys(COMMAND_SCHEMAS).sort()).toEqual([...COMMAND_TYPES].sort());
    expect(COMMAND_TYPES).toHaveLength(19);
    for (const type of COMMAND_TYPES) {
      expect(COMMAND_SCHEMAS[type]['title']).toBe(type);
      expect(COMMAND_SCHEMAS[type]['additionalProperties']).toBe(false);
      expect(typeof COMMAND_SCHEMAS[type]['description']).toBe('string');
    }
    expect(JSON.parse(JSON.stringify(TIMELINE_COMMAND_SCHEMA))).toEqual(TIMELINE_COMMAND_SCHEMA);
  });

  it('[TL41] the JSON Schema and the validator agree on valid commands', () => {
    for (const cmd of VALID) {
      expect(validatorAccepts(cmd), JSON.stringify(cmd)).toBe(true);
      expect(jsonSchemaAccepts(TIMELINE_COMMAND_SCHEMA, cmd), JSON.stringify(cmd)).toBe(true);
    }
  });

  it('[TL41] the JSON Schema and the validator agree on invalid commands', () => {
    for (const cmd of INVALID) {
      expect(validatorAccepts(cmd), JSON.stringify(cmd)).toBe(false);
      expect(jsonSchemaAccepts(TIMELINE_COMMAND_SCHEMA, cmd), JSON.stringify(cmd)).toBe(false);
    }
  });

  it('[TL41] the batch schema accepts arrays of commands', () => {
    expect(jsonSchemaAccepts(COMMAND_BATCH_SCHEMA, VALID)).toBe(true);
    expect(jsonSchemaAccepts(COMMAND_BATCH_SCHEMA, [...VALID, { type: 'nope' }])).toBe(false);
  });

  it('[TL40] rejects values JSON cannot carry: NaN, Infinity, undefined-only fields', () => {
    expect(() => parseCommand({ type: 'addMarker', time: Number.NaN })).toThrow(/finite number, got NaN/);
    expect(() => parseCommand({ type: 'addMarker', time: Number.POSITIVE_INFINITY })).toThrow(InvalidCommandError);
    expect(() => parseCommand({ type: 'updateClip', clipId: 'c1', opacity: undefined })).toThrow(/at least 3 fields|needs/);
    expect(() => parseCommand(Object.assign(Object.create({ polluted: true }) as object, { type: 'addTrack', kind: 'video' }))).toThrow(/expected an object/);
  });

  it('[TL40] rejects a __proto__ key instead of merging it', () => {
    const evil: unknown = JSON.parse('{"type":"addTrack","kind":"video","__proto__":{"locked":true}}');
    expect(() => parseCommand(evil)).toThrow(/__proto__: unknown field/);
  });

  it('[TL40] errors name the offending field', () => {
    try {
      parseCommand({ type: 'addTextClip', trackId: 't1', text: 'x', start: 0, duration: 1, style: { color: 'blue' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidCommandError);
      expect((e as InvalidCommandError).path).toBe('style.color');
      expect((e as InvalidCommandError).code).toBe('invalid_command');
    }
  });

  it('[TL14] text length counts characters, not UTF-16 units', () => {
    const emoji = '🎬'.repeat(5000);
    expect(emoji.length).toBe(10_000);
    expect(parseCommand({ type: 'addTextClip', trackId: 't', text: emoji, start: 0, duration: 1 })).toMatchObject({ text: emoji });
    expect(() => parseCommand({ type: 'addTextClip', trackId: 't', text: `${emoji}!`, start: 0, duration: 1 })).toThrow(/longer than 5000/);
  });

  it('[TL43] id fields accept ids and batch references; references fail outside a batch', () => {
    const idOrRef = new RegExp(ID_REF_PATTERN);
    expect(idOrRef.test('abc_DEF-123')).toBe(true);
    expect(idOrRef.test('$0.trackId')).toBe(true);
    expect(idOrRef.test('$12.clipIds.1')).toBe(true);
    expect(idOrRef.test('$x.trackId')).toBe(false);
    expect(idOrRef.test('a b')).toBe(false);
    expect(new RegExp(REF_PATTERN).test('$0.trackId')).toBe(true);
    expect(new RegExp(ID_PATTERN).test('$0.trackId')).toBe(false);
    expect(() => COMMAND_VALIDATORS.removeTrack.parse({ type: 'removeTrack', trackId: '$0.trackId' }, '')).toThrow(/only inside applyCommands/);
  });
});
