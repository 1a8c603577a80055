/**
 * Media ingest (Graphile task `ingest`, payload {assetId, requestId?}).
 *
 * What it leaves behind, for the routes that serve it:
 * - assets row: state uploaded → processing → ready | failed (failure_reason for people),
 *   kind, probe (typed MediaProbe + `ingest` choices), duration_us, width/height (as shown:
 *   rotation and pixel aspect applied), fps_num/fps_den, has_audio, and the keys below.
 * - storage, beside the original `assets/<id>/original`:
 *   video  proxy.mp4 (H.264 High + AAC, ≤ 720p, constant rate, keyframe ≤ 1 s, faststart),
 *          filmstrip.jpg, waveform.json when it has sound;
 *   audio  proxy.m4a (AAC), waveform.json;
 *   image  proxy.png (alpha) or proxy.jpg, ≤ 2048 px a side; filmstrip.png|jpg (one tile).
 * - assets.filmstrip (migration 003): FilmstripLayout, how to cut tiles from the sprite.
 * - waveform.json: WaveformPeaks (min/max pairs, 8-bit, mono mix).
 * - the asset registered in `project/<projectId>/timeline` (registerAsset) before `ready`.
 * - `asset.updated` project events after each state change.
 */
export { createIngestTask } from './task.ts';
export { ingestAsset, type IngestDeps, type IngestOutcome } from './ingest-asset.ts';
export {
  classifyEditError,
  PERMANENT_EDIT_CODES,
  TimelineEditorUnavailableError,
  unavailableTimelineEditor,
  type EditRequest,
  type TimelineEditor,
} from './timeline-editor.ts';
export { MediaRejectedError } from './errors.ts';
export { MEDIA_LIMITS } from './limits.ts';
export type { FilmstripLayout } from './plan-filmstrip.ts';
export type { WaveformPeaks } from './waveform.ts';
