import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { FfmpegBinaries } from './binaries.ts';
import { FfmpegAbortedError, FfmpegError } from './errors.ts';
import { parseProbe, type MediaProbe } from './probe.ts';

type Spawned = { stdout: string; stderr: string; code: number | null };

/** Runs ffprobe collecting stdout (bounded), or line by line through `onLine`. */
function ffprobe({
  binaries,
  args,
  signal,
  timeoutMs = 60_000,
  onLine,
}: {
  binaries: FfmpegBinaries;
  args: string[];
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
  onLine?: (line: string) => void;
}): Promise<Spawned> {
  if (signal?.aborted) return Promise.reject(new FfmpegAbortedError('ffprobe'));
  return new Promise((resolve, reject) => {
    const child = spawn(binaries.ffprobe, ['-hide_banner', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (onLine) createInterface({ input: child.stdout }).on('line', onLine);
    else child.stdout.on('data', (chunk: Buffer) => {
      // ffprobe's JSON for one file is small; a runaway output is cut rather than held.
      if (stdout.length < 16 * 1024 * 1024) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-64 * 1024);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(new FfmpegError({ tool: 'ffprobe', exitCode: null, stderr, message: `ffprobe could not start: ${error.message}` }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(new FfmpegAbortedError('ffprobe'));
      else if (timedOut) reject(new FfmpegError({ tool: 'ffprobe', exitCode: null, stderr, message: `ffprobe took longer than ${timeoutMs / 1000} s` }));
      else resolve({ stdout, stderr, code });
    });
  });
}

/** `ffprobe -show_format -show_streams -of json`, parsed. Throws FfmpegError if unreadable. */
export async function probeMedia({ binaries, path, signal }: { binaries: FfmpegBinaries; path: string; signal?: AbortSignal }): Promise<MediaProbe> {
  const result = await ffprobe({ binaries, signal, args: ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path] });
  if (result.code !== 0) throw new FfmpegError({ tool: 'ffprobe', exitCode: result.code, stderr: result.stderr });
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    throw new FfmpegError({ tool: 'ffprobe', exitCode: result.code, stderr: result.stderr, message: 'ffprobe printed no readable JSON' });
  }
  return parseProbe(json, result.stderr);
}

/**
 * Reads every packet header of one stream: the end of the last packet is the stream's
 * real duration. Needed for files whose header has none, like the WebM that browsers'
 * MediaRecorder writes (it cannot seek back to fill in Duration or Cues).
 */
export async function scanStream({
  binaries,
  path,
  streamIndex,
  signal,
}: {
  binaries: FfmpegBinaries;
  path: string;
  streamIndex: number;
  signal?: AbortSignal;
}): Promise<{ durationUs: number | null; packets: number }> {
  let endUs = 0;
  let startUs = Number.POSITIVE_INFINITY;
  let packets = 0;
  const result = await ffprobe({
    binaries,
    signal,
    timeoutMs: 10 * 60_000,
    args: ['-v', 'error', '-select_streams', String(streamIndex), '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', path],
    onLine: (line) => {
      const [pts, duration] = line.split(',');
      const start = Number(pts);
      if (pts === undefined || pts === '' || !Number.isFinite(start)) return;
      packets += 1;
      const length = Number(duration);
      startUs = Math.min(startUs, start * 1_000_000);
      endUs = Math.max(endUs, (start + (Number.isFinite(length) ? length : 0)) * 1_000_000);
    },
  });
  if (result.code !== 0) throw new FfmpegError({ tool: 'ffprobe', exitCode: result.code, stderr: result.stderr });
  if (packets === 0) return { durationUs: null, packets };
  // Durations count from the first timestamp (WebM streams may start at 7 ms, not 0).
  return { durationUs: Math.round(endUs - Math.max(0, Math.min(startUs, endUs))), packets };
}
