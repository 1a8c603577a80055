import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { apiCall, createProject, editorReady, launch, seek, signUp, waitSaved, type Person } from './browser.ts';

const url = inject('e2eUrl');

const markers = (page: Page) => page.getByTestId('comment-marker');
const markerStart = async (page: Page) => Number(await markers(page).first().getAttribute('data-start'));
const thread = (page: Page, author = 'Bob') => page.getByRole('listitem', { name: new RegExp(`^Comment by ${author}`) });
const commentsTab = (page: Page) => page.getByRole('tab', { name: /Comments/ });
const badge = (page: Page) => page.getByTestId('comments-unread');
const playhead = async (page: Page) => Number(await page.getByRole('slider', { name: 'Playhead' }).getAttribute('aria-valuenow'));
const clip = (page: Page) => page.getByTestId('clip').first();

/** Presses a timeline shortcut with the focus on the preview, not in a text box. */
async function shortcut(page: Page, key: string): Promise<void> {
  await page.getByTestId('preview-canvas').click();
  await page.keyboard.press(key);
}

/** Opens a collapsed thread (or collapses an open one) by its summary button. */
async function toggleThread(item: Locator): Promise<void> {
  await item.locator('button[aria-expanded]').click();
}

describe('comments on the timeline: owner, commenter and viewer', () => {
  let browser: Browser;
  let ada: Person;
  let bob: Person;
  let cyd: Person;
  let projectId: string;
  let bobId: string;

  beforeAll(async () => {
    browser = await launch();
    [ada, bob, cyd] = [await signUp(browser, url, 'Ada'), await signUp(browser, url, 'Bob'), await signUp(browser, url, 'Cyd')];
    projectId = await createProject(ada.page, 'Review');
    await apiCall(ada.page, 'POST', `/projects/${projectId}/members`, { email: bob.email, role: 'commenter' });
    await apiCall(ada.page, 'POST', `/projects/${projectId}/members`, { email: cyd.email, role: 'viewer' });
    bobId = (await apiCall<{ user: { id: string } }>(bob.page, 'GET', '/me')).user.id;
    // Ada makes a text track with a clip from 1 s to 4 s.
    await seek(ada.page, 1);
    await ada.page.getByRole('button', { name: 'Add a text clip' }).click();
    await waitSaved(ada.page);
    for (const p of [bob, cyd]) {
      await p.page.goto(`${url}/projects/${projectId}`);
      await editorReady(p.page);
      await p.page.getByTestId('clip').first().waitFor({ timeout: 5000 });
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('Bob (commenter) adds a range comment pinned to the clip; Ada sees the marker and the thread', async () => {
    const page = bob.page;
    await seek(page, 1.5);
    await shortcut(page, 'i');
    await seek(page, 3);
    await shortcut(page, 'o');
    await clip(page).click();
    await commentsTab(page).click();
    await expect.poll(() => page.getByRole('radio', { name: /In–out/ }).isChecked()).toBe(true);
    await expect.poll(() => page.getByRole('checkbox', { name: 'Pin to Title' }).isChecked()).toBe(true);
    await page.getByRole('textbox', { name: 'Comment' }).fill('Too dark here');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await expect.poll(() => thread(page).count()).toBe(1);
    expect(await thread(page).textContent()).toContain('Pinned to Title');
    await waitSaved(page);

    const a = ada.page;
    await expect.poll(() => markers(a).count(), { timeout: 5000 }).toBe(1);
    // Bob joined after Ada's page read the member list: his name arrives with a re-read.
    await expect.poll(() => markers(a).first().getAttribute('aria-label'), { timeout: 5000 }).toMatch(/^Comment by Bob at 00:00:01:\d\d to 00:00:03:00, open$/);
    expect(await markerStart(a)).toBeCloseTo(1.5, 3);
    // Ada's Comments tab counts Bob's new thread as unread until she opens it.
    await expect.poll(() => badge(a).textContent()).toBe('1');
    await seek(a, 8);
    await markers(a).first().click();
    await expect.poll(() => playhead(a)).toBeCloseTo(1.5, 3);
    await expect.poll(() => commentsTab(a).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => thread(a).locator('button[aria-expanded]').getAttribute('aria-expanded')).toBe('true');
    expect(await thread(a).textContent()).toContain('Too dark here');
    await expect.poll(() => badge(a).count()).toBe(0);
  });

  it('Ada replies with an @mention; Bob gets an unread badge that clears when he opens the thread', async () => {
    // Bob closes his thread, so what arrives now is unread for him.
    await toggleThread(thread(bob.page));
    await expect.poll(() => thread(bob.page).locator('button[aria-expanded]').getAttribute('aria-expanded')).toBe('false');
    expect(await badge(bob.page).count()).toBe(0);

    const a = ada.page;
    const reply = thread(a).getByRole('textbox', { name: 'Reply' });
    await reply.click();
    await reply.pressSequentially('On it @Bo');
    await a.getByRole('option', { name: /Bob/ }).click();
    await reply.pressSequentially('- fixing the exposure');
    await thread(a).getByRole('button', { name: 'Reply', exact: true }).click();
    await expect.poll(() => thread(a).getByTestId('comment-reply').count()).toBe(1);
    expect(await thread(a).getByTestId('comment-reply').textContent()).toContain('On it @Bob - fixing the exposure');

    const b = bob.page;
    await expect.poll(() => badge(b).textContent(), { timeout: 5000 }).toBe('1');
    expect(await thread(b).getByTestId('thread-unread').textContent()).toBe('1 new');
    expect(await thread(b).textContent()).toContain('Mentions you');
    // The page also tells Bob in a toast, with the mention shown by name.
    const toast = b.getByTestId('toast').filter({ hasText: 'Ada mentioned you' });
    await expect.poll(() => toast.count(), { timeout: 5000 }).toBe(1);
    expect(await toast.textContent()).toContain('On it @Bob - fixing the exposure');
    // Ada wrote it: she gets no toast about her own mention of someone else.
    expect(await a.getByTestId('toast').filter({ hasText: 'mentioned you' }).count()).toBe(0);
    await toggleThread(thread(b));
    await expect.poll(() => badge(b).count()).toBe(0);
    // The mention is stored as Bob's user id and shown by his name.
    const mention = thread(b).getByTestId('comment-reply').locator('.mention');
    expect(await mention.textContent()).toBe('@Bob');
    expect(await mention.getAttribute('data-user-id')).toBe(bobId);
    // Read marks are kept per user and project in this browser: a reload keeps them.
    await b.reload();
    await editorReady(b);
    await expect.poll(() => markers(b).count(), { timeout: 5000 }).toBe(1);
    expect(await badge(b).count()).toBe(0);
  });

  it('edit and delete are offered for my own comments only', async () => {
    const a = ada.page;
    expect(await thread(a).getByRole('button', { name: 'Edit reply' }).count()).toBe(1);
    expect(await thread(a).getByRole('button', { name: 'Edit comment' }).count()).toBe(0);
    expect(await thread(a).getByRole('button', { name: 'Delete thread' }).count()).toBe(0);

    const b = bob.page;
    await commentsTab(b).click();
    await toggleThread(thread(b));
    await thread(b).getByRole('button', { name: 'Edit comment' }).click();
    const box = thread(b).getByRole('textbox', { name: 'Edit comment' });
    await box.fill('Too dark here, and too loud');
    await thread(b).getByRole('button', { name: 'Save' }).click();
    expect(await thread(b).getByRole('button', { name: 'Edit reply' }).count()).toBe(0);
    await expect.poll(() => thread(a).textContent(), { timeout: 5000 }).toContain('Too dark here, and too loud');
    expect(await thread(a).textContent()).toContain('edited');
  });

  it('a pinned comment follows its clip when Ada moves the clip, on both pages', async () => {
    const a = ada.page;
    await clip(a).click();
    // Alt+Shift+→ nudges the selected clip by one second.
    await a.keyboard.press('Alt+Shift+ArrowRight');
    await a.keyboard.press('Alt+Shift+ArrowRight');
    await expect.poll(() => clip(a).getAttribute('aria-label')).toContain('0:03.00 to 0:06.00');
    for (const page of [a, bob.page]) {
      await expect.poll(() => markerStart(page), { timeout: 5000 }).toBeCloseTo(3.5, 3);
      expect(await markers(page).first().getAttribute('aria-label')).toMatch(/at 00:00:03:\d\d to 00:00:05:00, open$/);
      expect(await thread(page).getByTestId('comment-time').textContent()).toMatch(/^00:00:03:\d\d–00:00:05:00$/);
    }
  });

  it('Ada resolves it; Bob sees it resolved and the filters agree; anyone who comments may reopen', async () => {
    const a = ada.page;
    await commentsTab(a).click();
    await thread(a).getByRole('button', { name: 'Resolve' }).click();
    const b = bob.page;
    await expect.poll(() => markers(b).first().getAttribute('data-resolved'), { timeout: 5000 }).toBe('true');
    expect(await markers(b).first().getAttribute('aria-label')).toMatch(/resolved$/);
    expect(await thread(b).textContent()).toContain('Resolved by Ada');

    await b.getByRole('radio', { name: 'Open' }).check();
    await expect.poll(() => thread(b).count()).toBe(0);
    expect(await b.getByText('No comments match this filter.').count()).toBe(1);
    await b.getByRole('radio', { name: 'Resolved' }).check();
    await expect.poll(() => thread(b).count()).toBe(1);
    await b.getByRole('button', { name: 'Mine' }).click();
    await expect.poll(() => thread(b).count()).toBe(1);
    await b.getByRole('button', { name: 'Mine' }).click();

    await thread(b).getByRole('button', { name: 'Reopen' }).click();
    await expect.poll(() => thread(b).count()).toBe(0);
    await expect.poll(() => markers(a).first().getAttribute('data-resolved'), { timeout: 5000 }).toBe('false');
    await b.getByRole('radio', { name: 'All' }).check();
    await expect.poll(() => thread(b).count()).toBe(1);
  });

  it("Cyd (viewer) sees the thread and its marker, but has no comment controls", async () => {
    const c = cyd.page;
    await expect.poll(() => markers(c).count(), { timeout: 5000 }).toBe(1);
    await markers(c).first().click();
    await expect.poll(() => playhead(c)).toBeCloseTo(3.5, 3);
    await expect.poll(() => thread(c).count()).toBe(1);
    const text = (await thread(c).textContent()) ?? '';
    expect(text).toContain('Too dark here, and too loud');
    expect(text).toContain('@Bob');
    expect(await c.getByText("Viewers can't comment").count()).toBe(1);
    for (const name of ['Add comment', 'Reply', 'Resolve', 'Reopen', 'Edit comment', 'Edit reply', 'Delete thread', 'Delete reply']) {
      expect(await c.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    expect(await c.getByRole('textbox', { name: 'Comment' }).count()).toBe(0);
    expect(await c.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
  });

  it('authors delete their own reply and thread, for everyone', async () => {
    const a = ada.page;
    expect(await thread(bob.page).textContent()).toContain('fixing the exposure');
    await thread(a).getByRole('button', { name: 'Delete reply' }).click();
    await thread(a).getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => thread(bob.page).textContent(), { timeout: 5000 }).not.toContain('fixing the exposure');

    const b = bob.page;
    await thread(b).getByRole('button', { name: 'Delete thread' }).click();
    await thread(b).getByRole('button', { name: 'Delete', exact: true }).click();
    for (const page of [a, b, cyd.page]) {
      await expect.poll(() => markers(page).count(), { timeout: 5000 }).toBe(0);
      expect(await thread(page).count()).toBe(0);
    }
  });
});
