// compile(): a pinned timeline snapshot + the local paths of its media + a preset + a range
// of frames → FFmpeg inputs, ONE filter graph and output options. Pure: no I/O; the files
// the graph reads (one text file per line of text) come back in `files` for the caller to
// write before running FFmpeg.
//
// Design (every trick works on the npm-bundled 2018 FFmpeg, which has no xfade):
// - Timestamps are frames. Every video stream reaches the compositor with time base
//   den/num and pts = absolute timeline frame index, so the canvas, the layers and the fade
//   filters all agree on which frame is which without rounding times.
// - One canvas (the project background, at the preset's fitted size) and one `overlay` per
//   layer, bottom to top, in the order of visual-plan.ts. A layer stream exists only for the
//   frames the layer is on screen; overlay's eof_action=pass shows the canvas outside them.
// - Opacity is a chain of `fade=…:alpha=1` filters (visual-plan.ts explains why that is
//   exactly evaluate()). Wipes reveal with a moving crop of a padded copy; dips overlay a
//   black layer with two ramps.
// - A preset of another aspect gets the whole composition fitted inside it and padded
//   (letterbox/pillarbox), never stretched.

import type { Preset } from '@cutline/shared/renders';
import type { Rational, TimelineSnapshot } from '@cutline/timeline';
import { audioChains, planAudio, type AudioPiece } from './audio-graph.ts';
import { audioEncoderArgs, containerArgs, outputSampleRate, videoEncoderArgs, type OutputKind } from './encode.ts';
import { ffColor, filterValue, opaqueColor } from './filters.ts';
import { formatNumber, frameUs, seconds, type FrameRange } from './frames.ts';
import { placeLayer as layoutPlacement, placeMedia } from '@cutline/timeline/layout';
import { encodePlacement, even, fitInside, type Placement, type Size } from './geometry.ts';
import { layoutText, type TextMetrics } from './text-layout.ts';
import { planVisualLayers, type LayerPlan } from './visual-plan.ts';

export type CompileAsset = {
  /** Local path FFmpeg reads (the original, never the proxy). */
  readonly path: string;
  /** Shown size (square pixels, rotation applied), as ingest probed it. */
  readonly width: number | null;
  readonly height: number | null;
};

export type FontProvider = {
  file(family: string): string;
  metrics(family: string): TextMetrics;
};

export type CompileInput = {
  snapshot: TimelineSnapshot;
  assets: ReadonlyMap<string, CompileAsset>;
  preset: Preset;
  /** Absolute timeline frames [start, end) to render. */
  range: FrameRange;
  fonts: FontProvider;
  /** Where the caller will write `files` (text for drawtext). */
  workDir: string;
  /** `final`: the whole file; `video-chunk`/`audio-part`: the pieces of a chunked render. */
  output?: OutputKind;
  /** FFmpeg threads for filters and encoder; null = FFmpeg's default (all cores). */
  threads?: number | null;
};

export type CompiledInput = { readonly path: string; readonly options: readonly string[] };

export type Compiled = {
  readonly inputs: readonly CompiledInput[];
  readonly filterGraph: string;
  readonly outputOptions: readonly string[];
  /** Files the graph reads; write them before running FFmpeg. */
  readonly files: readonly { path: string; contents: string }[];
  /** Output file extension (mp4, webm, gif, m4a). */
  readonly extension: string;
  readonly frames: number;
  readonly durationUs: number;
  readonly canvas: Size;
  readonly layers: readonly LayerPlan[];
  readonly audio: readonly AudioPiece[];
};

export class CompileError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CompileError';
    this.code = code;
  }
}

/**
 * A source frame counts as shown from 0.1 ms before its timestamp: timeline times are
 * rounded to whole µs (TL22) while source timestamps are exact, and without the tolerance
 * a frame that starts exactly on a timeline frame could lose to the previous one.
 */
const SOURCE_TOLERANCE_US = 100;

