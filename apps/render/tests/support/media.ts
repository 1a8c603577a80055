/**
 * The test media matrix, generated with FFmpeg into a temp dir on every run (never
 * committed). Short and small (2 s, 320×240) so the whole suite stays fast; one 1080p
 * second to prove the downscale.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { FfmpegBinaries } from '../../src/ffmpeg/index.ts';

export function ffmpegTo({ binaries, args, stdoutFile }: { binaries: FfmpegBinaries; args: string[]; stdoutFile?: string }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binaries.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    if (stdoutFile) child.stdout.pipe(createWriteStream(stdoutFile));
    else child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg ${args.join(' ')} failed (${code}): ${stderr}`))));
  });
}

const video = (size: string, rate: string, seconds: number) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`];
const tone = (seconds: number, rate = 48000, frequency = 440) => ['-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=${rate}:duration=${seconds}`];
const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
const aac = ['-c:a', 'aac', '-ac', '2'];

/** A valid 30,000 × 30,000 PNG of one colour in ~110 KB: 1-bit palette rows of zeros compress to nothing. */
function hugePng(side: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 1; // bit depth
  header[9] = 3; // palette colour
  const rows = Buffer.alloc((Math.ceil(side / 8) + 1) * side); // filter byte 0 + pixels, all palette entry 0
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from([200, 40, 40])),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const GOOD_MEDIA = [
  'h264-aac.mp4',
  'hevc.mp4',
  'vp9-opus.webm',
  'recorder.webm',
  'rotated.mov',
  'vfr.mp4',
  'film-23976.mp4',
  'mono-44k.wav',
  'music.mp3',
  'alpha.png',
  'photo.jpg',
  'hd-1080p.mp4',
] as const;
export const BAD_MEDIA = ['empty.mp4', 'truncated.mp4', 'truncated-faststart.mp4', 'text.mp4', 'huge-30000.png'] as const;
export type MediaName = (typeof GOOD_MEDIA)[number] | (typeof BAD_MEDIA)[number];

/** Makes every file of the matrix in `dir`; returns name → path. Two ffmpeg at a time (2 cores). */
export async function generateMediaMatrix({ binaries, dir }: { binaries: FfmpegBinaries; dir: string }): Promise<Record<MediaName, string>> {
  const path = (name: string) => join(dir, name);
  const run = (args: string[], stdoutFile?: string) => ffmpegTo({ binaries, args, ...(stdoutFile ? { stdoutFile } : {}) });

  const jobs: (() => Promise<unknown>)[] = [
    () => run([...video('320x240', '30', 2), ...tone(2), ...x264, ...aac, '-shortest', path('h264-aac.mp4')]),
    () => run([...video('320x240', '25', 2), ...tone(2), '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', '-tag:v', 'hvc1', ...aac, '-shortest', path('hevc.mp4')]),
    () => run([...video('320x240', '30', 2), ...tone(2), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-c:a', 'libopus', '-shortest', path('vp9-opus.webm')]),
    // What MediaRecorder produces: WebM written to a non-seekable pipe, so the muxer can
    // never go back to fill in Duration or Cues.
    () => run([...video('320x240', '30', 2), ...tone(2), '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-c:a', 'libopus', '-shortest', '-f', 'webm', 'pipe:1'], path('recorder.webm')),
    async () => {
      // Blue with a red square top-left, so the test can see which way the proxy turned.
      await run(['-f', 'lavfi', '-i', 'color=c=blue:size=320x240:rate=30:duration=2,drawbox=x=0:y=0:w=60:h=60:color=red:t=fill', ...tone(2), ...x264, ...aac, '-shortest', path('rotated-src.mp4')]);
      // FFmpeg 4.x's mov muxer writes `rotate=270` as a display matrix of -90°: what an
      // iPhone held upright records ("turn 90° clockwise to show").
      await run(['-i', path('rotated-src.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=270', path('rotated.mov')]);
    },
    // 30 fps for a second, then every third frame: variable frame rate.
    () => run([...video('320x240', '30', 3), '-vf', "select='lt(t\\,1)+not(mod(n\\,3))'", '-vsync', 'vfr', ...x264, path('vfr.mp4')]),
    () => run([...video('320x240', '24000/1001', 2), ...tone(2), ...x264, ...aac, '-shortest', path('film-23976.mp4')]),
    () => run([...tone(2, 44100), '-c:a', 'pcm_s16le', '-ac', '1', path('mono-44k.wav')]),
    () => run([...tone(2, 44100, 220), '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', path('music.mp3')]),
    () => run(['-f', 'lavfi', '-i', 'color=c=red@0.5:size=160x120,format=rgba', '-frames:v', '1', path('alpha.png')]),
    () => run(['-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', '-q:v', '3', '-pix_fmt', 'yuvj420p', path('photo.jpg')]),
    () => run([...video('1920x1080', '30', 1), ...tone(1), ...x264, ...aac, '-shortest', path('hd-1080p.mp4')]),
  ];
  const queue = [...jobs];
  await Promise.all(
    [0, 1].map(async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }),
  );

  const good = await readFile(path('h264-aac.mp4'));
  await writeFile(path('empty.mp4'), Buffer.alloc(0));
  // The muxer writes the index (moov) last, so the first half has none.
  await writeFile(path('truncated.mp4'), good.subarray(0, Math.floor(good.length / 2)));
  await run(['-i', path('h264-aac.mp4'), '-c', 'copy', '-movflags', '+faststart', path('faststart.mp4')]);
  // Index first, media cut off: probes fine, fails only when decoded.
  const faststart = await readFile(path('faststart.mp4'));
  await writeFile(path('truncated-faststart.mp4'), faststart.subarray(0, Math.floor(faststart.length / 2)));
  await writeFile(path('text.mp4'), 'This is a shopping list, not a video.\nmilk\neggs\n'.repeat(20));
  await writeFile(path('huge-30000.png'), hugePng(30_000));

  return Object.fromEntries([...GOOD_MEDIA, ...BAD_MEDIA].map((name) => [name, path(name)])) as Record<MediaName, string>;
}
