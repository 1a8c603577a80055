// Runs what compile() planned: many inputs and one filter graph, which the ingest team's
// runFfmpeg (one input) does not cover. Same conventions: the watchdog of ffmpeg/spawn.ts
// (FFmpeg dies with the worker), our own progress parsing, FfmpegError with the useful
// tail of stderr, SIGKILL on abort.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Compiled } from '../compile/index.ts';
import type { FfmpegBinaries } from '../ffmpeg/index.ts';
import { runWatched } from '../ffmpeg/spawn.ts';

// -nostdin: a worker has no terminal. -stats keeps the `frame=… time=…` progress lines that
// -loglevel warning would hide. (They do not stop an orphan: a killed worker's stderr pipe
// may still be held open; the watchdog does.)
const GLOBAL = ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-stats'];

/** Writes the text files the graph reads and the graph itself; returns the graph's path. */
export async function writeCompiledFiles(compiled: Compiled, dir: string): Promise<string> {
  for (const file of compiled.files) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.contents, 'utf8');
  }
  // A file, not an argument: a long timeline's graph can pass Linux's 128 KiB limit for one
  // argument (MAX_ARG_STRLEN).
  const graph = join(dir, 'graph.txt');
  await writeFile(graph, compiled.filterGraph, 'utf8');
  return graph;
}

export type RunProgress = { frame: number | null; timeUs: number | null };

export function parseProgressLine(line: string): RunProgress | null {
  const frame = /frame=\s*(\d+)/.exec(line);
  const time = /time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
  if (!frame && !time) return null;
  return {
    frame: frame ? Number(frame[1]) : null,
    timeUs: time ? Math.round((Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3])) * 1e6) : null,
  };
}

export function runFfmpegArgs({
  binaries,
  inputs,
  outputOptions,
  output,
  onProgress,
  signal,
}: {
  binaries: FfmpegBinaries;
  inputs: readonly { path: string; options: readonly string[] }[];
  outputOptions: readonly string[];
  output: string;
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
}): Promise<{ stderr: string }> {
  const args: string[] = [];
  for (const input of inputs) args.push(...input.options, '-i', input.path);
  // -y: a retry on the same machine may find the file of an attempt that died.
  args.push(...GLOBAL, ...outputOptions, '-y', output);
  return runWatched({
    binary: binaries.ffmpeg,
    args,
    signal,
    onStderrLine: (line) => {
      const progress = onProgress ? parseProgressLine(line) : null;
      if (progress && onProgress) onProgress(progress);
    },
  });
}

/** Runs a compiled render into `output`; `graphPath` from writeCompiledFiles. */
export function runCompiled({
  binaries,
  compiled,
  graphPath,
  output,
  onProgress,
  signal,
}: {
  binaries: FfmpegBinaries;
  compiled: Compiled;
  graphPath: string;
  output: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}): Promise<{ stderr: string }> {
  const total = compiled.frames;
  const durationUs = compiled.durationUs;
  return runFfmpegArgs({
    binaries,
    inputs: compiled.inputs,
    outputOptions: ['-filter_complex_script', graphPath, ...compiled.outputOptions],
    output,
    ...(signal ? { signal } : {}),
    ...(onProgress
      ? {
          onProgress: (p: RunProgress) => {
            // Video: frames written of frames planned. Audio only: time written.
            const fraction = p.frame !== null && p.frame > 0 && total > 0 ? p.frame / total : p.timeUs !== null && durationUs > 0 ? p.timeUs / durationUs : null;
            if (fraction !== null) onProgress(Math.min(1, Math.max(0, fraction)));
          },
        }
      : {}),
  });
}