type Builder = {
  inputs: CompiledInput[];
  chains: string[];
  files: { path: string; contents: string }[];
  addInput(path: string, options: string[]): number;
};

function builder(): Builder {
  const b: Builder = {
    inputs: [],
    chains: [],
    files: [],
    addInput(path, options) {
      b.inputs.push({ path, options });
      return b.inputs.length - 1;
    },
  };
  return b;
}

type Context = {
  b: Builder;
  snapshot: TimelineSnapshot;
  fps: Rational;
  rate: string;
  canvas: Size;
  /** Canvas pixels per project pixel. */
  fit: number;
  assets: ReadonlyMap<string, CompileAsset>;
  fonts: FontProvider;
  workDir: string;
  threads: number | null;
};

export function compile(input: CompileInput): Compiled {
  const { snapshot, preset, range } = input;
  const output = input.output ?? 'final';
  const fps = snapshot.settings.fps;
  if (!(range.end > range.start) || range.start < 0) throw new CompileError('invalid_range', `empty frame range ${range.start}–${range.end}`);
  const startUs = frameUs(range.start, fps);
  const endUs = frameUs(range.end, fps);
  const frames = range.end - range.start;
  const withVideo = preset.video !== null && output !== 'audio-part';
  const withAudio = preset.audio !== null && output !== 'video-chunk';
  const b = builder();
  const outputOptions: string[] = [];
  const threads = input.threads ?? null;
  let canvas: Size = { width: 0, height: 0 };
  let layers: LayerPlan[] = [];
  let pieces: AudioPiece[] = [];

  if (withVideo && preset.video) {
    const project = { width: snapshot.settings.width, height: snapshot.settings.height };
    const fitted = fitInside(project, { width: preset.video.width, height: preset.video.height });
    canvas = { width: Math.min(preset.video.width, even(fitted.width)), height: Math.min(preset.video.height, even(fitted.height)) };
    const ctx: Context = {
      b,
      snapshot,
      fps,
      rate: `${fps.num}/${fps.den}`,
      canvas,
      fit: canvas.width / project.width,
      assets: input.assets,
      fonts: input.fonts,
      workDir: input.workDir,
      threads,
    };
    layers = planVisualLayers({ snapshot, range });
    let base = 'base0';
    b.chains.push(
      `color=c=${opaqueColor(snapshot.settings.background)}:s=${canvas.width}x${canvas.height}:r=${ctx.rate},trim=end_frame=1,` +
        `${RGB_TO_BT709},format=yuv420p,loop=loop=${frames - 1}:size=1:start=0,setpts=N+${range.start}[${base}]`,
    );
    layers.forEach((layer, i) => {
      const emitted = emitLayer(ctx, layer, `l${i}`);
      if (emitted === null) return;
      const next = `base${i + 1}`;
      b.chains.push(`[${base}][l${i}]overlay=x=${emitted.x}:y=${emitted.y}:eof_action=pass[${next}]`);
      base = next;
    });
    b.chains.push(`[${base}]${finishVideo(preset, canvas, fps)}[vout]`);
    const outFrames = preset.video.maxFps !== null && preset.video.maxFps * fps.den < fps.num ? Math.ceil((frames * preset.video.maxFps * fps.den) / fps.num) : frames;
    outputOptions.push('-map', '[vout]', ...videoEncoderArgs({ preset, fps, threads }), '-frames:v', String(outFrames));
  }

  if (withAudio && preset.audio) {
    const rate = snapshot.settings.sampleRate;
    pieces = planAudio({ snapshot, startUs, endUs });
    const outRate = outputSampleRate(preset, rate);
    b.chains.push(
      ...audioChains({
        pieces,
        rate,
        startUs,
        endUs,
        pathOf: (assetId) => assetPath(input.assets, assetId),
        addInput: (path, options) => b.addInput(path, [...threadOptions(threads), ...options]),
        output: 'amix',
      }),
    );
    // The mix is made at the project rate (TL1); only the encoder's own limits resample it.
    b.chains.push(`[amix]${outRate !== rate ? `aresample=${outRate},` : ''}aformat=sample_fmts=fltp:channel_layouts=stereo[aout]`);
    outputOptions.push('-map', '[aout]', ...audioEncoderArgs({ preset, rate: outRate }));
  }

  const container = containerArgs(preset, output);
  outputOptions.push(...(threads === null ? [] : ['-filter_complex_threads', String(threads)]), ...container.args);
  return {
    inputs: b.inputs,
    filterGraph: b.chains.join(';\n'),
    outputOptions,
    files: b.files,
    extension: container.extension,
    frames,
    durationUs: endUs - startUs,
    canvas,
    layers,
    audio: pieces,
  };
}

