import { ZOOM } from '../timeline/scale.ts';

/** What is selected: clips (several), or one marker, transition or track. */
export type Selection = {
  clipIds: readonly string[];
  markerId: string | null;
  transitionId: string | null;
  trackId: string | null;
};

export const EMPTY_SELECTION: Selection = Object.freeze({ clipIds: [], markerId: null, transitionId: null, trackId: null });

/**
 * This person's view of the project: playhead, selection, zoom and scroll, in/out points.
 * Per user, so it never goes into the shared document (docs/ARCHITECTURE.md, "The documents"); the parts others
 * should see (playhead, selection, visible range) are published to awareness.
 */
export class ViewState {
  /** Seconds. */
  playhead = $state(0);
  selection: Selection = $state.raw(EMPTY_SELECTION);
  pxPerSecond = $state<number>(ZOOM.initialPxPerSecond);
  scrollLeft = $state(0);
  /** Width of the visible lane area, px. */
  viewportWidth = $state(800);
  inPoint: number | null = $state(null);
  outPoint: number | null = $state(null);
  snapping = $state(true);
  /** A snap guide to draw while dragging (seconds), or null. */
  snapGuide: number | null = $state(null);

  get visibleStart(): number {
    return this.scrollLeft / this.pxPerSecond;
  }

  get visibleEnd(): number {
    return (this.scrollLeft + this.viewportWidth) / this.pxPerSecond;
  }

  selectClip(clipId: string, { add = false }: { add?: boolean } = {}): void {
    if (add) {
      const has = this.selection.clipIds.includes(clipId);
      const clipIds = has ? this.selection.clipIds.filter((id) => id !== clipId) : [...this.selection.clipIds, clipId];
      this.selection = { ...EMPTY_SELECTION, clipIds };
    } else {
      this.selection = { ...EMPTY_SELECTION, clipIds: [clipId] };
    }
  }

  selectMarker(markerId: string): void {
    this.selection = { ...EMPTY_SELECTION, markerId };
  }

  selectTransition(transitionId: string): void {
    this.selection = { ...EMPTY_SELECTION, transitionId };
  }

  selectTrack(trackId: string): void {
    this.selection = { ...EMPTY_SELECTION, trackId };
  }

  clearSelection(): void {
    this.selection = EMPTY_SELECTION;
  }

  /** Drops selected ids that no longer exist (someone deleted them). */
  pruneSelection(exists: { clip: (id: string) => boolean; marker: (id: string) => boolean; transition: (id: string) => boolean; track: (id: string) => boolean }): void {
    const s = this.selection;
    const clipIds = s.clipIds.filter(exists.clip);
    const markerId = s.markerId && exists.marker(s.markerId) ? s.markerId : null;
    const transitionId = s.transitionId && exists.transition(s.transitionId) ? s.transitionId : null;
    const trackId = s.trackId && exists.track(s.trackId) ? s.trackId : null;
    if (clipIds.length !== s.clipIds.length || markerId !== s.markerId || transitionId !== s.transitionId || trackId !== s.trackId) {
      this.selection = { clipIds, markerId, transitionId, trackId };
    }
  }
}
