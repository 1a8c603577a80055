import type { SnapshotTransition, TransitionKind } from '@cutline/timeline';
import type { ProjectSession } from '../session/project-session.svelte.ts';

/**
 * Transitions have no update command (TL40): a new kind or duration is a remove and an
 * add in ONE batch — one transaction, one undo step. Returns the new transition's id.
 */
export function replaceTransition({ session, transition, kind = transition.kind, duration = transition.duration }: { session: ProjectSession; transition: SnapshotTransition; kind?: TransitionKind; duration?: number }): string | null {
  if (kind === transition.kind && Math.abs(duration - transition.duration) < 1e-7) return transition.id;
  const results = session.runBatch([
    { type: 'removeTransition', transitionId: transition.id },
    { type: 'addTransition', fromClipId: transition.fromClipId, toClipId: transition.toClipId, kind, duration },
  ]);
  const added = results?.[1];
  return added && 'transitionId' in added ? added.transitionId : null;
}
