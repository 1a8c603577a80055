import { describe, inject } from 'vitest';
import type { SyncVariant } from '../global-setup.ts';

/**
 * Declares `body` once per transport (SPEC.md SY71): every suite that uses this runs
 * against ws and against uWebSockets.js. A transport that cannot load on this machine
 * is skipped, and the skip names the reason.
 */
export function forEachTransport(title: string, body: (variant: SyncVariant) => void): void {
  for (const variant of inject('syncVariants')) {
    const name = `${title} [${variant.transport}]${variant.skip ? ` — skipped: ${variant.skip}` : ''}`;
    describe.skipIf(Boolean(variant.skip))(name, () => body(variant));
  }
}
