// planJoin(): the FFmpeg command that joins a chunked render's parts. Pure.
//
// The video chunks are joined without re-encoding (concat demuxer: each chunk starts with
// a keyframe, plan-chunks.ts) and the audio part, rendered once for the whole range, is
// muxed beside them, also copied.

import type { Preset } from '@cutline/shared/renders';
import type { Rational } from '@cutline/timeline';
import type { CompiledInput } from './compile.ts';
import { containerArgs } from './encode.ts';

export type JoinPlan = {
  /** The concat list: write it to `path` before running FFmpeg. */
  readonly list: { readonly path: string; readonly contents: string };
  readonly inputs: readonly CompiledInput[];
  readonly outputOptions: readonly string[];
  readonly extension: string;
};

/** A path as the concat demuxer reads it: single-quoted, a quote as '\'' (as in sh). */
const quoted = (path: string) => `'${path.replace(/'/g, "'\\''")}'`;

export function planJoin({
  chunks,
  audio,
  fps,
  preset,
  listPath,
}: {
  /** Local paths of the video chunks in timeline order, with the frames each holds. */
  chunks: readonly { path: string; frames: number }[];
  /** Local path of the audio part, if the render has one. */
  audio: string | null;
  fps: Rational;
  preset: Preset;
  listPath: string;
}): JoinPlan {
  // Each file's exact duration (frames × den/num): the concat demuxer otherwise adds the
  // container's rounded duration and timestamps drift at every seam.
  const lines = chunks.flatMap((chunk) => [`file ${quoted(chunk.path)}`, `duration ${((chunk.frames * fps.den) / fps.num).toFixed(9)}`]);
  const container = containerArgs(preset, 'final');
  // -safe 0: the list names absolute paths (the parts' local copies).
  const inputs: CompiledInput[] = [{ path: listPath, options: ['-f', 'concat', '-safe', '0'] }];
  if (audio !== null) inputs.push({ path: audio, options: [] });
  return {
    list: { path: listPath, contents: `ffconcat version 1.0\n${lines.join('\n')}\n` },
    inputs,
    outputOptions: ['-map', '0:v:0', ...(audio !== null ? ['-map', '1:a:0'] : []), '-c', 'copy', ...container.args],
    extension: container.extension,
  };
}
