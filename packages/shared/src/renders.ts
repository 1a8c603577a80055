/**
 * Renders (exports) as the web app and the render farm share them: the presets (their
 * names are API), and the row operations behind `POST /projects/:id/renders`, `GET
 * /renders/:id`, `GET /projects/:id/renders` and `POST /renders/:id/cancel`.
 *
 * A render pins the timeline (DESIGN.md §2): the encoded Yjs state and its JSON snapshot
 * are stored on the row, and the Graphile job is queued in the same transaction through
 * `graphile_worker.add_job` (plain SQL, so the web app does not need graphile-worker).
 * The render farm (apps/render) takes it from there.
 */
import { randomBytes } from 'node:crypto';
import { MAX_TIME_US, MICROS_PER_SECOND, frameStartMicros, nearestFrameIndex, validateSnapshot, type TimelineSnapshot } from '@cutline/timeline';
import type { Queryable, Sql } from './db/client.ts';
import { CutlineError } from './errors.ts';
import { publishProjectEvent } from './events.ts';

export const PRESET_NAMES = ['mp4-1080p', 'mp4-720p', 'mp4-vertical', 'mp4-square', 'webm-720p', 'gif-480p', 'audio-m4a'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export type VideoCodec = 'h264' | 'vp9' | 'gif';
export type AudioCodec = 'aac' | 'opus';

export type Preset = {
  readonly name: PresetName;
  readonly label: string;
  /** Output file: extension and Content-Type for the download route. */
  readonly extension: 'mp4' | 'webm' | 'gif' | 'm4a';
  readonly contentType: string;
  /**
   * The output frame, or null for audio only. A project of another aspect is fitted
   * inside it (letterbox/pillarbox), never stretched.
   */
  readonly video: {
    readonly codec: VideoCodec;
    readonly width: number;
    readonly height: number;
    /** Frame rate cap (GIF frame delays are whole centiseconds); null = the project's. */
    readonly maxFps: number | null;
    /** CRF of x264 / libvpx-vp9; null for GIF. */
    readonly crf: number | null;
  } | null;
  readonly audio: { readonly codec: AudioCodec; readonly bitrate: number } | null;
  /** Whether a long render of this preset may be split into chunks (GIF palettes and audio-only are single). */
  readonly chunkable: boolean;
};

export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.freeze({
  'mp4-1080p': {
    name: 'mp4-1080p',
    label: 'MP4 1080p (H.264/AAC)',
    extension: 'mp4',
    contentType: 'video/mp4',
    video: { codec: 'h264', width: 1920, height: 1080, maxFps: null, crf: 20 },
    audio: { codec: 'aac', bitrate: 192_000 },
    chunkable: true,
  },
  'mp4-720p': {
    name: 'mp4-720p',
    label: 'MP4 720p (H.264/AAC)',
    extension: 'mp4',
    contentType: 'video/mp4',
    video: { codec: 'h264', width: 1280, height: 720, maxFps: null, crf: 21 },
    audio: { codec: 'aac', bitrate: 160_000 },
    chunkable: true,
  },
  'mp4-vertical': {
    name: 'mp4-vertical',
    label: 'MP4 vertical 1080×1920 (H.264/AAC)',
    extension: 'mp4',
    contentType: 'video/mp4',
    video: { codec: 'h264', width: 1080, height: 1920, maxFps: null, crf: 20 },
    audio: { codec: 'aac', bitrate: 192_000 },
    chunkable: true,
  },
  'mp4-square': {
    name: 'mp4-square',
    label: 'MP4 square 1080×1080 (H.264/AAC)',
    extension: 'mp4',
    contentType: 'video/mp4',
    video: { codec: 'h264', width: 1080, height: 1080, maxFps: null, crf: 20 },
    audio: { codec: 'aac', bitrate: 192_000 },
    chunkable: true,
  },
  'webm-720p': {
    name: 'webm-720p',
    label: 'WebM 720p (VP9/Opus)',
    extension: 'webm',
    contentType: 'video/webm',
    video: { codec: 'vp9', width: 1280, height: 720, maxFps: null, crf: 33 },
    audio: { codec: 'opus', bitrate: 128_000 },
    chunkable: true,
  },
  'gif-480p': {
    name: 'gif-480p',
    label: 'GIF 480p',
    extension: 'gif',
    contentType: 'image/gif',
    video: { codec: 'gif', width: 854, height: 480, maxFps: 15, crf: null },
    audio: null,
    chunkable: false,
  },
  'audio-m4a': {
    name: 'audio-m4a',
    label: 'Audio only (AAC in M4A)',
    extension: 'm4a',
    contentType: 'audio/mp4',
    video: null,
    audio: { codec: 'aac', bitrate: 192_000 },
    chunkable: false,
  },
});

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && (PRESET_NAMES as readonly string[]).includes(value);
}

export class InvalidPresetError extends CutlineError {
  constructor(preset: unknown) {
    super('invalid_preset', `Unknown preset ${JSON.stringify(String(preset)).slice(0, 80)}; use one of ${PRESET_NAMES.join(', ')}`, 400);
  }
}

