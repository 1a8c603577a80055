import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type App = { name: string; command: string; args: string[]; cwd: string; env: NodeJS.ProcessEnv; healthUrl: string };

const colours: Record<string, string> = { web: '36', sync: '35', render: '33', postgres: '34', stack: '32' };

export function say(name: string, line: string): void {
  const colour = process.stdout.isTTY ? (colours[name] ?? '37') : null;
  const tag = colour ? `\x1b[${colour}m[${name}]\x1b[0m` : `[${name}]`;
  process.stdout.write(`${tag} ${line}\n`);
}

/** pino's JSON lines read as `level message {fields}`; anything else passes through. */
function formatLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const levels: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
    const { level, msg, time: _t, pid: _p, hostname: _h, app: _a, name: _n, ...rest } = entry;
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    return `${levels[Number(level)] ?? String(level)} ${String(msg ?? '')}${extra}`;
  } catch {
    return line;
  }
}

/**
 * Starts an app in its own process group (detached: a new session), so that stopping it
 * also reaches whatever it started — FFmpeg under a render worker — and a crash of the
 * app can be cleaned up after. Ctrl-C or a closed terminal therefore no longer reaches the
 * apps directly: the stack passes it on (apps first, then PostgreSQL).
 */
export function startApp(app: App): ChildProcess {
  const child = spawn(app.command, app.args, { cwd: app.cwd, env: app.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => say(app.name, formatLine(line)));
  }
  return child;
}

/** Signals every process of the group led by `child` (its pid); a group already gone is fine. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Polls a /healthz until it answers 200, the process exits, or the deadline passes. */
export async function waitHealthy({ app, child, timeoutMs }: { app: App; child: ChildProcess; timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = child.exitCode !== null || child.signalCode !== null;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${app.name} exited before it became healthy`);
    try {
      const response = await fetch(app.healthUrl, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${app.name} did not become healthy at ${app.healthUrl} within ${timeoutMs / 1000} s`);
}

/**
 * SIGTERM to the app's process group, then SIGKILL after the grace period; resolves when
 * the app is gone. Whatever of its group outlives it (a child that ignored SIGTERM) is
 * killed then: nothing an app started survives the stack.
 */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
  signalGroup(child, 'SIGKILL');
}

export type Backoff = {
  /** Wait before the first restart. */
  initialMs: number;
  /** The wait doubles per crash in a row, up to this. */
  maxMs: number;
  /** An app that stayed up this long since its last start counts as recovered: the next crash waits initialMs again. */
  resetAfterMs: number;
};

export const defaultBackoff: Backoff = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

/** The wait before restart number `crashes` (1 for the first crash in a row). */
export function restartDelay({ crashes, backoff }: { crashes: number; backoff: Backoff }): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, crashes - 1));
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

function seconds(ms: number): string {
  return `${ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;
}

/**
 * Keeps one app running: a crash (any exit the stack did not ask for) is reported in one
 * line, the rest of its process group is killed, and the app starts again after a
 * backoff (defaultBackoff: 0.5 s doubling to 30 s, back to 0.5 s once it stayed up a
 * minute). Only stop() ends it.
 */
export class Supervisor {
  readonly app: App;
  private readonly backoff: Backoff;
  private readonly log: (line: string) => void;
  private current: ChildProcess | null = null;
  private startedAt = 0;
  private crashes = 0;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private stopping = false;

  constructor({ app, backoff = defaultBackoff, log = (line: string) => say('stack', line) }: { app: App; backoff?: Backoff; log?: (line: string) => void }) {
    this.app = app;
    this.backoff = backoff;
    this.log = log;
  }

  get child(): ChildProcess | null {
    return this.current;
  }

  /** Starts the app; resolves once it answers /healthz (rejects if it exits first or times out). */
  async start({ timeoutMs }: { timeoutMs: number }): Promise<void> {
    const child = this.spawn();
    await waitHealthy({ app: this.app, child, timeoutMs });
  }

  /** From now on a crash restarts the app (before this, a failed start-up is an error). */
  supervise(): void {
    const child = this.current;
    if (!child) return;
    if (child.exitCode !== null || child.signalCode !== null) this.onExit(child.exitCode, child.signalCode);
    else child.once('exit', (code, signal) => this.onExit(code, signal));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.current) await stopChild(this.current);
  }

  private spawn(): ChildProcess {
    const child = startApp(this.app);
    this.current = child;
    this.startedAt = Date.now();
    this.log(`${this.app.name} started (pid ${child.pid})`);
    return child;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || !this.current) return;
    // Whatever the crashed app had started (FFmpeg under render) goes with it.
    signalGroup(this.current, 'SIGKILL');
    if (Date.now() - this.startedAt >= this.backoff.resetAfterMs) this.crashes = 0;
    this.crashes += 1;
    const delay = restartDelay({ crashes: this.crashes, backoff: this.backoff });
    const at = new Date(Date.now() + delay).toISOString().slice(11, 19);
    this.log(`${this.app.name} stopped unexpectedly (${describeExit(code, signal)}); restarting in ${seconds(delay)} (at ${at} UTC)`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      const child = this.spawn();
      child.once('exit', (c, s) => this.onExit(c, s));
      waitHealthy({ app: this.app, child, timeoutMs: 120_000 }).then(
        () => this.log(`${this.app.name} is healthy again`),
        () => {}, // an exit is reported by onExit; a hang shows in the app's own output
      );
    }, delay);
  }
}
