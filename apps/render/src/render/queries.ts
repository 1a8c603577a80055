// SQL of the render farm, one function per statement or transaction. Every state change
// is guarded by the state it expects, so a retried or duplicated job (a worker that was
// presumed dead but was not) can never move a render backwards or finish it twice.

import type { Queryable, Sql } from '@cutline/shared/db';
import { enqueue, type Job } from '@cutline/shared/jobs';
import { publishRender } from '@cutline/shared/renders';
import type { RenderState } from '@cutline/shared/states';

export type RenderJobRow = {
  id: string;
  projectId: string;
  preset: string;
  rangeStartUs: number | null;
  rangeEndUs: number | null;
  state: RenderState;
  progress: number;
  error: string | null;
  mode: 'single' | 'chunked' | null;
  pinnedSnapshot: unknown;
};

export type PartRow = {
  renderId: string;
  part: number;
  kind: 'video' | 'audio';
  frameStart: number;
  frameEnd: number;
  state: 'queued' | 'running' | 'done';
  outputKey: string | null;
};

const RENDER_COLUMNS = `id, project_id as "projectId", preset, range_start_us as "rangeStartUs", range_end_us as "rangeEndUs",
  state, progress, error, mode, pinned_snapshot as "pinnedSnapshot"`;
const PART_COLUMNS = `render_id as "renderId", part, kind, frame_start as "frameStart", frame_end as "frameEnd", state, output_key as "outputKey"`;

type Published = { id: string; projectId: string; state: RenderState; progress: number; error: string | null };
const PUBLISHED = `id, project_id as "projectId", state, progress, error`;

export async function getRenderForJob(sql: Queryable, renderId: string): Promise<RenderJobRow | null> {
  const [row] = await sql.unsafe<RenderJobRow[]>(`select ${RENDER_COLUMNS} from renders where id = $1`, [renderId]);
  return row ?? null;
}

export async function getRenderState(sql: Queryable, renderId: string): Promise<RenderState | null> {
  const [row] = await sql<{ state: RenderState }[]>`select state from renders where id = ${renderId}`;
  return row?.state ?? null;
}

/** queued → running (or still running on a retry). Null when it was cancelled/finished. */
export async function markRunning(sql: Sql, renderId: string): Promise<RenderJobRow | null> {
  return sql.begin(async (tx) => {
    const [row] = await tx.unsafe<RenderJobRow[]>(
      `update renders set state = 'running', started_at = coalesce(started_at, now()), updated_at = now()
       where id = $1 and state in ('queued', 'running') returning ${RENDER_COLUMNS}`,
      [renderId],
    );
    if (row) await publishRender(tx, { ...row, error: null });
    return row ?? null;
  });
}

export async function markFailed(sql: Sql, renderId: string, message: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx.unsafe<Published[]>(
      `update renders set state = 'failed', error = $2, finished_at = now(), updated_at = now()
       where id = $1 and state in ('queued', 'running') returning ${PUBLISHED}`,
      [renderId, message.slice(0, 4000)],
    );
    if (row) await publishRender(tx, row);
    return row !== undefined;
  });
}

/** running → succeeded with the stored output. False when the render was cancelled meanwhile. */
export async function markSucceeded(sql: Sql, renderId: string, outputKey: string, outputBytes: number): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx.unsafe<Published[]>(
      `update renders set state = 'succeeded', progress = 1, error = null, output_key = $2, output_bytes = $3,
         finished_at = now(), updated_at = now()
       where id = $1 and state = 'running' returning ${PUBLISHED}`,
      [renderId, outputKey, outputBytes],
    );
    if (row) await publishRender(tx, row);
    return row !== undefined;
  });
}

export async function setRenderProgress(sql: Sql, renderId: string, progress: number): Promise<Published | null> {
  const [row] = await sql.unsafe<Published[]>(
    `update renders set progress = $2, updated_at = now() where id = $1 and state = 'running' and progress < $2 returning ${PUBLISHED}`,
    [renderId, Math.min(0.99, Math.max(0, progress))],
  );
  return row ?? null;
}

