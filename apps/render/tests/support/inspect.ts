import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FfmpegBinaries } from '../../src/ffmpeg/index.ts';
import { ffmpegTo } from './media.ts';

const exec = promisify(execFile);

/** Keyframe times of the first video stream, from packet flags, and where the stream ends. */
export async function keyframes(binaries: FfmpegBinaries, path: string): Promise<{ keyframes: number[]; end: number }> {
  const { stdout } = await exec(binaries.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,duration_time,flags', '-of', 'csv=p=0', path]);
  const packets = stdout
    .trim()
    .split('\n')
    .map((line) => line.split(','))
    .map(([pts, duration, flags]) => ({ pts: Number(pts), duration: Number(duration) || 0, key: (flags ?? '').includes('K') }))
    .sort((a, b) => a.pts - b.pts);
  return {
    keyframes: packets.filter((p) => p.key).map((p) => p.pts),
    end: Math.max(...packets.map((p) => p.pts + p.duration)),
  };
}

/** Largest gap between keyframes, counting the stretch from the last one to the end. */
export function longestKeyframeGap({ keyframes: keys, end }: { keyframes: number[]; end: number }): number {
  const points = [...keys, end];
  let longest = 0;
  for (let i = 1; i < points.length; i += 1) longest = Math.max(longest, (points[i] ?? 0) - (points[i - 1] ?? 0));
  return longest;
}

/** The first frame as RGB pixels, to see where a marker ended up. */
export async function firstFrame(binaries: FfmpegBinaries, path: string, width: number): Promise<(x: number, y: number) => [number, number, number]> {
  const rgb = await ffmpegTo({ binaries, args: ['-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'] });
  return (x, y) => {
    const at = (y * width + x) * 3;
    return [rgb[at] ?? -1, rgb[at + 1] ?? -1, rgb[at + 2] ?? -1];
  };
}
