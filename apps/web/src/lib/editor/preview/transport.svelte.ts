import type { TimelineSnapshot } from '@cutline/timeline';
import { AudioEngine } from './audio-engine.ts';
import { PlaybackStats, frameAt, frameTime, seekTime } from './frame-clock.ts';
import type { PreviewClient } from './preview-client.ts';
import type { MediaMap } from './preview-engine.ts';

/** J and L step through these rates; K stops (as in every NLE since Avid). */
const SHUTTLE = [1, 2, 4, 8] as const;

type Host = {
  snapshot: () => TimelineSnapshot;
  playhead: () => number;
  setPlayhead: (t: number) => void;
};

/** How often the preview worker's copy of the audio clock is refreshed. */
const CLOCK_SYNC_MS = 500;

/**
 * Playback: play/pause, J/K/L shuttle, seeking. Playing, the audio clock is the master:
 * the preview worker gets it as wall-clock time (refreshed twice a second) and shows each
 * frame when it is due, skipping frames rather than falling behind; every display
 * refresh moves the playhead to the time being heard. Paused, the preview shows the
 * exact frame containing the playhead.
 */
export class Transport {
  playing = $state(false);
  /** Signed shuttle rate; 0 when paused. */
  rate = $state(0);
  /** Measured while playing: frames presented per second and dropped percentage. */
  stats = $state.raw({ fps: 0, droppedPercent: 0 });

  private readonly host: Host;
  private readonly audio = new AudioEngine();
  private readonly playback = new PlaybackStats();
  private lastClockSync = 0;
  private preview: PreviewClient | null = null;
  private raf = 0;
  private playStarted = 0;

  constructor(host: Host) {
    this.host = host;
  }

  attachPreview(preview: PreviewClient | null): void {
    this.preview = preview;
    this.sent = null;
  }

  /** The timeline the preview was last given: every frame is asked for after its timeline. */
  private sent: TimelineSnapshot | null = null;

  /**
   * Gives the preview the current timeline if it has an older one. Whoever asks for a
   * frame first after an edit (the edit's own effect, a follow, a seek) must not get the
   * frame of the timeline before it.
   */
  pushSnapshot(): TimelineSnapshot {
    const snapshot = this.host.snapshot();
    if (this.preview && snapshot !== this.sent) {
      this.preview.setSnapshot(snapshot);
      this.sent = snapshot;
    }
    return snapshot;
  }

  setMedia(media: MediaMap): void {
    this.audio.setMedia(media);
  }

  private shown: { time: number; snapshot: TimelineSnapshot } | null = null;

  /**
   * Shows the exact frame at the playhead (paused). Several things ask at once after a
   * seek (the seek itself, the playhead effect); the same frame of the same timeline is
   * drawn once. `force` redraws anyway (new media, new canvas size).
   */
  showPlayhead({ force = false }: { force?: boolean } = {}): void {
    if (this.playing || !this.preview) return;
    const snapshot = this.pushSnapshot();
    const time = seekTime(this.host.playhead(), snapshot.settings.fps);
    if (!force && this.shown && this.shown.time === time && this.shown.snapshot === snapshot) return;
    this.shown = { time, snapshot };
    void this.preview.render(time, 'seek');
  }

  async play(rate = 1): Promise<void> {
    const snap = this.host.snapshot();
    let from = this.host.playhead();
    // Pressing play at the end starts over, like every player.
    if (rate > 0 && from >= snap.duration - 1e-6) from = 0;
    this.stopLoop();
    this.playing = true;
    this.shown = null;
    this.rate = rate;
    this.host.setPlayhead(from);
    this.playStarted = performance.now();
    this.playback.reset(this.playStarted);
    await this.audio.start({ snapshot: snap, from, rate });
    const clock = this.audio.clock();
    if (!this.playing || !clock) return;
    this.lastClockSync = performance.now();
    this.pushSnapshot();
    this.preview?.play(clock, ({ dropped }) => {
      this.playback.add({ presented: 1, dropped });
    });
    this.loop();
  }

  pause(): void {
    if (!this.playing) return;
    const seconds = (performance.now() - this.playStarted) / 1000;
    // The run's numbers for the performance panel and the bench (User Timing).
    performance.mark('cutline:playback', { detail: { rate: this.rate, seconds, presented: this.playback.presented, dropped: this.playback.dropped } });
    this.preview?.stopPlayback();
    this.stopLoop();
    this.audio.stop();
    this.playing = false;
    this.rate = 0;
    const snap = this.host.snapshot();
    // Land on the frame boundary so the paused frame is exactly the one shown.
    this.host.setPlayhead(seekTime(this.host.playhead(), snap.settings.fps));
    this.showPlayhead();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else void this.play(1);
  }

  /** L: forward, faster on each press; J: backward, faster on each press; K: stop. */
  shuttle(direction: 'reverse' | 'stop' | 'forward'): void {
    if (direction === 'stop') return this.pause();
    const sign = direction === 'forward' ? 1 : -1;
    const current = this.playing && Math.sign(this.rate) === sign ? Math.abs(this.rate) : 0;
    const next = SHUTTLE.find((r) => r > current) ?? SHUTTLE[SHUTTLE.length - 1];
    void this.play(sign * (next ?? 1));
  }

  /** Moves the playhead; playback continues from there. */
  seek(t: number): void {
    const snap = this.host.snapshot();
    const time = Math.max(0, t);
    if (this.playing) {
      this.host.setPlayhead(time);
      void this.play(this.rate);
      return;
    }
    this.host.setPlayhead(seekTime(time, snap.settings.fps));
    this.showPlayhead();
  }

  step(frames: number): void {
    const snap = this.host.snapshot();
    const fps = snap.settings.fps;
    if (this.playing) this.pause();
    this.seek(frameTime(Math.max(0, frameAt(this.host.playhead(), fps) + frames), fps));
  }

  private loop(): void {
    const tick = () => {
      if (!this.playing) return;
      const snap = this.host.snapshot();
      const t = this.audio.now();
      if (t !== null) {
        const end = snap.duration;
        if ((this.rate > 0 && t >= end) || (this.rate < 0 && t <= 0)) {
          this.host.setPlayhead(this.rate > 0 ? end : 0);
          this.pause();
          return;
        }
        this.host.setPlayhead(t);
        const now = performance.now();
        if (now - this.lastClockSync > CLOCK_SYNC_MS) {
          this.lastClockSync = now;
          const clock = this.audio.clock();
          if (clock) this.preview?.syncClock(clock);
          this.stats = { fps: this.playback.fps(now), droppedPercent: this.playback.droppedPercent() };
        }
      }
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  private stopLoop(): void {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  destroy(): void {
    this.stopLoop();
    this.audio.dispose();
  }
}
