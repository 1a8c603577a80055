import type { TimelineSnapshot } from '@cutline/timeline';
import type { Clock } from './frame-clock.ts';
import type { AnyCanvas, MediaMap, RenderMode } from './preview-engine.ts';

/** Messages between the page and the preview worker (or its in-page stand-in). */
export type ToPreview =
  | { type: 'init'; canvas: AnyCanvas; fonts: { family: string; url: string }[] }
  | { type: 'snapshot'; snapshot: TimelineSnapshot }
  | { type: 'media'; media: MediaMap }
  | { type: 'resize'; width: number; height: number }
  | { type: 'render'; id: number; time: number; mode: RenderMode }
  | { type: 'still'; id: number; time: number; width: number; height: number }
  /** Start playing on this clock (the audio clock as wall-clock time). */
  | { type: 'play'; run: number; clock: Clock }
  /** The audio clock drifted: the new mapping for the running playback. */
  | { type: 'clock'; run: number; clock: Clock }
  | { type: 'stop' };

export type FromPreview =
  | { type: 'ready'; webCodecs: boolean; missingFonts: string[] }
  | { type: 'rendered'; id: number; time: number; ms: number; decodeMs: number }
  /** A playback frame went on screen; `dropped` frames were skipped just before it. */
  | { type: 'presented'; run: number; time: number; dropped: number; ms: number }
  | { type: 'still'; id: number; blob: Blob | null; error: string | null }
  | { type: 'error'; message: string };
