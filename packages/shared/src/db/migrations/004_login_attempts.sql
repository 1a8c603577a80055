-- Failed log-ins, for throttling per account and per IP across every web process.
create table login_failures (
  id bigint generated always as identity primary key,
  email text not null,
  ip text not null,
  created_at timestamptz not null default now()
);
create index login_failures_email_idx on login_failures (email, created_at);
create index login_failures_ip_idx on login_failures (ip, created_at);
