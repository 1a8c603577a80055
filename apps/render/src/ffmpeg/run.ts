// The one way every FFmpeg run goes (ingest steps, renders, the join of chunks): through
// fluent-ffmpeg, under the watchdog of watchdog.ts (FFmpeg dies with the worker), with our
// own progress parsing, a capped stderr, SIGKILL on abort or timeout, and FfmpegError /
// FfmpegAbortedError. Planners (ingest/plan-*.ts, compile/) build the arguments, purely.

import { PassThrough, type Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { FfmpegBinaries } from './binaries.ts';
import { FfmpegAbortedError, FfmpegError } from './errors.ts';
import { ffmpegWatchdog } from './watchdog.ts';

/** What an ingest planner decides for one input: options before `-i <input>` and before the output. */
export type FfmpegArgs = { inputOptions: string[]; outputOptions: string[] };

/** One `-i`, with the options that go in front of it. */
export type FfmpegInput = { readonly path: string; readonly options: readonly string[] };

// Global options; ffmpeg accepts them anywhere (and reads -loglevel/-hide_banner before all
// else), fluent-ffmpeg has no slot for them, so they ride in front of the output options: a
// render from generated sources only (colours, text) has no input to carry them. -nostdin: a worker has no terminal, and
// ffmpeg otherwise reads stdin for its "q to quit" key. -stats keeps the progress lines
// (`frame=… time=…`) that -loglevel warning would otherwise hide.
const GLOBAL_OPTIONS = ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-stats'];

/** Keep the end of stderr only: a broken file can make ffmpeg log thousands of lines. */
const STDERR_KEEP_CHARS = 64 * 1024;

// The shell's own exit codes when exec of the real binary fails (not executable / not
// found); ffmpeg never exits with them. Reported as "could not start", not as the media's fault.
const EXEC_FAILED = new Set([126, 127]);

/** fluent-ffmpeg adds `-y` after the inputs when the output is a file (a path, not `proto:`). */
const isFileTarget = (output: string) => !/^[a-z]{2,}:/i.test(output) || output.startsWith('file:');

/**
 * The arguments fluent-ffmpeg runs for these inputs and output (`pipe:1` for a stream), in
 * its order, for logs and snapshot tests.
 */
export function commandLine({ inputs, outputOptions, output }: { inputs: readonly FfmpegInput[]; outputOptions: readonly string[]; output: string }): string[] {
  const args = inputs.flatMap((input) => [...input.options, '-i', input.path]);
  // -y: overwrite a file left by an earlier attempt instead of asking (there is no stdin).
  return [...args, ...(isFileTarget(output) ? ['-y'] : []), ...GLOBAL_OPTIONS, ...outputOptions, output];
}

type FfmpegProgress = { frame: number | null; timeUs: number | null };

/** `frame=` and `time=` of a -stats line (a negative time, before the first packet, is none). */
function parseProgressLine(line: string): FfmpegProgress | null {
  const frame = /frame=\s*(\d+)/.exec(line);
  const time = /time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
  if (!frame && !time) return null;
  return {
    frame: frame ? Number(frame[1]) : null,
    timeUs: time ? Math.round((Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3])) * 1e6) : null,
  };
}

/** Done of expected: frames written of frames planned when both are known, else time written. */
function progressFraction(progress: FfmpegProgress, expected: { frames?: number | null | undefined; durationUs?: number | null | undefined }): number | null {
  const { frames, durationUs } = expected;
  const fraction =
    progress.frame !== null && progress.frame > 0 && frames ? progress.frame / frames : progress.timeUs !== null && durationUs ? progress.timeUs / durationUs : null;
  return fraction === null ? null : Math.min(1, Math.max(0, fraction));
}

/**
 * fluent-ffmpeg splits an option string at its space ("-vf scale=…" → two arguments) when
 * it gets one argument; given two or more it keeps each whole. A lone option is a flag (a
 * value comes with its option), so it has no space; one that does would be cut, so refuse it.
 */
function addWhole(add: (...options: string[]) => unknown, options: readonly string[]): void {
  if (options.length === 0) return;
  if (options.length === 1 && (options[0] ?? '').includes(' ')) throw new Error(`ffmpeg: a lone option with a space would be split: ${options[0]}`);
  add(...options);
}

export type RunFfmpegOptions = {
  binaries: FfmpegBinaries;
  inputs: readonly FfmpegInput[];
  outputOptions: readonly string[];
  /** A file path, or a stream that receives ffmpeg's stdout (`pipe:1`). */
  output: string | Writable;
  /** What the run should produce, to turn `frame=`/`time=` into a 0–1 fraction for `onProgress`. */
  expected?: { frames?: number | null; durationUs?: number | null };
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
};

type Running = { stdin?: { on(event: 'error', listener: () => void): unknown } | null };

