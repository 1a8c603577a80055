import { MAX_TIME_US } from '@cutline/timeline';

/**
 * What ingest accepts. Images: 16384 px a side covers every camera and most panoramas;
 * 100 MP bounds the decoded frame (~400 MB as RGBA) so one upload cannot exhaust a
 * worker's memory. Video: 8192 a side covers 8K (7680 × 4320). Length: the timeline's own
 * limit (24 h), since a longer asset could not be placed.
 */
export const MEDIA_LIMITS = {
  imageMaxSide: 16_384,
  imageMaxPixels: 100_000_000,
  videoMaxSide: 8_192,
  maxDurationUs: MAX_TIME_US,
} as const;