export class InvalidRangeError extends CutlineError {
  constructor(message: string) {
    super('invalid_range', message, 400);
  }
}

export class EmptyTimelineError extends CutlineError {
  constructor() {
    super('empty_timeline', 'The timeline is empty: there is nothing to render', 400);
  }
}

export class InvalidPinnedSnapshotError extends CutlineError {
  constructor(message: string) {
    super('invalid_snapshot', `The timeline snapshot is not valid: ${message}`, 400);
  }
}

export class RenderNotFoundError extends CutlineError {
  constructor() {
    super('not_found', 'Render not found', 404);
  }
}

/** Cancel of a render that already succeeded or failed. */
export class RenderFinishedError extends CutlineError {
  constructor(state: string) {
    super('render_finished', `The render has already ${state === 'succeeded' ? 'succeeded' : 'failed'} and cannot be cancelled`, 409);
  }
}

export function getPreset(name: unknown): Preset {
  if (!isPresetName(name)) throw new InvalidPresetError(name);
  return PRESETS[name];
}

export type RenderState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A render as the API shows it. Times in seconds, like the rest of the public vocabulary. */
export type RenderInfo = {
  id: string;
  projectId: string;
  requestedBy: string | null;
  /** The requester's display name (null when the account is gone). */
  requestedByName: string | null;
  preset: PresetName;
  range: { start: number; end: number };
  state: RenderState;
  progress: number;
  error: string | null;
  /** Storage key of the finished file (null until succeeded). */
  outputKey: string | null;
  outputBytes: number | null;
  /** Download facts for `GET /renders/:id/output`. */
  contentType: string;
  fileName: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
};

type RenderRow = {
  id: string;
  projectId: string;
  requestedBy: string | null;
  requestedByName: string | null;
  preset: string;
  rangeStartUs: number | null;
  rangeEndUs: number | null;
  state: RenderState;
  progress: number;
  error: string | null;
  outputKey: string | null;
  outputBytes: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
};

const COLUMNS = `id, project_id as "projectId", requested_by as "requestedBy",
  (select u.name from users u where u.id = requested_by) as "requestedByName", preset, range_start_us as "rangeStartUs",
  range_end_us as "rangeEndUs", state, progress, error, output_key as "outputKey", output_bytes as "outputBytes",
  created_at as "createdAt", started_at as "startedAt", finished_at as "finishedAt", updated_at as "updatedAt"`;

function toInfo(row: RenderRow): RenderInfo {
  const preset = isPresetName(row.preset) ? PRESETS[row.preset] : null;
  return {
    id: row.id,
    projectId: row.projectId,
    requestedBy: row.requestedBy,
    requestedByName: row.requestedByName,
    preset: row.preset as PresetName,
    range: { start: (row.rangeStartUs ?? 0) / 1e6, end: (row.rangeEndUs ?? 0) / 1e6 },
    state: row.state,
    progress: row.progress,
    error: row.error,
    outputKey: row.outputKey,
    outputBytes: row.outputBytes,
    contentType: preset?.contentType ?? 'application/octet-stream',
    fileName: `render-${row.id}.${preset?.extension ?? 'bin'}`,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    updatedAt: row.updatedAt,
  };
}

/** Render ids are also storage key segments (`renders/<id>/…`): lower-case letters and digits only. */
export function newRenderId(): string {
  return randomBytes(12).toString('hex');
}

/** No timeline is longer (TL21): a range point beyond it is refused before any arithmetic. */
export const MAX_RANGE_SECONDS = MAX_TIME_US / MICROS_PER_SECOND;

export type RenderRangeInput = { start?: number | undefined; end?: number | undefined };

/**
 * The range to render, in whole frames of the pinned timeline: seconds snap to the nearest
 * frame boundary (TL22), the default is the whole timeline, and a range must hold at least
 * one frame within [0, duration].
 */
export function resolveRenderRange(snapshot: TimelineSnapshot, range: RenderRangeInput | null | undefined): { startUs: number; endUs: number } {
  const fps = snapshot.settings.fps;
  const durationUs = Math.round(snapshot.duration * 1e6);
  if (durationUs <= 0) throw new EmptyTimelineError();
  const lastFrame = nearestFrameIndex(durationUs, fps);
  const frameOf = (seconds: number, what: string): number => {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw new InvalidRangeError(`range.${what} must be a number of seconds`);
    if (seconds < 0) throw new InvalidRangeError(`range.${what} must not be negative`);
    if (seconds > MAX_RANGE_SECONDS) throw new InvalidRangeError(`range.${what} must be at most ${MAX_RANGE_SECONDS} seconds (24 hours, the longest timeline)`);
    return nearestFrameIndex(Math.round(seconds * 1e6), fps);
  };
  const startFrame = range?.start === undefined ? 0 : frameOf(range.start, 'start');
  const endFrame = range?.end === undefined ? lastFrame : frameOf(range.end, 'end');
  if (endFrame > lastFrame) throw new InvalidRangeError(`range.end is past the end of the timeline (${snapshot.duration} s)`);
  if (endFrame <= startFrame) throw new InvalidRangeError('range.end must be at least one frame after range.start');
  return { startUs: frameStartMicros(startFrame, fps), endUs: frameStartMicros(endFrame, fps) };
}

