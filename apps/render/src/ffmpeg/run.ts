import type { Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { FfmpegBinaries } from './binaries.ts';
import { FfmpegAbortedError, FfmpegError } from './errors.ts';

/** What a planner decides: options before `-i <input>` and before the output. */
export type FfmpegArgs = { inputOptions: string[]; outputOptions: string[] };

// Global options; ffmpeg accepts them anywhere, fluent-ffmpeg has no slot for them, so they
// ride in front of the input options. -nostdin: a worker has no terminal, and ffmpeg
// otherwise reads stdin for its "q to quit" key. -stats keeps the progress lines
// (`time=…`) that -loglevel warning would otherwise hide.
const GLOBAL_OPTIONS = ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-stats'];

/** Keep the end of stderr only: a broken file can make ffmpeg log thousands of lines. */
const STDERR_KEEP_CHARS = 64 * 1024;

/** `ffmpeg … -i input … output` as one argument list, for logs and snapshot tests. */
export function commandLine({ input, output, args }: { input: string; output: string; args: FfmpegArgs }): string[] {
  return [...GLOBAL_OPTIONS, ...args.inputOptions, '-i', input, ...args.outputOptions, output];
}

function parseTimemark(line: string): number | null {
  const match = /time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
  if (!match || match[1] === '-') return null;
  return (Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4])) * 1_000_000;
}

export type RunFfmpegOptions = {
  binaries: FfmpegBinaries;
  input: string;
  /** A file path, or a stream that receives ffmpeg's stdout. */
  output: string | Writable;
  args: FfmpegArgs;
  /** Media length, to turn ffmpeg's `time=` into a 0–1 fraction for `onProgress`. */
  durationUs?: number | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
};

/**
 * Runs one ffmpeg command through fluent-ffmpeg. Resolves with stderr (warnings can
 * matter: a truncated file decodes "successfully" with "partial file" warnings) or
 * rejects with FfmpegError carrying the useful tail of stderr.
 */
export function runFfmpeg(options: RunFfmpegOptions): Promise<{ stderr: string }> {
  const { binaries, input, output, args, durationUs, onProgress, signal, timeoutMs } = options;
  if (signal?.aborted) return Promise.reject(new FfmpegAbortedError('ffmpeg'));
  return new Promise((resolve, reject) => {
    let stderr = '';
    const command = ffmpeg({ stdoutLines: 50, ...(timeoutMs ? { timeout: Math.ceil(timeoutMs / 1000) } : {}) })
      .setFfmpegPath(binaries.ffmpeg)
      .setFfprobePath(binaries.ffprobe)
      .input(input)
      // fluent-ffmpeg splits an option string at its space ("-vf scale=…" → two args) unless
      // it gets two or more arguments. Spreading keeps every argument whole; a lone output
      // option gets a harmless -y (overwrite) beside it for the same reason.
      .inputOptions(...GLOBAL_OPTIONS, ...args.inputOptions)
      .outputOptions(...args.outputOptions, ...(args.outputOptions.length === 1 ? ['-y'] : []))
      .output(output);

    // Progress is parsed from stderr ourselves: fluent-ffmpeg's 'progress' event would
    // start an extra ffprobe per command just to learn the duration we already know.
    command.on('stderr', (line: string) => {
      stderr = (stderr + line + '\n').slice(-STDERR_KEEP_CHARS);
      if (!onProgress || !durationUs) return;
      const time = parseTimemark(line);
      if (time !== null) onProgress(Math.min(1, Math.max(0, time / durationUs)));
    });

    const onAbort = () => command.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    command.on('error', (error: Error) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(new FfmpegAbortedError('ffmpeg'));
      const exit = /exited with code (\d+)/.exec(error.message);
      const timedOut = /timeout/.test(error.message);
      reject(
        new FfmpegError({
          tool: 'ffmpeg',
          exitCode: exit ? Number(exit[1]) : null,
          stderr,
          ...(timedOut ? { message: `ffmpeg took longer than ${Math.round((timeoutMs ?? 0) / 1000)} s and was stopped` } : {}),
          ...(exit || timedOut ? {} : { message: `ffmpeg failed: ${error.message.split('\n')[0]}` }),
        }),
      );
    });
    command.on('end', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ stderr });
    });
    command.run();
  });
}
