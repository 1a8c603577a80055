import { ALL_FORMATS, Input, UrlSource, VideoSampleSink, type VideoSample } from 'mediabunny';

/**
 * Frames may sit a hair after the time that asks for them: the model rounds frame times
 * to whole µs (TL22) while a proxy's timestamps are exact multiples of 1/fps, so frame k
 * can be 0.3 µs "later" than the time computed for it. Looking 100 µs further (far less
 * than a frame at 240 fps, 4,166 µs) lands on the frame the time means.
 */
export const SOURCE_TIME_EPSILON = 1e-4;

/** A forward stream for playback: decodes ahead, hands out the frame for each time. */
type Stream = {
  iterator: AsyncGenerator<VideoSample, void, unknown>;
  current: VideoSample | null;
  next: VideoSample | null;
  done: boolean;
};

/**
 * Decoded frames of one asset's proxy (H.264 MP4 ≤ 720p, a keyframe every second), read
 * with HTTP range requests. Two ways in:
 * - `seek(key, t)`: the exact frame at t, decoding from the keyframe before it;
 * - `play(key, t)`: for monotonically advancing t, one decoder per `key` (a clip on the
 *   timeline) runs ahead so each call is a lookup, not a decode.
 * The returned sample stays owned by this object (valid until the next call for that
 * key, or `release`); callers draw it and forget it.
 */
export class AssetVideo {
  private readonly input: Input;
  private readonly sink: Promise<VideoSampleSink | null>;
  private readonly streams = new Map<string, Stream>();
  private readonly stills = new Map<string, VideoSample>();
  /** Natural display size of the frames, once known. */
  size: { width: number; height: number } | null = null;

  constructor(url: string) {
    const input = new Input({ formats: ALL_FORMATS, source: new UrlSource(url, { requestInit: { credentials: 'same-origin' } }) });
    this.input = input;
    this.sink = (async () => {
      const track = await input.getPrimaryVideoTrack();
      if (!track) return null;
      this.size = { width: track.displayWidth, height: track.displayHeight };
      return new VideoSampleSink(track);
    })();
  }

  async ready(): Promise<boolean> {
    return (await this.sink) !== null;
  }

  async seek(key: string, time: number): Promise<VideoSample | null> {
    this.stopStream(key);
    const t = Math.max(0, time) + SOURCE_TIME_EPSILON;
    const cached = this.stills.get(key);
    if (cached && cached.timestamp <= t && t < cached.timestamp + Math.max(cached.duration, 1e-3)) return cached;
    const sink = await this.sink;
    if (!sink) return null;
    const sample = await sink.getSample(t);
    // Re-read after the await: another call for this key may have stored a frame since.
    const previous = this.stills.get(key);
    if (previous && previous !== sample) previous.close();
    if (sample) this.stills.set(key, sample);
    else this.stills.delete(key);
    return sample;
  }

  async play(key: string, time: number): Promise<VideoSample | null> {
    const sink = await this.sink;
    if (!sink) return null;
    const t = Math.max(0, time) + SOURCE_TIME_EPSILON;
    let stream = this.streams.get(key);
    // A jump back, or more than two seconds ahead, is cheaper as a fresh start at a keyframe.
    if (stream && stream.current && (t < stream.current.timestamp || t > stream.current.timestamp + 2)) {
      this.stopStream(key);
      stream = undefined;
    }
    if (!stream) {
      stream = { iterator: sink.samples(t), current: null, next: null, done: false };
      this.streams.set(key, stream);
      const first = await stream.iterator.next();
      if (first.done) stream.done = true;
      else stream.current = first.value;
    }
    for (;;) {
      if (stream.next === null && !stream.done) {
        const r = await stream.iterator.next();
        if (r.done) stream.done = true;
        else stream.next = r.value;
      }
      if (stream.next && stream.next.timestamp <= t) {
        stream.current?.close();
        stream.current = stream.next;
        stream.next = null;
        continue;
      }
      return stream.current;
    }
  }

  private stopStream(key: string): void {
    const stream = this.streams.get(key);
    if (!stream) return;
    this.streams.delete(key);
    stream.current?.close();
    stream.next?.close();
    void stream.iterator.return(undefined).catch(() => {});
  }

  /** Forget what `key` holds (its clip left the screen). */
  release(key: string): void {
    this.stopStream(key);
    this.stills.get(key)?.close();
    this.stills.delete(key);
  }

  keys(): string[] {
    return [...new Set([...this.streams.keys(), ...this.stills.keys()])];
  }

  dispose(): void {
    for (const key of this.keys()) this.release(key);
    this.input.dispose();
  }
}
