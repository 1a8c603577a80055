/**
 * Media for the render tests, generated with the FFmpeg under test (support/binaries.ts)
 * into a temp dir (never committed), and readers that decode rendered files back into
 * numbers.
 *
 * Frame-numbered sources show their own frame number as a 10-bit code of black/white
 * columns (bit i = column i), which survives scaling, pillarboxing and lossy coding.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FfmpegBinaries } from '../../src/ffmpeg/index.ts';

export function run(binary: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${binary} ${args.join(' ')} failed (${code}): ${stderr.slice(-2000)}`))));
  });
}

export const ffmpeg = (binaries: FfmpegBinaries, args: string[]) => run(binaries.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);

export const CODE_BITS = 10;
const X264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12', '-pix_fmt', 'yuv420p', '-g', '12'];

/**
 * A video of `frames` frames at `rate` (e.g. "30000/1001"), 320×240, each frame coding its
 * number; with a 1 kHz tone so it has audio when `audio` is set.
 */
export async function numberedVideo({ binaries, dir, name, rate, frames, audio = false }: { binaries: FfmpegBinaries; dir: string; name: string; rate: string; frames: number; audio?: boolean }): Promise<string> {
  const path = join(dir, name);
  const width = 32 * CODE_BITS;
  await ffmpeg(binaries, [
    '-f', 'lavfi', '-i', `color=c=black:s=${width}x240:r=${rate},trim=end_frame=${frames},geq=lum='if(mod(floor(N/pow(2\\,floor(X/32)))\\,2)\\,235\\,16)':cb=128:cr=128`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=1000:sample_rate=48000`, '-shortest', '-c:a', 'aac', '-ac', '2'] : []),
    ...X264,
    path,
  ]);
  return path;
}

/**
 * `seconds` of black at `rate` with a white flash on frame `flashFrame` and a 2 kHz beep of
 * one frame's length starting at the same instant; silence elsewhere.
 */
export async function flashBeepVideo({ binaries, dir, name, rate, seconds, flashFrame }: { binaries: FfmpegBinaries; dir: string; name: string; rate: number; seconds: number; flashFrame: number }): Promise<string> {
  const path = join(dir, name);
  const t0 = flashFrame / rate;
  const t1 = (flashFrame + 1) / rate;
  await ffmpeg(binaries, [
    '-f', 'lavfi', '-i', `color=c=black:s=320x240:r=${rate}:d=${seconds},geq=lum='if(eq(N\\,${flashFrame})\\,235\\,16)':cb=128:cr=128`,
    '-f', 'lavfi', '-i', `aevalsrc='if(between(t\\,${t0}\\,${t1})\\,0.8*sin(2*PI*2000*t)\\,0)':s=48000:d=${seconds}`,
    ...X264, '-c:a', 'aac', '-b:a', '192k', '-ac', '2', '-shortest',
    path,
  ]);
  return path;
}

/** A still picture of one colour (PNG). */
export async function colorImage({ binaries, dir, name, color, width, height }: { binaries: FfmpegBinaries; dir: string; name: string; color: string; width: number; height: number }): Promise<string> {
  const path = join(dir, name);
  await ffmpeg(binaries, ['-f', 'lavfi', '-i', `color=c=${color}:s=${width}x${height}`, '-frames:v', '1', path]);
  return path;
}

/** Decoded frames as RGB24, `width`×`height` (scaled), BT.709 like the renders are tagged. */
export async function decodeFrames(binaries: FfmpegBinaries, path: string, { width, height, frames }: { width: number; height: number; frames?: number }): Promise<Buffer[]> {
  const raw = await run(binaries.ffmpeg, [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-i', path,
    '-vf', `scale=${width}:${height}:in_color_matrix=bt709:in_range=tv:flags=neighbor,format=rgb24`,
    ...(frames ? ['-frames:v', String(frames)] : []),
    '-f', 'rawvideo', '-',
  ]);
  const size = width * height * 3;
  const out: Buffer[] = [];
  for (let offset = 0; offset + size <= raw.length; offset += size) out.push(raw.subarray(offset, offset + size));
  return out;
}

export function pixel(frame: Buffer, width: number, x: number, y: number): [number, number, number] {
  const i = (Math.round(y) * width + Math.round(x)) * 3;
  return [frame[i] ?? 0, frame[i + 1] ?? 0, frame[i + 2] ?? 0];
}

/** The frame number coded in a rectangle (x0, y, w) of a decoded frame: bit i = column i. */
export function readCode(frame: Buffer, width: number, { x, y, w }: { x: number; y: number; w: number }): number {
  let value = 0;
  for (let bit = 0; bit < CODE_BITS; bit++) {
    const [r] = pixel(frame, width, x + (bit + 0.5) * (w / CODE_BITS), y);
    if (r > 128) value |= 1 << bit;
  }
  return value;
}

/** Decoded audio as interleaved stereo float samples at `rate`. */
export async function decodeAudio(binaries: FfmpegBinaries, path: string, rate = 48000): Promise<Float32Array> {
  const raw = await run(binaries.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', path, '-vn', '-ac', '2', '-ar', String(rate), '-f', 'f32le', '-']);
  return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
}

export type StreamFacts = { codec: string; frames: number | null; duration: number | null; width?: number; height?: number; rate?: string; sampleRate?: number };

export async function probeStreams(binaries: FfmpegBinaries, path: string): Promise<{ video: StreamFacts | null; audio: StreamFacts | null; format: { duration: number } }> {
  const json = JSON.parse(
    (await run(binaries.ffprobe, ['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', path])).toString(),
  ) as { streams: Record<string, string | number>[]; format: { duration: string } };
  const pick = (type: string): StreamFacts | null => {
    const s = json.streams.find((x) => x.codec_type === type);
    if (!s) return null;
    return {
      codec: String(s.codec_name),
      frames: s.nb_read_frames === undefined ? null : Number(s.nb_read_frames),
      duration: s.duration === undefined ? null : Number(s.duration),
      ...(s.width ? { width: Number(s.width), height: Number(s.height), rate: String(s.r_frame_rate) } : {}),
      ...(s.sample_rate ? { sampleRate: Number(s.sample_rate) } : {}),
    };
  };
  return { video: pick('video'), audio: pick('audio'), format: { duration: Number(json.format.duration) } };
}
