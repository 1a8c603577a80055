import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegAbortedError, FfmpegError } from './errors.ts';
import { probeMedia } from './probe-run.ts';
import { testBinaries } from '../../tests/support/binaries.ts';
import { commandLine, runFfmpeg } from './run.ts';

describe('runFfmpeg (real FFmpeg)', () => {
  const binaries = testBinaries();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutline-run-test-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs a plan and reports progress from 0 to 1', async () => {
    const seen: number[] = [];
    const output = join(dir, 'tone.m4a');
    await runFfmpeg({
      binaries,
      input: 'sine=frequency=440:duration=3',
      output,
      args: { inputOptions: ['-f', 'lavfi'], outputOptions: ['-c:a', 'aac', '-f', 'mp4'] },
      durationUs: 3_000_000,
      onProgress: (fraction) => seen.push(fraction),
    });
    expect((await stat(output)).size).toBeGreaterThan(1000);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (seen[i - 1] ?? 0)))).toBe(true);
    expect(seen.at(-1)).toBeGreaterThan(0.9);
    expect((await probeMedia({ binaries, path: output })).audio[0]?.codec).toBe('aac');
  });

  it('fails with FfmpegError carrying the useful end of stderr', async () => {
    const error = await runFfmpeg({ binaries, input: join(dir, 'missing.mp4'), output: join(dir, 'x.mp4'), args: { inputOptions: [], outputOptions: ['-f', 'mp4'] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as FfmpegError).exitCode).toBe(1);
    expect((error as FfmpegError).stderrTail).toMatch(/No such file or directory/);
    expect((error as FfmpegError).message).toMatch(/^ffmpeg failed \(exit 1\): .*No such file or directory/);
  });

  it('keeps a filter graph with spaces and commas as one argument', async () => {
    const output = join(dir, 'still.png');
    await runFfmpeg({
      binaries,
      input: 'color=c=blue:size=64x48',
      output,
      args: { inputOptions: ['-f', 'lavfi'], outputOptions: ['-vf', "drawbox=x=0:y=0:w=8:h=8:color=red:t=fill, scale=32:24", '-frames:v', '1', '-f', 'image2', '-update', '1'] },
    });
    expect((await probeMedia({ binaries, path: output })).video[0]).toMatchObject({ width: 32, height: 24 });
  });

  it('stops ffmpeg when the job is aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = runFfmpeg({
      binaries,
      input: 'testsrc2=size=1280x720:rate=30:duration=600',
      output: join(dir, 'long.mp4'),
      args: { inputOptions: ['-f', 'lavfi', '-re'], outputOptions: ['-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'mp4'] },
      durationUs: 600_000_000,
      onProgress: () => controller.abort(),
      signal: controller.signal,
    });
    await expect(running).rejects.toBeInstanceOf(FfmpegAbortedError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('shows the command line it runs', () => {
    expect(commandLine({ input: 'in.mov', output: 'out.mp4', args: { inputOptions: ['-ss', '1'], outputOptions: ['-f', 'mp4'] } })).toEqual([
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'warning',
      '-stats',
      '-ss',
      '1',
      '-i',
      'in.mov',
      '-f',
      'mp4',
      'out.mp4',
    ]);
  });
});
