/**
 * Acceptance for sharing and roles (issue 8): Ada (owner) shares a project with Bob
 * (commenter, invited through the Share dialog) and Cyd (viewer). Their edit controls are
 * disabled, a forced write past the UI is refused by the server and never reaches Ada,
 * project activity reaches everyone as toasts, a role change applies without a reload,
 * and removing Bob drops his connection with a clear message.
 *
 * The forced write uses the `?debug` devtools handle (`window.__cutline`,
 * src/lib/editor/sharing/devtools.ts): it writes straight into the Y.Doc, so the provider
 * sends it like any edit.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { roleDescriptions, roles } from '@cutline/shared/policy';
import { apiCall, commands, createProject, editorReady, launch, signUp, waitSaved, type Person } from './browser.ts';
import { FFMPEG } from './media.ts';

const url = inject('e2eUrl');
const run = promisify(execFile);

type TimelineJson = { timeline: { clips: { id: string; start: number }[]; markers: { id: string; label: string }[] } };
type AssetJson = { assets: { id: string; originalName: string; state: string; failureReason: string | null }[] };

const clipStart = async (page: Page, projectId: string, clipId: string) =>
  (await apiCall<TimelineJson>(page, 'GET', `/projects/${projectId}/timeline`)).timeline.clips.find((c) => c.id === clipId)?.start;
const clipLeft = (page: Page, clipId: string) => page.locator(`[data-clip-id="${clipId}"]`).evaluate((el) => (el as HTMLElement).style.left);
const notice = (page: Page) => page.getByTestId('notice').textContent();

/** The controls that change the timeline, as a commenter or viewer finds them: all disabled or absent. */
async function expectNoEditControls(page: Page): Promise<void> {
  for (const name of ['Add a text clip', 'Add a marker', 'Split', 'Delete', 'Ripple delete', 'Undo', 'Redo']) {
    expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
  }
  for (const name of ['Add a video track', 'Add an audio track', 'Add a text track', 'Upload…']) {
    expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
  }
  expect(await page.getByTestId('upload-input').count()).toBe(0);
}

