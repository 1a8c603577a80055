import { describe, expect, it } from 'vitest';
import { ConfigError } from '@cutline/shared/errors';
import { chooseTransport } from './choose.ts';
import { loadNativeUws } from './load-uws.ts';

describe('transport choice', () => {
  const native = loadNativeUws();

  it('[SY70] SYNC_TRANSPORT=node is ws, always', () => {
    expect(chooseTransport('node').name).toBe('node');
  });

  it('[SY70] auto takes native uWebSockets.js exactly when its binary loads, otherwise ws with the reason', () => {
    const choice = chooseTransport('auto');
    if (native.ok) expect(choice.name).toBe('uws');
    else expect(choice).toEqual({ name: 'node', why: expect.stringContaining(`ABI ${process.versions.modules}`) });
  });

  it('[SY70] SYNC_TRANSPORT=uws refuses to start on a JS fallback', () => {
    if (native.ok) {
      expect(chooseTransport('uws')).toMatchObject({ name: 'uws', binary: expect.stringMatching(/\.node$/) });
      return;
    }
    // The package's own entry point would hand back its pure-JS emulation here.
    expect(() => chooseTransport('uws')).toThrow(ConfigError);
    expect(() => chooseTransport('uws')).toThrow(/SYNC_TRANSPORT is uws but uWebSockets\.js cannot run here/);
  });
});
