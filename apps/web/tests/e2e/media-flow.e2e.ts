/**
 * Acceptance: a new user signs up, creates a project, uploads two generated clips and a
 * WAV, places them on tracks, trims, splits, adds a text clip and a crossfade, scrubs,
 * plays, exports mp4-720p, and downloads a file whose duration and streams ffprobe
 * confirms; the preview's pixels match the expected colours and the exported frames.
 *
 * Needs the whole media pipeline: uploads, ingest (proxy, filmstrip, waveform), the
 * render routes (`POST /projects/{id}/renders`, `GET /projects/{id}/renders`,
 * `GET /renders/{id}/output`) and the fonts route.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { createProject, launch, saveFrame, seek, signUp, waitSaved, type Person } from './browser.ts';
import { ffprobe, generateMedia, near, pixel, pixelsOf, psnr, SOURCES, type Rgb } from './media.ts';

const url = inject('e2eUrl');
const W = 1280;
const H = 720;
const PX_PER_SECOND = 60;

async function dragBy(page: Page, handle: { x: number; y: number }, dx: number, dy = 0): Promise<void> {
  await page.mouse.move(handle.x, handle.y);
  await page.mouse.down();
  await page.mouse.move(handle.x + dx / 2, handle.y + dy / 2, { steps: 5 });
  await page.mouse.move(handle.x + dx, handle.y + dy, { steps: 5 });
  await page.mouse.up();
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element is not visible');
  return b;
}

describe('from upload to download', () => {
  let browser: Browser;
  let ada: Person;
  let media: Awaited<ReturnType<typeof generateMedia>>;
  let exported = '';

  beforeAll(async () => {
    media = await generateMedia();
    browser = await launch();
    ada = await signUp(browser, url, 'Editor Ada');
    await createProject(ada.page, 'Holiday cut');
    // Project settings in the inspector: 1280×720 at 30 fps, like the mp4-720p export.
    await ada.page.getByLabel('Frame size').selectOption('1280x720');
    await ada.page.getByLabel('Frame rate (fps)').selectOption('30/1');
    await waitSaved(ada.page);
  });
  afterAll(async () => {
    await browser?.close();
    // E2E_KEEP=1 leaves the generated media, stills and export for a look.
    if (media && process.env.E2E_KEEP !== '1') await rm(media.dir, { recursive: true, force: true });
  });

  it('uploads two clips and a WAV with per-file progress; each becomes ready', async () => {
    const { page } = ada;
    await page.getByTestId('upload-input').setInputFiles([media.a, media.b, media.wav]);
    await expect.poll(() => page.getByTestId('asset').count(), { timeout: 30_000 }).toBe(3);
    for (const name of [SOURCES.a.file, SOURCES.b.file, 'tone.wav']) {
      const item = page.locator('[data-testid="asset"]', { hasText: name });
      await expect.poll(() => item.getAttribute('data-state'), { timeout: 120_000 }).toBe('ready');
    }
    expect(await page.locator('[data-testid="asset"]', { hasText: SOURCES.a.file }).getByTestId('asset-state').textContent()).toBe('0:04.00');
  });

  it('shows a file that cannot be used as failed, with the reason', async () => {
    const { page } = ada;
    const bogus = join(media.dir, 'not-a-video.mp4');
    await writeFile(bogus, 'this is plain text, not a video\n'.repeat(100));
    await page.getByTestId('upload-input').setInputFiles(bogus);
    const item = page.locator('[data-testid="asset"]', { hasText: 'not-a-video.mp4' });
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 120_000 }).toBe('failed');
    expect((await item.textContent())?.length ?? 0).toBeGreaterThan('not-a-video.mp4Failed'.length);
    // It cannot be put on the timeline.
    expect(await item.getByRole('button', { name: /Add not-a-video.mp4/ }).isDisabled()).toBe(true);
  });

  it('places the media on tracks by drag and drop', async () => {
    const { page } = ada;
    const asset = (name: string) => page.locator('[data-testid="asset"]', { hasText: name }).locator('[draggable="true"]');
    await asset(SOURCES.a.file).dragTo(page.getByTestId('new-track-drop'), { targetPosition: { x: 2, y: 20 } });
    await expect.poll(() => page.getByTestId('clip').count(), { timeout: 10_000 }).toBe(1);
    // Each drop lands before the next starts, as a person's would (on a loaded machine a
    // drag begun while the timeline re-renders after the previous drop can miss its target).
    await waitSaved(page);
    const lane = page.locator('[data-testid="track-lane"][data-kind="video"]').first();
    // Drop B just after A's end (4 s): it snaps to the edge.
    await asset(SOURCES.b.file).dragTo(lane, { targetPosition: { x: 4 * PX_PER_SECOND + 3, y: 20 } });
    await expect.poll(() => page.getByTestId('clip').count(), { timeout: 10_000 }).toBe(2);
    await waitSaved(page);
    await asset('tone.wav').dragTo(page.getByTestId('new-track-drop'), { targetPosition: { x: 2, y: 20 } });
    await expect.poll(() => page.getByTestId('clip').count(), { timeout: 10_000 }).toBe(3);
    await waitSaved(page);
  });

  it('trims, moves, splits, adds a crossfade and a text clip', async () => {
    const { page } = ada;
    const videoClips = page.locator('[data-testid="track-lane"][data-kind="video"] [data-testid="clip"]');
    const a = videoClips.nth(0);
    const b = videoClips.nth(1);
    // A: trim 1 s off each end → [1, 3) showing source [1, 3).
    let r = await box(a);
    await dragBy(page, { x: r.x + 2, y: r.y + r.height / 2 }, PX_PER_SECOND);
    r = await box(a);
    await dragBy(page, { x: r.x + r.width - 2, y: r.y + r.height / 2 }, -PX_PER_SECOND);
    // B: trim 1 s off its start ([5, 8), source from 1 s), then move it to A's end at 3 s.
    r = await box(b);
    await dragBy(page, { x: r.x + 2, y: r.y + r.height / 2 }, PX_PER_SECOND);
    r = await box(b);
    await dragBy(page, { x: r.x + r.width / 2, y: r.y + r.height / 2 }, -2 * PX_PER_SECOND);
    await expect.poll(async () => Math.round((await box(b)).x - (await box(a)).x)).toBe(2 * PX_PER_SECOND);
    // Crossfade at the cut: select A, use the quick button on the cut.
    await a.click();
    await page.getByTestId('add-transition').first().click();
    await expect.poll(() => page.getByTestId('transition').count()).toBe(1);
    // Split B at 5 s with S.
    await b.click();
    await seek(page, 5);
    await page.getByTestId('preview-canvas').click();
    await page.keyboard.press('s');
    await expect.poll(() => videoClips.count()).toBe(3);
    // A title from 6 s.
    await seek(page, 6);
    await page.getByRole('button', { name: 'Add a text clip' }).click();
    await page.getByLabel('Text', { exact: true }).fill('The end');
    await page.getByLabel('Text', { exact: true }).blur();
    await waitSaved(page);
    if (process.env.E2E_SHOTS) await page.screenshot({ path: join(process.env.E2E_SHOTS, 'media-flow-edit.png') });
  });

  it('scrubs the ruler and plays', async () => {
    const { page } = ada;
    const ruler = await box(page.getByTestId('ruler'));
    await dragBy(page, { x: ruler.x + 30, y: ruler.y + ruler.height / 2 }, 2 * PX_PER_SECOND);
    await expect.poll(() => page.getByTestId('timecode').textContent()).toBe('00:00:02:15');
    await page.getByTestId('preview-canvas').click();
    await page.keyboard.press('Space');
    await page.waitForTimeout(1500);
    await page.keyboard.press('Space');
    const tc = (await page.getByTestId('timecode').textContent()) ?? '';
    const [, , ss, ff] = tc.split(/[:;]/).map(Number);
    expect((ss ?? 0) + (ff ?? 0) / 30).toBeGreaterThan(3.3);
  });

  it('exports mp4-720p and downloads a file ffprobe confirms', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByLabel('Preset').selectOption('mp4-720p');
    await page.getByRole('button', { name: 'Start export' }).click();
    const row = page.getByTestId('render').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 240_000 }).toBe('succeeded');
    if (process.env.E2E_SHOTS) await page.screenshot({ path: join(process.env.E2E_SHOTS, 'media-flow-export.png') });
    const download = page.waitForEvent('download');
    await row.getByTestId('download').click();
    exported = join(media.dir, 'export.mp4');
    await (await download).saveAs(exported);
    const probe = await ffprobe(exported);
    // A [1,3), B [3,5) + [5,6) from the split, the title [6,9): 9 s.
    expect(Number(probe.format.duration)).toBeCloseTo(9, 1);
    const video = probe.streams.find((s) => s.codec_type === 'video');
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: W, height: H });
    expect(audio?.codec_name).toBe('aac');
    await page.keyboard.press('Escape');
  });

  it('preview pixels show the expected colours and match the export (PSNR ≥ 30 dB)', async () => {
    const { page } = ada;
    const [, lime, blue, yellow] = SOURCES.a.rgb as [Rgb, Rgb, Rgb, Rgb];
    const [, cyan, white] = SOURCES.b.rgb as [Rgb, Rgb, Rgb, Rgb];
    const mix = (p: Rgb, q: Rgb, t: number): Rgb => p.map((v, i) => Math.round(v * (1 - t) + (q[i] ?? 0) * t)) as Rgb;
    // Times on frame boundaries (k/30 s) so the exported frame is the same frame.
    const cases: { t: number; expected: Rgb }[] = [
      { t: 1.5, expected: lime }, // A, trimmed: source 1.5 s
      { t: 2.3, expected: blue }, // A: source 2.3 s
      { t: 3, expected: mix(yellow, cyan, 0.5) }, // crossfade midpoint: A source 3.0, B source 1.0
      { t: 4.6, expected: white }, // B after the split: source 2.6 s
      { t: 7, expected: [0, 0, 0] }, // the title over the background: same font file, same layout
    ];
    for (const { t, expected } of cases) {
      const still = await saveFrame(page, t, media.dir);
      const raw = await pixelsOf({ file: still, width: W, height: H });
      expect(near(pixel(raw, W, 100, 100), expected, 30), `preview at ${t}s: ${pixel(raw, W, 100, 100).join(',')}`).toBe(true);
      const rendered = pixel(await pixelsOf({ file: exported, at: t, width: W, height: H }), W, 100, 100);
      expect(await psnr({ image: still, video: exported, at: t }), `PSNR at ${t}s (render pixel ${rendered.join(',')}, preview ${pixel(raw, W, 100, 100).join(',')})`).toBeGreaterThanOrEqual(30);
    }
  });
});
