import { api } from '#lib/api/client.ts';
import type { WaveformPeaks } from '#lib/api/types.ts';

/** Waveform peaks per asset, fetched once per page (they never change for an asset). */
const cache = new Map<string, Promise<WaveformPeaks | null>>();

export function peaksFor(assetId: string): Promise<WaveformPeaks | null> {
  let entry = cache.get(assetId);
  if (!entry) {
    entry = api.waveform(assetId).catch(() => {
      // Not there yet (still processing) or no sound: try again next time it is asked for.
      cache.delete(assetId);
      return null;
    });
    cache.set(assetId, entry);
  }
  return entry;
}