/**
 * Runs one ffmpeg command to its end. Resolves with the tail of stderr (warnings can
 * matter: a truncated file decodes "successfully" with "partial file" warnings) or rejects
 * with FfmpegError carrying it, FfmpegAbortedError when `signal` stopped it.
 */
export async function runFfmpeg(options: RunFfmpegOptions): Promise<{ stderr: string }> {
  const { binaries, inputs, outputOptions, output, expected = {}, onProgress, signal, timeoutMs } = options;
  if (signal?.aborted) throw new FfmpegAbortedError('ffmpeg');
  const wrapper = await ffmpegWatchdog({ ffmpeg: binaries.ffmpeg });
  if (signal?.aborted) throw new FfmpegAbortedError('ffmpeg');

  return new Promise((resolve, reject) => {
    let stderr = '';
    let timedOut = false;
    let outputError: Error | null = null;
    let spawned = false;
    // fluent's capability checks run before the spawn; a kill then would find no process.
    let stopWanted = false;
    const command = ffmpeg({ stdoutLines: 50 }).setFfmpegPath(wrapper).setFfprobePath(binaries.ffprobe);
    const stop = () => {
      stopWanted = true;
      if (spawned) command.kill('SIGKILL');
    };

    try {
      for (const input of inputs) {
        command.input(input.path);
        addWhole((...o) => command.inputOptions(...o), input.options);
      }
      command.outputOptions(...GLOBAL_OPTIONS, ...outputOptions);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }

    // A stream output goes through a PassThrough that never emits 'close': fluent-ffmpeg
    // kills ffmpeg 20 ms after its target closes, which under load can be before ffmpeg's
    // own exit is seen, failing a run that succeeded.
    let outputDone: Promise<void> = Promise.resolve();
    if (typeof output === 'string') {
      command.output(output);
    } else {
      const relay = new PassThrough({ emitClose: false });
      outputDone = new Promise<void>((done) => {
        output.once('finish', () => done());
        output.once('error', (error: Error) => {
          outputError = error;
          stop();
          done();
        });
      });
      relay.pipe(output);
      command.output(relay);
    }

    command.on('start', () => {
      spawned = true;
      // The watchdog's pipe: never written; an error on it must not crash the worker.
      (command as unknown as { ffmpegProc?: Running }).ffmpegProc?.stdin?.on('error', () => {});
      if (stopWanted) command.kill('SIGKILL');
    });
    // Progress is parsed from stderr ourselves: fluent-ffmpeg's 'progress' event would
    // start an extra ffprobe per command just to learn the duration we already know.
    command.on('stderr', (line: string) => {
      stderr = (stderr + line + '\n').slice(-STDERR_KEEP_CHARS);
      if (!onProgress) return;
      const progress = parseProgressLine(line);
      const fraction = progress ? progressFraction(progress, expected) : null;
      if (fraction !== null) onProgress(fraction);
    });

    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, timeoutMs)
      : null;
    signal?.addEventListener('abort', stop, { once: true });
    const settle = (error: Error | null) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      if (error) reject(error);
      else resolve({ stderr });
    };

    command.on('error', (error: Error) => {
      // FFmpeg ran and ended: its stdout ends too, wait for the output stream to take it
      // all. Otherwise (not started) nothing will ever end that stream.
      const ran = spawned && /ffmpeg exited with code|ffmpeg was killed with signal/.test(error.message);
      void (ran ? outputDone : Promise.resolve()).then(() => {
        if (signal?.aborted) return settle(new FfmpegAbortedError('ffmpeg'));
        if (timedOut) return settle(new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg took longer than ${Math.round((timeoutMs ?? 0) / 1000)} s and was stopped` }));
        if (outputError) return settle(new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg's output stream failed: ${outputError.message}` }));
        const exit = /ffmpeg exited with code (\d+)/.exec(error.message);
        const code = exit ? Number(exit[1]) : null;
        if (code !== null && EXEC_FAILED.has(code)) {
          return settle(new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg could not start: ${binaries.ffmpeg} is not an executable file` }));
        }
        if (code !== null) return settle(new FfmpegError({ tool: 'ffmpeg', exitCode: code, stderr }));
        const killed = /ffmpeg was killed with signal (\w+)/.exec(error.message);
        if (killed) return settle(new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg failed: killed by ${killed[1]}` }));
        settle(new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg ${spawned ? 'failed' : 'could not start'}: ${error.message.split('\n')[0]}` }));
      });
    });
    command.on('end', () => {
      void outputDone.then(() => settle(outputError ? new FfmpegError({ tool: 'ffmpeg', exitCode: null, stderr, message: `ffmpeg's output stream failed: ${outputError.message}` }) : null));
    });
    command.run();
  });
}
