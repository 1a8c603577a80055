import { epochOfTime, frameAt, frameTime, nextFrame, timeAtEpoch, type Clock } from './frame-clock.ts';
import { context2d, PreviewEngine, type AnyCanvas } from './preview-engine.ts';
import type { FromPreview, ToPreview } from './protocol.ts';

const nowEpoch = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type RenderRequest = Extract<ToPreview, { type: 'render' }>;
type StillRequest = Extract<ToPreview, { type: 'still' }>;

/**
 * The preview's message loop, the same in a worker and on the page.
 * - Seeks: render requests coalesce — while one frame is being produced only the newest
 *   request waits, so a fast scrub shows the latest position, not a backlog.
 * - Playback runs here, on the clock the page sends: frame k+1 is composed on a back
 *   canvas while frame k is on screen, and copied to the screen when it is due (so decode
 *   jitter up to a frame costs nothing); when it is late, the frames in between are skipped.
 */
export function createPreviewHost({ post, makeCanvas, fontSet }: { post: (message: FromPreview) => void; makeCanvas: (w: number, h: number) => AnyCanvas; fontSet: FontFaceSet | null }): (message: ToPreview) => void {
  const engine = new PreviewEngine({ makeCanvas });
  let canvas: AnyCanvas | null = null;
  let pending: RenderRequest | null = null;
  const stills: StillRequest[] = [];
  let running = false;
  let playback: { run: number; clock: Clock } | null = null;
  let back: AnyCanvas | null = null;
  // Decoders and their cached frames are shared, so one render at a time.
  let exclusive: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = exclusive.then(fn, fn);
    exclusive = next.catch(() => {});
    return next;
  };

  // One thing at a time: decoders and their cached frames are shared by the canvas and
  // the stills, so a still never races a frame for the same clip.
  const pump = async () => {
    if (running) return;
    running = true;
    try {
      while (canvas && (pending || stills.length > 0)) {
        const still = stills.shift();
        if (still) {
          await renderStill(still);
          continue;
        }
        const request = pending as RenderRequest;
        pending = null;
        const started = performance.now();
        const target = canvas;
        let decodeMs = 0;
        try {
          decodeMs = await serially(() => engine.render({ canvas: target, time: request.time, mode: request.mode }));
        } catch (error) {
          post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
        }
        post({ type: 'rendered', id: request.id, time: request.time, ms: performance.now() - started, decodeMs });
      }
    } finally {
      running = false;
    }
  };

  /** A still at full size on its own canvas, e.g. the project's 1920×1080 frame. */
  const renderStill = async ({ id, time, width, height }: StillRequest) => {
    try {
      const still = makeCanvas(width, height);
      await serially(() => engine.render({ canvas: still, time, mode: 'seek' }));
      const blob = 'convertToBlob' in still ? await still.convertToBlob({ type: 'image/png' }) : await new Promise<Blob | null>((resolve) => still.toBlob(resolve, 'image/png'));
      post({ type: 'still', id, blob, error: null });
    } catch (error) {
      post({ type: 'still', id, blob: null, error: error instanceof Error ? error.message : String(error) });
    }
  };

  const backCanvas = (width: number, height: number): AnyCanvas => {
    if (!back || back.width !== width || back.height !== height) back = makeCanvas(width, height);
    return back;
  };

  const play = async (run: number) => {
    const fps = engine.fps();
    if (!fps || !playback || playback.run !== run) return;
    let target = frameAt(timeAtEpoch(playback.clock, nowEpoch()), fps);
    let dropped = 0;
    while (canvas && playback?.run === run) {
      const { rate } = playback.clock;
      const started = performance.now();
      const buffer = backCanvas(canvas.width, canvas.height);
      const time = frameTime(target, fps);
      try {
        // Forward playback decodes sequentially; reverse and fast shuttle seek per frame.
        await serially(() => engine.render({ canvas: buffer, time, mode: rate === 1 ? 'play' : 'seek' }));
      } catch (error) {
        post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      }
      const ms = performance.now() - started;
      if (!canvas || playback?.run !== run) break;
      const wait = epochOfTime(playback.clock, time) - nowEpoch();
      if (wait > 1) await sleep(wait);
      if (!canvas || playback?.run !== run) break;
      const screen = context2d(canvas);
      screen.setTransform(1, 0, 0, 1, 0, 0);
      screen.globalAlpha = 1;
      screen.globalCompositeOperation = 'source-over';
      screen.drawImage(buffer, 0, 0);
      post({ type: 'presented', run, time, dropped, ms });
      const next = nextFrame({ presented: target, due: frameAt(timeAtEpoch(playback.clock, nowEpoch()), fps), rate });
      // At the start of the timeline in reverse there is nothing more to show.
      if (next.frame === target) await sleep(1000 / (fps.num / fps.den));
      target = next.frame;
      dropped = next.dropped;
    }
  };

  const loadFonts = async (fonts: { family: string; url: string }[]): Promise<string[]> => {
    const missing: string[] = [];
    await Promise.all(
      fonts.map(async ({ family, url }) => {
        try {
          const face = new FontFace(family, `url(${JSON.stringify(url)})`);
          await face.load();
          fontSet?.add(face);
        } catch {
          missing.push(family);
        }
      }),
    );
    return missing;
  };

  return (message) => {
    switch (message.type) {
      case 'init':
        canvas = message.canvas;
        void loadFonts(message.fonts).then((missingFonts) => {
          post({ type: 'ready', webCodecs: engine.webCodecs, missingFonts });
          void pump();
        });
        break;
      case 'snapshot':
        engine.setSnapshot(message.snapshot);
        break;
      case 'media':
        engine.setMedia(message.media);
        break;
      case 'resize':
        if (canvas && (canvas.width !== message.width || canvas.height !== message.height)) {
          canvas.width = message.width;
          canvas.height = message.height;
        }
        break;
      case 'render':
        pending = message;
        void pump();
        break;
      case 'still':
        stills.push(message);
        void pump();
        break;
      case 'play':
        playback = { run: message.run, clock: message.clock };
        void play(message.run);
        break;
      case 'clock':
        if (playback?.run === message.run) playback = { run: message.run, clock: message.clock };
        break;
      case 'stop':
        playback = null;
        break;
    }
  };
}
