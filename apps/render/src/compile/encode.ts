// Encoder settings per preset. The same function serves single renders, chunks and the
// hand-written bench command, so a chunked file is encoded exactly like a single one.

import type { Preset } from '@cutline/shared/renders';
import type { Rational } from '@cutline/timeline';

/** Keyframe interval: 2 s of frames. Chunks are whole multiples of it (plan-chunks.ts). */
export function gopFrames(fps: Rational): number {
  return Math.max(1, Math.round((2 * fps.num) / fps.den));
}

// Outputs are tagged BT.709 / limited range: RGB sources (colours, text, images, the
// background) are converted with out_color_matrix=bt709, and camera video is BT.709 already.
const BT709 = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-color_range', 'tv'];

export function videoEncoderArgs({ preset, fps, threads }: { preset: Preset; fps: Rational; threads: number | null }): string[] {
  const video = preset.video;
  if (!video) return [];
  const gop = String(gopFrames(fps));
  const threading = threads === null ? [] : ['-threads', String(threads)];
  switch (video.codec) {
    case 'h264':
      return [
        '-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(video.crf ?? 20), '-profile:v', 'high', '-pix_fmt', 'yuv420p',
        // Fixed maximum GOP: a single render's keyframes then fall where chunk starts are.
        '-g', gop, ...threading, ...BT709,
      ];
    case 'vp9':
      return [
        '-c:v', 'libvpx-vp9', '-crf', String(video.crf ?? 33), '-b:v', '0', '-deadline', 'good', '-cpu-used', '4',
        // row-mt exists in libvpx ≥ 1.7 (the 4.1 build has it); it only helps with threads.
        '-row-mt', '1', '-g', gop, '-pix_fmt', 'yuv420p', ...threading, ...BT709,
      ];
    case 'gif':
      // GIF has no colour tags; -loop 0 = play forever.
      return ['-c:v', 'gif', '-loop', '0', ...threading];
  }
}

/** Audio encoders take only some rates: Opus 48 kHz (and lower divisors), AAC up to 96 kHz. */
export function outputSampleRate(preset: Preset, projectRate: number): number {
  if (preset.audio?.codec === 'opus') return 48_000;
  return projectRate > 96_000 ? 48_000 : projectRate;
}

export function audioEncoderArgs({ preset, rate }: { preset: Preset; rate: number }): string[] {
  const audio = preset.audio;
  if (!audio) return [];
  const bitrate = `${Math.round(audio.bitrate / 1000)}k`;
  return audio.codec === 'aac'
    ? ['-c:a', 'aac', '-b:a', bitrate, '-ar', String(rate), '-ac', '2']
    : ['-c:a', 'libopus', '-b:a', bitrate, '-ar', String(rate), '-ac', '2'];
}

export type OutputKind = 'final' | 'video-chunk' | 'audio-part';

/** Muxer, and its options, for a kind of output of a preset. */
export function containerArgs(preset: Preset, kind: OutputKind): { extension: string; args: string[] } {
  if (kind === 'audio-part') {
    return preset.audio?.codec === 'opus' ? { extension: 'webm', args: ['-f', 'webm'] } : { extension: 'm4a', args: ['-f', 'mp4'] };
  }
  switch (preset.extension) {
    case 'mp4':
      // faststart moves the index to the front for progressive download; chunks are only
      // read by the final join, so they skip the extra pass.
      return { extension: 'mp4', args: kind === 'final' ? ['-f', 'mp4', '-movflags', '+faststart'] : ['-f', 'mp4'] };
    case 'm4a':
      return { extension: 'm4a', args: ['-f', 'mp4', '-movflags', '+faststart'] };
    case 'webm':
      return { extension: 'webm', args: ['-f', 'webm'] };
    case 'gif':
      return { extension: 'gif', args: ['-f', 'gif'] };
  }
}