// Colours, text and images are RGB; the composition is BT.709 limited-range YUV (what HD
// cameras record and the outputs are tagged as). swscale's default matrix is BT.601.
const RGB_TO_BT709 = 'scale=out_color_matrix=bt709:out_range=tv';

function assetPath(assets: ReadonlyMap<string, CompileAsset>, assetId: string): string {
  const asset = assets.get(assetId);
  if (!asset) throw new CompileError('asset_missing', `asset ${assetId} has no media file`);
  return asset.path;
}

/** The asset's probed frame rate; 4 fps when unknown (a seek margin of half a second). */
function sourceFps(snapshot: TimelineSnapshot, assetId: string): number {
  const fps = snapshot.assets.find((a) => a.id === assetId)?.fps;
  return fps ? Math.max(1, fps.num / fps.den) : 4;
}

/** Decoder threads of an input: with `threads` set, decoding is held to it too. */
const threadOptions = (threads: number | null): string[] => (threads === null ? [] : ['-threads', String(threads)]);

function assetSize(assets: ReadonlyMap<string, CompileAsset>, assetId: string): Size {
  const asset = assets.get(assetId);
  if (!asset) throw new CompileError('asset_missing', `asset ${assetId} has no media file`);
  if (!asset.width || !asset.height) throw new CompileError('asset_not_ready', `asset ${assetId} has no known picture size (not processed yet)`);
  return { width: asset.width, height: asset.height };
}

function finishVideo(preset: Preset, canvas: Size, fps: Rational): string {
  const video = preset.video;
  if (!video) return 'null';
  const steps: string[] = [];
  if (canvas.width !== video.width || canvas.height !== video.height) {
    // Fit, never stretch: the composition keeps the project's aspect inside black bars.
    const x = 2 * Math.floor((video.width - canvas.width) / 4);
    const y = 2 * Math.floor((video.height - canvas.height) / 4);
    steps.push(`pad=w=${video.width}:h=${video.height}:x=${x}:y=${y}:color=black`);
  }
  // The output starts at 0, whatever frame the range starts at: FFmpeg's default CFR
  // sync for mp4 would otherwise fill the gap up to the first timestamp with copies of
  // the first frame (and -frames:v would cut the real ones).
  steps.push('setpts=PTS-STARTPTS', 'setsar=1');
  if (video.codec === 'gif') {
    if (video.maxFps !== null && video.maxFps * fps.den < fps.num) steps.push(`fps=fps=${video.maxFps}`);
    // One palette per frame (stats_mode=single + new=1): a whole-file palette would make
    // palettegen hold every frame in memory until the end.
    return `${steps.join(',')},split[g1][g2];[g1]palettegen=stats_mode=single[gp];[g2][gp]paletteuse=new=1`;
  }
  steps.push('format=yuv420p');
  return steps.join(',');
}

type Emitted = { x: string; y: string };

