// Per-user undo (TL44): a Y.UndoManager that tracks only one user's
// origins, so my undo never reverts your edit. Origins are the cached objects from
// `originFor`, because the UndoManager compares them by identity.

import * as Y from 'yjs';
import type { UserSource } from './origin.ts';
import { originFor } from './origin.ts';

export interface UserUndoManager {
  readonly manager: Y.UndoManager;
  undo(): boolean;
  redo(): boolean;
  canUndo(): boolean;
  canRedo(): boolean;
  /** Start grouping: every change until endGesture() becomes one undo step (a drag). */
  beginGesture(): void;
  endGesture(): void;
  /** Make the next change a new undo step. */
  stopCapturing(): void;
  destroy(): void;
}

export interface CreateUserUndoManagerOptions {
  doc: Y.Doc;
  userId: string;
  /** Which of the user's origins count as theirs (default: only direct edits, 'user'). */
  sources?: readonly UserSource[];
  /** Merge changes closer than this many ms into one step (default 0: never). */
  captureTimeout?: number;
}

export function createUserUndoManager(options: CreateUserUndoManagerOptions): UserUndoManager {
  const { doc, userId } = options;
  const sources = options.sources ?? ['user'];
  const captureTimeout = options.captureTimeout ?? 0;
  // Assets are facts about files (ingest fills them in), not edits anyone wants undone.
  const scope = ['settings', 'tracks', 'clips', 'transitions', 'markers'].map((name) => doc.getMap(name));
  const manager = new Y.UndoManager(scope, {
    trackedOrigins: new Set<unknown>(sources.map((s) => originFor(s, userId))),
    captureTimeout,
  });
  let gestures = 0;
  return {
    manager,
    undo: () => manager.undo() !== null,
    redo: () => manager.redo() !== null,
    canUndo: () => manager.canUndo(),
    canRedo: () => manager.canRedo(),
    beginGesture() {
      if (gestures++ === 0) {
        manager.stopCapturing();
        manager.captureTimeout = Number.POSITIVE_INFINITY;
      }
    },
    endGesture() {
      if (gestures === 0) return;
      if (--gestures === 0) {
        manager.captureTimeout = captureTimeout;
        manager.stopCapturing();
      }
    },
    stopCapturing: () => manager.stopCapturing(),
    destroy: () => manager.destroy(),
  };
}
