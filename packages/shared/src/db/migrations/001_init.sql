-- Cutline's first schema. Ids are random text ids made by the app (no sequences to leak
-- counts), times are timestamptz, media times are integer microseconds (bigint).
-- Must run on PostgreSQL 15 and 18: no extensions, no PG16+ syntax.

create table users (
  id text primary key,
  email text not null,
  name text not null,
  password_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

-- Sessions per the lucia-auth.com guide: token "<id>.<secret>", only SHA-256(secret) kept.
create table sessions (
  id text primary key,
  user_id text not null references users (id) on delete cascade,
  secret_hash bytea not null,
  created_at timestamptz not null default now(),
  last_verified_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_id_idx on sessions (user_id);
create index sessions_expires_at_idx on sessions (expires_at);

create table api_tokens (
  id text primary key,
  user_id text not null references users (id) on delete cascade,
  name text not null,
  secret_hash bytea not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_id_idx on api_tokens (user_id);

create table projects (
  id text primary key,
  owner_id text not null references users (id) on delete cascade,
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index projects_owner_id_idx on projects (owner_id);

create table project_members (
  project_id text not null references projects (id) on delete cascade,
  user_id text not null references users (id) on delete cascade,
  role text not null check (role in ('owner', 'editor', 'commenter', 'viewer')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (project_id, user_id)
);
create index project_members_user_id_idx on project_members (user_id);

create table share_links (
  id text primary key,
  project_id text not null references projects (id) on delete cascade,
  role text not null check (role in ('editor', 'commenter', 'viewer')),
  secret_hash bytea not null,
  created_by text references users (id) on delete set null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index share_links_project_id_idx on share_links (project_id);

create table assets (
  id text primary key,
  project_id text not null references projects (id) on delete cascade,
  uploaded_by text references users (id) on delete set null,
  kind text check (kind in ('video', 'audio', 'image')),
  state text not null default 'uploaded' check (state in ('uploaded', 'processing', 'ready', 'failed')),
  failure_reason text,
  original_name text not null,
  content_hash text not null,
  byte_size bigint not null check (byte_size >= 0),
  mime_type text,
  probe jsonb,
  duration_us bigint,
  width integer,
  height integer,
  fps_num integer,
  fps_den integer,
  has_audio boolean,
  original_key text not null,
  proxy_key text,
  filmstrip_key text,
  waveform_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index assets_project_id_idx on assets (project_id, created_at);
create index assets_content_hash_idx on assets (content_hash);

-- A render pins the timeline: the encoded Yjs state and its JSON snapshot at request time.
create table renders (
  id text primary key,
  project_id text not null references projects (id) on delete cascade,
  requested_by text references users (id) on delete set null,
  preset text not null,
  range_start_us bigint,
  range_end_us bigint,
  state text not null default 'queued' check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress real not null default 0 check (progress >= 0 and progress <= 1),
  error text,
  pinned_state bytea not null,
  pinned_snapshot jsonb not null,
  output_key text,
  output_bytes bigint,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now()
);
create index renders_project_id_idx on renders (project_id, created_at);
create index renders_state_idx on renders (state) where state in ('queued', 'running');

-- Append-only Yjs update log: sync writes each incoming update here before the client is
-- told it is synced. Load = latest snapshot + rows after it.
create table doc_updates (
  id bigint generated always as identity primary key,
  doc_name text not null,
  update bytea not null,
  origin jsonb,
  created_at timestamptz not null default now()
);
create index doc_updates_doc_name_id_idx on doc_updates (doc_name, id);

-- Compacted state: the merge of every update with id <= last_update_id.
create table doc_snapshots (
  id bigint generated always as identity primary key,
  doc_name text not null,
  state bytea not null,
  last_update_id bigint not null,
  created_at timestamptz not null default now()
);
create index doc_snapshots_doc_name_idx on doc_snapshots (doc_name, last_update_id desc);
