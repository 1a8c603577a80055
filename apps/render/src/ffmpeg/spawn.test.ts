import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { testBinaries } from '../../tests/support/binaries.ts';
import { spawnWatched } from './spawn.ts';

/** Whether `pid` runs (a zombie has ended: only its parent has not reaped it yet). */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

describe.runIf(process.platform === 'linux')('spawnWatched', () => {
  const binaries = testBinaries();
  const endless = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'sine=duration=600', '-f', 'null', '-'];

  it('runs ffmpeg itself under the pid it reports (so a kill reaches ffmpeg)', async () => {
    const watched = spawnWatched({ binary: binaries.ffmpeg, args: endless });
    const exited = new Promise((resolve) => watched.child.once('exit', (code, signal) => resolve(signal)));
    await new Promise((resolve) => watched.child.once('spawn', resolve));
    watched.kill();
    expect(await exited).toBe('SIGKILL');
  });

  it('kills ffmpeg when the pipe from its parent closes, as when the worker dies', async () => {
    const watched = spawnWatched({ binary: binaries.ffmpeg, args: endless });
    const pid = watched.child.pid as number;
    const exited = new Promise((resolve) => watched.child.once('exit', (code, signal) => resolve(signal)));
    // What the kernel does to a killed worker's end of the pipe.
    watched.child.stdin?.destroy();
    expect(await exited).toBe('SIGKILL');
    expect(await running(pid)).toBe(false);
  });

  it('reports ffmpeg’s own exit code', async () => {
    const watched = spawnWatched({ binary: binaries.ffmpeg, args: ['-hide_banner', '-nostdin', '-i', '/nonexistent.mp4'] });
    const code = await new Promise((resolve) => watched.child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
  });
});
