import { evaluate, type Layer, type SnapshotTextStyle, type TimelineSnapshot } from '@cutline/timeline';
import type { VideoSample } from 'mediabunny';
import { layoutText, placeLayer, placeMedia, type Size, type TextMeasurer } from '@cutline/timeline/layout';
import { canvasMeasurer, cssFont, setNoKerning } from './canvas-text.ts';
import { cssColor, placementMatrix, unscaledMatrix, wipeRect, type Matrix } from './compose-math.ts';
import { AssetVideo } from './video-source.ts';

export type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
export type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;

/** Where each asset's proxy is; null while it is not ready (drawn as a placeholder). */
export type MediaMap = Record<string, { proxy: string | null; kind: 'video' | 'audio' | 'image' | null }>;

export type RenderMode = 'seek' | 'play';

type Drawable = { kind: 'sample'; sample: VideoSample; size: Size } | { kind: 'image'; image: ImageBitmap; size: Size } | { kind: 'missing'; size: Size };

/**
 * Draws `evaluate(snapshot, t)` — the same layers the FFmpeg render composes — onto a 2D
 * canvas: background, then layers bottom to top with their transform and opacity;
 * crossfade pairs as a weighted sum (TL33), wipes as a reveal, dips as the black layer
 * evaluate adds. Runs in a worker on an OffscreenCanvas where the browser allows it,
 * else on the page; it only needs a 2D context and a way to make scratch canvases.
 */
export class PreviewEngine {
  private snapshot: TimelineSnapshot | null = null;
  private media: MediaMap = {};
  private readonly videos = new Map<string, AssetVideo>();
  private readonly images = new Map<string, Promise<ImageBitmap | null>>();
  private readonly makeCanvas: (width: number, height: number) => AnyCanvas;
  private scratch: AnyCanvas | null = null;
  readonly webCodecs: boolean;

  constructor({ makeCanvas }: { makeCanvas: (width: number, height: number) => AnyCanvas }) {
    this.makeCanvas = makeCanvas;
    this.measurer = canvasMeasurer(context2d(makeCanvas(1, 1), { alpha: true }));
    this.webCodecs = typeof VideoDecoder !== 'undefined';
  }

  fps(): TimelineSnapshot['settings']['fps'] | null {
    return this.snapshot?.settings.fps ?? null;
  }

  setSnapshot(snapshot: TimelineSnapshot): void {
    this.snapshot = snapshot;
  }

  /** New asset states: decoders for assets whose proxy went away or appeared are reset. */
  setMedia(media: MediaMap): void {
    for (const [id, video] of this.videos) {
      if (media[id]?.proxy !== this.media[id]?.proxy) {
        video.dispose();
        this.videos.delete(id);
      }
    }
    for (const id of [...this.images.keys()]) if (media[id]?.proxy !== this.media[id]?.proxy) this.images.delete(id);
    this.media = media;
  }

  private video(assetId: string): AssetVideo | null {
    const url = this.media[assetId]?.proxy;
    if (!url || !this.webCodecs) return null;
    let video = this.videos.get(assetId);
    if (!video) {
      video = new AssetVideo(url);
      this.videos.set(assetId, video);
    }
    return video;
  }

