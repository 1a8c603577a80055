/**
 * The filmstrip and waveform contracts between the render farm, which writes them at
 * ingest (apps/render/src/ingest), and the editor, which draws them
 * (apps/web/src/lib/editor/timeline). Browser-safe (no Node imports), pure numbers.
 */

/**
 * Filmstrip sprite: thumbnails in one image, left to right then top to bottom. Tile i
 * shows the frame at `i × intervalUs`. Stored with the asset (assets.filmstrip) so the
 * editor can cut tiles out of the sprite without loading it first.
 */
export type FilmstripLayout = {
  version: 1;
  tileWidth: number;
  tileHeight: number;
  columns: number;
  rows: number;
  count: number;
  /** Time between tiles; 0 for an image's single thumbnail. */
  intervalUs: number;
};

export const FILMSTRIP = {
  tileHeight: 90,
  minTileWidth: 32,
  maxTileWidth: 320,
  /** One tile a second for short clips; long media spreads 100 tiles over its length. */
  minIntervalUs: 1_000_000,
  maxTiles: 100,
  maxColumns: 10,
} as const;

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** A tile FILMSTRIP.tileHeight tall, as wide as the picture's aspect says (even, clamped). */
export function tileSize({ width, height }: { width: number; height: number }): { tileWidth: number; tileHeight: number } {
  const tileHeight = FILMSTRIP.tileHeight;
  const tileWidth = Math.min(FILMSTRIP.maxTileWidth, Math.max(FILMSTRIP.minTileWidth, even((tileHeight * width) / height)));
  return { tileWidth, tileHeight };
}

/** How many tiles, how far apart and in what grid, for media `durationUs` long. */
export function filmstripGrid({ durationUs }: { durationUs: number }): { intervalUs: number; count: number; columns: number; rows: number } {
  const intervalUs = Math.max(FILMSTRIP.minIntervalUs, Math.ceil(durationUs / FILMSTRIP.maxTiles / 1000) * 1000);
  // A tail shorter than a tenth of the interval (2.008 s of WebM) gets no tile of its own.
  const count = Math.max(1, Math.min(FILMSTRIP.maxTiles, Math.ceil(durationUs / intervalUs - 0.1)));
  const columns = Math.min(count, FILMSTRIP.maxColumns);
  return { intervalUs, count, columns, rows: Math.ceil(count / columns) };
}

/** The tile nearest source time `sourceSeconds` (clamped to the sprite), and its cell. */
export function filmstripTile({ layout, sourceSeconds }: { layout: FilmstripLayout; sourceSeconds: number }): { index: number; column: number; row: number } {
  const interval = layout.intervalUs / 1e6;
  const index = interval > 0 ? Math.min(layout.count - 1, Math.max(0, Math.round(sourceSeconds / interval))) : 0;
  return { index, column: index % layout.columns, row: Math.floor(index / layout.columns) };
}

/**
 * Waveform peaks as JSON, in the shape of BBC audiowaveform's JSON output (version 2
 * there): the mono mix, `length` buckets of `samplesPerBucket` samples each, `data` holds
 * min and max of every bucket in turn, as 8-bit integers (−128…127 ≙ −1…1).
 */
export type WaveformPeaks = {
  version: 1;
  channels: 1;
  sampleRate: number;
  samplesPerBucket: number;
  bits: 8;
  length: number;
  data: number[];
};

export const WAVEFORM = {
  /**
   * Decoding at 16 kHz is plenty for a drawing (content above 8 kHz rarely sets the
   * peak) and a third of the work of 48 kHz. 160 samples = 100 buckets a second.
   */
  sampleRate: 16_000,
  minSamplesPerBucket: 160,
  /** Long media gets wider buckets: at most 60,000 (~480 KB of JSON). */
  maxBuckets: 60_000,
} as const;

export function samplesPerBucketFor(durationUs: number): number {
  const samples = Math.ceil((durationUs / 1_000_000) * WAVEFORM.sampleRate);
  return Math.max(WAVEFORM.minSamplesPerBucket, Math.ceil(samples / WAVEFORM.maxBuckets));
}

/** A sample (−1…1) as a stored peak, rounded away from zero alike on both sides (Math.round alone rounds −63.5 up to −63). */
export function peakToInt8(v: number): number {
  return Math.max(-128, Math.min(127, Math.sign(v) * Math.round(Math.abs(v) * 127)));
}

/** Bucket `b`'s min and max back in −1…1 (a min of −128 reads as −1). */
export function bucketPeaks(peaks: WaveformPeaks, b: number): { min: number; max: number } {
  return { min: (peaks.data[2 * b] ?? 0) / 128, max: (peaks.data[2 * b + 1] ?? 0) / 127 };
}