describe('sharing, roles and activity', () => {
  let browser: Browser;
  let ada: Person;
  let bob: Person;
  let cyd: Person;
  let projectId: string;
  let clipId: string;
  let mediaDir: string;

  beforeAll(async () => {
    mediaDir = await mkdtemp(join(tmpdir(), 'cutline-e2e-roles-'));
    browser = await launch();
    [ada, bob, cyd] = [await signUp(browser, url, 'Ada'), await signUp(browser, url, 'Bob'), await signUp(browser, url, 'Cyd')];
    projectId = await createProject(ada.page, 'Shared cut');
    const [track] = await commands(ada.page, projectId, [{ type: 'addTrack', kind: 'video', name: 'V1' }]);
    const [clip] = await commands(ada.page, projectId, [{ type: 'addColorClip', trackId: String(track?.trackId), color: '#3366ff', start: 0, duration: 2 }]);
    clipId = String(clip?.clipId);
    await ada.page.locator(`[data-clip-id="${clipId}"]`).waitFor();
    await apiCall(ada.page, 'POST', `/projects/${projectId}/members`, { email: cyd.email, role: 'viewer' });
  });
  afterAll(async () => {
    await browser?.close();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  it('Ada invites Bob as a commenter in the Share dialog, which says what each role can do', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Share “Shared cut”' });
    await dialog.getByRole('list', { name: 'Members' }).waitFor();
    const descriptions = await dialog.getByTestId('role-descriptions').textContent();
    for (const role of roles) expect(descriptions).toContain(roleDescriptions[role]);

    // An address without an account: the server's reason, in the dialog.
    await dialog.getByLabel('Email of the person to invite').fill('nobody@example.com');
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('No Cutline account uses that email');

    await dialog.getByLabel('Email of the person to invite').fill(bob.email);
    await dialog.getByLabel('Role for the invitation').selectOption('commenter');
    expect(await dialog.textContent()).toContain(roleDescriptions.commenter);
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect.poll(() => dialog.getByLabel('Role of Bob').inputValue()).toBe('commenter');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    // The owner is listed, and her role is not a menu.
    expect(await dialog.getByTestId('member').filter({ hasText: 'Ada (you)' }).getByTestId('member-role').textContent()).toBe('Owner');
    expect(await dialog.getByLabel('Role of Ada').count()).toBe(0);
    const members = await apiCall<{ members: { email: string; role: string }[] }>(page, 'GET', `/projects/${projectId}/members`);
    expect(members.members.find((m) => m.email === bob.email)?.role).toBe('commenter');
  });

  it('Ada creates a share link, copies it and revokes it', async () => {
    const { page, context } = ada;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const dialog = page.getByRole('dialog', { name: 'Share “Shared cut”' });
    await dialog.getByLabel('Anyone with the link joins as').selectOption('viewer');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const field = dialog.getByLabel('Viewer link URL');
    await field.waitFor();
    const link = await field.inputValue();
    expect(link).toMatch(/\/join\/.+/);
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => dialog.getByRole('button', { name: 'Copied', exact: true }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    expect((await apiCall<{ links: unknown[] }>(page, 'GET', `/projects/${projectId}/share-links`)).links).toHaveLength(1);

    await dialog.getByRole('button', { name: 'Revoke Viewer link' }).click();
    await expect.poll(() => dialog.getByTestId('share-link').count()).toBe(0);
    expect((await apiCall<{ links: unknown[] }>(page, 'GET', `/projects/${projectId}/share-links`)).links).toHaveLength(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('Bob (commenter) and Cyd (viewer) see the clip, with every edit control disabled', async () => {
    await bob.page.goto(`${url}/projects/${projectId}?debug`);
    await cyd.page.goto(`${url}/projects/${projectId}?debug`);
    await Promise.all([editorReady(bob.page), editorReady(cyd.page)]);
    for (const [person, badge, hint] of [
      [bob, 'Comment only', 'Commenter — you can comment but not edit.'],
      [cyd, 'View only', 'you can watch and read comments, but not edit or comment'],
    ] as const) {
      const { page } = person;
      await expect.poll(() => page.locator(`[data-clip-id="${clipId}"]`).count()).toBe(1);
      const shown = await page.getByTestId('role-badge').textContent();
      expect(shown).toContain(badge);
      expect(shown).toContain(hint);
      await expectNoEditControls(page);
      // Selecting is allowed; the inspector shows the clip with every field disabled.
      await page.locator(`[data-clip-id="${clipId}"]`).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Clip', exact: true }).count()).toBe(1);
      const fields = page.locator('aside.inspector').locator('input, select, textarea');
      expect(await fields.count()).toBeGreaterThan(3);
      expect(await fields.evaluateAll((els) => els.filter((e) => !(e as HTMLInputElement).disabled).map((e) => e.id))).toEqual([]);
      // Seeking and zooming stay.
      expect(await page.getByLabel('Go to time').isDisabled()).toBe(false);
      expect(await page.getByRole('button', { name: 'Zoom in' }).isDisabled()).toBe(false);
    }
  });

  it("Bob's drag and edit keys change nothing", async () => {
    const { page } = bob;
    const clip = page.locator(`[data-clip-id="${clipId}"]`);
    const before = await clipLeft(page, clipId);
    const box = await clip.boundingBox();
    if (!box) throw new Error('the clip is not visible');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2 + i * 15, box.y + box.height / 2);
    await page.mouse.up();
    // A drag is applied on release (README), so the clip would have moved by now.
    expect(await clipLeft(page, clipId)).toBe(before);
    await page.keyboard.press('Delete');
    await expect.poll(() => notice(page)).toContain('You can view this timeline but not edit it.');
    expect(await clip.count()).toBe(1);
    expect(await clipStart(ada.page, projectId, clipId)).toBe(0);
  });

  it("a write forced past Bob's UI is refused by the server and never reaches Ada", async () => {
    await waitSaved(bob.page);
    const adaLeft = await clipLeft(ada.page, clipId);
    await bob.page.evaluate((id) => {
      const handle = window.__cutline;
      if (!handle) throw new Error('no ?debug handle');
      const clip = handle.session.timelineDoc.getMap('clips').get(id) as { set: (key: string, value: unknown) => void } | undefined;
      if (!clip) throw new Error('no such clip');
      clip.set('start', 5_000_000);
    }, clipId);
    // The server refuses it; Bob's editor says so and starts over from the saved timeline.
    await expect.poll(() => notice(bob.page), { timeout: 10_000 }).toContain('The server refused your change: you cannot edit this timeline. The editor now shows the saved version.');
    await editorReady(bob.page);
    // Ada's next edit reaches Bob, so the connection works — and her clip never moved.
    await commands(ada.page, projectId, [{ type: 'addMarker', time: 1, label: 'after the forced write' }]);
    await expect.poll(() => bob.page.getByRole('button', { name: /after the forced write/ }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await clipLeft(ada.page, clipId)).toBe(adaLeft);
    await expect.poll(() => clipLeft(bob.page, clipId)).toBe(adaLeft);
    expect(await clipStart(ada.page, projectId, clipId)).toBe(0);
    expect(await clipStart(cyd.page, projectId, clipId)).toBe(0);
  });

  it('Cyd (viewer) cannot comment: the composer is not offered and a forced comment is refused', async () => {
    const { page } = cyd;
    // The comments panel (comments/) offers Bob a composer and Cyd none.
    for (const [person, composers] of [[bob, 1], [cyd, 0]] as const) {
      await person.page.getByRole('tab', { name: /^Comments/ }).click();
      await expect.poll(() => person.page.getByLabel('New comment').count()).toBe(composers);
      await person.page.getByRole('tab', { name: 'Inspector' }).click();
    }
    await page.evaluate(() => {
      const handle = window.__cutline;
      if (!handle) throw new Error('no ?debug handle');
      handle.session.commentsDoc.getMap('forced').set('by', 'Cyd');
    });
    await expect.poll(() => notice(page), { timeout: 10_000 }).toContain('The server refused your change: you cannot comment in this project.');
  });

  it("Bob (commenter) cannot rewrite Ada's comment by writing the comments document directly", async () => {
    const page = ada.page;
    await page.getByRole('tab', { name: /^Comments/ }).click();
    await page.getByRole('textbox', { name: 'Comment' }).fill('Ada wrote this');
    await page.getByRole('button', { name: 'Add comment' }).click();
    const adaThread = (p: Page) => p.getByRole('listitem', { name: /^Comment by Ada/ });
    await expect.poll(() => adaThread(page).count()).toBe(1);
    await waitSaved(page);
    await bob.page.getByRole('tab', { name: /^Comments/ }).click();
    await expect.poll(() => adaThread(bob.page).count(), { timeout: 10_000 }).toBe(1);
    await bob.page.evaluate(() => {
      const handle = window.__cutline;
      if (!handle) throw new Error('no ?debug handle');
      handle.session.commentsDoc.getMap('threads').forEach((thread) => (thread as { set: (key: string, value: unknown) => void }).set('body', 'Bob forged this'));
    });
    await expect.poll(() => notice(bob.page), { timeout: 10_000 }).toContain("The server refused your change: only a comment's author may change it.");
    // Bob's editor started over from the saved documents: his copy shows Ada's words again.
    await editorReady(bob.page);
    await bob.page.getByRole('tab', { name: /^Comments/ }).click();
    await expect.poll(async () => (await adaThread(bob.page).allTextContents()).join(' '), { timeout: 10_000 }).toContain('Ada wrote this');
    // Ada's next comment reaches Bob, so the forgery would have arrived before it.
    await page.getByRole('textbox', { name: 'Comment' }).fill('and this');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await expect.poll(() => adaThread(bob.page).count(), { timeout: 10_000 }).toBe(2);
    await cyd.page.getByRole('tab', { name: /^Comments/ }).click();
    await expect.poll(() => adaThread(cyd.page).count(), { timeout: 10_000 }).toBe(2);
    for (const person of [ada, cyd]) {
      const texts = (await adaThread(person.page).allTextContents()).join(' ');
      expect(texts).toContain('Ada wrote this');
      expect(texts).not.toContain('Bob forged this');
    }
    for (const person of [ada, bob, cyd]) await person.page.getByRole('tab', { name: 'Inspector' }).click();
  });

  it('media that becomes ready or fails appears as a toast for everyone, with the reason', async () => {
    const good = join(mediaDir, 'tiny.mp4');
    const bad = join(mediaDir, 'not-a-video.mp4');
    await run(FFMPEG, ['-y', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=320x240:r=30:d=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', good]);
    await writeFile(bad, 'this is plain text, not a video\n'.repeat(100));

    const toast = (page: Page, text: string) => page.getByTestId('toast').filter({ hasText: text });
    const seen = (text: string) => Promise.all([ada, bob, cyd].map(({ page }) => toast(page, text).first().waitFor({ timeout: 120_000 })));
    const ready = seen('“tiny.mp4” is ready');
    await ada.page.getByTestId('upload-input').setInputFiles(good);
    await ready;

    const failed = seen('“not-a-video.mp4” cannot be used');
    await ada.page.getByTestId('upload-input').setInputFiles(bad);
    await failed;
    const { assets } = await apiCall<AssetJson>(ada.page, 'GET', `/projects/${projectId}/assets`);
    const reason = assets.find((a) => a.originalName === 'not-a-video.mp4')?.failureReason;
    expect(reason).toBeTruthy();
    const shown = toast(bob.page, 'not-a-video.mp4');
    expect(await shown.getAttribute('data-tone')).toBe('error');
    expect(await shown.textContent()).toContain(reason);

    // Dismissable by hand; the others leave by themselves after a few seconds.
    await shown.getByRole('button', { name: /^Dismiss/ }).click();
    await expect.poll(() => shown.count()).toBe(0);
    await expect.poll(() => toast(cyd.page, 'tiny.mp4').count(), { timeout: 15_000 }).toBe(0);
    expect(await cyd.page.getByRole('region', { name: 'Project activity' }).locator('[aria-live="polite"]').count()).toBe(1);
  });

  it('a finished export appears as a toast for everyone', async () => {
    await apiCall(ada.page, 'POST', `/projects/${projectId}/renders`, { preset: 'mp4-720p' });
    // Ada reads it as hers; the others read whose it was.
    await Promise.all(
      ([[ada, /Your export .*finished/], [bob, /Ada’s export .*finished/], [cyd, /Ada’s export .*finished/]] as const).map(([{ page }, title]) =>
        page.getByTestId('toast').filter({ hasText: title }).first().waitFor({ timeout: 120_000 }),
      ),
    );
  });

  it("a role change reaches Cyd's open editor without a reload", async () => {
    const { page } = ada;
    // Cyd's forced comment was refused and her editor started over from the saved
    // documents, so as an editor she has nothing of it left to send.
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Share “Shared cut”' });
    await dialog.getByLabel('Role of Cyd').selectOption('editor');
    await expect.poll(() => dialog.getByRole('status').textContent()).toContain('Cyd is now an editor.');
    await expect.poll(() => cyd.page.getByTestId('role-badge').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => cyd.page.getByRole('button', { name: 'Add a text clip' }).isDisabled(), { timeout: 10_000 }).toBe(false);
    expect(await notice(cyd.page)).toContain('you are now an editor');
    await dialog.getByLabel('Role of Cyd').selectOption('viewer');
    await expect.poll(() => cyd.page.getByTestId('role-badge').textContent(), { timeout: 10_000 }).toContain('View only');
    await expect.poll(() => cyd.page.getByRole('button', { name: 'Add a text clip' }).isDisabled()).toBe(true);
  });

  it("removing Bob drops his connection and his page says so", async () => {
    const { page } = ada;
    const dialog = page.getByRole('dialog', { name: 'Share “Shared cut”' });
    await dialog.getByRole('button', { name: 'Remove Bob…' }).click();
    await dialog.getByRole('group', { name: 'Confirm removing Bob' }).getByRole('button', { name: 'Remove Bob' }).click();
    await expect.poll(() => dialog.getByTestId('member').filter({ hasText: 'Bob' }).count()).toBe(0);

    const lost = bob.page.getByRole('alertdialog', { name: 'You were removed from this project' });
    await lost.waitFor({ timeout: 10_000 });
    expect(await bob.page.getByTestId('sync-status').getAttribute('data-state')).toBe('denied');
    await lost.getByRole('link', { name: 'Back to your projects' }).click();
    await bob.page.waitForURL('**/projects');
    expect(await bob.page.getByRole('tab', { name: /Shared with me/ }).textContent()).toContain('(0)');
  });

  it('Cyd (a non-owner) sees the members read-only, with a note', async () => {
    const { page } = cyd;
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Share “Shared cut”' });
    await dialog.getByRole('list', { name: 'Members' }).waitFor();
    expect(await dialog.getByTestId('member').count()).toBe(2);
    expect(await dialog.getByLabel('Email of the person to invite').count()).toBe(0);
    expect(await dialog.getByRole('combobox').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: /Remove|Create link|Revoke/ }).count()).toBe(0);
    expect(await dialog.textContent()).toContain("Only the project's owner can invite people");
  });
});
