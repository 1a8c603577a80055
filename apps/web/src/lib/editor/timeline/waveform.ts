import { bucketPeaks, type WaveformPeaks } from '@cutline/shared/media-layout';

/**
 * Min/max per pixel column for the source span [sourceFrom, sourceTo) seconds, as
 * −1…1 pairs (`out[2i]` min, `out[2i+1]` max). Each column folds every bucket it
 * covers, so peaks never vanish when zoomed out; zoomed in, a column repeats its bucket.
 */
export function waveformColumns({ peaks, sourceFrom, sourceTo, columns }: { peaks: WaveformPeaks; sourceFrom: number; sourceTo: number; columns: number }): Float32Array {
  const out = new Float32Array(Math.max(0, columns) * 2);
  if (columns <= 0 || peaks.length <= 0 || sourceTo <= sourceFrom) return out;
  const bucketsPerSecond = peaks.sampleRate / peaks.samplesPerBucket;
  const span = sourceTo - sourceFrom;
  for (let col = 0; col < columns; col++) {
    const s0 = sourceFrom + (span * col) / columns;
    const s1 = sourceFrom + (span * (col + 1)) / columns;
    let b0 = Math.floor(s0 * bucketsPerSecond);
    let b1 = Math.ceil(s1 * bucketsPerSecond);
    if (b1 <= b0) b1 = b0 + 1;
    b0 = Math.max(0, b0);
    b1 = Math.min(peaks.length, b1);
    let min = 0;
    let max = 0;
    for (let b = b0; b < b1; b++) {
      const { min: lo, max: hi } = bucketPeaks(peaks, b);
      if (lo < min) min = lo;
      if (hi > max) max = hi;
    }
    out[2 * col] = Math.max(-1, min);
    out[2 * col + 1] = Math.min(1, max);
  }
  return out;
}
