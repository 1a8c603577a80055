import { describe, expect, it } from 'vitest';
import { applyCommand } from './commands/apply.ts';
import { sequentialIds } from './ids.ts';
import { originFor } from './origin.ts';
import { snapshot } from './snapshot.ts';
import { fixture } from './testing/fixtures.ts';
import { createUserUndoManager } from './undo.ts';

function setup() {
  const f = fixture();
  const t = f.track();
  const clip = (f.run({ type: 'addColorClip', trackId: t, color: '#000000', start: 0, duration: 2 }) as { clipId: string }).clipId;
  const bob = originFor('user', 'bob');
  const bobIds = sequentialIds('bob');
  const runBob = (cmd: Parameters<typeof applyCommand>[1]) => applyCommand(f.doc, cmd, bob, { ids: bobIds });
  const aliceUndo = createUserUndoManager({ doc: f.doc, userId: 'alice' });
  const bobUndo = createUserUndoManager({ doc: f.doc, userId: 'bob' });
  return { f, t, clip, runBob, aliceUndo, bobUndo };
}

describe('per-user undo', () => {
  it('[TL44] two users edit; each undo reverts only their own change', () => {
    const { f, t, clip, runBob, aliceUndo, bobUndo } = setup();
    f.run({ type: 'updateClip', clipId: clip, opacity: 0.5 });
    const bobsClip = (runBob({ type: 'addColorClip', trackId: t, color: '#ffffff', start: 5, duration: 1 }) as { clipId: string }).clipId;
    runBob({ type: 'updateClip', clipId: clip, x: 0.1 });
    expect(aliceUndo.undo()).toBe(true);
    expect(f.clip(clip)).toMatchObject({ opacity: 1, x: 0.1 });
    expect(snapshot(f.doc).clips.map((c) => c.id)).toContain(bobsClip);
    expect(bobUndo.undo()).toBe(true);
    expect(f.clip(clip)).toMatchObject({ opacity: 1, x: 0.5 });
    expect(bobUndo.undo()).toBe(true);
    expect(snapshot(f.doc).clips.map((c) => c.id)).toEqual([clip]);
    expect(aliceUndo.canUndo()).toBe(false);
    expect(bobUndo.redo()).toBe(true);
    expect(snapshot(f.doc).clips.map((c) => c.id)).toContain(bobsClip);
  });

  it('[TL44] each command is its own undo step; a gesture groups a drag into one', () => {
    const { f, clip, aliceUndo } = setup();
    f.run({ type: 'moveClip', clipId: clip, start: 1 });
    f.run({ type: 'moveClip', clipId: clip, start: 2 });
    aliceUndo.undo();
    expect(f.clip(clip).start).toBe(1);
    aliceUndo.beginGesture();
    for (const start of [3, 4, 5, 6]) f.run({ type: 'moveClip', clipId: clip, start });
    aliceUndo.endGesture();
    f.run({ type: 'updateClip', clipId: clip, opacity: 0.3 });
    aliceUndo.undo();
    expect(f.clip(clip)).toMatchObject({ start: 6, opacity: 1 });
    aliceUndo.undo();
    expect(f.clip(clip).start).toBe(1);
  });

  it('[TL44] edits through the API or assistant are not the user’s undo steps unless asked', () => {
    const { f, clip, aliceUndo } = setup();
    applyCommand(f.doc, { type: 'updateClip', clipId: clip, opacity: 0.2 }, originFor('assistant', 'alice'));
    expect(aliceUndo.canUndo()).toBe(false);
    const withAssistant = createUserUndoManager({ doc: f.doc, userId: 'alice', sources: ['user', 'assistant'] });
    applyCommand(f.doc, { type: 'updateClip', clipId: clip, opacity: 0.4 }, originFor('assistant', 'alice'));
    withAssistant.undo();
    expect(f.clip(clip).opacity).toBe(0.2);
    withAssistant.destroy();
  });

  it('[TL44] undo can bring back a clip into a spot another user filled; the read rule resolves it', () => {
    const { f, t, clip, runBob, aliceUndo } = setup();
    f.run({ type: 'moveClip', clipId: clip, start: 10 });
    runBob({ type: 'addColorClip', trackId: t, color: '#ffffff', start: 0, duration: 2 });
    aliceUndo.undo();
    const s = snapshot(f.doc);
    expect(s.clips).toHaveLength(1);
  });
});
