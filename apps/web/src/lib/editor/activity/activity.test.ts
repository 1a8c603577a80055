import { describe, expect, it } from 'vitest';
import { originFor } from '@cutline/timeline';
import { applyCommentCommand, commentsSnapshot, createCommentsDoc } from '@cutline/timeline/comments';
import { activityFor, mentionActivities, type ActivityNames } from './activity.ts';

const names: ActivityNames = {
  asset: (id) => (id === 'a1' ? 'beach.mp4' : null),
  renderPreset: (id) => (id === 'r1' ? 'mp4-720p' : null),
};

describe('activityFor', () => {
  it('reports a finished and a failed render, with the reason', () => {
    expect(activityFor({ type: 'render.updated', projectId: 'p', renderId: 'r1', state: 'succeeded', progress: 1 }, names)).toMatchObject({
      key: 'render:r1:succeeded',
      tone: 'ok',
      title: 'Export (MP4 720p (H.264/AAC)) finished',
    });
    expect(activityFor({ type: 'render.updated', projectId: 'p', renderId: 'r2', state: 'failed', progress: 0.4, error: 'FFmpeg exited with code 1' }, names)).toEqual({
      key: 'render:r2:failed',
      tone: 'error',
      title: 'An export failed',
      detail: 'FFmpeg exited with code 1',
    });
  });

  it('says whose export it was', () => {
    const by = (id: string) => (id === 'r1' ? { name: 'Ada', mine: false } : id === 'r2' ? { name: 'Me', mine: true } : null);
    const done = (renderId: string) => activityFor({ type: 'render.updated', projectId: 'p', renderId, state: 'succeeded', progress: 1 }, { ...names, renderBy: by });
    expect(done('r1')?.title).toBe('Ada’s export (MP4 720p (H.264/AAC)) finished');
    expect(done('r2')?.title).toBe('Your export finished');
    expect(done('r3')?.title).toBe('An export finished');
  });

  it('reports media that became ready or failed, with the reason', () => {
    expect(activityFor({ type: 'asset.updated', projectId: 'p', assetId: 'a1', state: 'ready' }, names)).toMatchObject({ tone: 'ok', title: '“beach.mp4” is ready' });
    expect(activityFor({ type: 'asset.updated', projectId: 'p', assetId: 'a2', state: 'failed', reason: 'Not a media file' }, names)).toEqual({
      key: 'asset:a2:failed',
      tone: 'error',
      title: 'A media file cannot be used',
      detail: 'Not a media file',
    });
  });

  it('stays quiet about progress and intermediate states', () => {
    expect(activityFor({ type: 'render.updated', projectId: 'p', renderId: 'r1', state: 'running', progress: 0.5 }, names)).toBeNull();
    expect(activityFor({ type: 'render.updated', projectId: 'p', renderId: 'r1', state: 'cancelled', progress: 0.5 }, names)).toBeNull();
    expect(activityFor({ type: 'asset.updated', projectId: 'p', assetId: 'a1', state: 'processing' }, names)).toBeNull();
    expect(activityFor({ type: 'asset.deleted', projectId: 'p', assetId: 'a1' }, names)).toBeNull();
  });
});

describe('mentionActivities', () => {
  it('toasts new comments and replies by others that mention me, once each, with names for ids', () => {
    const doc = createCommentsDoc();
    let now = 1000;
    const as = (userId: string, command: Record<string, unknown>) => applyCommentCommand(doc, command, originFor('user', userId), { now: () => now });
    const { threadId } = as('ada', { type: 'createThread', body: 'Before I opened it, @[me]', start: 1 }) as { threadId: string };
    now = 5000;
    as('ada', { type: 'reply', threadId, body: 'Look at this, @[me]' });
    as('me', { type: 'reply', threadId, body: 'Noting it for @[me] myself' });
    as('bob', { type: 'reply', threadId, body: 'Nobody mentioned here' });
    const names: Record<string, string> = { ada: 'Ada', me: 'Me' };
    const activities = mentionActivities({ threads: commentsSnapshot(doc).threads, me: 'me', since: 2000, nameOf: (id) => names[id] ?? null });
    expect(activities).toEqual([{ key: expect.stringMatching(/^mention:/), tone: 'ok', title: 'Ada mentioned you', detail: 'Look at this, @Me' }]);
  });
});
