import type { Sql } from '@cutline/shared/db';
import { TooManyRequestsError } from './errors.ts';

const WINDOW_MINUTES = 15;
const PER_ACCOUNT = 10;
const PER_IP = 50;

/**
 * Throttles password guessing: at most 10 failures per account and 50 per IP address in
 * 15 minutes, counted in PostgreSQL so every web process shares the count.
 */
export async function assertLoginAllowed({ sql, email, ip }: { sql: Sql; email: string; ip: string }): Promise<void> {
  const [row] = await sql<{ by_email: number; by_ip: number }[]>`
    select
      count(*) filter (where email = ${email})::int as by_email,
      count(*) filter (where ip = ${ip})::int as by_ip
    from login_failures
    where created_at > now() - make_interval(mins => ${WINDOW_MINUTES}) and (email = ${email} or ip = ${ip})`;
  if ((row?.by_email ?? 0) >= PER_ACCOUNT) {
    throw new TooManyRequestsError('Too many failed log-ins for this account; try again in 15 minutes', WINDOW_MINUTES * 60);
  }
  if ((row?.by_ip ?? 0) >= PER_IP) {
    throw new TooManyRequestsError('Too many failed log-ins from your address; try again in 15 minutes', WINDOW_MINUTES * 60);
  }
}

export async function recordLoginFailure({ sql, email, ip }: { sql: Sql; email: string; ip: string }): Promise<void> {
  await sql`insert into login_failures (email, ip) values (${email}, ${ip})`;
  // Old rows are useless; trim a few on each failure instead of running a cron.
  await sql`delete from login_failures where id in (
    select id from login_failures where created_at < now() - make_interval(mins => ${WINDOW_MINUTES}) limit 100)`;
}

export async function clearLoginFailures({ sql, email }: { sql: Sql; email: string }): Promise<void> {
  await sql`delete from login_failures where email = ${email}`;
}
