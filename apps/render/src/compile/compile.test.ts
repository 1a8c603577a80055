import { fontFile, fontMetrics } from '@cutline/shared/fonts';
import { PRESETS } from '@cutline/shared/renders';
import { applyCommands, createTimelineDoc, originFor, sequentialIds, snapshot, type TimelineCommand, type TimelineSnapshot } from '@cutline/timeline';
import { describe, expect, it } from 'vitest';
import { atempoChain } from './audio-graph.ts';
import { compile, type CompileAsset } from './compile.ts';
import { filterValue } from './filters.ts';
import { placeLayer } from './geometry.ts';
import { planChunks } from './plan-chunks.ts';

// Paths are made stable so the snapshots do not depend on where the repo lives.
const fonts = { file: (family: string) => `/fonts/${family.replace(/ /g, '')}.ttf`, metrics: (family: string) => fontMetrics(family) };
const assets = new Map<string, CompileAsset>([
  ['cam', { path: '/media/cam.mp4', width: 1920, height: 1080 }],
  ['logo', { path: '/media/logo.png', width: 400, height: 200 }],
  ['music', { path: '/media/music.mp3', width: null, height: null }],
]);

function reference(): TimelineSnapshot {
  const doc = createTimelineDoc();
  const ids = sequentialIds('c');
  const origin = originFor('user', 'u');
  const run = (commands: TimelineCommand[]) => applyCommands(doc, commands, origin, { ids }) as Record<string, string>[];
  run([
    { type: 'setSettings', width: 1920, height: 1080, fps: { num: 30000, den: 1001 }, background: '#102030', sampleRate: 48000 },
    { type: 'registerAsset', assetId: 'cam', kind: 'video', duration: 120, width: 1920, height: 1080, fps: { num: 30000, den: 1001 }, hasAudio: true },
    { type: 'registerAsset', assetId: 'logo', kind: 'image', width: 400, height: 200 },
    { type: 'registerAsset', assetId: 'music', kind: 'audio', duration: 60 },
    { type: 'addTrack', kind: 'video' },
    { type: 'addTrack', kind: 'video' },
    { type: 'addTrack', kind: 'text' },
    { type: 'addTrack', kind: 'audio' },
  ]);
  const [v1, v2, tx, au] = snapshot(doc).tracks.map((t) => t.id) as [string, string, string, string];
  const [a] = run([{ type: 'addClip', trackId: v1, assetId: 'cam', start: 0, duration: 3, sourceIn: 10 }]);
  const [b] = run([{ type: 'addClip', trackId: v1, assetId: 'cam', start: 3, duration: 3, sourceIn: 40 }]);
  const [c] = run([{ type: 'addClip', trackId: v1, assetId: 'cam', start: 6, duration: 2, sourceIn: 70 }]);
  run([
    { type: 'addTransition', fromClipId: a?.clipId as string, toClipId: b?.clipId as string, kind: 'crossfade', duration: 1 },
    { type: 'addTransition', fromClipId: b?.clipId as string, toClipId: c?.clipId as string, kind: 'wipe', duration: 0.5 },
    { type: 'updateClip', clipId: c?.clipId as string, speed: 2 },
  ]);
  const [logo] = run([{ type: 'addClip', trackId: v2, assetId: 'logo', start: 1, duration: 4 }]);
  run([{ type: 'updateClip', clipId: logo?.clipId as string, x: 0.85, y: 0.15, scale: 0.3, rotation: -12, opacity: 0.8, fadeIn: 0.5 }]);
  run([{ type: 'addTextClip', trackId: tx, text: "Title: it's 100%\nsecond line", start: 0.5, duration: 5, style: { fontFamily: 'Noto Serif', fontSize: 80, align: 'right', background: { color: '#00000080', padding: 20 } } }]);
  const [m] = run([{ type: 'addClip', trackId: au, assetId: 'music', start: 0, duration: 8, sourceIn: 5 }]);
  run([{ type: 'updateClip', clipId: m?.clipId as string, volume: 0.5, fadeOut: 2 }]);
  return snapshot(doc);
}

