/**
 * Preview and export lay out the same picture (packages/timeline SPEC TL70–TL74: one
 * layout module, @cutline/timeline/layout, called by the WebCodecs preview and by the
 * FFmpeg compile). Text at 3 sizes × 3 alignments × background box on/off, and a
 * portrait clip in a landscape project (fitted, then moved, scaled and rotated).
 *
 * The layout agrees to a pixel: each text case's glyph ink and background box have the
 * same bounding box in the preview's still and the exported frame within 1 px, and the
 * fitted portrait clip is ≥ 35 dB. PSNR of text regions is bounded well below 35 dB by
 * the rasterizers, not the layout (measured: 25–37 dB; 27–29 dB even after the best
 * whole-pixel shift at 96 px): Chrome's Skia draws glyphs heavier than FreeType (about 3%
 * more ink) and at fractional pen positions, while drawtext truncates pen positions to
 * whole pixels. The rotated clip is bounded by rotate's and the canvas's different edge
 * filtering and by overlay putting 4:2:0 layers on even coordinates (measured 32.9 dB).
 * The floors below sit under those measurements so a layout change (a shift of 2 px
 * costs 7–10 dB) fails.
 *
 * Batched into one timeline and one export: each second shows one size with or without
 * a box, the three alignments side by side in thirds of the frame; then the portrait clip.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiCall, commands, createProject, launch, saveFrame, signUp, waitSaved, type Person } from './browser.ts';
import { FFMPEG, generateMedia, pixelsOf } from './media.ts';

const run = promisify(execFile);
const url = inject('e2eUrl');
const W = 1280;
const H = 720;
const SIZES = [{ fontSize: 24, fontFamily: 'Inter' }, { fontSize: 48, fontFamily: 'Roboto Mono' }, { fontSize: 96, fontFamily: 'Noto Serif' }] as const;
const ALIGNS = ['left', 'center', 'right'] as const;
const BOX = { color: '#3050a0', padding: 12 };
/** Two lines of different widths, so the alignment shows. */
const TEXT = 'Cutline\nab Éy';

type Region = { x0: number; x1: number; y0: number; y1: number };

/** PSNR (dB) over a region of two RGB24 frames of width W. */
function regionPsnr(a: Buffer, b: Buffer, r: Region): number {
  let sum = 0;
  let n = 0;
  for (let y = r.y0; y < r.y1; y++) {
    for (let x = r.x0; x < r.x1; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * W + x) * 3 + c;
        const d = (a[i] ?? 0) - (b[i] ?? 0);
        sum += d * d;
        n++;
      }
    }
  }
  const mse = sum / n;
  return mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / mse);
}

/** The bounding box of the pixels in `r` that `hit` picks (ink, box), or null. */
function inkBox(raw: Buffer, r: Region, hit: (red: number, green: number, blue: number) => boolean): Region | null {
  let box: Region | null = null;
  for (let y = r.y0; y < r.y1; y++) {
    for (let x = r.x0; x < r.x1; x++) {
      const i = (y * W + x) * 3;
      if (!hit(raw[i] ?? 0, raw[i + 1] ?? 0, raw[i + 2] ?? 0)) continue;
      box = box ? { x0: Math.min(box.x0, x), x1: Math.max(box.x1, x + 1), y0: Math.min(box.y0, y), y1: Math.max(box.y1, y + 1) } : { x0: x, x1: x + 1, y0: y, y1: y + 1 };
    }
  }
  return box;
}

const furthest = (a: Region | null, b: Region | null): number =>
  a && b ? Math.max(Math.abs(a.x0 - b.x0), Math.abs(a.x1 - b.x1), Math.abs(a.y0 - b.y0), Math.abs(a.y1 - b.y1)) : Number.POSITIVE_INFINITY;

/**
 * 720×1280 (portrait), BT.709 tagged like a phone's: light grey top, dark grey bottom, a
 * white box top-left, a black bar. Luma edges only: saturated colour edges lose more to
 * 4:2:0 chroma in the export's re-encode than the PSNR bound allows, whatever the layout.
 */
async function portraitClip(out: string): Promise<void> {
  await run(FFMPEG, [
    '-y', '-hide_banner', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'color=c=0xc0c0c0:s=720x1280:r=30:d=2',
    '-vf', 'drawbox=x=0:y=640:w=720:h=640:color=0x404040:t=fill,drawbox=x=60:y=60:w=240:h=160:color=white:t=fill,drawbox=x=0:y=1000:w=720:h=80:color=black:t=fill,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-g', '30', '-pix_fmt', 'yuv420p',
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
    '-movflags', '+faststart', out,
  ]);
}

