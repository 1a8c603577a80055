// FFmpeg dies with the worker that started it, even when the worker dies by SIGKILL.
//
// Linux can tie a child's life to its parent (PR_SET_PDEATHSIG) but Node cannot ask for it,
// and fluent-ffmpeg (our one way to run FFmpeg) spawns `spawn(ffmpegPath, args, {cwd,
// windowsHide})`: no detached, no env, no stdio choice. What it does give us: stdin is a
// pipe whose write end only the worker holds, and the kernel closes that end when the
// worker dies, however it dies. So fluent's ffmpeg path is a small shell script, written
// per real binary (its path baked in: fluent also runs `<path> -formats` / `-encoders` to
// check capabilities, so the binary cannot ride in the arguments):
//
// 1. `exec setsid -w` re-runs the script body in a new session, so its process group holds
//    exactly FFmpeg and its watcher. setsid(1) forks only when the caller leads a process
//    group, which a child spawned without `detached` never does; so normally the pid stays
//    the one fluent knows. Were it to fork, -w keeps the parent waiting with FFmpeg's exit
//    status (a kill of the parent then still ends FFmpeg through step 2).
// 2. The body keeps the pipe on fd 3, gives FFmpeg /dev/null as stdin (-nostdin is passed
//    too), forks a watcher that reads fd 3 until EOF — the worker closed it (FFmpeg exited,
//    Node destroys stdin then) or the kernel did (the worker died) — and then kills the
//    whole group: FFmpeg if it still runs, and itself. The watcher is in the group, so the
//    group id cannot be reused while the kill is pending: it never hits another process.
// 3. The body execs FFmpeg: same pid as the shell, so fluent's command.kill() reaches
//    FFmpeg itself.
//
// Without setsid(1) (not util-linux: macOS) the body runs in the worker's group and the
// watcher kills FFmpeg's pid only. Orphaned watchers are re-parented to PID 1: the image
// runs tini there to reap them (Dockerfile).

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeWorkDir, removeStaleWorkDirs } from '../work-dirs.ts';
import { FfmpegNotFoundError } from './errors.ts';

const WATCH = [
  'exec 3<&0 </dev/null',
  // `read`, a builtin: were an external reader missing from PATH, the kill would follow at once.
  '( while read -r _; do :; done <&3; kill -KILL -$$ 2>/dev/null || kill -KILL $$ ) >/dev/null 2>&1 &',
  'exec "$@" 3<&-',
].join('\n');

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The wrapper script for the FFmpeg binary at `ffmpeg`. */
export function watchdogScript(ffmpeg: string): string {
  return [
    '#!/bin/sh',
    '# Runs FFmpeg so that it dies with the Cutline worker that started it.',
    '# Written by apps/render/src/ffmpeg/watchdog.ts at worker start; removed when it exits.',
    `real=${shellQuote(ffmpeg)}`,
    `watch=${shellQuote(WATCH)}`,
    'if command -v setsid >/dev/null 2>&1; then exec setsid -w /bin/sh -c "$watch" cutline-ffmpeg "$real" "$@"; fi',
    'exec /bin/sh -c "$watch" cutline-ffmpeg "$real" "$@"',
    '',
  ].join('\n');
}

const written = new Map<string, Promise<string>>();
const dirs: string[] = [];
let cleanupHooked = false;

/**
 * The path of the watchdog wrapper for `ffmpeg`: written once per process and binary into
 * a dir of the OS temp dir named after this process (work-dirs.ts) and deleted on a normal
 * exit; the wrappers of killed processes are removed by the next process that writes one.
 */
export function ffmpegWatchdog({ ffmpeg }: { ffmpeg: string }): Promise<string> {
  // Windows has no /bin/sh: FFmpeg runs as it is there.
  if (process.platform === 'win32') return Promise.resolve(ffmpeg);
  let path = written.get(ffmpeg);
  if (!path) {
    path = (async () => {
      // Wrappers of processes that died without their exit hook (killed) go first.
      await removeStaleWorkDirs({ parent: tmpdir(), kinds: ['ffmpeg'] });
      const home = await makeWorkDir({ parent: tmpdir(), kind: 'ffmpeg' });
      dirs.push(home);
      if (!cleanupHooked) {
        cleanupHooked = true;
        process.once('exit', () => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
      }
      const script = join(home, 'ffmpeg');
      await writeFile(script, watchdogScript(ffmpeg), { mode: 0o700 });
      await chmod(script, 0o700);
      return script;
    })();
    written.set(ffmpeg, path);
    path.catch(() => written.delete(ffmpeg));
  }
  return path;
}

/**
 * Writes the wrapper and runs `ffmpeg -version` through it, so a worker whose temp dir
 * cannot hold executables (mounted noexec) says so at start, not at its first job.
 */
export async function checkFfmpegWatchdog({ ffmpeg }: { ffmpeg: string }): Promise<string> {
  const script = await ffmpegWatchdog({ ffmpeg });
  await new Promise<void>((resolve, reject) => {
    execFile(script, ['-hide_banner', '-version'], { timeout: 30_000 }, (error) => {
      if (!error) return resolve();
      reject(
        new FfmpegNotFoundError(
          `FFmpeg (${ffmpeg}) does not run through its watchdog ${script}: ${error.message.split('\n')[0]}. ` +
            'If the temp dir is mounted noexec, point TMPDIR at one that is not.',
          { cause: error },
        ),
      );
    });
  });
  return script;
}
