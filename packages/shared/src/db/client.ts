import postgres from 'postgres';
import { DatabaseUnavailableError, describeError } from '../errors.ts';

export type Sql = postgres.Sql;
/** A pool or an open transaction: functions that run one statement accept either. */
export type Queryable = postgres.Sql | postgres.TransactionSql;

export type CreateSqlOptions = {
  url: string;
  /** Pool size; web and sync are I/O-bound and share one machine's Postgres. */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  app?: string;
};

/** The one `postgres` client factory: every app and test gets its pool here. */
export function createSql({ url, max = 10, app = 'cutline' }: CreateSqlOptions): Sql {
  return postgres(url, {
    max,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: app },
    // bigint columns (byte sizes, µs durations) come back as JS numbers: all values we
    // store are far below 2^53.
    types: {
      bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
    },
    transform: { undefined: null },
  });
}

/** Fails with one human line when the database cannot be reached. */
export async function checkDatabase(sql: Sql, url: string): Promise<void> {
  try {
    await sql`select 1`;
  } catch (error) {
    throw new DatabaseUnavailableError(`Cannot reach the database at ${redactUrl(url)}: ${describeError(error)}`, {
      cause: error,
    });
  }
}

/** True when the database answers within the timeout (for /healthz). */
export async function pingDatabase(sql: Sql, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([sql`select 1`.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