  private image(assetId: string): Promise<ImageBitmap | null> {
    const url = this.media[assetId]?.proxy;
    if (!url) return Promise.resolve(null);
    let image = this.images.get(assetId);
    if (!image) {
      image = fetch(url, { credentials: 'same-origin' })
        .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`image ${r.status}`))))
        .then((blob) => createImageBitmap(blob))
        .catch(() => {
          this.images.delete(assetId);
          return null;
        });
      this.images.set(assetId, image);
    }
    return image;
  }

  private assetSize(assetId: string | null): Size {
    const a = this.snapshot?.assets.find((x) => x.id === assetId);
    const settings = this.snapshot?.settings;
    return { width: a?.width ?? settings?.width ?? 16, height: a?.height ?? settings?.height ?? 9 };
  }

  /** Decodes what the layers at `time` need (in parallel), then draws them in one go. */
  /** Draws the frame at `time`; returns how long decoding took (ms), for the timings. */
  async render({ canvas, time, mode }: { canvas: AnyCanvas; time: number; mode: RenderMode }): Promise<number> {
    const snap = this.snapshot;
    if (!snap) return 0;
    const frame = evaluate(snap, time);
    const started = performance.now();
    const drawables = await Promise.all(frame.layers.map((layer) => this.fetchLayer(layer, mode)));
    const decodeMs = performance.now() - started;
    this.releaseUnused(frame.layers);
    const ctx = context2d(canvas);
    this.draw({ ctx, canvas, background: frame.background, layers: frame.layers, drawables, settings: snap.settings });
    return decodeMs;
  }

  private async fetchLayer(layer: Layer, mode: RenderMode): Promise<Drawable | null> {
    if (layer.assetId === null) return null;
    const fallback: Drawable = { kind: 'missing', size: this.assetSize(layer.assetId) };
    if (layer.kind === 'image') {
      const image = await this.image(layer.assetId);
      return image ? { kind: 'image', image, size: { width: image.width, height: image.height } } : fallback;
    }
    if (layer.kind !== 'video' || layer.sourceTime === null) return null;
    const video = this.video(layer.assetId);
    if (!video) return fallback;
    try {
      const key = layer.clipId ?? layer.assetId;
      const sample = mode === 'play' ? await video.play(key, layer.sourceTime) : await video.seek(key, layer.sourceTime);
      if (!sample) return fallback;
      return { kind: 'sample', sample, size: video.size ?? { width: sample.displayWidth, height: sample.displayHeight } };
    } catch {
      // A proxy that cannot be read (missing, corrupt) shows as missing media, not a crash.
      return fallback;
    }
  }

  /** Stops decoders of clips no longer on screen, so memory follows what is visible. */
  private releaseUnused(layers: readonly Layer[]): void {
    const live = new Set(layers.map((l) => l.clipId ?? l.assetId ?? ''));
    for (const video of this.videos.values()) for (const key of video.keys()) if (!live.has(key)) video.release(key);
  }

  private draw({ ctx, canvas, background, layers, drawables, settings }: { ctx: Ctx2D; canvas: AnyCanvas; background: string; layers: readonly Layer[]; drawables: readonly (Drawable | null)[]; settings: TimelineSnapshot['settings'] }): void {
    const out: Size = { width: canvas.width, height: canvas.height };
    const k = out.width / settings.width;
    const frame: Size = { width: settings.width, height: settings.height };
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.globalCompositeOperation = 'source-over';
    ctx.clearRect(0, 0, out.width, out.height);
    ctx.fillStyle = cssColor(background);
    ctx.fillRect(0, 0, out.width, out.height);
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i] as Layer;
      const next = layers[i + 1];
      const pair = layer.transition?.kind === 'crossfade' && layer.transition.role === 'from' && next?.transition?.id === layer.transition.id;
      if (pair && next) {
        // Weighted sum αA·A + αB·B, then over what is below (TL33): additive on a clear canvas.
        const scratch = this.scratchCanvas(out);
        const sctx = context2d(scratch, { alpha: true });
        sctx.setTransform(1, 0, 0, 1, 0, 0);
        sctx.globalCompositeOperation = 'source-over';
        sctx.globalAlpha = 1;
        sctx.clearRect(0, 0, out.width, out.height);
        this.drawLayer(sctx, layer, drawables[i] ?? null, frame, k, out);
        sctx.globalCompositeOperation = 'lighter';
        this.drawLayer(sctx, next, drawables[i + 1] ?? null, frame, k, out);
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.globalAlpha = 1;
        ctx.globalCompositeOperation = 'source-over';
        ctx.drawImage(scratch, 0, 0);
        i += 1;
        continue;
      }
      ctx.globalCompositeOperation = 'source-over';
      this.drawLayer(ctx, layer, drawables[i] ?? null, frame, k, out);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.globalCompositeOperation = 'source-over';
  }

  private scratchCanvas(size: Size): AnyCanvas {
    if (!this.scratch || this.scratch.width !== size.width || this.scratch.height !== size.height) this.scratch = this.makeCanvas(size.width, size.height);
    return this.scratch;
  }

  private drawLayer(ctx: Ctx2D, layer: Layer, drawable: Drawable | null, frame: Size, k: number, out: Size): void {
    ctx.save();
    if (layer.transition?.kind === 'wipe' && layer.transition.role === 'to') {
      const r = wipeRect(layer.transition.progress, out);
      ctx.beginPath();
      ctx.rect(r.x, r.y, r.width, r.height);
      ctx.clip();
    }
    ctx.globalAlpha = Math.min(1, Math.max(0, layer.opacity));
    switch (layer.kind) {
      case 'color': {
        const placement = placeMedia({ content: frame, frame, transform: layer.transform });
        setMatrix(ctx, placementMatrix(placement, frame.width, frame.height, k));
        ctx.fillStyle = cssColor(layer.color ?? '#000000');
        ctx.fillRect(-frame.width / 2, -frame.height / 2, frame.width, frame.height);
        break;
      }
      case 'text':
        if (layer.text !== null && layer.style !== null) this.drawText(ctx, layer.text, layer.style, layer, frame, k);
        break;
      case 'video':
      case 'image': {
        if (!drawable) break;
        const placement = placeMedia({ content: drawable.size, frame, transform: layer.transform });
        const { width, height } = drawable.size;
        setMatrix(ctx, placementMatrix(placement, width, height, k));
        if (drawable.kind === 'sample') drawable.sample.draw(ctx, -width / 2, -height / 2, width, height);
        else if (drawable.kind === 'image') ctx.drawImage(drawable.image, -width / 2, -height / 2, width, height);
        else drawMissing(ctx, width, height);
        break;
      }
    }
    ctx.restore();
  }

  private readonly measurer: TextMeasurer;

  /**
   * Text is laid out in output pixels at a whole-pixel size (TL72), so a still at project
   * size draws glyphs at exactly the size FFmpeg's drawtext does; the block is placed
   * unscaled in the output frame, centred at (x, y) and rotated about its centre (TL71).
   */
  private drawText(ctx: Ctx2D, text: string, style: SnapshotTextStyle, layer: Layer, frame: Size, k: number): void {
    const block = layoutText({ text, style, scale: layer.transform.scale * k, measure: this.measurer });
    if (block.width <= 0 && !block.box) return;
    const placement = placeLayer({ size: block, frame, transform: { ...layer.transform, scale: 1 } });
    setMatrix(ctx, unscaledMatrix(placement, k));
    ctx.translate(-block.width / 2, -block.height / 2);
    if (block.box) {
      ctx.fillStyle = cssColor(block.box.color);
      ctx.fillRect(block.box.x, block.box.y, block.box.width, block.box.height);
    }
    ctx.font = cssFont(style.fontFamily, block.size);
    setNoKerning(ctx);
    ctx.textBaseline = 'alphabetic';
    ctx.textAlign = 'left';
    ctx.fillStyle = cssColor(style.color);
    for (const line of block.lines) if (line.text) ctx.fillText(line.text, line.x, line.baseline);
  }

  dispose(): void {
    for (const v of this.videos.values()) v.dispose();
    this.videos.clear();
    this.images.clear();
  }
}

function setMatrix(ctx: Ctx2D, m: Matrix): void {
  ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
}

/** Media that is not ready (or cannot be decoded here): a hatched placeholder, not a hole. */
function drawMissing(ctx: Ctx2D, width: number, height: number): void {
  ctx.fillStyle = '#2a2f3a';
  ctx.fillRect(-width / 2, -height / 2, width, height);
  ctx.beginPath();
  ctx.rect(-width / 2, -height / 2, width, height);
  ctx.clip();
  ctx.strokeStyle = '#4a5262';
  ctx.lineWidth = Math.max(width, height) / 100;
  ctx.beginPath();
  for (let x = -width; x < width; x += width / 8) {
    ctx.moveTo(x - width / 2, height / 2);
    ctx.lineTo(x + height - width / 2, -height / 2);
  }
  ctx.stroke();
}

/** The output canvas is opaque (like the rendered file); scratch canvases need alpha. */
export function context2d(canvas: AnyCanvas, { alpha = false }: { alpha?: boolean } = {}): Ctx2D {
  const ctx = canvas.getContext('2d', { alpha }) as Ctx2D | null;
  if (!ctx) throw new Error('2D canvas is not available');
  return ctx;
}