/** Appends the chain that makes layer `label`; returns where to overlay it, or null if off-canvas. */
function emitLayer(ctx: Context, layer: LayerPlan, label: string): Emitted | null {
  const { canvas, fps } = ctx;
  const count = layer.frames.end - layer.frames.start;
  const needsAlpha = layer.opacity < 1 || layer.ramps.length > 0 || layer.keyframes.length > 0 || layer.wipe !== null || layer.transform.rotation % 360 !== 0;
  const content = layer.content;
  const loop = [`loop=loop=${count - 1}:size=1:start=0`, `setpts=N+${layer.frames.start}`];
  let head: string;
  let placement: Placement | null;
  let perFrame: string[] = [];
  let position: { x: number; y: number };

  switch (content.kind) {
    case 'video': {
      const source = assetSize(ctx.assets, content.assetId);
      placement = encodePlacement({ canvas, source, placement: placeMedia({ content: source, frame: canvas, transform: layer.transform }) });
      if (!placement) return null;
      const firstUs = frameUs(layer.frames.start, fps);
      const lastUs = frameUs(layer.frames.end - 1, fps);
      const sourceFirst = Math.max(0, content.sourceIn + ((firstUs - content.startUs) / 1e6) * content.speed);
      const sourceLast = content.sourceIn + ((lastUs - content.startUs) / 1e6) * content.speed;
      // Seek two source frames early: input seeking drops frames before the seek point,
      // including the one still on screen at a mid-frame sourceIn. Not more: FFmpeg decodes
      // from the keyframe before the seek point, and seeking a second early would often
      // decode a whole extra GOP per input (per chunk, in a chunked render).
      const margin = Math.min(1, 2 / sourceFps(ctx.snapshot, content.assetId));
      const seekTo = Math.max(0, sourceFirst - margin);
      const input = ctx.b.addInput(assetPath(ctx.assets, content.assetId), [
        ...threadOptions(ctx.threads),
        ...(seekTo > 0 ? ['-ss', formatNumber(seekTo)] : []),
        '-t',
        formatNumber(sourceLast - seekTo + 2 * margin),
      ]);
      // Source frame timestamp → timeline µs (TL31 inverted), in AV_TIME_BASE so speed
      // arithmetic does not round to a coarse container time base. fps with round=up then
      // puts on timeline frame k the last source frame starting at or before F(k).
      const offset = (seekTo - content.sourceIn) * 1e6;
      head = [
        `[${input}:v:0]settb=AVTB`,
        `setpts=(PTS${signed(formatNumber(offset, 3))})/${formatNumber(content.speed)}${signed(formatNumber(content.startUs - SOURCE_TOLERANCE_US, 0))}`,
        `fps=fps=${ctx.rate}:round=up`,
        `trim=start_pts=${layer.frames.start}:end_pts=${layer.frames.end}`,
        ...cropAndScale(placement, source),
        needsAlpha ? 'format=yuva420p' : 'format=yuv420p',
        ...constantAlpha(layer, placement),
      ].join(',');
      // Overlay puts a 4:2:0 layer on even coordinates only: a video layer may land one
      // pixel off (re-padding every frame would cost a copy of each frame).
      position = { x: placement.x, y: placement.y };
      perFrame = fades(layer, fps);
      break;
    }
    case 'image': {
      const source = assetSize(ctx.assets, content.assetId);
      placement = encodePlacement({ canvas, source, placement: placeMedia({ content: source, frame: canvas, transform: layer.transform }) });
      if (!placement) return null;
      const input = ctx.b.addInput(assetPath(ctx.assets, content.assetId), threadOptions(ctx.threads));
      // Decode once (an animated image shows its first frame), build the layer once, then
      // repeat that frame: scaling and rotating per frame would be wasted work. settb, not
      // fps, puts the frame in the timeline's time base: FFmpeg 5+'s fps filter emits
      // nothing for a single frame followed by EOF (4.1 emitted it), and the picture
      // rendered as the layers below it.
      const built = finishStatic(layer, placement);
      head = [
        `[${input}:v:0]trim=end_frame=1`,
        'setpts=0',
        `settb=${fps.den}/${fps.num}`,
        ...cropAndScale(placement, source),
        'format=rgba',
        ...built.steps,
        ...loop,
      ].join(',');
      position = built;
      perFrame = fades(layer, fps);
      break;
    }
    case 'color': {
      const natural = { width: Math.max(1, Math.round(canvas.width * layer.transform.scale)), height: Math.max(1, Math.round(canvas.height * layer.transform.scale)) };
      // The colour source needs whole pixels: the frame-sized layer (TL70) at its scale, rounded.
      placement = encodePlacement({ canvas, source: natural, placement: layoutPlacement({ size: natural, frame: canvas, transform: { ...layer.transform, scale: 1 } }) });
      if (!placement) return null;
      const built = finishStatic(layer, placement);
      head = [`color=c=${ffColor(content.color)}:s=${placement.width}x${placement.height}:r=${ctx.rate}`, 'trim=end_frame=1', 'format=rgba', ...built.steps, ...loop].join(',');
      position = built;
      perFrame = fades(layer, fps);
      break;
    }
    case 'dip': {
      placement = { crop: null, width: canvas.width, height: canvas.height, rotation: 0, boxWidth: canvas.width, boxHeight: canvas.height, x: 0, y: 0 };
      position = { x: 0, y: 0 };
      head = [`color=c=black:s=${canvas.width}x${canvas.height}:r=${ctx.rate}`, 'trim=end_frame=1', 'format=yuva420p', ...loop].join(',');
      perFrame = fades(layer, fps);
      break;
    }
    case 'text': {
      const metrics = ctx.fonts.metrics(content.style.fontFamily);
      const text = layoutText({ text: content.text, style: content.style, scale: layer.transform.scale * ctx.fit, metrics });
      const source = { width: text.width, height: text.height };
      // Laid out at its scale already (TL72): placed unscaled, centred on (x, y) (TL71).
      placement = encodePlacement({ canvas, source, placement: layoutPlacement({ size: source, frame: canvas, transform: { ...layer.transform, scale: 1 } }) });
      if (!placement) return null;
      const transparent = `${ffColor(content.style.color).slice(0, 8)}00`;
      const canvasSteps: string[] = [];
      if (text.box && content.style.background) {
        const box = { x: Math.round(text.box.x), y: Math.round(text.box.y), w: Math.max(1, Math.round(text.box.width)), h: Math.max(1, Math.round(text.box.height)) };
        // drawbox on 4.1 ignores the alpha plane; a colour source padded with transparency
        // gives the box its own alpha.
        canvasSteps.push(
          `color=c=${ffColor(content.style.background.color)}:s=${box.w}x${box.h}:r=${ctx.rate}`,
          'trim=end_frame=1',
          'format=rgba',
          `pad=w=${text.width}:h=${text.height}:x=${box.x}:y=${box.y}:color=${transparent}`,
        );
      } else {
        // Transparent in the text's own colour: anti-aliased glyph edges then blend to the
        // text colour, not to black (dark fringes).
        canvasSteps.push(`color=c=${transparent}:s=${text.width}x${text.height}:r=${ctx.rate}`, 'trim=end_frame=1', 'format=rgba');
      }
      const font = filterValue(ctx.fonts.file(content.style.fontFamily));
      text.lines.forEach((line, i) => {
        if (line.text.trim() === '') return;
        const path = `${ctx.workDir}/${label}-line${i}.txt`;
        ctx.b.files.push({ path, contents: line.text });
        // textfile + expansion=none: the text is read from a file and drawn as is, so
        // quotes, colons, backslashes, %{…} and semicolons never reach a parser. A missing
        // glyph (emoji) draws the font's .notdef box.
        canvasSteps.push(
          `drawtext=fontfile=${font}:textfile=${filterValue(path)}:expansion=none:fontsize=${text.size}` +
            `:fontcolor=${ffColor(content.style.color)}:x=${formatNumber(line.x, 2)}:y=${formatNumber(line.baseline, 2)}-ascent`,
        );
      });
      const built = finishStatic(layer, placement);
      head = [...canvasSteps, ...cropAndScale(placement, source), 'format=rgba', ...built.steps, ...loop].join(',');
      position = built;
      perFrame = fades(layer, fps);
      break;
    }
  }

  const steps = [head, ...perFrame];
  let x = String(position.x);
  if (layer.wipe) {
    // TL33 wipe: the incoming layer is revealed left to right over `progress` of the frame
    // width. No xfade on 4.1, and crop's size is fixed per stream, so: pad the layer with
    // its own width of transparency on the left, and move a layer-sized crop window and
    // the overlay position in opposite directions; the content stays put while the
    // visible part grows. v is kept even: overlay rounds x to even for 4:2:0.
    const w = placement.boxWidth;
    const v = `2*floor(clip((t-${seconds(layer.wipe.beginUs)})/${seconds(layer.wipe.durationUs)}*${canvas.width}-(${position.x}),0,${w})/2)`;
    steps.push(`pad=w=2*iw:h=ih:x=iw:y=0:color=black@0`, `crop=w=iw/2:h=ih:x='${v}':y=0`);
    x = `'${position.x}-w+${v}'`;
  }
  ctx.b.chains.push(`${steps.join(',')}[${label}]`);
  return { x, y: String(position.y) };
}