describe('compile', () => {
  it('turns the reference timeline into one filter graph (snapshot)', () => {
    const snap = reference();
    const compiled = compile({ snapshot: snap, assets, preset: PRESETS['mp4-1080p'], range: { start: 0, end: 240 }, fonts, workDir: '/work' });
    expect(compiled.frames).toBe(240);
    expect(compiled.inputs).toMatchSnapshot();
    expect(compiled.filterGraph).toMatchSnapshot();
    expect(compiled.outputOptions).toMatchSnapshot();
    expect(compiled.files).toMatchSnapshot();
  });

  it('letterboxes a preset of another aspect (vertical) instead of stretching', () => {
    const compiled = compile({ snapshot: reference(), assets, preset: PRESETS['mp4-vertical'], range: { start: 0, end: 30 }, fonts, workDir: '/work' });
    expect(compiled.canvas).toEqual({ width: 1080, height: 608 });
    expect(compiled.filterGraph).toContain('pad=w=1080:h=1920:x=0:y=656:color=black');
  });

  it('renders chunks without audio and the audio part without video', () => {
    const snap = reference();
    const chunk = compile({ snapshot: snap, assets, preset: PRESETS['mp4-1080p'], range: { start: 60, end: 120 }, fonts, workDir: '/w', output: 'video-chunk', threads: 1 });
    expect(chunk.outputOptions).not.toContain('[aout]');
    expect(chunk.outputOptions.join(' ')).toContain('-threads 1');
    // Chunk frames keep absolute timeline numbers: the canvas starts at frame 60.
    expect(chunk.filterGraph).toContain('setpts=N+60[base0]');
    const audio = compile({ snapshot: snap, assets, preset: PRESETS['mp4-1080p'], range: { start: 0, end: 240 }, fonts, workDir: '/w', output: 'audio-part' });
    expect(audio.outputOptions).not.toContain('[vout]');
    expect(audio.extension).toBe('m4a');
    expect(audio.filterGraph).toMatchInlineSnapshot(`
      "[0:a:0]atrim=start=1:end=4.5035,asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,apad,atrim=end_sample=168168,asetpts=N+0,afade=t=out:st=2.5025:d=1.001:curve=tri,asetpts=PTS-STARTPTS,apad=whole_len=384384,atrim=end_sample=384384[a0];
      [1:a:0]atrim=start=1:end=4.75375,asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,apad,atrim=end_sample=180180,asetpts=N+120120,afade=t=in:st=2.5025:d=1.001:curve=tri,afade=t=out:st=5.75575:d=0.5005:curve=tri,asetpts=PTS-STARTPTS[a1p];
      anullsrc=r=48000:cl=stereo,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,atrim=end_sample=120120[a1s];
      [a1s][a1p]concat=n=2:v=0:a=1,apad=whole_len=384384,atrim=end_sample=384384[a1];
      [2:a:0]atrim=start=1:end=5.5045,asetpts=PTS-STARTPTS,atempo=2,aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,apad,atrim=end_sample=108108,asetpts=N+276276,afade=t=in:st=5.75575:d=0.5005:curve=tri,asetpts=PTS-STARTPTS[a2p];
      anullsrc=r=48000:cl=stereo,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,atrim=end_sample=276276[a2s];
      [a2s][a2p]concat=n=2:v=0:a=1,apad=whole_len=384384,atrim=end_sample=384384[a2];
      [3:a:0]atrim=start=1:end=9.008,asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,apad,atrim=end_sample=384384,asetpts=N+0,volume=0.5:precision=float,afade=t=out:st=6.006:d=2.002:curve=tri,asetpts=PTS-STARTPTS,apad=whole_len=384384,atrim=end_sample=384384[a3];
      [a0][a1][a2][a3]amix=inputs=4:duration=longest:dropout_transition=0,volume=4:precision=float[amix];
      [amix]aformat=sample_fmts=fltp:channel_layouts=stereo[aout]"
    `);
  });

  it('keeps any text out of the graph: the graph depends only on line count and widths', () => {
    // Roboto Mono: every glyph has the same advance, so same-length lines lay out the same.
    const withText = (text: string) => {
      const doc = createTimelineDoc();
      const run = (c: TimelineCommand[]) => applyCommands(doc, c, originFor('user', 'u'), { ids: sequentialIds('t') }) as Record<string, string>[];
      const [track] = run([{ type: 'addTrack', kind: 'text' }]);
      run([{ type: 'addTextClip', trackId: track?.trackId as string, text, start: 0, duration: 1, style: { fontFamily: 'Roboto Mono' } }]);
      return compile({ snapshot: snapshot(doc), assets, preset: PRESETS['mp4-720p'], range: { start: 0, end: 30 }, fonts, workDir: '/w' });
    };
    const text = "it's: a\\b %{pts} ;[x],\n'; drawtext=text=pwned:x=0\n%{localtime}\\n";
    const nasty = withText(text);
    const plain = withText(text.replace(/[^\n]/g, 'x'));
    expect(nasty.filterGraph).toBe(plain.filterGraph);
    expect(nasty.files.map((f) => f.contents)).toEqual(["it's: a\\b %{pts} ;[x],", "'; drawtext=text=pwned:x=0", '%{localtime}\\n']);
  });

  it('escapes paths for both levels of filter graph parsing', () => {
    expect(filterValue('/tmp/a b/c.ttf')).toBe("'/tmp/a b/c.ttf'");
    expect(filterValue("/x/it's:[1],;\\y")).toBe("'/x/it\\'\\''s\\:[1],;\\\\y'");
  });

  it('uses the bundled font files', () => {
    expect(fontFile('Inter')).toMatch(/Inter_400Regular\.ttf$/);
  });
});

