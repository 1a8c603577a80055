import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiCall, createProject, editorReady, launch, seek, signUp, waitSaved, type Person } from './browser.ts';

const url = inject('e2eUrl');
/** The clips' own labels (a clip also carries the names of others who have it selected). */
const texts = (page: Page) => page.getByTestId('clip').evaluateAll((els) => els.map((e) => e.querySelector('.label')?.textContent?.trim() ?? '').sort());

/** Adds a text clip at `at` seconds with `text`, through the toolbar and the inspector. */
async function addText(page: Page, at: number, text: string): Promise<void> {
  await seek(page, at);
  await page.getByRole('button', { name: 'Add a text clip' }).click();
  const field = page.getByLabel('Text', { exact: true });
  await field.fill(text);
  await field.blur();
}

describe('two people on one timeline', () => {
  let browser: Browser;
  let ada: Person;
  let bob: Person;
  let projectId: string;

  beforeAll(async () => {
    browser = await launch();
    ada = await signUp(browser, url, 'Ada');
    bob = await signUp(browser, url, 'Bob');
    projectId = await createProject(ada.page, 'Together');
    await apiCall(ada.page, 'POST', `/projects/${projectId}/members`, { email: bob.email, role: 'editor' });
    await bob.page.goto(`${url}/projects/${projectId}`);
    await editorReady(bob.page);
    // Bob makes the track, so everything in Ada's history is a clip of hers. (Undoing a
    // track someone else has put clips on hides them too: the model's TL16.)
    await bob.page.getByRole('button', { name: 'Add a text track' }).click();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("sees the other person's edits live", async () => {
    await addText(ada.page, 0, 'from Ada');
    await expect.poll(() => texts(bob.page), { timeout: 5000 }).toEqual(['from Ada']);
  });

  it("undo reverts only my own edit, never someone else's", async () => {
    await addText(bob.page, 5, 'from Bob');
    await expect.poll(() => texts(ada.page), { timeout: 5000 }).toEqual(['from Ada', 'from Bob']);
    await waitSaved(bob.page);
    // Ada's last edit is her text (typing is one gesture); Bob's clip is not hers to undo.
    await ada.page.getByTestId('preview-canvas').click();
    await ada.page.keyboard.press('Control+z');
    await ada.page.keyboard.press('Control+z');
    await expect.poll(() => texts(ada.page), { timeout: 5000 }).toEqual(['from Bob']);
    await expect.poll(() => texts(bob.page), { timeout: 5000 }).toEqual(['from Bob']);
    // Ada's history holds nothing else: more undos change nothing of Bob's.
    await ada.page.keyboard.press('Control+z');
    await ada.page.waitForTimeout(300);
    expect(await texts(bob.page)).toEqual(['from Bob']);
    // Redo brings Ada's clip back, Bob's stays.
    await ada.page.keyboard.press('Control+Shift+z');
    await expect.poll(() => texts(bob.page), { timeout: 5000 }).toEqual(['Title', 'from Bob']);
    // And Bob's undo reverts Bob's text, not Ada's clip.
    await bob.page.getByTestId('preview-canvas').click();
    await bob.page.keyboard.press('Control+z');
    await expect.poll(() => texts(ada.page), { timeout: 5000 }).toEqual(['Title', 'Title']);
  });

  it('goes Offline while the network is down, keeps editing, and syncs when back', async () => {
    const { context, page } = ada;
    await waitSaved(page);
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-state')).toBe('offline');
    await addText(page, 10, 'made offline');
    await expect.poll(() => texts(page)).toContain('made offline');
    await page.waitForTimeout(1500);
    expect(await texts(bob.page)).not.toContain('made offline');
    expect(await page.getByTestId('sync-status').getAttribute('data-state')).toBe('offline');
    await context.setOffline(false);
    await waitSaved(page, 30_000);
    await expect.poll(() => texts(bob.page), { timeout: 10_000 }).toContain('made offline');
  });

  it('keeps everything after a reload', async () => {
    const before = await texts(ada.page);
    await ada.page.reload();
    await editorReady(ada.page);
    await expect.poll(() => texts(ada.page)).toEqual(before);
  });
});