const signed = (n: string): string => (n.startsWith('-') ? n : `+${n}`);

function cropAndScale(placement: Placement, source: Size): string[] {
  const steps: string[] = [];
  if (placement.crop) {
    // Crop in shown pixels: scale first to the probed (square-pixel) size, a no-op unless
    // the source is anamorphic.
    steps.push(`scale=${source.width}:${source.height}`);
    steps.push(`crop=w=${placement.crop.width}:h=${placement.crop.height}:x=${placement.crop.x}:y=${placement.crop.y}`);
  }
  steps.push(`scale=${placement.width}:${placement.height}`, 'setsar=1');
  return steps;
}

/**
 * The once-per-layer end of a static (RGBA) layer: constant opacity, rotation, then — still
 * in RGBA, where a pad can move by one pixel — a pixel of transparent margin for an odd
 * position (overlay places 4:2:0 layers on even coordinates), and the BT.709 conversion.
 */
function finishStatic(layer: LayerPlan, placement: Placement): { steps: string[]; x: number; y: number } {
  const steps = constantAlpha(layer, placement);
  const x = placement.x - mod2(placement.x);
  const y = placement.y - mod2(placement.y);
  if (x !== placement.x || y !== placement.y) {
    steps.push(`pad=w=iw+${placement.x - x}:h=ih+${placement.y - y}:x=${placement.x - x}:y=${placement.y - y}:color=black@0`);
  }
  steps.push(RGB_TO_BT709, 'format=yuva420p');
  return { steps, x, y };
}

