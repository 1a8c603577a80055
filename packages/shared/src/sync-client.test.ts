import { describe, expect, it } from 'vitest';
import { freePort } from './testing.ts';
import { SyncEditError, createSyncEditClient } from './sync-client.ts';

describe('sync edit client', () => {
  it('refuses commands that cannot be serialized with 400, not 503 sync_unavailable (issue 12)', async () => {
    const editor = createSyncEditClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, secret: 'x'.repeat(32) });
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const error = await editor.apply({ documentName: 'project/p/timeline', origin: { source: 'api', userId: 'u' }, commands: [{ type: 'addTrack', deep }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncEditError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input' });
  });

  it('still reports an unreachable sync server as 503', async () => {
    const editor = createSyncEditClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, secret: 'x'.repeat(32) });
    await expect(editor.apply({ documentName: 'project/p/timeline', origin: { source: 'api', userId: 'u' }, commands: [] })).rejects.toMatchObject({ status: 503, code: 'sync_unavailable' });
  });
});