/**
 * A part's progress, and the render's as the frame-weighted mean of its parts (the audio
 * part counts as a twentieth of its length: it is far cheaper than video).
 */
export async function setPartProgress(sql: Sql, renderId: string, part: number, progress: number): Promise<Published | null> {
  const [row] = await sql.unsafe<Published[]>(
    `with p as (
       update render_parts set progress = $3, state = 'running', updated_at = now()
       where render_id = $1 and part = $2 and state <> 'done' returning render_id
     ), agg as (
       select sum(case when rp.part = $2 then $3 else rp.progress end * w) / nullif(sum(w), 0) as value
       from (select *, case kind when 'audio' then (frame_end - frame_start) / 20.0 else (frame_end - frame_start) end as w
             from render_parts where render_id = $1) rp
     )
     update renders set progress = least(0.99, (select value from agg)), updated_at = now()
     where id = $1 and state = 'running' and exists (select 1 from p) and progress < least(0.99, (select value from agg))
     returning ${PUBLISHED}`,
    [renderId, part, Math.min(1, Math.max(0, progress))],
  );
  return row ?? null;
}

export type PartSpec = { part: number; kind: 'video' | 'audio'; frameStart: number; frameEnd: number };

/**
 * Splits a render into parts and queues one Graphile job per part, in one transaction; a
 * retried planner finds `mode` set and queues nothing twice. Returns false when the render
 * was already split (or is no longer running).
 */
export async function fanOut(
  sql: Sql,
  { renderId, parts, jobFor }: { renderId: string; parts: PartSpec[]; jobFor: (part: PartSpec) => Job },
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ mode: string | null; state: string }[]>`select mode, state from renders where id = ${renderId} for update`;
    if (!row || row.state !== 'running' || row.mode !== null) return false;
    await tx`update renders set mode = 'chunked', updated_at = now() where id = ${renderId}`;
    for (const part of parts) {
      await tx`
        insert into render_parts (render_id, part, kind, frame_start, frame_end)
        values (${renderId}, ${part.part}, ${part.kind}, ${part.frameStart}, ${part.frameEnd})
        on conflict do nothing`;
      await enqueue(tx, jobFor(part));
    }
    return true;
  });
}

export async function setMode(sql: Queryable, renderId: string, mode: 'single'): Promise<void> {
  await sql`update renders set mode = ${mode} where id = ${renderId} and mode is null`;
}

export async function getPart(sql: Queryable, renderId: string, part: number): Promise<PartRow | null> {
  const [row] = await sql.unsafe<PartRow[]>(`select ${PART_COLUMNS} from render_parts where render_id = $1 and part = $2`, [renderId, part]);
  return row ?? null;
}

export async function getParts(sql: Queryable, renderId: string): Promise<PartRow[]> {
  return sql.unsafe<PartRow[]>(`select ${PART_COLUMNS} from render_parts where render_id = $1 order by part`, [renderId]);
}

/**
 * Marks a part done; the completion that finds every part done queues the finalize job,
 * exactly once (the render row lock serialises concurrent completions, and
 * finalize_queued_at records that it was queued).
 */
export async function completePart(
  sql: Sql,
  { renderId, part, outputKey, finalizeJob }: { renderId: string; part: number; outputKey: string; finalizeJob: Job },
): Promise<{ finalizeQueued: boolean }> {
  return sql.begin(async (tx) => {
    const [render] = await tx<{ state: string }[]>`select state from renders where id = ${renderId} for update`;
    if (!render || render.state !== 'running') return { finalizeQueued: false };
    await tx`update render_parts set state = 'done', progress = 1, output_key = ${outputKey}, updated_at = now() where render_id = ${renderId} and part = ${part}`;
    const [pending] = await tx<{ n: number }[]>`select count(*)::int as n from render_parts where render_id = ${renderId} and state <> 'done'`;
    if ((pending?.n ?? 1) > 0) return { finalizeQueued: false };
    const queued = await tx`update renders set finalize_queued_at = now() where id = ${renderId} and finalize_queued_at is null returning id`;
    if (queued.length === 0) return { finalizeQueued: false };
    await enqueue(tx, finalizeJob);
    return { finalizeQueued: true };
  });
}