/** Graphile task names and job keys the render farm uses (apps/render/src/render/jobs.ts re-uses them). */
export const RENDER_TASK = 'render';
export const RENDER_MAX_ATTEMPTS = 5;
export const renderJobKey = (renderId: string): string => `render:${renderId}`;

export async function createRender({
  sql,
  projectId,
  requestedBy,
  preset,
  range,
  pinnedState,
  pinnedSnapshot,
  requestId,
}: {
  sql: Sql;
  projectId: string;
  requestedBy: string | null;
  preset: unknown;
  range?: RenderRangeInput | null | undefined;
  pinnedState: Uint8Array;
  pinnedSnapshot: unknown;
  requestId?: string | undefined;
}): Promise<RenderInfo> {
  const chosen = getPreset(preset);
  let snapshot: TimelineSnapshot;
  try {
    snapshot = validateSnapshot(pinnedSnapshot);
  } catch (error) {
    throw new InvalidPinnedSnapshotError(error instanceof Error ? error.message : String(error));
  }
  const { startUs, endUs } = resolveRenderRange(snapshot, range);
  const id = newRenderId();
  const payload = requestId ? { renderId: id, requestId } : { renderId: id };
  const row = await sql.begin(async (tx) => {
    const [inserted] = await tx.unsafe<RenderRow[]>(
      `insert into renders (id, project_id, requested_by, preset, range_start_us, range_end_us, pinned_state, pinned_snapshot)
       values ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb) returning ${COLUMNS}`,
      [id, projectId, requestedBy, chosen.name, startUs, endUs, Buffer.from(pinnedState), JSON.stringify(snapshot)],
    );
    await tx`select graphile_worker.add_job(${RENDER_TASK}, ${JSON.stringify(payload)}::text::json, max_attempts => ${RENDER_MAX_ATTEMPTS}, job_key => ${renderJobKey(id)})`;
    await publishRender(tx, inserted as RenderRow);
    return inserted as RenderRow;
  });
  return toInfo(row);
}

export async function getRender({ sql, renderId }: { sql: Queryable; renderId: string }): Promise<RenderInfo | null> {
  const [row] = await sql.unsafe<RenderRow[]>(`select ${COLUMNS} from renders where id = $1`, [renderId]);
  return row ? toInfo(row) : null;
}

/** Newest first; `before` (a createdAt of the last page) pages back. */
export async function listRenders({
  sql,
  projectId,
  limit = 50,
  before,
}: {
  sql: Queryable;
  projectId: string;
  limit?: number;
  before?: Date | undefined;
}): Promise<RenderInfo[]> {
  const capped = Math.max(1, Math.min(200, Math.floor(limit)));
  const rows = await sql.unsafe<RenderRow[]>(
    `select ${COLUMNS} from renders where project_id = $1 and ($2::timestamptz is null or created_at < $2)
     order by created_at desc, id desc limit $3`,
    [projectId, before ?? null, capped],
  );
  return rows.map(toInfo);
}

/**
 * Cancels a queued or running render. Idempotent for a cancelled render; a finished one
 * is a RenderFinishedError (409). Workers hear the `render.updated` event and stop FFmpeg
 * within a second; jobs that have not started are removed here.
 */
export async function cancelRender({ sql, renderId }: { sql: Sql; renderId: string }): Promise<RenderInfo> {
  const row = await sql.begin(async (tx) => {
    const [current] = await tx.unsafe<RenderRow[]>(`select ${COLUMNS} from renders where id = $1 for update`, [renderId]);
    if (!current) throw new RenderNotFoundError();
    if (current.state === 'cancelled') return current;
    if (current.state === 'succeeded' || current.state === 'failed') throw new RenderFinishedError(current.state);
    const [updated] = await tx.unsafe<RenderRow[]>(
      `update renders set state = 'cancelled', finished_at = now(), updated_at = now() where id = $1 returning ${COLUMNS}`,
      [renderId],
    );
    // Jobs not yet taken by a worker go now; running ones stop on the event below.
    await tx.unsafe(
      `select graphile_worker.remove_job(key) from (
         select $2::text as key union all select 'render-finalize:' || $1
         union all select 'render-part:' || $1 || ':' || part from render_parts where render_id = $1) keys`,
      [renderId, renderJobKey(renderId)],
    );
    await publishRender(tx, updated as RenderRow);
    return updated as RenderRow;
  });
  return toInfo(row);
}

export function publishRender(
  sql: Queryable,
  row: { id: string; projectId: string; state: RenderState; progress: number; error: string | null },
): Promise<void> {
  return publishProjectEvent(sql, {
    type: 'render.updated',
    projectId: row.projectId,
    renderId: row.id,
    state: row.state,
    progress: row.progress,
    ...(row.error ? { error: row.error } : {}),
  });
}
