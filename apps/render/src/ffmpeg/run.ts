import type { Writable } from 'node:stream';
import type { FfmpegBinaries } from './binaries.ts';
import { runWatched } from './spawn.ts';

/** What a planner decides: options before `-i <input>` and before the output. */
export type FfmpegArgs = { inputOptions: string[]; outputOptions: string[] };

// Global options, in front of the input options. -nostdin: a worker has no terminal, and ffmpeg
// otherwise reads stdin for its "q to quit" key. -stats keeps the progress lines
// (`time=…`) that -loglevel warning would otherwise hide.
const GLOBAL_OPTIONS = ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-stats'];

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
 * Runs one ffmpeg command (under the watchdog of spawn.ts, so it dies with the worker).
 * Resolves with stderr (warnings can matter: a truncated file decodes "successfully" with
 * "partial file" warnings) or rejects with FfmpegError carrying the useful tail of stderr.
 */
export function runFfmpeg(options: RunFfmpegOptions): Promise<{ stderr: string }> {
  const { binaries, input, output, args, durationUs, onProgress, signal, timeoutMs } = options;
  const toFile = typeof output === 'string';
  // -y: overwrite a file left by an earlier attempt instead of asking (there is no stdin).
  const argv = commandLine({ input, output: toFile ? output : 'pipe:1', args: { inputOptions: args.inputOptions, outputOptions: [...args.outputOptions, ...(toFile ? ['-y'] : [])] } });
  return runWatched({
    binary: binaries.ffmpeg,
    args: argv,
    ...(toFile ? {} : { stdout: output }),
    signal,
    timeoutMs,
    // Progress is parsed from stderr: the `time=` of -stats against the duration we know.
    onStderrLine: (line) => {
      if (!onProgress || !durationUs) return;
      const time = parseTimemark(line);
      if (time !== null) onProgress(Math.min(1, Math.max(0, time / durationUs)));
    },
  });
}
