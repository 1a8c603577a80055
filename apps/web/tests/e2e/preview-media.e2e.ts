/**
 * The preview's decoding path on its own (mediabunny/WebCodecs in the worker, exact-frame
 * seeks, trims, crossfades of real video): the server's media pipeline is replaced for
 * this page by a local range-serving stand-in for `GET /projects/{id}/assets` and
 * `GET /assets/{id}/proxy`, so this test does not depend on ingest. The assets are real
 * timeline assets (`registerAsset`), the files are the generated colour-coded MP4s.
 */
import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { commands, createProject, launch, saveFrame, seek, signUp, waitSaved, type Person } from './browser.ts';
import { generateMedia, near, pixel, pixelsOf, SOURCES, type Rgb } from './media.ts';

const url = inject('e2eUrl');
const W = 1280;
const H = 720;

async function serveMedia(context: BrowserContext, files: Record<string, Buffer>): Promise<void> {
  const asset = (id: string) => ({
    id,
    projectId: 'p',
    kind: 'video',
    state: 'ready',
    failureReason: null,
    originalName: `${id}.mp4`,
    byteSize: files[id]?.length ?? 0,
    contentHash: id,
    durationSeconds: 4,
    width: W,
    height: H,
    fps: { num: 30, den: 1 },
    hasAudio: true,
    filmstrip: null,
    urls: { original: '', proxy: `/api/v1/assets/${id}/proxy`, filmstrip: null, waveform: null },
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });
  await context.route('**/api/v1/projects/*/assets', (route) => route.fulfill({ json: { assets: Object.keys(files).map(asset) } }));
  await context.route('**/api/v1/assets/*/proxy', (route) => {
    const id = route.request().url().split('/').at(-2) ?? '';
    const body = files[id];
    if (!body) return route.fulfill({ status: 404, json: { error: { code: 'not_found', message: 'no such asset' } } });
    const range = /bytes=(\d+)-(\d*)/.exec(route.request().headers()['range'] ?? '');
    if (!range) return route.fulfill({ status: 200, body, headers: { 'content-type': 'video/mp4', 'accept-ranges': 'bytes' } });
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
    return route.fulfill({ status: 206, body: body.subarray(start, end + 1), headers: { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-range': `bytes ${start}-${end}/${body.length}` } });
  });
}

describe('preview decoding of media', () => {
  let browser: Browser;
  let ada: Person;
  let media: Awaited<ReturnType<typeof generateMedia>>;

  beforeAll(async () => {
    media = await generateMedia();
    browser = await launch();
    ada = await signUp(browser, url, 'Decoder');
    await serveMedia(ada.context, { clipa: await readFile(media.a), clipb: await readFile(media.b) });
    const projectId = await createProject(ada.page, 'Decode');
    const facts = { kind: 'video', duration: 4, width: W, height: H, fps: { num: 30, den: 1 }, hasAudio: true };
    await commands(ada.page, projectId, [
      { type: 'setSettings', width: W, height: H, fps: { num: 30, den: 1 } },
      { type: 'registerAsset', assetId: 'clipa', name: 'clipa.mp4', ...facts },
      { type: 'registerAsset', assetId: 'clipb', name: 'clipb.mp4', ...facts },
      { type: 'addTrack', kind: 'video' },
      // A trimmed: its source [1, 3) at [0, 2); B from source 1 s at [2, 4); a 1 s crossfade.
      { type: 'addClip', trackId: '$3.trackId', assetId: 'clipa', start: 0, sourceIn: 1, duration: 2 },
      { type: 'addClip', trackId: '$3.trackId', assetId: 'clipb', start: 2, sourceIn: 1, duration: 2 },
      { type: 'addTransition', fromClipId: '$4.clipId', toClipId: '$5.clipId', kind: 'crossfade', duration: 1 },
    ]);
    await waitSaved(ada.page);
  });
  afterAll(async () => {
    await browser?.close();
    if (media) await rm(media.dir, { recursive: true, force: true });
  });

  const [, lime, blue, yellow] = SOURCES.a.rgb as [Rgb, Rgb, Rgb, Rgb];
  const [magenta, cyan, white] = SOURCES.b.rgb as [Rgb, Rgb, Rgb, Rgb];
  const mix = (p: Rgb, q: Rgb, w: number): Rgb => p.map((v, i) => v * (1 - w) + (q[i] ?? 0) * w) as Rgb;

  it('seeks to the exact source frame of trimmed clips and inside a crossfade', async () => {
    const cases: { t: number; expected: Rgb }[] = [
      { t: 0.2, expected: lime }, // A source 1.2 s (trimmed away the red first second)
      { t: 1.2, expected: blue }, // A source 2.2 s
      { t: 1.7, expected: mix(blue, magenta, 0.2) }, // p = 0.2: A source 2.7, B source 0.7
      { t: 2, expected: mix(yellow, cyan, 0.5) }, // midpoint: A source 3.0, B source 1.0
      { t: 2.6, expected: cyan }, // B source 1.6 s
      { t: 3.5, expected: white }, // B source 2.5 s
    ];
    for (const { t, expected } of cases) {
      const raw = await pixelsOf({ file: await saveFrame(ada.page, t, media.dir), width: W, height: H });
      const got = pixel(raw, W, 640, 360);
      expect(near(got, expected, 24), `at ${t}s got ${got.join(',')}, expected ${expected.map(Math.round).join(',')}`).toBe(true);
    }
  });

  it('shows the frame boundary exactly: the last frame of a colour and the first of the next', async () => {
    // A's source changes from lime to blue at 2.0 s = timeline 1.0 s (frame 30).
    const before = pixel(await pixelsOf({ file: await saveFrame(ada.page, 29 / 30, media.dir), width: W, height: H }), W, 640, 360);
    const after = pixel(await pixelsOf({ file: await saveFrame(ada.page, 30 / 30, media.dir), width: W, height: H }), W, 640, 360);
    expect(near(before, lime, 24)).toBe(true);
    expect(near(after, blue, 24)).toBe(true);
  });

  it('plays: the playhead follows the clock and the picture changes', async () => {
    const { page } = ada;
    await seek(page, 0);
    await page.getByTestId('preview-canvas').click();
    await page.keyboard.press('Space');
    await page.waitForTimeout(1500);
    await page.keyboard.press('Space');
    const tc = (await page.getByTestId('timecode').textContent()) ?? '';
    const [, , ss, ff] = tc.split(/[:;]/).map(Number);
    const t = (ss ?? 0) + (ff ?? 0) / 30;
    expect(t).toBeGreaterThan(1);
    expect(t).toBeLessThan(2);
    // Paused, the canvas shows the frame at the playhead (A source t + 1: blue from 1 s).
    const shot = `${media.dir}/after-play.png`;
    await page.waitForTimeout(300);
    await page.getByTestId('preview-canvas').screenshot({ path: shot });
    const box = await page.getByTestId('preview-canvas').boundingBox();
    const w = Math.round(box?.width ?? 0);
    const h = Math.round(box?.height ?? 0);
    const got = pixel(await pixelsOf({ file: shot, width: w, height: h }), w, Math.round(w / 2), Math.round(h / 2));
    expect(near(got, t < 1.5 ? blue : mix(blue, magenta, t - 1.5), 40), `at ${t}s: ${got.join(',')}`).toBe(true);
  });
});
