// Render farm bench (issue 6). Renders a reference 60 s 1080p timeline — 3 video tracks
// (crossfaded main clips, picture-in-picture, a logo), a text track and 2 audio tracks —
// through Cutline (createRender → Graphile → a worker process → storage), and, in the same
// run, the same edit as ONE hand-written FFmpeg command with the same encoder settings.
// Then the chunked render with 1 and with 2 single-threaded worker processes.
// Prints one final line: RESULT {"cutlineSec","ffmpegSec","ratio","realtimeFactor","chunked2Sec","chunked2Speedup", …}.
// Targets: ratio ≤ 1.15 (our overhead over raw FFmpeg), chunked2Speedup ≥ 1.7 — which needs
// two free cores: machineParallelSpeedup says how many this run had.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { loadConfig } from '@cutline/shared/config';
import { subscribeProjectEvents } from '@cutline/shared/events';
import { fontFile } from '@cutline/shared/fonts';
import { createRender, PRESETS } from '@cutline/shared/renders';
import { createLocalStorage } from '@cutline/shared/storage';
import { createTestDatabase, startTestPostgres } from '@cutline/shared/testing';
import { applyCommands, createTimelineDoc, loadSnapshot, originFor, sequentialIds, snapshot, type TimelineCommand } from '@cutline/timeline';
import { audioEncoderArgs, filterValue, videoEncoderArgs } from '../src/compile/index.ts';
import { resolveFfmpegBinaries } from '../src/ffmpeg/index.ts';
import { migrateWorkerSchema } from '@cutline/shared/worker-schema';

