import { ConfigError } from '@cutline/shared/errors';
import { loadNativeUws, type UwsModule } from './load-uws.ts';

export type TransportChoice = { name: 'uws'; uws: UwsModule; binary: string } | { name: 'node'; why: string };

/**
 * SYNC_TRANSPORT (SPEC.md SY70): `node` is the ws adapter; `uws` requires the native
 * uWebSockets.js build and refuses to start without it; `auto` takes uWS when the native
 * build loads on this Node and glibc, otherwise ws — and says why.
 */
export function chooseTransport(setting: 'auto' | 'uws' | 'node'): TransportChoice {
  if (setting === 'node') return { name: 'node', why: 'SYNC_TRANSPORT=node' };
  const loaded = loadNativeUws();
  if (loaded.ok) return { name: 'uws', uws: loaded.uws, binary: loaded.binary };
  if (setting === 'uws') throw new ConfigError(`Invalid configuration: SYNC_TRANSPORT is uws but uWebSockets.js cannot run here (${loaded.reason})`);
  return { name: 'node', why: `uWebSockets.js unavailable: ${loaded.reason}` };
}
