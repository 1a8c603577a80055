import type { TimelineSnapshot } from '@cutline/timeline';
import { fontUrl } from '#lib/api/client.ts';
import { FONT_FAMILIES } from '@cutline/timeline';
import type { Clock } from './frame-clock.ts';
import type { MediaMap, RenderMode } from './preview-engine.ts';
import type { FromPreview, ToPreview } from './protocol.ts';
import { createPreviewHost } from './preview-host.ts';

export type PreviewStatus = { ready: boolean; webCodecs: boolean; missingFonts: string[]; offThread: boolean; lastError: string | null };

/**
 * The page's handle on the preview. Prefers a worker that owns the canvas
 * (`transferControlToOffscreen`); without OffscreenCanvas or module workers the same
 * code runs on the page. Paused, `render` draws one exact frame; playing, the worker
 * runs on the clock `play`/`syncClock` give it.
 */
export class PreviewClient {
  status: PreviewStatus = { ready: false, webCodecs: true, missingFonts: [], offThread: false, lastError: null };
  private readonly send: (message: ToPreview, transfer?: Transferable[]) => void;
  private readonly worker: Worker | null = null;
  private nextId = 1;
  private lastDrawnId = 0;
  private lastWorkerMs = 0;
  private lastDecodeMs = 0;
  private readonly renderWaiters = new Map<number, () => void>();
  private readonly stillWaiters = new Map<number, (value: Extract<FromPreview, { type: 'still' }>) => void>();
  private readonly listeners = new Set<(status: PreviewStatus) => void>();
  private readonly renderedListeners = new Set<(info: { time: number; ms: number }) => void>();
  private presentedListener: ((info: { time: number; dropped: number; ms: number }) => void) | null = null;
  private run = 0;

  constructor(canvas: HTMLCanvasElement) {
    const fonts = FONT_FAMILIES.map((family) => ({ family, url: new URL(fontUrl(family), location.href).href }));
    const receive = (message: FromPreview) => this.receive(message);
    const canTransfer = typeof OffscreenCanvas !== 'undefined' && typeof canvas.transferControlToOffscreen === 'function' && typeof Worker !== 'undefined';
    if (canTransfer) {
      try {
        const worker = new Worker(new URL('./preview.worker.ts', import.meta.url), { type: 'module', name: 'cutline-preview' });
        worker.addEventListener('message', (e: MessageEvent<FromPreview>) => receive(e.data));
        worker.addEventListener('error', (e) => receive({ type: 'error', message: e.message || 'the preview worker failed' }));
        this.worker = worker;
        this.send = (message, transfer = []) => worker.postMessage(message, transfer);
        const offscreen = canvas.transferControlToOffscreen();
        this.status = { ...this.status, offThread: true };
        this.send({ type: 'init', canvas: offscreen, fonts }, [offscreen]);
        return;
      } catch {
        // fall through to the page
      }
    }
    const host = createPreviewHost({
      post: (message) => queueMicrotask(() => receive(message)),
      makeCanvas: (w, h) => {
        if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
        const c = document.createElement('canvas');
        c.width = w;
        c.height = h;
        return c;
      },
      fontSet: document.fonts,
    });
    this.send = (message) => host(message);
    this.send({ type: 'init', canvas, fonts });
  }

  private receive(message: FromPreview): void {
    switch (message.type) {
      case 'ready':
        this.status = { ...this.status, ready: true, webCodecs: message.webCodecs, missingFonts: message.missingFonts };
        this.emitStatus();
        break;
      case 'rendered':
        this.lastDrawnId = message.id;
        this.lastWorkerMs = message.ms;
        this.lastDecodeMs = message.decodeMs;
        for (const l of this.renderedListeners) l({ time: message.time, ms: message.ms });
        // A coalesced render answers every earlier request too: their frame was superseded.
        for (const [id, resolve] of this.renderWaiters) {
          if (id <= message.id) {
            this.renderWaiters.delete(id);
            resolve();
          }
        }
        break;
      case 'presented':
        if (message.run === this.run) {
          performance.measure('cutline:preview-frame', { start: performance.now() - message.ms, end: performance.now(), detail: { mode: 'play', time: message.time, workerMs: message.ms } });
          this.presentedListener?.({ time: message.time, dropped: message.dropped, ms: message.ms });
        }
        break;
      case 'still':
        this.stillWaiters.get(message.id)?.(message);
        this.stillWaiters.delete(message.id);
        break;
      case 'error':
        this.status = { ...this.status, lastError: message.message };
        this.emitStatus();
        break;
    }
  }

  private emitStatus(): void {
    for (const l of this.listeners) l(this.status);
  }

  onStatus(listener: (status: PreviewStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  onRendered(listener: (info: { time: number; ms: number }) => void): () => void {
    this.renderedListeners.add(listener);
    return () => this.renderedListeners.delete(listener);
  }

  setSnapshot(snapshot: TimelineSnapshot): void {
    this.send({ type: 'snapshot', snapshot });
  }

  setMedia(media: MediaMap): void {
    this.send({ type: 'media', media });
  }

  resize(width: number, height: number): void {
    this.send({ type: 'resize', width, height });
  }

  /**
   * Draws the frame at `time`; resolves when it (or a newer frame) is on the canvas. Each
   * frame that is drawn (not superseded) leaves a User Timing measure
   * `cutline:preview-frame` from request to drawn, with `{mode, time}` as its detail —
   * what the DevTools performance panel and `npm run bench:preview` read.
   */
  render(time: number, mode: RenderMode): Promise<void> {
    const id = this.nextId++;
    const start = performance.now();
    const done = new Promise<void>((resolve) =>
      this.renderWaiters.set(id, () => {
        if (this.lastDrawnId === id) performance.measure('cutline:preview-frame', { start, end: performance.now(), detail: { mode, time, workerMs: this.lastWorkerMs, decodeMs: this.lastDecodeMs } });
        resolve();
      }),
    );
    this.send({ type: 'render', id, time, mode });
    return done;
  }

  /** Plays on `clock` in the worker; `onFrame` hears of every frame shown (and drops). */
  play(clock: Clock, onFrame: (info: { time: number; dropped: number; ms: number }) => void): void {
    this.run += 1;
    this.presentedListener = onFrame;
    this.send({ type: 'play', run: this.run, clock });
  }

  /** Keeps the worker's clock on the audio clock. */
  syncClock(clock: Clock): void {
    this.send({ type: 'clock', run: this.run, clock });
  }

  stopPlayback(): void {
    this.run += 1;
    this.presentedListener = null;
    this.send({ type: 'stop' });
  }

  /** The frame at `time` as a PNG of `width`×`height` (the project size for a true still). */
  async still(time: number, width: number, height: number): Promise<Blob> {
    const id = this.nextId++;
    const answer = new Promise<Extract<FromPreview, { type: 'still' }>>((resolve) => this.stillWaiters.set(id, resolve));
    this.send({ type: 'still', id, time, width, height });
    const message = await answer;
    if (!message.blob) throw new Error(message.error ?? 'could not make a still');
    return message.blob;
  }

  destroy(): void {
    this.worker?.terminate();
    this.listeners.clear();
    this.renderedListeners.clear();
    this.renderWaiters.clear();
    this.stillWaiters.clear();
  }
}
