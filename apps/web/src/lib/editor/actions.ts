import { type SnapshotClip, type TimelineCommand, type TrackKind, type TimelineSnapshot } from '@cutline/timeline';
import type { Asset } from '#lib/api/types.ts';
import type { ProjectSession } from './session/project-session.svelte.ts';
import type { ViewState } from './session/view-state.svelte.ts';
import type { Transport } from './preview/transport.svelte.ts';
import { frameAt, frameTime } from './preview/frame-clock.ts';
import { fitZoom, zoomAt, ZOOM } from './timeline/scale.ts';
import { isFree, trackAcceptsAsset } from './timeline/edit-math.ts';

/** The track kind an asset goes on by default, and which clip kind it becomes there (TL12). */
export function trackKindFor(asset: Pick<Asset, 'kind'>): TrackKind {
  return asset.kind === 'audio' ? 'audio' : 'video';
}

const clipEnd = (c: SnapshotClip) => c.start + c.duration;

/**
 * Editor operations behind buttons and shortcuts. Each is one command or one atomic
 * batch, so each is one undo step and one transaction for collaborators.
 */
export function createActions({ session, view, transport }: { session: ProjectSession; view: ViewState; transport: Transport }) {
  const snap = (): TimelineSnapshot => session.snapshot;
  const frame = () => {
    const { num, den } = snap().settings.fps;
    return den / num;
  };
  const trackOf = (id: string) => snap().tracks.find((t) => t.id === id);
  const unlocked = (c: SnapshotClip) => !trackOf(c.trackId)?.locked;
  const selectedClips = () => snap().clips.filter((c) => view.selection.clipIds.includes(c.id));

  function split(): void {
    const t = view.playhead;
    const fps = snap().settings.fps;
    const at = frameTime(frameAt(t + 1e-7, fps), fps);
    const under = (c: SnapshotClip) => c.start < at - 1e-9 && at < clipEnd(c) - 1e-9;
    const chosen = selectedClips().filter(under);
    const targets = (chosen.length > 0 ? chosen : snap().clips.filter(under)).filter(unlocked);
    if (targets.length === 0) {
      session.notify('Nothing to split at the playhead');
      return;
    }
    const results = session.runBatch(targets.map((c) => ({ type: 'splitClip', clipId: c.id, at })));
    if (results) {
      const right = results.map((r) => ('clipIds' in r ? r.clipIds[1] : null)).filter((id): id is string => id !== null);
      if (chosen.length > 0) view.selection = { ...view.selection, clipIds: right };
    }
  }

  function remove({ ripple }: { ripple: boolean }): void {
    const s = view.selection;
    if (s.clipIds.length > 0) {
      // Ripple deletes run right to left so each one's gap is measured before later ones move.
      const clips = selectedClips().sort((a, b) => b.start - a.start);
      const ok = session.runBatch(clips.map((c) => ({ type: ripple ? 'rippleDelete' : 'removeClip', clipId: c.id })));
      if (ok) view.clearSelection();
    } else if (s.transitionId) {
      if (session.run({ type: 'removeTransition', transitionId: s.transitionId })) view.clearSelection();
    } else if (s.markerId) {
      if (session.run({ type: 'removeMarker', markerId: s.markerId })) view.clearSelection();
    }
  }

  /** Trims the selected clips' start or end to the playhead (those it falls inside). */
  function trimToPlayhead(edge: 'start' | 'end'): void {
    const t = view.playhead;
    const clips = selectedClips().filter((c) => unlocked(c) && c.start < t && t < clipEnd(c));
    if (clips.length === 0) {
      session.notify('Select a clip under the playhead to trim it there');
      return;
    }
    session.runBatch(clips.map((c) => ({ type: 'trimClip', clipId: c.id, edge, to: t })));
  }

  function addMarker(label = ''): void {
    const result = session.run({ type: 'addMarker', time: view.playhead, ...(label ? { label } : {}) });
    if (result) view.selectMarker(result.markerId);
  }

  function zoom(factor: number): void {
    const anchorX = Math.min(view.viewportWidth, Math.max(0, view.playhead * view.pxPerSecond - view.scrollLeft));
    const next = zoomAt({ view: { pxPerSecond: view.pxPerSecond, scrollLeft: view.scrollLeft }, factor, anchorX });
    view.pxPerSecond = next.pxPerSecond;
    view.scrollLeft = next.scrollLeft;
  }

  function zoomFit(): void {
    view.pxPerSecond = fitZoom(Math.max(snap().duration, 10), view.viewportWidth);
    view.scrollLeft = 0;
  }

  function nudge(seconds: number): void {
    const clips = selectedClips().filter(unlocked);
    if (clips.length === 0) return;
    const commands: TimelineCommand[] = clips.map((c) => ({ type: 'moveClip', clipId: c.id, start: Math.max(0, c.start + seconds) }));
    session.runBatch(commands);
  }

  /** Adds an asset's clip at `start` on `trackId`, or on a new track when none is given. */
  function addAssetClip({ asset, trackId, start }: { asset: Asset; trackId: string | null; start: number }): void {
    if (asset.state !== 'ready') {
      session.notify(asset.state === 'failed' ? `“${asset.originalName}” failed to process.` : `“${asset.originalName}” is still processing.`);
      return;
    }
    if (!snap().assets.some((a) => a.id === asset.id)) {
      session.notify(`“${asset.originalName}” is not in the timeline yet; try again in a moment.`);
      return;
    }
    const t = Math.max(0, start);
    if (trackId) {
      const result = session.run({ type: 'addClip', trackId, assetId: asset.id, start: t });
      if (result) view.selectClip(result.clipId);
      return;
    }
    const results = session.runBatch([
      { type: 'addTrack', kind: trackKindFor(asset) },
      { type: 'addClip', trackId: '$0.trackId', assetId: asset.id, start: t },
    ]);
    const clip = results?.[1];
    if (clip && 'clipId' in clip) view.selectClip(clip.clipId);
  }

  /**
   * "Add to timeline" without a mouse: at the playhead on the first unlocked track that
   * takes the asset and has room (top first), else on a new track.
   */
  function addAssetAtPlayhead(asset: Asset): void {
    const duration = asset.durationSeconds ?? 5;
    const start = view.playhead;
    const tracks = [...snap().tracks].reverse();
    const track = tracks.find((t) => !t.locked && trackAcceptsAsset(t, asset) && isFree({ snapshot: snap(), trackId: t.id, start, end: start + duration, exclude: [] }));
    addAssetClip({ asset, trackId: track?.id ?? null, start });
  }

  function addTextClip(): void {
    const tracks = [...snap().tracks].reverse();
    const start = view.playhead;
    const duration = 3;
    const fits = (kind: TrackKind) => tracks.find((t) => t.kind === kind && !t.locked && isFree({ snapshot: snap(), trackId: t.id, start, end: start + duration, exclude: [] }));
    const track = fits('text') ?? fits('video');
    const text: TimelineCommand = { type: 'addTextClip', trackId: track?.id ?? '$0.trackId', text: 'Title', start, duration };
    const results = track ? session.runBatch([text]) : session.runBatch([{ type: 'addTrack', kind: 'text' }, text]);
    const created = results?.[results.length - 1];
    if (created && 'clipId' in created) view.selectClip(created.clipId);
  }

  function addTrack(kind: TrackKind): void {
    const result = session.run({ type: 'addTrack', kind });
    if (result) view.selectTrack(result.trackId);
  }

  return {
    split,
    remove,
    addMarker,
    trimToPlayhead,
    zoomIn: () => zoom(ZOOM.step),
    zoomOut: () => zoom(1 / ZOOM.step),
    zoomFit,
    nudge,
    addAssetClip,
    addAssetAtPlayhead,
    addTextClip,
    addTrack,
    frame,
    markIn: () => (view.inPoint = view.playhead),
    markOut: () => (view.outPoint = view.playhead),
    goStart: () => transport.seek(0),
    goEnd: () => transport.seek(snap().duration),
  };
}

export type EditorActions = ReturnType<typeof createActions>;
