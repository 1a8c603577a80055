import { spawn } from 'node:child_process';
import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { testBinaries } from '../../tests/support/binaries.ts';
import { waitUntil } from '../../tests/support/wait.ts';
import { FfmpegNotFoundError } from './errors.ts';
import { checkFfmpegWatchdog, ffmpegWatchdog, watchdogScript } from './watchdog.ts';

/** Whether `pid` runs (a zombie has ended: only its parent has not reaped it yet). */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** Running processes of process group `pgid`. */
async function groupMembers(pgid: number): Promise<number[]> {
  const members: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields && fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
  }
  return members;
}

// Started the way fluent-ffmpeg starts its ffmpeg path (processor.js `_spawnFfmpeg`):
// default stdio, so stdin is a pipe only this process holds.
const start = (wrapper: string, args: string[]) => spawn(wrapper, args, { windowsHide: true });

describe.runIf(process.platform === 'linux')('the FFmpeg watchdog (the ffmpeg path fluent-ffmpeg runs)', () => {
  const binaries = testBinaries();
  const endless = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'sine=duration=600', '-f', 'null', '-'];

  it('runs ffmpeg itself under the pid it reports (so a kill reaches ffmpeg)', async () => {
    const child = start(await ffmpegWatchdog({ ffmpeg: binaries.ffmpeg }), endless);
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal)));
    const real = await realpath(binaries.ffmpeg);
    // The shell execs ffmpeg: the pid's program becomes the real binary.
    while ((await readlink(`/proc/${child.pid}/exe`).catch(() => '')) !== real) await new Promise((r) => setImmediate(r));
    // Its own process group (the watcher's kill takes exactly it), held by ffmpeg and the watcher.
    expect((await groupMembers(child.pid as number)).length).toBeGreaterThanOrEqual(2);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
  });

  it('leaves nothing running after ffmpeg ends: the watcher goes with the pipe', async () => {
    const child = start(await ffmpegWatchdog({ ffmpeg: binaries.ffmpeg }), ['-hide_banner', '-nostdin', '-f', 'lavfi', '-i', 'sine=duration=0.2', '-f', 'null', '-']);
    const pid = child.pid as number;
    expect(await new Promise((resolve) => child.once('close', (code) => resolve(code)))).toBe(0);
    // Node closed its end of the pipe at the exit; the watcher reacts at once.
    await waitUntil(async () => (await groupMembers(pid)).length === 0).catch(() => {});
    expect(await groupMembers(pid)).toEqual([]);
  });

  it('kills ffmpeg when the pipe from its parent closes, as when the worker dies', async () => {
    const child = start(await ffmpegWatchdog({ ffmpeg: binaries.ffmpeg }), endless);
    const pid = child.pid as number;
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal)));
    // What the kernel does to a killed worker's end of the pipe.
    child.stdin.destroy();
    expect(await exited).toBe('SIGKILL');
    expect(await running(pid)).toBe(false);
  });

  it('reports ffmpeg’s own exit code and output', async () => {
    const child = start(await ffmpegWatchdog({ ffmpeg: binaries.ffmpeg }), ['-hide_banner', '-nostdin', '-i', '/nonexistent.mp4']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('close', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/No such file or directory/);
  });

  it('answers fluent-ffmpeg’s capability queries (`-encoders`), so the real path is not an argument', async () => {
    const child = start(await ffmpegWatchdog({ ffmpeg: binaries.ffmpeg }), ['-hide_banner', '-encoders']);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise((resolve) => child.once('close', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(stdout).toMatch(/libx264/);
  });
});

describe.runIf(process.platform === 'linux')('checkFfmpegWatchdog (at worker start)', () => {
  it('passes for a working FFmpeg and says which binary fails otherwise', async () => {
    await expect(checkFfmpegWatchdog({ ffmpeg: testBinaries().ffmpeg })).resolves.toMatch(/ffmpeg$/);
    const error = await checkFfmpegWatchdog({ ffmpeg: '/bin/false' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    expect((error as Error).message).toMatch(/^FFmpeg \(\/bin\/false\) does not run through its watchdog/);
  });
});

describe('watchdogScript', () => {
  it('bakes in the real binary, quoted for the shell', () => {
    expect(watchdogScript("/opt/it's ffmpeg/bin/ffmpeg")).toContain(`real='/opt/it'\\''s ffmpeg/bin/ffmpeg'`);
  });
});
