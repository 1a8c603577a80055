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

export function startApp(app: App): ChildProcess {
  const child = spawn(app.command, app.args, { cwd: app.cwd, env: app.env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => say(app.name, formatLine(line)));
  }
  return child;
}

/** Polls a /healthz until it answers 200, the process exits, or the deadline passes. */
export async function waitHealthy({ app, child, timeoutMs }: { app: App; child: ChildProcess; timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
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

/** SIGTERM, then SIGKILL after the grace period; resolves when the process is gone. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}
