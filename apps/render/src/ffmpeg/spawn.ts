// One way to run ffmpeg for every long job (ingest steps, renders): the process dies with
// the worker that started it.
//
// Linux can tie a child's life to its parent (PR_SET_PDEATHSIG) but Node cannot ask for it.
// So ffmpeg starts through a few lines of /bin/sh: the shell keeps the worker's stdin pipe
// on fd 3, forks a watcher that reads it, then execs ffmpeg (same pid, so `kill` from here
// reaches ffmpeg itself). The worker never writes to that pipe; it reaches EOF when the
// worker closes it (ffmpeg exited) or when the kernel closes it (the worker died, even by
// SIGKILL). On EOF the watcher kills its whole process group: ffmpeg if still running, and
// itself. The child is started `detached` (a new session and process group whose id is
// ffmpeg's pid) so that group holds exactly ffmpeg and its watcher; a group id cannot be
// reused while the watcher is still in it, so the kill can never hit an unrelated process.
// ffmpeg itself gets /dev/null as stdin (-nostdin is passed too).

import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { FfmpegAbortedError, FfmpegError } from './errors.ts';

const WATCHDOG = ['exec 3<&0 </dev/null', '( cat <&3 >/dev/null 2>&1; kill -KILL -$$ ) >/dev/null 2>&1 &', 'exec "$@" 3<&-'].join('\n');

/** Keep the end of stderr only: a broken file can make ffmpeg log thousands of lines. */
const STDERR_KEEP_CHARS = 64 * 1024;

// The shell's own exit codes when exec fails (not executable / not found); ffmpeg never
// exits with them. Reported as "could not start", not as a fault of the media.
const EXEC_FAILED = new Set([126, 127]);

export type WatchedFfmpeg = {
  child: ChildProcess;
  /** SIGKILL to ffmpeg and its watcher, while ffmpeg runs (a no-op after it exited). */
  kill(): void;
};

/** Starts `binary args…` under the watchdog; stdout is piped only when asked for. */
export function spawnWatched({ binary, args, stdout = false }: { binary: string; args: readonly string[]; stdout?: boolean }): WatchedFfmpeg {
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'cutline-ffmpeg', binary, ...args], {
    detached: true,
    stdio: ['pipe', stdout ? 'pipe' : 'ignore', 'pipe'],
  });
  // A write to the pipe never happens; an EPIPE on close must not crash the worker.
  child.stdin?.on('error', () => {});
  const running = () => child.exitCode === null && child.signalCode === null;
  child.once('exit', () => child.stdin?.destroy());
  return {
    child,
    kill() {
      if (!running() || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    },
  };
}

export type RunWatchedOptions = {
  binary: string;
  args: readonly string[];
  /** A stream that receives ffmpeg's stdout (args must name `pipe:1` as the output). */
  stdout?: Writable;
  /** Each stderr line, progress lines (`\r`-terminated) included. */
  onStderrLine?: (line: string) => void;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
};

/**
 * Runs ffmpeg to its end. Resolves with the tail of stderr (warnings can matter: a
 * truncated file decodes "successfully" with "partial file" warnings) or rejects with
 * FfmpegError carrying it, FfmpegAbortedError when `signal` stopped it.
 */
export function runWatched({ binary, args, stdout, onStderrLine, signal, timeoutMs }: RunWatchedOptions): Promise<{ stderr: string }> {
  if (signal?.aborted) return Promise.reject(new FfmpegAbortedError('ffmpeg'));
  return new Promise((resolve, reject) => {
    const watched = spawnWatched({ binary, args, stdout: stdout !== undefined });
    const { child } = watched;
    let stderr = '';
    let partial = '';
    let timedOut = false;
    const lines = (text: string) => {
      const parts = (partial + text).split(/\r\n|\r|\n/);
      partial = parts.pop() ?? '';
      for (const line of parts) {
        stderr = (stderr + line + '\n').slice(-STDERR_KEEP_CHARS);
        onStderrLine?.(line);
      }
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => lines(chunk));
    const outputDone = stdout
      ? new Promise<void>((done) => {
          stdout.once('finish', () => done());
          stdout.once('error', () => done());
          child.stdout?.pipe(stdout);
        })
      : Promise.resolve();

    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          watched.kill();
        }, timeoutMs)
      : null;
    const onAbort = () => watched.kill();
    signal?.addEventListener('abort', onAbort, { once: true });

    const settle = (error: Error | null) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (partial) lines('\n');
      if (error) reject(error);
      else resolve({ stderr });
    };
    child.once('error', (error) => settle(new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg could not start: ${error.message}` })));
    child.once('close', (code, killedBy) => {
      void outputDone.then(() => {
        if (signal?.aborted) return settle(new FfmpegAbortedError('ffmpeg'));
        if (timedOut) return settle(new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg took longer than ${Math.round((timeoutMs ?? 0) / 1000)} s and was stopped` }));
        if (code === 0) return settle(null);
        if (code !== null && EXEC_FAILED.has(code)) {
          return settle(new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg could not start: ${binary} is not an executable file` }));
        }
        if (code === null) return settle(new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg failed: killed by ${killedBy ?? 'a signal'}` }));
        settle(new FfmpegError({ tool: 'ffmpeg', exitCode: code, stderr }));
      });
    });
  });
}
