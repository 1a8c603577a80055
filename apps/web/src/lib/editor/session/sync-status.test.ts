import { describe, expect, it } from 'vitest';
import { syncIndicator, type DocSyncFacts } from './sync-status.ts';

const clean: DocSyncFacts = { synced: true, unsynced: 0, authenticated: true, denied: null };

describe('sync indicator', () => {
  it('is Saved only when connected, synced and nothing is pending', () => {
    expect(syncIndicator({ online: true, socket: 'connected', everConnected: true, docs: [clean, clean] }).state).toBe('saved');
  });

  it('is Saving while the server has not acknowledged an update', () => {
    const s = syncIndicator({ online: true, socket: 'connected', everConnected: true, docs: [{ ...clean, unsynced: 2 }, clean] });
    expect(s).toMatchObject({ state: 'saving', label: 'Saving…', pending: 2 });
  });

  it('is Offline when the browser or the socket is down, and says edits are kept', () => {
    const s = syncIndicator({ online: false, socket: 'connected', everConnected: true, docs: [{ ...clean, unsynced: 1 }, clean] });
    expect(s).toMatchObject({ state: 'offline', label: 'Offline', pending: 1 });
    expect(s.detail).toMatch(/kept/);
    expect(syncIndicator({ online: true, socket: 'disconnected', everConnected: true, docs: [clean] }).state).toBe('offline');
  });

  it('is Connecting before the first connection', () => {
    expect(syncIndicator({ online: true, socket: 'connecting', everConnected: false, docs: [{ ...clean, synced: false }] }).state).toBe('connecting');
    // A failed first attempt: the server cannot be reached.
    expect(syncIndicator({ online: true, socket: 'disconnected', everConnected: false, docs: [{ ...clean, synced: false }] }).state).toBe('offline');
  });

  it('says when access is refused', () => {
    const s = syncIndicator({ online: true, socket: 'connected', everConnected: true, docs: [{ ...clean, denied: 'permission-revoked' }] });
    expect(s.state).toBe('denied');
    expect(s.detail).toMatch(/removed/);
  });
});
