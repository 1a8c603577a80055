import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
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
      inputs: [{ path: 'sine=frequency=440:duration=3', options: ['-f', 'lavfi'] }],
      outputOptions: ['-c:a', 'aac', '-f', 'mp4'],
      output,
      expected: { durationUs: 3_000_000 },
      onProgress: (fraction) => seen.push(fraction),
    });
    expect((await stat(output)).size).toBeGreaterThan(1000);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (seen[i - 1] ?? 0)))).toBe(true);
    expect(seen.at(-1)).toBeGreaterThan(0.9);
    expect((await probeMedia({ binaries, path: output })).audio[0]?.codec).toBe('aac');
  });

  it('fails with FfmpegError carrying the useful end of stderr', async () => {
    const error = await runFfmpeg({ binaries, inputs: [{ path: join(dir, 'missing.mp4'), options: [] }], outputOptions: ['-f', 'mp4'], output: join(dir, 'x.mp4') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as FfmpegError).exitCode).toBe(1);
    expect((error as FfmpegError).stderrTail).toMatch(/No such file or directory/);
    expect((error as FfmpegError).message).toMatch(/^ffmpeg failed \(exit 1\): .*No such file or directory/);
  });

  it('keeps a filter graph with spaces and commas as one argument', async () => {
    const output = join(dir, 'still.png');
    await runFfmpeg({
      binaries,
      inputs: [{ path: 'color=c=blue:size=64x48', options: ['-f', 'lavfi'] }],
      outputOptions: ['-vf', 'drawbox=x=0:y=0:w=8:h=8:color=red:t=fill, scale=32:24', '-frames:v', '1', '-f', 'image2', '-update', '1'],
      output,
    });
    expect((await probeMedia({ binaries, path: output })).video[0]).toMatchObject({ width: 32, height: 24 });
  });

  it('stops ffmpeg when the job is aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = runFfmpeg({
      binaries,
      inputs: [{ path: 'testsrc2=size=1280x720:rate=30:duration=600', options: ['-f', 'lavfi', '-re'] }],
      outputOptions: ['-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'mp4'],
      output: join(dir, 'long.mp4'),
      expected: { durationUs: 600_000_000 },
      onProgress: () => controller.abort(),
      signal: controller.signal,
    });
    await expect(running).rejects.toBeInstanceOf(FfmpegAbortedError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('streams the output into a Writable, every byte, and resolves after it finished', async () => {
    let bytes = 0;
    let finished = false;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback();
      },
      final(callback) {
        finished = true;
        callback();
      },
    });
    await runFfmpeg({
      binaries,
      inputs: [{ path: 'sine=frequency=440:sample_rate=8000:duration=2', options: ['-f', 'lavfi'] }],
      outputOptions: ['-ac', '1', '-c:a', 'pcm_f32le', '-f', 'f32le'],
      output: sink,
    });
    expect(finished).toBe(true);
    expect(bytes).toBe(2 * 8000 * 4);
  });

  it('stops ffmpeg at the timeout with a clear error', async () => {
    const error = await runFfmpeg({
      binaries,
      inputs: [{ path: 'sine=duration=600', options: ['-f', 'lavfi', '-re'] }],
      outputOptions: ['-f', 'null'],
      output: '-',
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as FfmpegError).message).toMatch(/took longer than 0 s and was stopped/);
  });

  it('does not start ffmpeg for a job aborted before it started', async () => {
    const controller = new AbortController();
    const running = runFfmpeg({
      binaries,
      inputs: [{ path: 'sine=duration=600', options: ['-f', 'lavfi', '-re'] }],
      outputOptions: ['-f', 'null'],
      output: '-',
      signal: controller.signal,
    });
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(FfmpegAbortedError);
  });

  it('runs a command without inputs (a render of generated sources only: colours, text)', async () => {
    const output = join(dir, 'generated.wav');
    await runFfmpeg({ binaries, inputs: [], outputOptions: ['-filter_complex', 'sine=duration=0.5[a]', '-map', '[a]', '-f', 'wav'], output });
    expect((await probeMedia({ binaries, path: output })).audio[0]?.codec).toBe('pcm_s16le');
  });

  it('shows the command line it runs', () => {
    const inputs = [
      { path: 'in.mov', options: ['-ss', '1'] },
      { path: 'music.mp3', options: [] },
    ];
    expect(commandLine({ inputs, outputOptions: ['-f', 'mp4'], output: 'out.mp4' }).join(' ')).toBe(
      '-ss 1 -i in.mov -i music.mp3 -y -hide_banner -nostdin -loglevel warning -stats -f mp4 out.mp4',
    );
    expect(commandLine({ inputs, outputOptions: ['-f', 'mp4'], output: 'pipe:1' }).join(' ')).toBe('-ss 1 -i in.mov -i music.mp3 -hide_banner -nostdin -loglevel warning -stats -f mp4 pipe:1');
  });
});
