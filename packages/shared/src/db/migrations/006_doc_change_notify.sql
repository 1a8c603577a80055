-- Stored-document change notices: every statement that adds rows to the document log
-- (sync's group commit, a compaction's snapshot, a migration) notifies the channel
-- `cutline_doc_changes` once per document it touched, with the document name as payload.
-- Readers that cache a document's saved state (the web app's GET timeline) drop their copy
-- when they hear it, instead of asking the database on every request. NOTIFY is delivered
-- only after the transaction commits, so a reader that reloads on the notice sees the row.
-- Statement-level with a transition table: one notice per document per commit, however
-- many rows a group commit holds. Deletes are not announced: compaction deletes rows it
-- has merged into a snapshot it inserts in the same transaction (content unchanged), and
-- deleting a project's rows goes with the project. Must run on PostgreSQL 15 and 18.

create or replace function cutline_notify_doc_change() returns trigger
language plpgsql as $$
declare
  name text;
begin
  for name in select distinct doc_name from changed_rows loop
    perform pg_notify('cutline_doc_changes', name);
  end loop;
  return null;
end;
$$;

create trigger doc_updates_change_notify
  after insert on doc_updates
  referencing new table as changed_rows
  for each statement execute function cutline_notify_doc_change();

create trigger doc_snapshots_change_notify
  after insert on doc_snapshots
  referencing new table as changed_rows
  for each statement execute function cutline_notify_doc_change();
