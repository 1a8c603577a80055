-- Render farm bookkeeping (apps/render, issue 6). PostgreSQL 15 and 18 alike.
--
-- A long render is split into parts that any worker may take: video chunks (frame ranges
-- of the timeline, each its own Graphile job) and one audio part for the whole range.
-- When the last part is done, exactly one finalize job joins them (finalize_queued_at is
-- the guard: only the transaction that sets it queues the job).
alter table renders add column if not exists mode text check (mode in ('single', 'chunked'));
alter table renders add column if not exists finalize_queued_at timestamptz;

create table if not exists render_parts (
  render_id text not null references renders (id) on delete cascade,
  -- 0, 1, … for video chunks in timeline order; -1 for the audio part.
  part integer not null,
  kind text not null check (kind in ('video', 'audio')),
  -- Absolute timeline frame indices [frame_start, frame_end).
  frame_start bigint not null,
  frame_end bigint not null check (frame_end > frame_start),
  state text not null default 'queued' check (state in ('queued', 'running', 'done')),
  progress real not null default 0 check (progress >= 0 and progress <= 1),
  output_key text,
  updated_at timestamptz not null default now(),
  primary key (render_id, part)
);

-- One row per Graphile worker pool (one per render worker process). A pool that stops
-- beating is presumed dead and its locked jobs are released with force_unlock_workers,
-- instead of waiting for Graphile's 4-hour lock timeout.
create table if not exists render_workers (
  worker_id text primary key,
  host text not null,
  pid integer not null,
  -- Jobs the pool runs at once (RENDER_CONCURRENCY): the planner chunks only when the
  -- farm has more than one slot alive.
  slots integer not null default 1 check (slots >= 1),
  started_at timestamptz not null default now(),
  heartbeat_at timestamptz not null default now()
);
create index if not exists render_workers_heartbeat_idx on render_workers (heartbeat_at);
