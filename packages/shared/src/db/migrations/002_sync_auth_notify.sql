-- Live revocation for apps/sync (SPEC.md SY5): when a membership changes or disappears,
-- or a session or API token is deleted, revoked or shortened, every sync node hears it
-- on the channel `cutline_auth` and re-checks the WebSockets that depend on that row.
-- The payload names only ids; the listener re-reads the truth from the tables.
-- Row-level AFTER triggers also fire for rows removed by ON DELETE CASCADE (a deleted
-- user or project). Must run on PostgreSQL 15 and 18.

create or replace function cutline_notify_auth_change() returns trigger
language plpgsql as $$
declare
  rec record;
begin
  if tg_op = 'DELETE' then
    rec := old;
  else
    rec := new;
  end if;
  if tg_table_name = 'project_members' then
    perform pg_notify('cutline_auth', json_build_object('kind', 'member', 'projectId', rec.project_id, 'userId', rec.user_id)::text);
  elsif tg_table_name = 'sessions' then
    perform pg_notify('cutline_auth', json_build_object('kind', 'session', 'id', rec.id, 'userId', rec.user_id)::text);
  elsif tg_table_name = 'api_tokens' then
    perform pg_notify('cutline_auth', json_build_object('kind', 'api_token', 'id', rec.id, 'userId', rec.user_id)::text);
  end if;
  return null;
end;
$$;

create trigger project_members_auth_notify
  after update or delete on project_members
  for each row execute function cutline_notify_auth_change();

create trigger sessions_auth_notify_delete
  after delete on sessions
  for each row execute function cutline_notify_auth_change();

-- Sliding expiry lengthens sessions on every use; only a shortened one matters here.
create trigger sessions_auth_notify_shorten
  after update of expires_at on sessions
  for each row when (new.expires_at < old.expires_at)
  execute function cutline_notify_auth_change();

create trigger api_tokens_auth_notify_delete
  after delete on api_tokens
  for each row execute function cutline_notify_auth_change();

create trigger api_tokens_auth_notify_revoke
  after update of revoked_at, expires_at on api_tokens
  for each row when (new.revoked_at is distinct from old.revoked_at or new.expires_at is distinct from old.expires_at)
  execute function cutline_notify_auth_change();
