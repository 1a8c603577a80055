import type { TrackKind } from '@cutline/timeline';

/** Timeline geometry shared by headers, lanes and hit-testing. */
export const HEADER_WIDTH = 196;
export const RULER_HEIGHT = 30;
/** Room after the last clip, so there is always space to drop or drag to. */
export const TAIL_SECONDS = 30;
/** Grab zone of a trim handle at each clip edge, px. */
export const TRIM_HANDLE_PX = 7;
/** A press that moves less than this is a click, not a drag. */
export const DRAG_THRESHOLD_PX = 3;

export function trackHeight(kind: TrackKind): number {
  return kind === 'video' ? 66 : kind === 'audio' ? 56 : 50;
}
