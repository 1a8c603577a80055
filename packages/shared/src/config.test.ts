import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { ConfigError } from './errors.ts';

describe('config', () => {
  it('has one-machine defaults for every port', () => {
    const config = loadConfig({});
    expect([config.PORT, config.SYNC_PORT, config.RENDER_PORT, config.PGPORT]).toEqual([5173, 1234, 1235, 5433]);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.storageDir.endsWith('.cutline/storage')).toBe(true);
  });

  it('derives the public and internal URLs from the ports unless given', () => {
    const config = loadConfig({ PORT: '8080', SYNC_PORT: '9000' });
    expect([config.PUBLIC_URL, config.SYNC_PUBLIC_URL, config.SYNC_INTERNAL_URL]).toEqual([
      'http://localhost:8080',
      'ws://localhost:9000',
      'http://127.0.0.1:9000',
    ]);
    expect(loadConfig({ SYNC_PUBLIC_URL: 'wss://sync.example.com' }).SYNC_PUBLIC_URL).toBe('wss://sync.example.com');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', SYNC_PORT: '' }).SYNC_PORT).toBe(1234);
  });

  it.each([
    ['SYNC_PORT', 'abc'],
    ['SYNC_PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['SYNC_TRANSPORT', 'carrier-pigeon'],
    ['SYNC_SECRET', 'short'],
    ['REDIS_URL', 'localhost:6379'],
  ])('a wrong %s stops with one line naming it', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('never echoes secrets or URL passwords', () => {
    expect(() => loadConfig({ SYNC_SECRET: 'hunter2' })).toThrow(/\*\*\*/);
    expect(() => loadConfig({ SYNC_SECRET: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it('requires S3_ENDPOINT with S3_BUCKET', () => {
    expect(() => loadConfig({ S3_BUCKET: 'media' })).toThrow(/S3_ENDPOINT/);
  });
});