describe('preview and export agree on layout (TL70–TL74)', () => {
  let browser: Browser;
  let ada: Person;
  let dir = '';
  let exported = '';
  let projectId = '';
  const textSlots: { t: number; size: (typeof SIZES)[number]; box: boolean }[] = [];
  const portraitSlots = [
    { t: SIZES.length * 2 + 0.5, label: 'fitted', floor: 35 },
    { t: SIZES.length * 2 + 1.5, label: 'moved, scaled 0.7, rotated 30°', floor: 30 },
  ];

  beforeAll(async () => {
    dir = (await generateMedia()).dir;
    await portraitClip(join(dir, 'portrait.mp4'));
    browser = await launch();
    ada = await signUp(browser, url, 'Layout Lee');
    projectId = await createProject(ada.page, 'Layout agreement');
  });
  afterAll(async () => {
    await browser?.close();
    if (dir && process.env.E2E_KEEP !== '1') await rm(dir, { recursive: true, force: true });
  });

  it('builds one timeline with every case and exports it', async () => {
    const { page } = ada;
    const portrait = join(dir, 'portrait.mp4');
    await page.getByTestId('upload-input').setInputFiles([portrait]);
    const item = page.locator('[data-testid="asset"]', { hasText: 'portrait.mp4' });
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 120_000 }).toBe('ready');
    const { assets } = await apiCall<{ assets: { id: string; originalName: string }[] }>(page, 'GET', `/projects/${projectId}/assets`);
    const assetId = assets.find((a) => a.originalName === 'portrait.mp4')?.id ?? '';

    const list: unknown[] = [
      { type: 'setSettings', width: W, height: H, fps: { num: 30, den: 1 }, background: '#000000' },
      { type: 'addTrack', kind: 'video' },
      ...ALIGNS.map(() => ({ type: 'addTrack', kind: 'text' })),
    ];
    // $1 is the video track, $2–$4 the text tracks (one per alignment).
    let slot = 0;
    for (const size of SIZES) {
      for (const box of [false, true]) {
        ALIGNS.forEach((align, i) => {
          list.push({ type: 'addTextClip', trackId: `$${2 + i}.trackId`, text: TEXT, start: slot, duration: 1, x: (2 * i + 1) / 6, y: 0.5, style: { ...size, align, color: '#ffffff', background: box ? BOX : null } });
        });
        textSlots.push({ t: slot + 0.5, size, box });
        slot++;
      }
    }
    list.push({ type: 'addClip', trackId: '$1.trackId', assetId, start: slot, duration: 1, sourceIn: 0 });
    const moved = list.length;
    list.push({ type: 'addClip', trackId: '$1.trackId', assetId, start: slot + 1, duration: 1, sourceIn: 1 });
    list.push({ type: 'updateClip', clipId: `$${moved}.clipId`, x: 0.35, y: 0.55, scale: 0.7, rotation: 30 });
    // The asset is registered in the timeline by ingest, just after it turns ready.
    await expect.poll(async () => commands(page, projectId, list).then(() => true, (e: unknown) => String(e)), { timeout: 30_000 }).toBe(true);
    await waitSaved(page);

    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByLabel('Preset').selectOption('mp4-720p');
    await page.getByRole('button', { name: 'Start export' }).click();
    const row = page.getByTestId('render').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 240_000 }).toBe('succeeded');
    const download = page.waitForEvent('download');
    await row.getByTestId('download').click();
    exported = join(dir, 'layout.mp4');
    await (await download).saveAs(exported);
    await page.keyboard.press('Escape');
  });

  async function frames(t: number): Promise<{ preview: Buffer; render: Buffer }> {
    const preview = await pixelsOf({ file: await saveFrame(ada.page, t, dir), width: W, height: H });
    const render = await pixelsOf({ file: exported, at: t, width: W, height: H });
    return { preview, render };
  }

  it('[TL72][TL73][TL74] text: 3 sizes × 3 alignments × background box on/off', async () => {
    const results: { label: string; db: number; ink: number; boxed: number }[] = [];
    for (const { t, size, box } of textSlots) {
      const { preview, render } = await frames(t);
      ALIGNS.forEach((align, i) => {
        const region = { x0: Math.round((i * W) / 3), x1: Math.round(((i + 1) * W) / 3), y0: 0, y1: H };
        const db = regionPsnr(preview, render, region);
        // Glyph ink (white) and the background box (anything not black).
        const ink = furthest(inkBox(preview, region, (r) => r > 160), inkBox(render, region, (r) => r > 160));
        const boxed = box ? furthest(inkBox(preview, region, (r, g, b) => r + g + b > 150), inkBox(render, region, (r, g, b) => r + g + b > 150)) : 0;
        results.push({ label: `${size.fontFamily} ${size.fontSize}px ${align}${box ? ' boxed' : ''} at ${t}s`, db, ink, boxed });
      });
      // The case is not vacuous: there is text (and a box) in the frame.
      const lit = [...render].filter((v, k) => k % 3 === 0 && v > 128).length;
      expect(lit, `text visible at ${t}s`).toBeGreaterThan(100);
    }
    const report = results.map((r) => `${r.label}: ${r.db.toFixed(1)} dB, ink ±${r.ink} px, box ±${r.boxed} px`).join('\n');
    if (process.env.E2E_VERBOSE) console.log(report);
    expect(results.filter((r) => r.ink > 1 || r.boxed > 1 || r.db < (r.label.includes('96px') ? 23 : 26)), report).toEqual([]);
  });

  it('[TL70][TL71] a portrait clip in a landscape project, fitted and then moved, scaled and rotated', async () => {
    const results: string[] = [];
    for (const { t, label, floor } of portraitSlots) {
      const { preview, render } = await frames(t);
      const db = regionPsnr(preview, render, { x0: 0, x1: W, y0: 0, y1: H });
      const whole = { x0: 0, x1: W, y0: 0, y1: H };
      const edges = furthest(inkBox(preview, whole, (r) => r > 24), inkBox(render, whole, (r) => r > 24));
      results.push(`${label}: ${db.toFixed(1)} dB, edges ±${edges} px`);
      expect.soft(db, results.at(-1)).toBeGreaterThanOrEqual(floor);
      expect.soft(edges, results.at(-1)).toBeLessThanOrEqual(1);
    }
    if (process.env.E2E_VERBOSE) console.log(results.join('\n'));
    // Fitted: 405 × 720 centred, pillarboxed; red above blue.
    const { render } = await frames(portraitSlots[0]!.t);
    const at = (x: number, y: number) => [...render.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];
    expect(at(100, 360)).toEqual([0, 0, 0].map((v) => expect.closeTo(v, -1.5)));
    expect(at(640, 250)[0]).toBeGreaterThan(170);
    expect(at(640, 450)[0]).toBeLessThan(90);
  });
});
