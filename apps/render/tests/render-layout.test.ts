/**
 * Layout and text (issue 6). Colour patches on two tracks with position, scale and
 * opacity land where the timeline says, in the expected colours. Text with quotes,
 * colons, backslashes, %{pts}, semicolons and newlines renders literally: the same pixels
 * as a reference drawtext of the same text written inline (a different escaping path),
 * and %{pts} does not change from frame to frame.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fontFile, fontMetrics } from '@cutline/shared/fonts';
import type { TimelineSnapshot } from '@cutline/timeline';
import { filterValue, layoutText } from '../src/compile/index.ts';
import { createRenderEnv, type RenderEnv } from './support/render-env.ts';
import { colorImage, decodeFrames, numberedVideo, pixel, run } from './support/render-media.ts';
import { timeline } from './support/render-timeline.ts';

async function render(env: RenderEnv, snap: TimelineSnapshot, preset = 'mp4-720p'): Promise<string> {
  const request = await env.request(snap, preset);
  const done = await env.settled(request.id);
  expect(done.state, done.error ?? '').toBe('succeeded');
  return (await env.storage.localFile(done.outputKey as string)).path;
}

const near = (actual: [number, number, number], expected: [number, number, number], tolerance = 14) =>
  actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= tolerance);

describe('layout and text', () => {
  let env: RenderEnv;
  beforeAll(async () => {
    env = await createRenderEnv();
    await env.startWorker({ threads: 2 });
  });
  afterAll(() => env.close());

  it('puts colour patches on two tracks where position/scale/opacity say, in the right colours', async () => {
    const blue = await colorImage({ binaries: env.binaries, dir: env.dir, name: 'blue.png', color: '#0000ff', width: 100, height: 100 });
    await env.addAsset('blue', blue, { kind: 'image', width: 100, height: 100 });
    const t = timeline({ width: 320, height: 240, fps: { num: 25, den: 1 }, background: '#000000' });
    const bottom = t.track('video');
    const top = t.track('video');
    t.asset('blue', { kind: 'image', width: 100, height: 100 });
    // Bottom: red, full frame. Top: green at half size in the top-left quarter, 50 % opaque,
    // then a blue square (a picture) at a quarter of the frame height, bottom right.
    t.color(bottom, '#ff0000', 0, 1);
    const green = t.color(top, '#00ff00', 0, 0.5);
    t.update(green, { x: 0.25, y: 0.25, scale: 0.5, opacity: 0.5 });
    const square = t.clip(top, 'blue', 0.5, 0.5);
    t.update(square, { x: 0.75, y: 0.75, scale: 0.25 });
    const path = await render(env, t.snap(), 'mp4-square');
    // A 4:3 project in a 1080×1080 frame: a 1080×810 canvas between 135-pixel bars.
    const frames = await decodeFrames(env.binaries, path, { width: 1080, height: 1080 });
    expect(frames).toHaveLength(25);
    const at = (frame: Buffer | undefined, fx: number, fy: number) => pixel(frame as Buffer, 1080, fx * 1080, 135 + fy * 810);
    const first = frames[5];
    expect(near(at(first, 0.25, 0.25), [128, 128, 0]), String(at(first, 0.25, 0.25))).toBe(true); // 50 % green over red
    expect(near(at(first, 0.75, 0.25), [255, 0, 0])).toBe(true);
    expect(near(at(first, 0.05, 0.05), [128, 128, 0])).toBe(true); // the patch reaches to (0, 0)…
    expect(near(at(first, 0.55, 0.55), [255, 0, 0])).toBe(true); // …and ends at half the frame
    expect(near(pixel(first as Buffer, 1080, 540, 60), [0, 0, 0])).toBe(true); // letterbox bar
    const second = frames[20];
    expect(near(at(second, 0.75, 0.75), [0, 0, 255]), String(at(second, 0.75, 0.75))).toBe(true);
    expect(near(at(second, 0.25, 0.25), [255, 0, 0])).toBe(true);
    // The picture is 240 × 0.25 = 60 project pixels square around (240, 180): inside at ±25, outside at ±35.
    expect(near(at(second, (240 + 25) / 320, (180 - 25) / 240), [0, 0, 255])).toBe(true);
    expect(near(at(second, (240 + 35) / 320, 180 / 240), [255, 0, 0])).toBe(true);
  });

  // Issue 12: FFmpeg 5.1's fps filter dropped the one frame of a picture; the photo
  // rendered as whatever was below it. CI runs this file on the npm 4.1 build and Debian's.
  it('shows a JPEG photo placed between video clips, on every FFmpeg build', async () => {
    const video = await numberedVideo({ binaries: env.binaries, dir: env.dir, name: 'before.mp4', rate: '25', frames: 100 });
    await env.addAsset('before', video, { kind: 'video', width: 320, height: 240, durationUs: 4_000_000 });
    const photo = await colorImage({ binaries: env.binaries, dir: env.dir, name: 'photo.jpg', color: '#3366cc', width: 640, height: 480 });
    await env.addAsset('photo', photo, { kind: 'image', width: 640, height: 480 });
    const t = timeline({ width: 320, height: 240, fps: { num: 25, den: 1 }, background: '#000000' });
    const track = t.track('video');
    t.asset('before', { kind: 'video', duration: 4, width: 320, height: 240, fps: { num: 25, den: 1 }, hasAudio: false });
    t.asset('photo', { kind: 'image', width: 640, height: 480 });
    t.clip(track, 'before', 0, 4);
    t.clip(track, 'photo', 4, 2);
    const path = await render(env, t.snap(), 'mp4-720p');
    // 1280×720 with a 960×720 picture between pillars; decoded small to keep memory low.
    const frames = await decodeFrames(env.binaries, path, { width: 320, height: 180 });
    expect(frames).toHaveLength(150);
    for (const index of [100, 125, 149]) {
      const centre = pixel(frames[index] as Buffer, 320, 160, 90);
      expect(near(centre, [0x33, 0x66, 0xcc]), `frame ${index}: ${String(centre)}`).toBe(true);
    }
    expect(near(pixel(frames[50] as Buffer, 320, 160, 90), [0x33, 0x66, 0xcc])).toBe(false);
  });

  it('renders text with quotes, colons, backslashes, %{pts}, semicolons and newlines literally', async () => {
    const text = "It's 10:30 \\o/ %{pts} ;\n[x], 'a':b; %{n}\n😀 ok";
    const t = timeline({ width: 640, height: 360, fps: { num: 25, den: 1 }, background: '#000000' });
    const track = t.track('text');
    t.text(track, text, 0, 1, { fontFamily: 'Roboto Mono', fontSize: 30, color: '#ffffff', align: 'left' });
    const path = await render(env, t.snap(), 'mp4-720p');
    const frames = await decodeFrames(env.binaries, path, { width: 1280, height: 720 });
    expect(frames).toHaveLength(25);

    // Reference: the same lines drawn by a standalone FFmpeg with drawtext's inline `text=`
    // option (escaped, not read from a file), at the positions of the layout contract.
    const layout = layoutText({ text, style: { fontFamily: 'Roboto Mono', fontSize: 30, color: '#ffffff', background: null, align: 'left' }, scale: 2, metrics: fontMetrics('Roboto Mono') });
    const left = 640 - layout.width / 2;
    const top = 360 - layout.height / 2;
    const draws = layout.lines
      .filter((l) => l.text.trim() !== '')
      .map((l) => `drawtext=fontfile=${filterValue(fontFile('Roboto Mono'))}:text=${filterValue(l.text)}:expansion=none:fontsize=${layout.size}:fontcolor=white:x=${(Math.round(left) + l.x).toFixed(2)}:y=${(Math.round(top) + l.baseline).toFixed(2)}-ascent`);
    const script = join(env.dir, 'reference.txt');
    await writeFile(script, `color=c=black:s=1280x720,trim=end_frame=1,format=rgb24,${draws.join(',')}[out]`);
    const reference = await run(env.binaries.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-filter_complex_script', script, '-map', '[out]', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);

    const region = { x0: 200, x1: 1080, y0: 200, y1: 520 };
    // Mean difference of 4×4 block averages of the red channel: H.264 and 4:2:0 blur the
    // edges of white-on-black glyphs, block means compare the glyphs themselves.
    const diff = (a: Buffer, b: Buffer) => {
      let sum = 0;
      let n = 0;
      for (let y = region.y0; y < region.y1; y += 4) {
        for (let x = region.x0; x < region.x1; x += 4) {
          let d = 0;
          for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) d += (a[((y + j) * 1280 + x + i) * 3] ?? 0) - (b[((y + j) * 1280 + x + i) * 3] ?? 0);
          sum += Math.abs(d / 16);
          n++;
        }
      }
      return sum / n;
    };
    const ink = (frame: Buffer) => {
      const rows: number[] = [];
      for (let y = 0; y < 720; y++) {
        let lit = 0;
        for (let x = 0; x < 1280; x++) if ((frame[(y * 1280 + x) * 3] ?? 0) > 128) lit++;
        rows.push(lit);
      }
      return rows;
    };
    const first = frames[0] as Buffer;
    const inkRows = ink(first);
    expect(inkRows.reduce((a, b) => a + b, 0)).toBeGreaterThan(2000);
    // Three separate lines of ink.
    let bands = 0;
    inkRows.forEach((lit, y) => {
      if (lit > 0 && (inkRows[y - 1] ?? 0) === 0) bands++;
    });
    expect(bands).toBeGreaterThanOrEqual(3);
    // The same pixels as the reference (up to H.264), and %{pts}/%{n} were not expanded:
    // the last frame is the first.
    expect(diff(first, reference)).toBeLessThan(1);
    expect(diff(frames[24] as Buffer, first)).toBeLessThan(1);
    // A different text is far from the reference: the comparison can tell texts apart.
    const shifted = Buffer.concat([reference.subarray(30 * 1280 * 3), Buffer.alloc(30 * 1280 * 3)]);
    expect(diff(first, shifted)).toBeGreaterThan(4 * diff(first, reference));
  });
});
