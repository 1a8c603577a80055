import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkDir, removeStaleWorkDirs } from './work-dirs.ts';

describe('job temp dirs', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'cutline-workdirs-test-'));
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  it('removes the dirs of processes that are gone, and only those', async () => {
    const mine = await makeWorkDir({ parent, kind: 'render' });
    // A process that has ended: its pid is free, or taken by a later process (whose start
    // time is not 1 tick after boot).
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const stale = join(parent, `cutline-ingest-${gone.pid}-1-abcDEF`);
    await mkdir(stale);
    // Our own pid with another start time: a previous process that had the same pid.
    const reused = join(parent, `cutline-render-${process.pid}-1-abc123`);
    await mkdir(reused);
    await mkdir(join(parent, 'cutline-render-test-abc123')); // not ours by name
    const removed = await removeStaleWorkDirs({ parent });
    expect(removed.sort()).toEqual([stale, reused].map((path) => path.slice(parent.length + 1)).sort());
    expect((await readdir(parent)).sort()).toEqual(['cutline-render-test-abc123', mine.slice(parent.length + 1)].sort());
  });
});
