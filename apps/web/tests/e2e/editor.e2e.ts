import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiCall, createProject, launch, seek, signUp, waitSaved, type Person } from './browser.ts';

const url = inject('e2eUrl');

const clips = (page: Page) => page.getByTestId('clip');
const laneOf = (page: Page, clipId: string) => page.locator(`[data-clip-id="${clipId}"]`).evaluate((el) => el.closest<HTMLElement>('[data-track-lane]')?.dataset.trackLane ?? null);
const clipIds = (page: Page) => clips(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.clipId ?? ''));
const mod = 'Control';

describe('the timeline editor', () => {
  let browser: Browser;
  let ada: Person;
  let projectId: string;

  beforeAll(async () => {
    browser = await launch();
    ada = await signUp(browser, url, 'Ada');
    projectId = await createProject(ada.page, 'Timeline test');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('adds tracks and a text clip, and shows Saved once the server has them', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Add a video track' }).click();
    await page.getByRole('button', { name: 'Add a video track' }).click();
    await page.getByRole('button', { name: 'Add an audio track' }).click();
    await expect.poll(() => page.getByTestId('track-header').count()).toBe(3);
    await page.getByRole('button', { name: 'Add a text clip' }).click();
    await expect.poll(() => clips(page).count()).toBe(1);
    await waitSaved(page);
  });

  it('renames, locks and reorders a track', async () => {
    const { page } = ada;
    const headers = page.getByTestId('track-header');
    // Tracks are listed top first: Audio 1, Video 2, Video 1.
    await page.getByRole('button', { name: 'Rename Video 2' }).click();
    await page.getByLabel('Track name').fill('B-roll');
    await page.getByLabel('Track name').press('Enter');
    await expect.poll(() => headers.nth(1).textContent()).toContain('B-roll');
    const id = await headers.nth(1).getAttribute('data-track-id');
    await page.getByRole('button', { name: 'Lock B-roll' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Lock B-roll' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Lock B-roll' }).click();
    await page.getByRole('button', { name: 'Move B-roll down' }).click();
    await expect.poll(() => headers.nth(2).getAttribute('data-track-id')).toBe(id);
    await page.getByRole('button', { name: 'Move B-roll up' }).click();
    await expect.poll(() => headers.nth(1).getAttribute('data-track-id')).toBe(id);
  });

  it('splits at the playhead with S, and undoes and redoes with the keyboard', async () => {
    const { page } = ada;
    await seek(page, 1.5);
    await page.getByTestId('preview-canvas').click();
    await page.keyboard.press('s');
    await expect.poll(() => clips(page).count()).toBe(2);
    await page.keyboard.press(`${mod}+z`);
    await expect.poll(() => clips(page).count()).toBe(1);
    await page.keyboard.press(`${mod}+Shift+z`);
    await expect.poll(() => clips(page).count()).toBe(2);
    await waitSaved(page);
  });

  it('moves a clip to another track by dragging, as one undo step', async () => {
    const { page } = ada;
    const [first] = await clipIds(page);
    if (!first) throw new Error('no clip');
    const from = await laneOf(page, first);
    const clip = page.locator(`[data-clip-id="${first}"]`);
    const box = await clip.boundingBox();
    const lanes = page.locator('[data-testid="track-lane"][data-kind="video"]');
    const targetLane = (await lanes.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.trackLane))).find((id) => id !== from);
    const target = page.locator(`[data-track-lane="${targetLane}"]`);
    const targetBox = await target.boundingBox();
    if (!box || !targetBox) throw new Error('no boxes');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2 + i * 12, box.y + box.height / 2 + ((targetBox.y + targetBox.height / 2 - box.y - box.height / 2) * i) / 10);
    await page.mouse.up();
    await expect.poll(() => laneOf(page, first)).toBe(targetLane);
    await page.keyboard.press(`${mod}+z`);
    await expect.poll(() => laneOf(page, first)).toBe(from);
    await page.keyboard.press(`${mod}+Shift+z`);
    await expect.poll(() => laneOf(page, first)).toBe(targetLane);
  });

  it('trims a clip edge by dragging its handle', async () => {
    const { page } = ada;
    const [first] = await clipIds(page);
    const clip = page.locator(`[data-clip-id="${first}"]`);
    const before = await clip.boundingBox();
    if (!before) throw new Error('no box');
    await page.mouse.move(before.x + before.width - 2, before.y + before.height / 2);
    await page.mouse.down();
    await page.mouse.move(before.x + before.width - 20, before.y + before.height / 2, { steps: 5 });
    await page.mouse.move(before.x + before.width - 40, before.y + before.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await clip.boundingBox())?.width ?? 0).toBeLessThan(before.width - 30);
  });

  it('adds a marker with M and zooms with + and -', async () => {
    const { page } = ada;
    await page.keyboard.press('m');
    await expect.poll(() => page.getByTestId('marker').count()).toBe(1);
    const [first] = await clipIds(page);
    const clip = page.locator(`[data-clip-id="${first}"]`);
    const width = (await clip.boundingBox())?.width ?? 0;
    await page.keyboard.press('+');
    await expect.poll(async () => (await clip.boundingBox())?.width ?? 0).toBeGreaterThan(width * 1.2);
    await page.keyboard.press('-');
    await expect.poll(async () => Math.round((await clip.boundingBox())?.width ?? 0)).toBe(Math.round(width));
    // Ctrl+wheel over the lanes zooms around the pointer.
    const lane = await page.getByTestId('track-lane').first().boundingBox();
    if (!lane) throw new Error('no lane');
    await page.mouse.move(lane.x + 100, lane.y + 10);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await expect.poll(async () => (await clip.boundingBox())?.width ?? 0).toBeGreaterThan(width * 1.5);
    await page.keyboard.press('\\');
  });

  it('trims the selected clip to the playhead with [ and ]', async () => {
    const { page } = ada;
    const [first] = await clipIds(page);
    const clip = page.locator(`[data-clip-id="${first}"]`);
    await clip.click();
    const before = (await clip.boundingBox())?.width ?? 0;
    const start = (await clip.getAttribute('aria-label')) ?? '';
    const [, m0, s0, m1, s1] = (/(\d+):(\d+\.\d+) to (\d+):(\d+\.\d+)$/.exec(start) ?? []).map(Number);
    const middle = ((m0 ?? 0) * 60 + (s0 ?? 0) + (m1 ?? 0) * 60 + (s1 ?? 0)) / 2;
    await seek(page, middle);
    await page.getByTestId('preview-canvas').click();
    await page.keyboard.press('[');
    await expect.poll(async () => (await clip.boundingBox())?.width ?? 0).toBeLessThan(before);
    expect(await clip.getAttribute('aria-label')).not.toBe(start);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await clip.boundingBox())?.width ?? 0).toBeCloseTo(before, 0);
  });

  it('plays and pauses with Space, shuttles with J/K/L', async () => {
    const { page } = ada;
    await seek(page, 0);
    await page.getByTestId('preview-canvas').click();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('play').getAttribute('aria-label')).toBe('Pause');
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('play').getAttribute('aria-label')).toBe('Play');
    await page.keyboard.press('l');
    await page.keyboard.press('l');
    await expect.poll(() => page.getByText('▶ 2×').count()).toBe(1);
    await page.waitForTimeout(500);
    await page.keyboard.press('k');
    const forward = (await page.getByTestId('timecode').textContent()) ?? '';
    expect(forward).not.toBe('00:00:00:00');
    await page.keyboard.press('j');
    await expect.poll(() => page.getByText('◀ 1×').count()).toBe(1);
    await page.waitForTimeout(300);
    await page.keyboard.press('k');
    expect(((await page.getByTestId('timecode').textContent()) ?? '') < forward).toBe(true);
  });

  it('deletes and ripple-deletes clips', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Add a text clip' }).click();
    const count = await clips(page).count();
    const [first] = await clipIds(page);
    await page.locator(`[data-clip-id="${first}"]`).click();
    await page.keyboard.press('Delete');
    await expect.poll(() => clips(page).count()).toBe(count - 1);
    await page.keyboard.press(`${mod}+z`);
    await expect.poll(() => clips(page).count()).toBe(count);
  });

  it('edits clip properties in the inspector', async () => {
    const { page } = ada;
    const [first] = await clipIds(page);
    await page.locator(`[data-clip-id="${first}"]`).click();
    await page.getByLabel('Text', { exact: true }).fill('Hello, Cutline');
    await page.getByLabel('Opacity').last().fill('50');
    await page.getByLabel('Opacity').last().press('Enter');
    await expect.poll(() => page.locator(`[data-clip-id="${first}"]`).textContent()).toContain('Hello, Cutline');
    await waitSaved(page);
  });

  it('keeps everything after a reload', async () => {
    const { page } = ada;
    await waitSaved(page);
    const before = (await clipIds(page)).sort();
    await page.reload();
    await page.locator('[data-testid="editor"][data-ready="true"]').waitFor();
    await expect.poll(async () => (await clipIds(page)).sort()).toEqual(before);
    expect(await page.getByTestId('marker').count()).toBe(1);
    const project = await apiCall<{ project: { id: string } }>(page, 'GET', `/projects/${projectId}`);
    expect(project.project.id).toBe(projectId);
  });
});