const benchConfig = loadConfig();
const binaries = resolveFfmpegBinaries({ ffmpegPath: benchConfig.FFMPEG_PATH, ffprobePath: benchConfig.FFPROBE_PATH });
const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const PRESET = PRESETS['mp4-1080p'];
const FPS = { num: 30, den: 1 };
const DURATION = 60;

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binaries.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed (${code}): ${stderr.slice(-2000)}`))));
  });
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

const root = await mkdtemp(join(tmpdir(), 'cutline-render-bench-'));
const pg = await startTestPostgres();
const children: ChildProcess[] = [];
try {
  // --- media -----------------------------------------------------------------------------
  log('generating 1080p sources');
  const media = (name: string) => join(root, name);
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', '-g', '30'];
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30:duration=35', ...x264, media('main.mp4')]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30:duration=20,hue=h=120', ...x264, media('pip.mp4')]),
  ]);
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', 'color=c=0xffcc00:size=400x200,drawbox=x=20:y=20:w=360:h=160:color=0x202020:t=fill', '-frames:v', '1', media('logo.png')]),
    ffmpeg(['-f', 'lavfi', '-i', 'aevalsrc=0.3*sin(2*PI*220*t)+0.2*sin(2*PI*277*t)+0.2*sin(2*PI*330*t):s=48000:d=60', '-ac', '2', '-c:a', 'aac', '-b:a', '192k', media('music.m4a')]),
    ffmpeg(['-f', 'lavfi', '-i', 'aevalsrc=0.5*sin(2*PI*600*t)*lt(mod(t\\,1)\\,0.5):s=48000:d=10', '-ac', '2', '-c:a', 'aac', '-b:a', '128k', media('voice.m4a')]),
  ]);

  // How much two single-threaded FFmpeg processes gain over one on this machine right now
  // (2.0 = two free cores). The chunked speedup cannot beat it; on a shared machine it is
  // the number to read chunked2Speedup against.
  const calibrate = () =>
    ffmpeg(['-threads', '1', '-i', media('pip.mp4'), '-t', '8', '-map', '0:v', '-c:v', 'libx264', '-preset', 'veryfast', '-threads', '1', '-f', 'null', '-']);
  let started = performance.now();
  await calibrate();
  const oneSec = (performance.now() - started) / 1000;
  started = performance.now();
  await Promise.all([calibrate(), calibrate()]);
  const machineParallelSpeedup = (2 * oneSec) / ((performance.now() - started) / 1000);
  log(`two single-threaded FFmpeg processes run ${round(machineParallelSpeedup, 2)}× as fast as one here`);

  // --- database, storage, project ------------------------------------------------------------
  const db = await createTestDatabase({ serverUrl: pg.url });
  await migrateWorkerSchema({ databaseUrl: db.url });
  const storageDir = join(root, 'storage');
  const storage = createLocalStorage({ root: storageDir });
  const userId = 'benchuser';
  const projectId = 'benchproject';
  await db.sql`insert into users (id, email, name) values (${userId}, 'bench@example.test', 'Bench')`;
  await db.sql`insert into projects (id, owner_id, name) values (${projectId}, ${userId}, 'Bench')`;
  const assets = [
    { id: 'main', file: 'main.mp4', kind: 'video', width: 1920, height: 1080, durationUs: 35e6 },
    { id: 'pip', file: 'pip.mp4', kind: 'video', width: 1920, height: 1080, durationUs: 20e6 },
    { id: 'logo', file: 'logo.png', kind: 'image', width: 400, height: 200, durationUs: null },
    { id: 'music', file: 'music.m4a', kind: 'audio', width: null, height: null, durationUs: 60e6 },
    { id: 'voice', file: 'voice.m4a', kind: 'audio', width: null, height: null, durationUs: 10e6 },
  ];
  for (const a of assets) {
    const key = `assets/${a.id}/original`;
    await storage.put(key, { path: media(a.file) });
    await db.sql`
      insert into assets (id, project_id, uploaded_by, kind, state, original_name, content_hash, byte_size, original_key, width, height, duration_us, has_audio)
      values (${a.id}, ${projectId}, ${userId}, ${a.kind}, 'ready', ${a.file}, ${a.id}, 1, ${key}, ${a.width}, ${a.height}, ${a.durationUs}, ${a.kind === 'audio'})`;
  }

  // --- the reference timeline ------------------------------------------------------------------
  const doc = createTimelineDoc();
  const ids = sequentialIds('b');
  const run = (commands: TimelineCommand[]) => applyCommands(doc, commands, originFor('user', userId), { ids }) as Record<string, string>[];
  run([
    { type: 'setSettings', width: 1920, height: 1080, fps: FPS, background: '#000000', sampleRate: 48000 },
    { type: 'registerAsset', assetId: 'main', kind: 'video', duration: 35, width: 1920, height: 1080, fps: FPS, hasAudio: false },
    { type: 'registerAsset', assetId: 'pip', kind: 'video', duration: 20, width: 1920, height: 1080, fps: FPS, hasAudio: false },
    { type: 'registerAsset', assetId: 'logo', kind: 'image', width: 400, height: 200 },
    { type: 'registerAsset', assetId: 'music', kind: 'audio', duration: 60 },
    { type: 'registerAsset', assetId: 'voice', kind: 'audio', duration: 10 },
  ]);
  const track = (kind: 'video' | 'audio' | 'text') => String(run([{ type: 'addTrack', kind }])[0]?.trackId);
  const [v1, v2, v3, tx, a1, a2] = [track('video'), track('video'), track('video'), track('text'), track('audio'), track('audio')];
  const clip = (trackId: string, assetId: string, start: number, duration: number, sourceIn = 0) => String(run([{ type: 'addClip', trackId, assetId, start, duration, sourceIn }])[0]?.clipId);
  // V1: four clips of the main source, 1 s crossfades at 16, 32 and 48 s.
  const main = [clip(v1, 'main', 0, 16, 2), clip(v1, 'main', 16, 16, 4), clip(v1, 'main', 32, 16, 6), clip(v1, 'main', 48, 12, 8)];
  for (let i = 0; i < 3; i++) run([{ type: 'addTransition', fromClipId: main[i] as string, toClipId: main[i + 1] as string, kind: 'crossfade', duration: 1 }]);
  // V2: picture in picture, top right, twice.
  for (const start of [5, 35]) run([{ type: 'updateClip', clipId: clip(v2, 'pip', start, 20), x: 0.8, y: 0.2, scale: 0.3 }]);
  // V3: a logo over everything, 80 % opaque.
  run([{ type: 'updateClip', clipId: clip(v3, 'logo', 0, 60), x: 0.1, y: 0.1, scale: 0.15, opacity: 0.8 }]);
  // Text: a title, a lower third with a box, an end card.
  run([
    { type: 'addTextClip', trackId: tx, text: 'Cutline render bench', start: 0, duration: 5, style: { fontSize: 96 } },
    { type: 'addTextClip', trackId: tx, text: "Lower third: it's 10:30", start: 20, duration: 10, y: 0.85, style: { fontSize: 48, background: { color: '#000000b0', padding: 16 } } },
    { type: 'addTextClip', trackId: tx, text: 'The end', start: 55, duration: 5, style: { fontSize: 96 } },
  ]);
  // Audio: music under everything, a voice twice.
  run([{ type: 'updateClip', clipId: clip(a1, 'music', 0, 60), volume: 0.6, fadeIn: 1, fadeOut: 2 }]);
  clip(a2, 'voice', 10, 10);
  clip(a2, 'voice', 30, 10);
  const snap = snapshot(doc);
  if (snap.duration !== DURATION) throw new Error(`reference timeline is ${snap.duration} s`);

  // --- Cutline ---------------------------------------------------------------------------------
  const finished = new Map<string, (state: string) => void>();
  const unsubscribe = await subscribeProjectEvents(db.sql, (e) => {
    if (e.type === 'render.updated' && (e.state === 'succeeded' || e.state === 'failed' || e.state === 'cancelled')) finished.get(e.renderId)?.(e.state);
  });
  const startWorkers = async (count: number, options: object): Promise<ChildProcess[]> => {
    const started = await Promise.all(
      Array.from({ length: count }, () => {
        const child = spawn(process.execPath, [WORKER], {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, DATABASE_URL: db.url, STORAGE_DIR: storageDir, RENDER_CONCURRENCY: '1', BENCH_WORKDIR: root, BENCH_RENDER_OPTIONS: JSON.stringify(options) },
        });
        children.push(child);
        return new Promise<ChildProcess>((resolve, reject) => {
          child.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
          child.stdout?.on('data', (c: Buffer) => c.toString().includes('ready') && resolve(child));
        });
      }),
    );
    return started;
  };
  const stopWorkers = async (workers: ChildProcess[]) => {
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      w.removeAllListeners('exit');
      w.once('exit', () => resolve());
      w.kill('SIGTERM');
    })));
  };
  const renderThroughCutline = async (label: string): Promise<number> => {
    const started = performance.now();
    const render = await createRender({
      sql: db.sql,
      projectId,
      requestedBy: userId,
      preset: PRESET.name,
      pinnedState: Y.encodeStateAsUpdate(loadSnapshot(snap)),
      pinnedSnapshot: snap,
    });
    const state = await new Promise<string>((resolve) => finished.set(render.id, resolve));
    const seconds = (performance.now() - started) / 1000;
    const [row] = await db.sql<{ error: string | null; mode: string }[]>`select error, mode from renders where id = ${render.id}`;
    if (state !== 'succeeded') throw new Error(`${label}: render ${state}: ${row?.error}`);
    log(`${label}: ${round(seconds, 2)} s (${row?.mode})`);
    return seconds;
  };

  // --- the hand-written FFmpeg command ----------------------------------------------------------
  // The same edit written by hand, as a person would with FFmpeg 4.1 (no xfade): trimmed
  // inputs placed with setpts, the incoming clip of each crossfade faded in on alpha over
  // the outgoing one, overlays, drawtext with enable, and an audio mix.
  const font = filterValue(fontFile('Inter'));
  const titleFile = join(root, 'title.txt');
  const lowerFile = join(root, 'lower.txt');
  const endFile = join(root, 'end.txt');
  await writeFile(titleFile, 'Cutline render bench');
  await writeFile(lowerFile, "Lower third: it's 10:30");
  await writeFile(endFile, 'The end');
  const handGraph = [
    'color=c=black:s=1920x1080:r=30,trim=end_frame=1800[bg]',
    // main clips: [start, end) on the timeline incl. crossfade handles, source in at the start
    '[0:v]setpts=PTS-STARTPTS[m0]',
    '[1:v]setpts=PTS-STARTPTS+15.5/TB,format=yuva420p,fade=t=in:st=15.5:d=1:alpha=1[m1]',
    '[2:v]setpts=PTS-STARTPTS+31.5/TB,format=yuva420p,fade=t=in:st=31.5:d=1:alpha=1[m2]',
    '[3:v]setpts=PTS-STARTPTS+47.5/TB,format=yuva420p,fade=t=in:st=47.5:d=1:alpha=1[m3]',
    '[4:v]scale=576:324,setpts=PTS-STARTPTS+5/TB[p0]',
    '[5:v]scale=576:324,setpts=PTS-STARTPTS+35/TB[p1]',
    '[6:v]scale=288:144,format=rgba,colorchannelmixer=aa=0.8[logo]',
    '[bg][m0]overlay=eof_action=pass[c0]',
    '[c0][m1]overlay=eof_action=pass[c1]',
    '[c1][m2]overlay=eof_action=pass[c2]',
    '[c2][m3]overlay=eof_action=pass[c3]',
    '[c3][p0]overlay=x=1248:y=54:eof_action=pass[c4]',
    '[c4][p1]overlay=x=1248:y=54:eof_action=pass[c5]',
    '[c5][logo]overlay=x=48:y=36:eof_action=repeat[c6]',
    `[c6]drawtext=fontfile=${font}:textfile=${filterValue(titleFile)}:expansion=none:fontsize=96:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2:enable='lt(t,5)',` +
      `drawtext=fontfile=${font}:textfile=${filterValue(lowerFile)}:expansion=none:fontsize=48:fontcolor=white:box=1:boxcolor=0x000000b0:boxborderw=16:x=(w-text_w)/2:y=918-text_h/2:enable='between(t,20,30)',` +
      `drawtext=fontfile=${font}:textfile=${filterValue(endFile)}:expansion=none:fontsize=96:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2:enable='gte(t,55)',format=yuv420p[vout]`,
    '[7:a]volume=0.6,afade=t=in:d=1,afade=t=out:st=58:d=2[music]',
    '[8:a]adelay=10000|10000[voice0]',
    '[9:a]adelay=30000|30000[voice1]',
    '[music][voice0][voice1]amix=inputs=3:duration=first:dropout_transition=0,volume=3[aout]',
  ].join(';\n');
  const handScript = join(root, 'hand.txt');
  await writeFile(handScript, handGraph);
  const handArgs = [
    '-ss', '2', '-t', '16.5', '-i', media('main.mp4'),
    '-ss', '3.5', '-t', '17', '-i', media('main.mp4'),
    '-ss', '5.5', '-t', '17', '-i', media('main.mp4'),
    '-ss', '7.5', '-t', '12.5', '-i', media('main.mp4'),
    '-t', '20', '-i', media('pip.mp4'),
    '-t', '20', '-i', media('pip.mp4'),
    '-i', media('logo.png'),
    '-t', '60', '-i', media('music.m4a'),
    '-i', media('voice.m4a'),
    '-i', media('voice.m4a'),
    '-filter_complex_script', handScript,
    '-map', '[vout]', ...videoEncoderArgs({ preset: PRESET, fps: FPS, threads: null }), '-frames:v', '1800',
    '-map', '[aout]', ...audioEncoderArgs({ preset: PRESET, rate: 48000 }),
    '-f', 'mp4', '-movflags', '+faststart', join(root, 'hand.mp4'),
  ];
  // The machine is shared: alternate the two and keep each one's best of two runs, so a
  // burst of someone else's work does not decide the ratio.
  const runHand = async () => {
    const at = performance.now();
    await ffmpeg(handArgs);
    const seconds = (performance.now() - at) / 1000;
    log(`hand-written ffmpeg: ${round(seconds, 2)} s`);
    return seconds;
  };
  // Cutline as `npm start` runs it: one worker process, FFmpeg's own threading.
  let workers = await startWorkers(1, {});
  let ffmpegSec = Infinity;
  let cutlineSec = Infinity;
  for (let pass = 0; pass < 2; pass++) {
    ffmpegSec = Math.min(ffmpegSec, await runHand());
    cutlineSec = Math.min(cutlineSec, await renderThroughCutline('cutline, 1 worker'));
  }
  await stopWorkers(workers);

  // Chunked with single-threaded workers: 1 process, then 2.
  workers = await startWorkers(1, { threads: 1, minChunkedSeconds: 20, minSlotsToChunk: 1 });
  const chunked1Sec = await renderThroughCutline('chunked, 1 single-threaded worker');
  await stopWorkers(workers);
  workers = await startWorkers(2, { threads: 1, minChunkedSeconds: 20, minSlotsToChunk: 1 });
  const chunked2Sec = await renderThroughCutline('chunked, 2 single-threaded workers');
  await stopWorkers(workers);
  await unsubscribe();
  await db.drop();

  const result = {
    cutlineSec: round(cutlineSec, 2),
    ffmpegSec: round(ffmpegSec, 2),
    ratio: round(cutlineSec / ffmpegSec),
    realtimeFactor: round(DURATION / cutlineSec),
    chunked1Sec: round(chunked1Sec, 2),
    chunked2Sec: round(chunked2Sec, 2),
    chunked2Speedup: round(chunked1Sec / chunked2Sec),
    machineParallelSpeedup: round(machineParallelSpeedup),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
} finally {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await pg.stop();
  await rm(root, { recursive: true, force: true });
}
