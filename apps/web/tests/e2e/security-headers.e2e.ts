import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { commands, createProject, launch, saveFrame, seek, signUp, waitSaved, type Person } from './browser.ts';
import { generateMedia, SOURCES } from './media.ts';

const url = inject('e2eUrl');
const syncUrl = inject('e2eSyncUrl');

/**
 * [issue 12] Pages are served with a Content-Security-Policy (SvelteKit nonces, no framing)
 * and the usual hardening headers, and the editor still works under it: the preview worker,
 * WebCodecs on uploaded media, blob: URLs, fonts, filmstrips and the sync WebSocket — with
 * no violation reported by the browser.
 */
describe('[issue 12] security headers and CSP', () => {
  let browser: Browser;
  let ada: Person;
  let media: Awaited<ReturnType<typeof generateMedia>>;
  const violations: string[] = [];

  beforeAll(async () => {
    media = await generateMedia();
    browser = await launch();
    ada = await signUp(browser, url, 'Policy');
    await ada.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
      });
    });
    ada.page.on('console', (message) => {
      if (/Content Security Policy|CSP violation/i.test(message.text())) violations.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (media) await rm(media.dir, { recursive: true, force: true });
  });

  it('sends CSP with a nonce, frame-ancestors none, nosniff, a referrer policy and X-Frame-Options', async () => {
    for (const path of ['/login', '/projects']) {
      const response = await fetch(`${url}${path}`);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(new RegExp(`connect-src [^;]*${new URL(syncUrl).origin.replace(/[.:/]/g, '\\$&')}`));
      expect(csp).toContain("worker-src 'self' blob:");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
    const api = await fetch(`${url}/api/v1/openapi.json`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('previews uploaded video and text in the editor without any CSP violation', async () => {
    const { page } = ada;
    const projectId = await createProject(page, 'Under policy');
    await page.getByTestId('upload-input').setInputFiles([media.a]);
    const item = page.locator('[data-testid="asset"]', { hasText: SOURCES.a.file });
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 120_000 }).toBe('ready');
    const assets = await page.evaluate(async (id) => (await (await fetch(`/api/v1/projects/${id}/assets`)).json()) as { assets: { id: string }[] }, projectId);
    const assetId = assets.assets[0]?.id ?? '';
    await commands(page, projectId, [
      { type: 'setSettings', width: 1280, height: 720, fps: { num: 30, den: 1 } },
      { type: 'addTrack', kind: 'video' },
      { type: 'addTrack', kind: 'video' },
      { type: 'addClip', trackId: '$1.trackId', assetId, start: 0, duration: 2 },
      { type: 'addTextClip', trackId: '$2.trackId', text: 'Policy', start: 0, duration: 2, style: { fontFamily: 'Noto Serif', fontSize: 96 } },
    ]);
    await waitSaved(page);
    await seek(page, 1);
    const file = await saveFrame(page, 1.5, media.dir);
    expect(file).toMatch(/\.png$/);
    // The live sync connection went through (connect-src) and the page is still healthy.
    await waitSaved(page);
    expect(violations).toEqual([]);
  });
});