const mod2 = (n: number): number => ((n % 2) + 2) % 2;

/** Per-layer constants: clip opacity and rotation. */
function constantAlpha(layer: LayerPlan, placement: Placement): string[] {
  const steps: string[] = [];
  if (layer.opacity < 1) steps.push(`lut=a=val*${formatNumber(layer.opacity)}`);
  if (placement.rotation !== 0) {
    // c=none leaves the corners transparent; the box is computed by encodePlacement.
    steps.push(`rotate=a=${formatNumber(placement.rotation, 9)}:ow=${placement.boxWidth}:oh=${placement.boxHeight}:c=none`);
  }
  return steps;
}

/** Fades, transition ramps and keyframes: per frame, from the frame timestamp. */
function fades(layer: LayerPlan, fps: Rational): string[] {
  const steps = layer.ramps
    .filter((r) => r.durationUs > 0)
    .map((r) => `fade=t=${r.type}:st=${seconds(r.startUs)}:d=${seconds(r.durationUs)}:alpha=1`);
  const frame = fps.den / fps.num;
  for (const kf of layer.keyframes) {
    // lut has timeline support: enabled for exactly this frame's timestamp.
    const from = formatNumber((kf.frame - 0.25) * frame, 6);
    const to = formatNumber((kf.frame + 0.25) * frame, 6);
    steps.push(`lut=a=val*${formatNumber(kf.factor)}:enable='between(t,${from},${to})'`);
  }
  return steps;
}
