import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiCall, editorReady, launch, signUp, type Person } from './browser.ts';

const url = inject('e2eUrl');

describe('accounts, dashboard and sharing pages', () => {
  let browser: Browser;
  let ada: Person;

  beforeAll(async () => {
    browser = await launch();
    ada = await signUp(browser, url, 'Ada Pages');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('greets a signed-in person on the home page with a way to their projects', async () => {
    const { page } = ada;
    await page.goto(url);
    expect(await page.getByTestId('status').textContent()).toMatch(/Cutline is up/);
    await page.getByRole('link', { name: 'Open your projects' }).click();
    await page.waitForURL('**/projects');
  });

  it('offers a reload when a new version of Cutline is deployed while a page is open', async () => {
    const page = await ada.context.newPage();
    await page.goto(`${url}/projects`);
    const banner = page.getByRole('status').filter({ hasText: 'Cutline has been updated' });
    expect(await banner.count()).toBe(0);
    // The server now answers with another build's version, as after a deployment.
    await page.route('**/_app/version.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ version: 'a-newer-build' }) }));
    // SvelteKit checks on focus (a check already in flight answers for the old version,
    // so the page is focused again until one sees the new one).
    await expect
      .poll(
        async () => {
          await page.evaluate(() => window.dispatchEvent(new Event('focus')));
          return banner.count();
        },
        { timeout: 10_000 },
      )
      .toBe(1);
    await page.unroute('**/_app/version.json');
    await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
    expect(await banner.count()).toBe(0);
    await page.close();
  });

  it('logs out, refuses a wrong password, and logs back in to where it was going', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.goto(`${url}/account`);
    await page.waitForURL(/\/login\?next=%2Faccount$/);
    await page.getByLabel('Email').fill(ada.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/password/i);
    await page.getByLabel('Password').fill(ada.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/account');
  });

  it('creates, opens, renames and deletes projects from the dashboard', async () => {
    const { page } = ada;
    await page.goto(`${url}/projects`);
    await page.getByLabel('New project name').fill('Draft one');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[a-z0-9]+$/);
    await editorReady(page);
    await page.getByRole('link', { name: 'Back to projects' }).click();
    await page.waitForURL('**/projects');
    await page.getByRole('button', { name: 'Rename Draft one' }).click();
    await page.getByLabel('New name for Draft one').fill('Final cut');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'My projects' }).textContent()).toContain('Final cut');
    await page.reload();
    expect(await page.getByRole('list', { name: 'My projects' }).textContent()).toContain('Final cut');
    await page.getByRole('button', { name: 'Delete Final cut' }).click();
    await page.getByRole('button', { name: 'Delete project' }).click();
    await expect.poll(() => page.getByText('No projects yet').count()).toBe(1);
  });

  it('creates an API token that is shown once, lists it and revokes it', async () => {
    const { page } = ada;
    await page.goto(`${url}/account`);
    await page.getByLabel('Name', { exact: true }).fill('ci script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('new-token').inputValue();
    expect(token.length).toBeGreaterThan(20);
    // The token works as a bearer token on the API.
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    await page.reload();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    expect(await page.getByRole('table').textContent()).toContain('ci script');
    await page.getByRole('button', { name: 'Revoke ci script' }).click();
    await expect.poll(() => page.getByRole('table').count()).toBe(0);
    const after = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
  });

  it('joins a project through a share link, after signing up, and lists it as shared', async () => {
    const { page } = ada;
    await page.goto(`${url}/projects`);
    await page.getByLabel('New project name').fill('Shared reel');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[a-z0-9]+$/);
    const projectId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const { link } = await apiCall<{ link: { url: string } }>(page, 'POST', `/projects/${projectId}/share-links`, { role: 'commenter' });
    const joinPath = new URL(link.url).pathname;

    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const guest = await context.newPage();
    await guest.goto(`${url}${joinPath}`);
    await guest.getByRole('link', { name: 'create an account' }).click();
    await guest.getByLabel('Name').fill('Guest');
    await guest.getByLabel('Email').fill(`guest.${Date.now()}@example.com`);
    await guest.getByLabel('Password').fill('correct horse battery');
    await guest.getByRole('button', { name: 'Sign up' }).click();
    await guest.waitForURL(`**/projects/${projectId}`);
    await editorReady(guest);
    // A commenter sees the timeline but cannot edit it.
    expect(await guest.getByText('Comment only').count()).toBe(1);
    expect(await guest.getByRole('button', { name: 'Add a text clip' }).isDisabled()).toBe(true);
    await guest.goto(`${url}/projects`);
    await guest.getByRole('tab', { name: /Shared with me/ }).click();
    expect(await guest.getByRole('list', { name: 'Shared with me' }).textContent()).toContain('Shared reel');
    await context.close();
  });
});
