import { frameIndexAt, frameStartMicros, secondsToMicros, type Rational } from '@cutline/timeline';

/**
 * Playback timing. The audio clock is the master: the page maps it onto wall-clock time
 * (`Clock`: timeline time `anchorTime` is heard at epoch millisecond `anchorEpoch`, and
 * runs at `rate`) and keeps the preview worker's copy in step. The worker renders frame
 * k+1 while frame k is on screen and shows it when it is due; a frame that is still not
 * ready when a later one is due is skipped and counted — playback drops frames rather
 * than drifting behind the sound.
 */
export type Clock = { anchorTime: number; anchorEpoch: number; rate: number };

/** Project frame containing timeline second `t` (TL22 grid). */
export function frameAt(t: number, fps: Rational): number {
  return frameIndexAt(Math.max(0, secondsToMicros(t)), fps);
}

/** Start of frame `k`, seconds. */
export function frameTime(k: number, fps: Rational): number {
  return frameStartMicros(Math.max(0, k), fps) / 1e6;
}

/** The frame a paused seek to `t` shows: the one containing `t`, i.e. its start time. */
export function seekTime(t: number, fps: Rational): number {
  return frameTime(frameAt(t, fps), fps);
}

/** Timeline time at wall-clock `epoch` (ms); never before the anchor while it is awaited. */
export function timeAtEpoch(clock: Clock, epoch: number): number {
  const elapsed = Math.max(0, epoch - clock.anchorEpoch) / 1000;
  return Math.max(0, clock.anchorTime + elapsed * clock.rate);
}

/** Wall-clock epoch (ms) at which timeline time `t` is due. */
export function epochOfTime(clock: Clock, t: number): number {
  return clock.anchorEpoch + ((t - clock.anchorTime) / clock.rate) * 1000;
}

/**
 * The frame to prepare after presenting `presented`, when the clock says `due` is on
 * screen now: the next one in the playing direction, or — when rendering fell behind —
 * the one due now, skipping (and counting) those in between.
 */
export function nextFrame({ presented, due, rate }: { presented: number; due: number; rate: number }): { frame: number; dropped: number } {
  if (rate >= 0) {
    const frame = Math.max(presented + 1, due);
    return { frame, dropped: frame - presented - 1 };
  }
  const frame = Math.max(0, Math.min(presented - 1, due));
  return { frame, dropped: Math.max(0, presented - frame - 1) };
}

/** Frames presented and dropped in one playback run. */
export class PlaybackStats {
  presented = 0;
  dropped = 0;
  private started = 0;

  reset(now: number): void {
    this.presented = 0;
    this.dropped = 0;
    this.started = now;
  }

  add({ presented, dropped }: { presented: number; dropped: number }): void {
    this.presented += presented;
    this.dropped += dropped;
  }

  fps(now: number): number {
    const seconds = (now - this.started) / 1000;
    return seconds > 0 ? this.presented / seconds : 0;
  }

  /** Dropped frames as a percentage of the frames that were due. */
  droppedPercent(): number {
    const due = this.presented + this.dropped;
    return due === 0 ? 0 : (100 * this.dropped) / due;
  }
}
