// planChunks(): whether a render is split, and where. Pure.
//
// A chunk is a range of whole timeline frames rendered by its own job (any worker) into
// its own video-only file; the files are joined without re-encoding (concat demuxer), so
// each chunk must start with a keyframe — it does, being its own encode — and chunks are
// whole multiples of the GOP, so the keyframes of a chunked render fall on the same frames
// as a single render's. Audio is never chunked: it is rendered once for the whole range
// and muxed at the end, so there is no AAC priming gap or click at a seam.

import type { Rational } from '@cutline/timeline';
import type { FrameRange } from './frames.ts';

export type ChunkPlan = { readonly mode: 'single' } | { readonly mode: 'chunked'; readonly chunks: readonly FrameRange[] };

export const DEFAULT_CHUNK_SECONDS = 10;
/** Renders shorter than this are not worth the extra FFmpeg start-ups and the join. */
export const DEFAULT_MIN_CHUNKED_SECONDS = 20;

export function planChunks({
  range,
  fps,
  gopFrames,
  chunkSeconds = DEFAULT_CHUNK_SECONDS,
  minChunkedSeconds = DEFAULT_MIN_CHUNKED_SECONDS,
  chunkable = true,
}: {
  range: FrameRange;
  fps: Rational;
  gopFrames: number;
  chunkSeconds?: number;
  minChunkedSeconds?: number;
  /** False for presets that must be one encode (GIF palettes, audio only). */
  chunkable?: boolean;
}): ChunkPlan {
  const frames = range.end - range.start;
  const perSecond = fps.num / fps.den;
  if (!chunkable || frames < Math.max(2, Math.ceil(minChunkedSeconds * perSecond))) return { mode: 'single' };
  const gop = Math.max(1, gopFrames);
  const size = Math.max(gop, Math.round((chunkSeconds * perSecond) / gop) * gop);
  const chunks: FrameRange[] = [];
  for (let start = range.start; start < range.end; start += size) chunks.push({ start, end: Math.min(range.end, start + size) });
  // A short tail costs a whole FFmpeg start-up for little work: fold it into its neighbour.
  const last = chunks.at(-1);
  const previous = chunks.at(-2);
  if (last && previous && last.end - last.start < size / 2) chunks.splice(-2, 2, { start: previous.start, end: last.end });
  return chunks.length < 2 ? { mode: 'single' } : { mode: 'chunked', chunks };
}
