import { SyncEditError } from '@cutline/shared/sync-client';
import { parseCommand } from '@cutline/timeline';
import { describe, expect, it } from 'vitest';
import type { IngestAssetRow } from '@cutline/shared/assets';
import { registerCommand } from './register-command.ts';
import { classifyEditError } from './timeline-editor.ts';

const row = (overrides: Partial<IngestAssetRow>): IngestAssetRow => ({
  id: 'a1',
  projectId: 'p1',
  actorId: 'u1',
  kind: 'video',
  state: 'processing',
  originalName: 'holiday.mov',
  originalKey: 'assets/a1/original',
  probe: {},
  durationUs: 2_500_000,
  width: 1080,
  height: 1920,
  fpsNum: 30000,
  fpsDen: 1001,
  hasAudio: true,
  proxyKey: 'assets/a1/proxy.mp4',
  filmstripKey: null,
  waveformKey: null,
  ...overrides,
});

describe('registerCommand', () => {
  it('gives each kind only the facts the timeline accepts for it, and passes its validator', () => {
    const video = registerCommand(row({}));
    expect(video).toEqual({
      type: 'registerAsset',
      assetId: 'a1',
      kind: 'video',
      name: 'holiday.mov',
      duration: 2.5,
      width: 1080,
      height: 1920,
      fps: { num: 30000, den: 1001 },
      hasAudio: true,
    });
    const audio = registerCommand(row({ kind: 'audio', width: null, height: null, fpsNum: null, fpsDen: null }));
    expect(audio).toEqual({ type: 'registerAsset', assetId: 'a1', kind: 'audio', name: 'holiday.mov', duration: 2.5 });
    const image = registerCommand(row({ kind: 'image', durationUs: null, width: 640, height: 480, fpsNum: null, fpsDen: null, hasAudio: false }));
    expect(image).toEqual({ type: 'registerAsset', assetId: 'a1', kind: 'image', name: 'holiday.mov', width: 640, height: 480 });
    for (const command of [video, audio, image]) expect(parseCommand(command)).toEqual(command);
  });

  it('cuts very long file names to the timeline limit', () => {
    expect(registerCommand(row({ originalName: 'x'.repeat(900) })).name).toHaveLength(500);
  });
});

describe('classifyEditError', () => {
  it('reads the sync client errors: conflict is done, refusals are final, the rest retries', () => {
    expect(classifyEditError(new SyncEditError('conflict', 'asset "a" is already registered', 409))).toBe('conflict');
    expect(classifyEditError(new SyncEditError('forbidden', 'That user may not edit this timeline', 403))).toBe('permanent');
    expect(classifyEditError(new SyncEditError('invalid_command', 'fps: too high', 400))).toBe('permanent');
    expect(classifyEditError(new SyncEditError('bad_request', 'documentName: invalid', 400))).toBe('permanent');
    expect(classifyEditError(new SyncEditError('sync_unavailable', 'The sync server cannot be reached', 503))).toBe('transient');
    expect(classifyEditError(new SyncEditError('storage_unavailable', 'retry it', 503))).toBe('transient');
    expect(classifyEditError(new SyncEditError('schema_version', 'run migrate', 409))).toBe('transient');
    expect(classifyEditError(new SyncEditError('rate_limited', 'slow down', 429))).toBe('transient');
    expect(classifyEditError(new Error('socket hang up'))).toBe('transient');
    expect(classifyEditError('weird')).toBe('transient');
  });
});
