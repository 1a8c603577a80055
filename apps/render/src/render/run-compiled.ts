// Runs what compile() planned through the one FFmpeg runner (ffmpeg/run.ts): the graph
// goes in a file, the inputs and output options as compile() built them.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Compiled } from '../compile/index.ts';
import { runFfmpeg, type FfmpegBinaries } from '../ffmpeg/index.ts';

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
  return runFfmpeg({
    binaries,
    inputs: compiled.inputs,
    outputOptions: ['-filter_complex_script', graphPath, ...compiled.outputOptions],
    output,
    // Video: frames written of frames planned. Audio only: time written.
    expected: { frames: compiled.frames, durationUs: compiled.durationUs },
    ...(onProgress ? { onProgress } : {}),
    signal,
  });
}
