/** Chromium and page helpers for the browser tests. */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Playback starts from a key press; headless has no speakers but the clock still runs.
  '--autoplay-policy=no-user-gesture-required',
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

let counter = 0;

export type Person = { context: BrowserContext; page: Page; name: string; email: string; password: string };

export async function signUp(browser: Browser, url: string, name = `User ${++counter}`): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}.${counter}@example.com`;
  const password = 'correct horse battery';
  await page.goto(`${url}/signup`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL('**/projects');
  return { context, page, name, email, password };
}

/** Creates a project from the dashboard and waits until the editor has synced. */
export async function createProject(page: Page, name: string): Promise<string> {
  await page.getByLabel('New project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/projects\/[a-z0-9]+$/);
  await editorReady(page);
  return new URL(page.url()).pathname.split('/').pop() ?? '';
}

export async function editorReady(page: Page): Promise<void> {
  await page.locator('[data-testid="editor"][data-ready="true"]').waitFor({ timeout: 30_000 });
}

export async function waitSaved(page: Page, timeout = 15_000): Promise<void> {
  await page.locator('[data-testid="sync-status"][data-state="saved"]').waitFor({ timeout });
}

/** Calls /api/v1 from the page, with its session cookie. */
export async function apiCall<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ method, path, body }) => {
      const response = await fetch(`/api/v1${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, text };
    },
    { method, path, body },
  );
  if (result.status >= 400) throw new Error(`${method} ${path} → ${result.status} ${result.text}`);
  return (result.text ? JSON.parse(result.text) : undefined) as T;
}

/** Seeks by typing a time into the toolbar's "Go to time" box (the keyboard path). */
export async function seek(page: Page, seconds: number): Promise<void> {
  await page.getByLabel('Go to time').fill(seconds.toFixed(6));
  await page.getByLabel('Go to time').press('Enter');
}

/** "Save frame" at `seconds`: the preview's still at project size, as a PNG file path. */
export async function saveFrame(page: Page, seconds: number, dir: string): Promise<string> {
  await seek(page, seconds);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save frame' }).click();
  const file = `${dir}/frame-${seconds.toFixed(3)}.png`;
  await (await download).saveAs(file);
  return file;
}

/** Applies timeline commands over REST (as the signed-in user) and returns their results. */
export async function commands(page: Page, projectId: string, list: unknown[]): Promise<Record<string, unknown>[]> {
  const { results } = await apiCall<{ results: Record<string, unknown>[] }>(page, 'POST', `/projects/${projectId}/timeline/commands`, { commands: list });
  return results;
}
