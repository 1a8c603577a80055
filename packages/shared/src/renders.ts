/**
 * Renders (exports) as the web app and the render farm share them: the presets (their
 * names are API), and the row operations behind `POST /projects/:id/renders`, `GET
 * /renders/:id`, `GET /projects/:id/renders` and `POST /renders/:id/cancel`.
 *
 * A render pins the timeline (docs/ARCHITECTURE.md, "How an export travels"): the encoded Yjs state and its JSON snapshot
 * are stored on the row, and the Graphile job is queued in the same transaction through
 * `enqueue` of @cutline/shared/jobs.
 * The render farm (apps/render) takes it from there.
 */
import { randomBytes } from 'node:crypto';
import { MAX_TIME_US, MICROS_PER_SECOND, frameStartMicros, nearestFrameIndex, validateSnapshot, type TimelineSnapshot } from '@cutline/timeline';
import type { Queryable, Sql } from './db/client.ts';
import { CutlineError } from './errors.ts';
import { publishProjectEvent } from './events.ts';

import { enqueue, finalizeJobKey, partJobKey, renderJob, renderJobKey } from './jobs.ts';
import type { RenderState } from './states.ts';
import { isPresetName, PRESET_NAMES, PRESETS, type Preset, type PresetName } from './presets.ts';

export { PRESET_NAMES, PRESETS, PRESET_LIST, isPresetName, type AudioCodec, type Preset, type PresetName, type VideoCodec } from './presets.ts';

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

export type { RenderState };

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
  const row = await sql.begin(async (tx) => {
    const [inserted] = await tx.unsafe<RenderRow[]>(
      `insert into renders (id, project_id, requested_by, preset, range_start_us, range_end_us, pinned_state, pinned_snapshot)
       values ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb) returning ${COLUMNS}`,
      [id, projectId, requestedBy, chosen.name, startUs, endUs, Buffer.from(pinnedState), JSON.stringify(snapshot)],
    );
    await enqueue(tx, renderJob({ renderId: id, requestId }));
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
    const parts = await tx<{ part: number }[]>`select part from render_parts where render_id = ${renderId}`;
    const keys = [renderJobKey(renderId), finalizeJobKey(renderId), ...parts.map(({ part }) => partJobKey(renderId, part))];
    await tx`select graphile_worker.remove_job(key) from unnest(${keys}::text[]) as key`;
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
