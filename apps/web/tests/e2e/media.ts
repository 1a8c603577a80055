/**
 * Test media made with FFmpeg (never committed): colour-coded video so a pixel says which
 * source frame is on screen, tones so audio is present, and a WAV.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../../..');
export const FFMPEG = process.env.FFMPEG_PATH ?? join(root, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
export const FFPROBE = process.env.FFPROBE_PATH ?? join(root, 'node_modules/@ffprobe-installer/linux-x64/ffprobe');

export type Rgb = [number, number, number];

/** The colours of the generated sources, by second (each source changes colour every second). */
export const SOURCES = {
  /** 4 s: red, green, blue, yellow; 440 Hz tone. */
  a: { file: 'clip-a.mp4', seconds: ['red', 'lime', 'blue', 'yellow'] as const, rgb: [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]] as Rgb[] },
  /** 4 s: magenta, cyan, white, black; 660 Hz tone. */
  b: { file: 'clip-b.mp4', seconds: ['magenta', 'cyan', 'white', 'black'] as const, rgb: [[255, 0, 255], [0, 255, 255], [255, 255, 255], [0, 0, 0]] as Rgb[] },
} as const;

async function colourClip({ out, colours, tone }: { out: string; colours: readonly string[]; tone: number }): Promise<void> {
  const inputs = colours.flatMap((c) => ['-f', 'lavfi', '-i', `color=c=${c}:s=1280x720:r=30:d=1`]);
  // BT.709, converted and tagged, as HD cameras and phones write it: browsers decode
  // untagged HD as BT.709 while FFmpeg's RGB→YUV default is BT.601, so an untagged file
  // would show different colours in the preview and in FFmpeg (the proxy keeps the tags).
  const concat = `${colours.map((_, i) => `[${i}:v]`).join('')}concat=n=${colours.length}:v=1:a=0,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p[v]`;
  await run(FFMPEG, [
    '-y', '-hide_banner', '-loglevel', 'error',
    ...inputs,
    '-f', 'lavfi', '-i', `sine=frequency=${tone}:sample_rate=48000:duration=${colours.length}`,
    '-filter_complex', concat,
    '-map', '[v]', '-map', `${colours.length}:a`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-g', '30', '-pix_fmt', 'yuv420p',
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
    '-c:a', 'aac', '-b:a', '128k', '-shortest', '-movflags', '+faststart',
    out,
  ]);
}

export async function generateMedia(): Promise<{ dir: string; a: string; b: string; wav: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cutline-e2e-media-'));
  const a = join(dir, SOURCES.a.file);
  const b = join(dir, SOURCES.b.file);
  const wav = join(dir, 'tone.wav');
  await Promise.all([
    colourClip({ out: a, colours: SOURCES.a.seconds, tone: 440 }),
    colourClip({ out: b, colours: SOURCES.b.seconds, tone: 660 }),
    run(FFMPEG, ['-y', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=220:sample_rate=44100:duration=3', '-ac', '1', '-c:a', 'pcm_s16le', wav]),
  ]);
  return { dir, a, b, wav };
}

/**
 * How a video file's YUV turns into RGB: by its colour tags (the export is tagged BT.709),
 * as a browser decodes it. FFmpeg's own default (BT.601 for everything untagged) would
 * compare a correctly decoded preview against wrongly decoded render frames.
 */
async function toRgbFilter(file: string): Promise<string> {
  if (/\.png$/i.test(file)) return 'format=rgb24';
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=color_space,color_range', '-of', 'json', file]);
  const stream = (JSON.parse(stdout) as { streams: { color_space?: string; color_range?: string }[] }).streams[0];
  const matrix = stream?.color_space === 'bt709' ? 'bt709' : 'bt601';
  const range = stream?.color_range === 'pc' ? 'pc' : 'tv';
  return `scale=in_color_matrix=${matrix}:in_range=${range},format=rgb24`;
}

/** RGB pixels of an image file, or of a video's frame at `at` seconds. */
export async function pixelsOf({ file, at, width, height }: { file: string; at?: number; width: number; height: number }): Promise<Buffer> {
  const seek = at === undefined ? [] : ['-ss', String(at)];
  const { stdout } = await run(FFMPEG, ['-hide_banner', '-loglevel', 'error', ...seek, '-i', file, '-frames:v', '1', '-vf', `${await toRgbFilter(file)},scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export function pixel(raw: Buffer, width: number, x: number, y: number): Rgb {
  const i = (y * width + x) * 3;
  return [raw[i] ?? 0, raw[i + 1] ?? 0, raw[i + 2] ?? 0];
}

export function near(actual: Rgb, expected: Rgb, tolerance = 24): boolean {
  return actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= tolerance);
}

/** PSNR (dB) in RGB between an image and a video's frame at `at` seconds (FFmpeg's psnr filter). */
export async function psnr({ image, video, at }: { image: string; video: string; at: number }): Promise<number> {
  const graph = `[1:v]${await toRgbFilter(video)}[v1];[0:v]format=rgb24[v0];[v1][v0]scale2ref[v1s][v0s];[v0s][v1s]psnr`;
  const { stderr } = await run(FFMPEG, ['-hide_banner', '-i', image, '-ss', String(at), '-i', video, '-frames:v', '1', '-lavfi', graph, '-f', 'null', '-'], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const match = /average:([\d.]+|inf)/.exec(stderr);
  if (!match) throw new Error(`no PSNR in:\n${stderr}`);
  return match[1] === 'inf' ? Number.POSITIVE_INFINITY : Number(match[1]);
}

export type Probe = { format: { duration: string; format_name: string }; streams: { codec_type: string; codec_name: string; width?: number; height?: number }[] };

export async function ffprobe(file: string): Promise<Probe> {
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout) as Probe;
}
