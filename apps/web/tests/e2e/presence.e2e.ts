import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiCall, commands, createProject, editorReady, launch, seek, signUp, type Person } from './browser.ts';

const url = inject('e2eUrl');

const avatar = (page: Page, name: string) => page.locator(`[data-testid="avatar"][data-user-name="${name}"]`);
const colorOf = (page: Page, selector: string, property: 'backgroundColor' | 'outlineColor') =>
  page.locator(selector).first().evaluate((el, p) => getComputedStyle(el)[p], property);
const playheadOf = async (page: Page) => Number(await page.getByTestId('ruler').getAttribute('aria-valuenow'));

describe('presence: seeing each other on one timeline', () => {
  let browser: Browser;
  let ada: Person;
  let bob: Person;
  let projectId: string;
  let clipId: string;

  beforeAll(async () => {
    browser = await launch();
    ada = await signUp(browser, url, 'Ada');
    bob = await signUp(browser, url, 'Bob');
    projectId = await createProject(ada.page, 'Presence');
    await apiCall(ada.page, 'POST', `/projects/${projectId}/members`, { email: bob.email, role: 'editor' });
    const results = await commands(ada.page, projectId, [
      { type: 'addTrack', kind: 'video' },
      { type: 'addColorClip', trackId: '$0.trackId', color: '#3366ff', start: 0, duration: 4 },
    ]);
    clipId = String(results[1]?.clipId);
    await ada.page.locator(`[data-clip-id="${clipId}"]`).waitFor();
    await bob.page.goto(`${url}/projects/${projectId}`);
    await editorReady(bob.page);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows everyone in the header, me included, once per person', async () => {
    await expect.poll(() => avatar(bob.page, 'Ada').count()).toBe(1);
    await expect.poll(() => avatar(ada.page, 'Bob').count()).toBe(1);
    expect(await avatar(bob.page, 'Bob').getAttribute('data-me')).toBe('true');
    expect(await bob.page.getByRole('button', { name: 'Follow Ada' }).count()).toBe(1);
    // Ada in a second tab is still one Ada.
    const second = await ada.context.newPage();
    await second.goto(`${url}/projects/${projectId}`);
    await editorReady(second);
    await expect.poll(() => second.locator('[data-testid="avatar"]').count()).toBe(2);
    expect(await avatar(bob.page, 'Ada').count()).toBe(1);
    await second.close();
    await expect.poll(() => avatar(bob.page, 'Ada').count()).toBe(1);
  });

  it('A moves a clip by dragging; B sees it move within 1 s', async () => {
    const { page } = ada;
    const clip = page.locator(`[data-clip-id="${clipId}"]`);
    const before = await clip.getAttribute('aria-label');
    const box = await clip.boundingBox();
    if (!box) throw new Error('no clip box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2 + i * 12, box.y + box.height / 2);
    await page.mouse.up();
    const dropped = Date.now();
    await expect.poll(() => clip.getAttribute('aria-label')).not.toBe(before);
    const after = await clip.getAttribute('aria-label');
    await expect.poll(() => bob.page.locator(`[data-clip-id="${clipId}"]`).getAttribute('aria-label'), { timeout: Math.max(100, 1000 - (Date.now() - dropped)) }).toBe(after);
  });

  it("A's playhead, selection and pointer show on B's timeline in A's colour", async () => {
    await seek(ada.page, 1.5);
    const adaColor = await colorOf(bob.page, '[data-testid="avatar"][data-user-name="Ada"] [data-testid="avatar-face"]', 'backgroundColor');
    expect(adaColor).toMatch(/^rgb/);
    const line = bob.page.locator('[data-testid="remote-playhead"][data-user-name="Ada"]');
    await expect.poll(() => line.getAttribute('data-time')).toBe('1.5');
    expect(await colorOf(bob.page, '[data-testid="remote-playhead"][data-user-name="Ada"]', 'backgroundColor')).toBe(adaColor);
    // The drag selected the clip on Ada's side.
    const clipOnBob = bob.page.locator(`[data-clip-id="${clipId}"]`);
    await expect.poll(() => clipOnBob.getAttribute('data-remote-selected-by')).toBe('Ada');
    expect(await colorOf(bob.page, `[data-clip-id="${clipId}"]`, 'outlineColor')).toBe(adaColor);
    // Ada points at her track; Bob sees a labelled marker there, gone when she leaves the timeline.
    const lane = await ada.page.getByTestId('track-lane').first().boundingBox();
    if (!lane) throw new Error('no lane');
    await ada.page.mouse.move(lane.x + 300, lane.y + lane.height / 2);
    await ada.page.mouse.move(lane.x + 310, lane.y + lane.height / 2);
    const cursor = bob.page.locator('[data-testid="track-lane"] [data-testid="remote-cursor"][data-user-name="Ada"]');
    await expect.poll(() => cursor.count()).toBe(1);
    await ada.page.mouse.move(5, 5);
    await expect.poll(() => bob.page.locator('[data-testid="remote-cursor"][data-user-name="Ada"]').count()).toBe(0);
    // Deselecting clears the outline.
    await ada.page.getByTestId('preview-canvas').click();
    await ada.page.keyboard.press('Escape');
    await expect.poll(() => clipOnBob.getAttribute('data-remote-selected-by')).toBe(null);
  });

  it('B follows A until B moves the playhead (or presses Escape)', async () => {
    await bob.page.getByRole('button', { name: 'Follow Ada' }).click();
    await expect.poll(() => bob.page.getByTestId('following').textContent()).toContain('Following Ada');
    expect(await bob.page.getByRole('button', { name: 'Stop following Ada' }).count()).toBeGreaterThan(0);
    // Ada sees that Bob follows her.
    const bobOnAda = ada.page.locator('[data-testid="avatar"][data-user-name="Bob"]');
    await expect.poll(() => bobOnAda.getByTestId('avatar-face').getAttribute('title'), { timeout: 5000 }).toMatch(/^Bob, following you/);
    expect(await bobOnAda.getByTestId('avatar-follows').textContent()).toBe('→ you');
    await expect.poll(() => playheadOf(bob.page)).toBe(1.5);
    await seek(ada.page, 3);
    await expect.poll(() => playheadOf(bob.page)).toBe(3);
    // Bob's own seek ends following; Ada's next move no longer moves Bob.
    await seek(bob.page, 0.5);
    await expect.poll(() => bob.page.getByTestId('following').count()).toBe(0);
    await expect.poll(() => bobOnAda.getByTestId('avatar-follows').count(), { timeout: 5000 }).toBe(0);
    await seek(ada.page, 2);
    await expect.poll(() => bob.page.locator('[data-testid="remote-playhead"][data-user-name="Ada"]').getAttribute('data-time')).toBe('2');
    expect(await playheadOf(bob.page)).toBe(0.5);
    // Escape stops following too.
    await bob.page.getByRole('button', { name: 'Follow Ada' }).click();
    await expect.poll(() => playheadOf(bob.page)).toBe(2);
    await bob.page.getByTestId('preview-canvas').click();
    await bob.page.keyboard.press('Escape');
    await expect.poll(() => bob.page.getByTestId('following').count()).toBe(0);
  });

  it('shows A as away while her tab is hidden', async () => {
    const setHidden = (hidden: boolean) =>
      ada.page.evaluate((h) => {
        Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await expect.poll(() => avatar(bob.page, 'Ada').getAttribute('data-status')).toBe('away');
    expect(await avatar(bob.page, 'Ada').textContent()).toContain('Away');
    await setHidden(false);
    await expect.poll(() => avatar(bob.page, 'Ada').getAttribute('data-status')).toBe('active');
  });

  it("A's avatar leaves B's header within 5 s of A's network going away", async () => {
    await expect.poll(() => avatar(bob.page, 'Ada').count()).toBe(1);
    await ada.context.setOffline(true);
    await expect.poll(() => avatar(bob.page, 'Ada').count(), { timeout: 5000 }).toBe(0);
    expect(await bob.page.locator('[data-testid="remote-playhead"][data-user-name="Ada"]').count()).toBe(0);
    // Back online, Ada is back.
    await ada.context.setOffline(false);
    await expect.poll(() => avatar(bob.page, 'Ada').count(), { timeout: 30_000 }).toBe(1);
    await ada.context.close();
    await expect.poll(() => avatar(bob.page, 'Ada').count(), { timeout: 5000 }).toBe(0);
  });
});