describe('placeLayer', () => {
  const canvas = { width: 1920, height: 1080 };
  it('fits, centres and positions', () => {
    expect(placeLayer({ canvas, source: { width: 640, height: 480 }, natural: { width: 1440, height: 1080 }, x: 0.5, y: 0.5, scale: 1, rotation: 0 })).toEqual({
      crop: null, width: 1440, height: 1080, rotation: 0, boxWidth: 1440, boxHeight: 1080, x: 240, y: 0,
    });
    const p = placeLayer({ canvas, source: { width: 100, height: 100 }, natural: { width: 1080, height: 1080 }, x: 0.25, y: 0.75, scale: 0.5, rotation: 0 });
    expect(p).toMatchObject({ width: 540, height: 540, x: 210, y: 540 });
  });
  it('crops a huge layer to what can be on the canvas', () => {
    const p = placeLayer({ canvas, source: { width: 1920, height: 1080 }, natural: canvas, x: 0.5, y: 0.5, scale: 100, rotation: 0 });
    expect(p?.crop).not.toBeNull();
    expect(p && p.width).toBeLessThan(2 * canvas.width);
    expect(p && p.x).toBeLessThanOrEqual(0);
    expect(p && p.x + p.width).toBeGreaterThanOrEqual(canvas.width);
  });
  it('drops a layer that is entirely off the canvas', () => {
    expect(placeLayer({ canvas, source: { width: 100, height: 100 }, natural: { width: 1080, height: 1080 }, x: 5, y: 0.5, scale: 1, rotation: 0 })).toBeNull();
  });
  it('rotates about the centre with a bounding box', () => {
    const p = placeLayer({ canvas, source: { width: 100, height: 50 }, natural: { width: 400, height: 200 }, x: 0.5, y: 0.5, scale: 1, rotation: 90 });
    expect(p).toMatchObject({ boxWidth: 200, boxHeight: 400, x: 860, y: 340 });
  });
});

describe('planChunks', () => {
  const fps = { num: 30, den: 1 };
  it('renders short ranges in one piece and long ones in GOP-aligned chunks', () => {
    expect(planChunks({ range: { start: 0, end: 300 }, fps, gopFrames: 60 })).toEqual({ mode: 'single' });
    const plan = planChunks({ range: { start: 0, end: 1800 }, fps, gopFrames: 60 });
    expect(plan.mode).toBe('chunked');
    if (plan.mode !== 'chunked') return;
    expect(plan.chunks).toHaveLength(6);
    expect(plan.chunks.every((c) => (c.start - 0) % 60 === 0)).toBe(true);
    expect(plan.chunks.at(-1)?.end).toBe(1800);
    // contiguous, no gaps or overlaps
    plan.chunks.slice(1).forEach((c, i) => expect(c.start).toBe(plan.chunks[i]?.end));
  });
  it('folds a short tail into the last chunk and never chunks GIF/audio', () => {
    const plan = planChunks({ range: { start: 30, end: 30 + 1830 }, fps, gopFrames: 60 });
    expect(plan.mode === 'chunked' && plan.chunks.at(-1)).toEqual({ start: 1530, end: 1860 });
    expect(planChunks({ range: { start: 0, end: 9000 }, fps, gopFrames: 60, chunkable: false })).toEqual({ mode: 'single' });
  });
  it('works at 29.97 and 23.976 with frame-exact boundaries', () => {
    const plan = planChunks({ range: { start: 0, end: 1000 }, fps: { num: 24000, den: 1001 }, gopFrames: 48, chunkSeconds: 4, minChunkedSeconds: 8 });
    expect(plan.mode === 'chunked' && plan.chunks.map((c) => c.end - c.start)).toEqual([96, 96, 96, 96, 96, 96, 96, 96, 96, 136]);
  });
});

describe('atempoChain', () => {
  it('splits 0.25–4 into steps of 0.5–2', () => {
    expect(atempoChain(1)).toEqual([]);
    expect(atempoChain(2)).toEqual([2]);
    expect(atempoChain(4)).toEqual([2, 2]);
    expect(atempoChain(3)).toEqual([2, 1.5]);
    expect(atempoChain(0.25)).toEqual([0.5, 0.5]);
    expect(atempoChain(0.3)).toEqual([0.5, 0.6]);
  });
});
