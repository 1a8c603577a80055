import type { SnapshotClip, TimelineSnapshot } from '@cutline/timeline';

/**
 * A clip's name as the timeline shows it: a text clip's first line, "Colour", or the
 * media's name — the file name it was uploaded as when the media library knows it, else
 * the asset's name in the model.
 */
export function clipName(clip: SnapshotClip, snapshot: TimelineSnapshot, uploadedName?: string | null): string {
  if (clip.kind === 'text') return (clip.text ?? '').split('\n')[0] || 'Text';
  if (clip.kind === 'color') return 'Colour';
  return uploadedName ?? snapshot.assets.find((a) => a.id === clip.assetId)?.name ?? 'Media';
}
