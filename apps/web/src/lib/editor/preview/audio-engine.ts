import { ALL_FORMATS, AudioBufferSink, Input, UrlSource } from 'mediabunny';
import { audioPlan, type AudioSegment, type TimelineSnapshot } from '@cutline/timeline';
import { timeAtEpoch, type Clock } from './frame-clock.ts';
import { gainAutomation } from './gain-automation.ts';
import type { MediaMap } from './preview-engine.ts';

/** Decode no further ahead of the ear than this: memory stays flat on long timelines. */
const LOOKAHEAD_SECONDS = 2;
/** Time from pressing play to the first sample, for the first buffers to decode. */
const START_LATENCY_SECONDS = 0.12;

type AssetAudio = { input: Input; sink: Promise<AudioBufferSink | null> };

/**
 * Playback audio: `audioPlan(snapshot)` (TL35 — the same segments the render mixes), each
 * decoded from the asset's proxy with mediabunny and scheduled on one AudioContext with
 * its gain curve (volume × fades × transition ramps). The AudioContext's clock is the
 * master clock of playback: `now()` is the timeline time being heard, and the video
 * follows it. Shuttle rates other than 1× play silent on the same clock.
 */
export class AudioEngine {
  private ctx: AudioContext | null = null;
  private master: GainNode | null = null;
  private readonly assets = new Map<string, AssetAudio>();
  private media: MediaMap = {};
  private run: { id: number; anchorTime: number; anchorContextTime: number; rate: number; nodes: AudioScheduledSourceNode[]; gains: GainNode[] } | null = null;
  private runId = 0;

  setMedia(media: MediaMap): void {
    for (const [id, entry] of this.assets) {
      if (media[id]?.proxy !== this.media[id]?.proxy) {
        entry.input.dispose();
        this.assets.delete(id);
      }
    }
    this.media = media;
  }

  private context(): AudioContext {
    if (!this.ctx) {
      this.ctx = new AudioContext({ latencyHint: 'playback' });
      this.master = this.ctx.createGain();
      this.master.connect(this.ctx.destination);
    }
    return this.ctx;
  }

  private sink(assetId: string): Promise<AudioBufferSink | null> {
    const url = this.media[assetId]?.proxy;
    if (!url) return Promise.resolve(null);
    let entry = this.assets.get(assetId);
    if (!entry) {
      const input = new Input({ formats: ALL_FORMATS, source: new UrlSource(url, { requestInit: { credentials: 'same-origin' } }) });
      const sink = input
        .getPrimaryAudioTrack()
        .then((track) => (track ? new AudioBufferSink(track) : null))
        .catch(() => null);
      entry = { input, sink };
      this.assets.set(assetId, entry);
    }
    return entry.sink;
  }

  /** Starts the clock at timeline `from` and, at 1×, the sound. */
  async start({ snapshot, from, rate }: { snapshot: TimelineSnapshot; from: number; rate: number }): Promise<void> {
    this.stop();
    const ctx = this.context();
    if (ctx.state === 'suspended') await ctx.resume().catch(() => {});
    const id = ++this.runId;
    this.run = { id, anchorTime: from, anchorContextTime: ctx.currentTime + START_LATENCY_SECONDS, rate, nodes: [], gains: [] };
    if (rate !== 1) return;
    for (const segment of audioPlan(snapshot)) {
      if (segment.end <= from) continue;
      void this.playSegment(id, segment, from).catch(() => {
        // A proxy that cannot be decoded stays silent; the picture keeps playing.
      });
    }
  }

  private live(id: number): boolean {
    return this.run?.id === id;
  }

  private async playSegment(id: number, segment: AudioSegment, from: number): Promise<void> {
    const sink = await this.sink(segment.assetId);
    const run = this.run;
    const ctx = this.ctx;
    if (!sink || !run || !ctx || !this.master || !this.live(id)) return;
    const toContext = (t: number) => run.anchorContextTime + (t - run.anchorTime);
    const start = Math.max(from, segment.start);
    const gain = ctx.createGain();
    gain.connect(this.master);
    run.gains.push(gain);
    const points = gainAutomation({ segment, from: start, to: segment.end });
    const first = points[0];
    if (first) gain.gain.setValueAtTime(first.gain, toContext(first.time));
    for (const p of points.slice(1)) gain.gain.linearRampToValueAtTime(p.gain, toContext(p.time));

    const sourceFrom = segment.sourceIn + (start - segment.start) * segment.speed;
    for await (const wrapped of sink.buffers(sourceFrom, segment.sourceOut)) {
      if (!this.live(id)) return;
      const { buffer, timestamp } = wrapped;
      // Cut the buffer to the segment's source range, then place it on the timeline.
      const skip = Math.max(0, sourceFrom - timestamp);
      const usable = Math.min(buffer.duration, segment.sourceOut - timestamp) - skip;
      if (usable <= 0) continue;
      const timelineAt = segment.start + (timestamp + skip - segment.sourceIn) / segment.speed;
      let when = toContext(timelineAt);
      let offset = skip;
      let length = usable;
      const late = ctx.currentTime - when;
      if (late > 0) {
        // Decoding fell behind: play the rest of this buffer from where the ear is now.
        offset += late * segment.speed;
        length -= late * segment.speed;
        when = ctx.currentTime;
        if (length <= 0) continue;
      }
      const node = new AudioBufferSourceNode(ctx, { buffer, playbackRate: segment.speed });
      node.connect(gain);
      node.start(when, offset, length);
      run.nodes.push(node);
      node.addEventListener('ended', () => {
        const i = run.nodes.indexOf(node);
        if (i >= 0) run.nodes.splice(i, 1);
      });
      // Back-pressure: wait until this buffer is near before decoding the next.
      while (this.live(id) && when - ctx.currentTime > LOOKAHEAD_SECONDS) await sleep(100);
    }
  }

  /**
   * The master clock as wall-clock time: when the sound of timeline `anchorTime` reaches
   * the speakers. `getOutputTimestamp` pairs the context time being heard with
   * `performance.now()`, output latency included; without it (no output device) the
   * context's current time and its reported latency stand in.
   */
  clock(): Clock | null {
    const run = this.run;
    const ctx = this.ctx;
    if (!run || !ctx) return null;
    const stamp = typeof ctx.getOutputTimestamp === 'function' ? ctx.getOutputTimestamp() : null;
    let anchorEpoch: number;
    if (stamp && stamp.performanceTime && stamp.contextTime !== undefined && stamp.performanceTime > 0) {
      anchorEpoch = performance.timeOrigin + stamp.performanceTime + (run.anchorContextTime - stamp.contextTime) * 1000;
    } else {
      const latency = run.rate === 1 ? ctx.outputLatency || ctx.baseLatency || 0 : 0;
      anchorEpoch = performance.timeOrigin + performance.now() + (run.anchorContextTime - ctx.currentTime + latency) * 1000;
    }
    return { anchorTime: run.anchorTime, anchorEpoch, rate: run.rate };
  }

  /** The timeline time being heard now, or null when stopped. */
  now(): number | null {
    const clock = this.clock();
    return clock ? timeAtEpoch(clock, performance.timeOrigin + performance.now()) : null;
  }

  stop(): void {
    const run = this.run;
    this.run = null;
    if (!run) return;
    for (const node of run.nodes) {
      try {
        node.stop();
      } catch {
        // not started yet
      }
      node.disconnect();
    }
    for (const g of run.gains) g.disconnect();
  }

  dispose(): void {
    this.stop();
    for (const entry of this.assets.values()) entry.input.dispose();
    this.assets.clear();
    void this.ctx?.close().catch(() => {});
    this.ctx = null;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
