import { LIMITS, type RegisterAssetCommand } from '@cutline/timeline';
import type { IngestAssetRow } from '@cutline/shared/assets';

/**
 * The timeline's `registerAsset` for an ingested row. The timeline accepts only the facts
 * that make sense per kind (packages/timeline commands/project.ts): a frame rate and
 * "has audio" for video, a duration for video and audio, a size for video and images.
 */
export function registerCommand(row: IngestAssetRow): RegisterAssetCommand {
  if (!row.kind) throw new Error(`asset ${row.id} has no kind yet`);
  const command: RegisterAssetCommand = { type: 'registerAsset', assetId: row.id, kind: row.kind, name: row.originalName.slice(0, LIMITS.nameLength) };
  if (row.kind !== 'image' && row.durationUs) command.duration = row.durationUs / 1_000_000;
  if (row.kind !== 'audio' && row.width && row.height) {
    command.width = row.width;
    command.height = row.height;
  }
  if (row.kind === 'video') {
    if (row.fpsNum && row.fpsDen) command.fps = { num: row.fpsNum, den: row.fpsDen };
    command.hasAudio = row.hasAudio ?? false;
  }
  return command;
}

