import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { commands, createProject, launch, saveFrame, seek, signUp, waitSaved, type Person } from './browser.ts';
import { near, pixel, pixelsOf, type Rgb } from './media.ts';

const url = inject('e2eUrl');
const W = 1280;
const H = 720;

/**
 * The preview composes what `evaluate` says exactly as the render must (SPEC TL30–TL33):
 * checked on colour clips, whose every pixel is known, through "Save frame" (the
 * preview's own compositor at project size).
 */
describe('preview compositing', () => {
  let browser: Browser;
  let ada: Person;
  let projectId: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutline-e2e-frames-'));
    browser = await launch();
    ada = await signUp(browser, url, 'Ada');
    projectId = await createProject(ada.page, 'Colours');
    const [, v1, v2] = await commands(ada.page, projectId, [
      { type: 'setSettings', width: W, height: H, fps: { num: 30, den: 1 }, background: '#000000' },
      { type: 'addTrack', kind: 'video', name: 'V1' },
      { type: 'addTrack', kind: 'video', name: 'V2' },
    ]);
    const track1 = String(v1?.trackId);
    const track2 = String(v2?.trackId);
    await commands(ada.page, projectId, [
      { type: 'addColorClip', trackId: track1, color: '#ff0000', start: 0, duration: 2 },
      { type: 'addColorClip', trackId: track1, color: '#0000ff', start: 2, duration: 2 },
      { type: 'addColorClip', trackId: track1, color: '#00ff00', start: 4, duration: 2 },
      { type: 'addColorClip', trackId: track1, color: '#ffffff', start: 6, duration: 2 },
      { type: 'addTransition', fromClipId: '$0.clipId', toClipId: '$1.clipId', kind: 'crossfade', duration: 1 },
      { type: 'addTransition', fromClipId: '$1.clipId', toClipId: '$2.clipId', kind: 'dipToBlack', duration: 1 },
      { type: 'addTransition', fromClipId: '$2.clipId', toClipId: '$3.clipId', kind: 'wipe', duration: 1 },
      // A half-size, half-transparent yellow square in the top-left quarter over the red.
      { type: 'addColorClip', trackId: track2, color: '#ffff00', start: 1, duration: 0.5 },
      { type: 'updateClip', clipId: '$7.clipId', opacity: 0.5, scale: 0.5, x: 0.25, y: 0.25 },
      // A fade-in on the top track over the white.
      { type: 'addColorClip', trackId: track2, color: '#000000', start: 6.5, duration: 1 },
      { type: 'updateClip', clipId: '$9.clipId', fadeIn: 1 },
    ]);
    await waitSaved(ada.page);
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function frameAt(t: number): Promise<(x: number, y: number) => Rgb> {
    const file = await saveFrame(ada.page, t, dir);
    const raw = await pixelsOf({ file, width: W, height: H });
    return (x, y) => pixel(raw, W, x, y);
  }

  it('[TL30] draws a clip over the background, and the background where nothing is', async () => {
    const at = await frameAt(0.5);
    expect(at(640, 360)).toEqual([255, 0, 0]);
    const after = await frameAt(9);
    expect(after(640, 360)).toEqual([0, 0, 0]);
  });

  it('[TL14][TL32] places, scales and fades a layer', async () => {
    const at = await frameAt(1.2);
    // Inside the square (centred at 320,180, 640×360 at scale 0.5): 50% yellow over red.
    expect(near(at(320, 180), [255, 128, 0], 3)).toBe(true);
    expect(near(at(170, 30), [255, 128, 0], 3)).toBe(true);
    // Outside it: red.
    expect(at(660, 380)).toEqual([255, 0, 0]);
    expect(at(320, 400)).toEqual([255, 0, 0]);
    // Half way through a 1 s fade-in of black over white: 50% grey.
    const fade = await frameAt(7);
    expect(near(fade(640, 360), [128, 128, 128], 3)).toBe(true);
  });

  it('[TL33] crossfades as a weighted sum: 50/50 at the cut', async () => {
    const at = await frameAt(2);
    expect(near(at(640, 360), [128, 0, 128], 3)).toBe(true);
    // Frame 51 (1.7 s) is p = 0.2 into the transition that starts at 1.5 s.
    const early = await frameAt(1.7);
    expect(near(early(640, 360), [204, 0, 51], 3)).toBe(true);
  });

  it('[TL33] dips to black and back', async () => {
    const mid = await frameAt(4);
    expect(near(mid(640, 360), [0, 0, 0], 3)).toBe(true);
    // p = 0.2: the blue under black at 40%.
    const early = await frameAt(3.7);
    expect(near(early(640, 360), [0, 0, 153], 3)).toBe(true);
  });

  it('[TL33] wipes left to right over the progress', async () => {
    const at = await frameAt(5.7);
    // p = 0.2: the left 256 px already show the incoming white.
    expect(at(250, 360)).toEqual([255, 255, 255]);
    expect(at(262, 360)).toEqual([0, 255, 0]);
  });

  it('shows the same frame on screen (scaled to the preview)', async () => {
    const { page } = ada;
    await seek(page, 0.5);
    await page.waitForTimeout(300);
    const shot = join(dir, 'screen.png');
    await page.getByTestId('preview-canvas').screenshot({ path: shot });
    const box = await page.getByTestId('preview-canvas').boundingBox();
    if (!box) throw new Error('no canvas');
    const w = Math.round(box.width);
    const h = Math.round(box.height);
    const raw = await pixelsOf({ file: shot, width: w, height: h });
    if (process.env.E2E_SHOTS) await page.screenshot({ path: join(process.env.E2E_SHOTS, 'preview-editor.png') });
    expect(near(pixel(raw, w, Math.round(w / 2), Math.round(h / 2)), [255, 0, 0], 4)).toBe(true);
  });

  it('redraws the paused frame as soon as an edit puts something under the playhead', async () => {
    const { page } = ada;
    // Past the end of everything: the background only.
    await seek(page, 9);
    const centre = async () => {
      const shot = join(dir, 'edit.png');
      await page.getByTestId('preview-canvas').screenshot({ path: shot });
      const box = await page.getByTestId('preview-canvas').boundingBox();
      if (!box) throw new Error('no canvas');
      const w = Math.round(box.width);
      const h = Math.round(box.height);
      return pixel(await pixelsOf({ file: shot, width: w, height: h }), w, Math.round(w / 2), Math.round(h / 2));
    };
    await expect.poll(centre).toEqual([0, 0, 0]);
    const [track] = await commands(page, projectId, [{ type: 'addTrack', kind: 'video', name: 'Late' }]);
    await commands(page, projectId, [{ type: 'addColorClip', trackId: String(track?.trackId), color: '#00ffff', start: 8.5, duration: 1 }]);
    // No seek, no reload: the edit alone brings the new frame.
    await expect.poll(centre, { timeout: 5000 }).toSatisfy((rgb: Rgb) => near(rgb, [0, 255, 255], 4));
  });
});
