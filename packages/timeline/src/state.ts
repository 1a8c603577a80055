// What command planning reads: the document's current records (via `DocIndex`) or a
// projection of them with a batch's earlier writes applied on top (`Overlay`). Commands
// validate against a `ReadState` and record writes; nothing touches the Y.Doc until the
// whole command (or batch) has been validated (TL40).

import type { Collection, RecordTypes } from './doc.ts';
import type { ClipRec, SettingsRec, TrackRec, TransitionRec } from './model.ts';

export interface ReadState {
  readonly schemaVersion: number | undefined;
  settings(): SettingsRec;
  get<C extends Collection>(coll: C, id: string): RecordTypes[C] | undefined;
  count(coll: Collection): number;
  /** All tracks, ordered bottom to top by (order, id) (TL3). */
  trackList(): TrackRec[];
  clipsOnTrack(trackId: string): ClipRec[];
  /** Some clip on the track intersecting [start, end) and not skipped, without building arrays. */
  findOverlap(trackId: string, start: number, end: number, skip: (id: string) => boolean): ClipRec | undefined;
  /** Transitions whose `fromClipId` or `toClipId` is `clipId`. */
  transitionsOfClip(clipId: string): TransitionRec[];
}

export type Write =
  | { readonly op: 'settings'; readonly patch: Partial<SettingsRec> }
  | { [C in Collection]: { readonly op: 'put'; readonly coll: C; readonly rec: RecordTypes[C] } }[Collection]
  | { [C in Collection]: { readonly op: 'patch'; readonly coll: C; readonly id: string; readonly patch: Partial<RecordTypes[C]> } }[Collection]
  | { readonly op: 'delete'; readonly coll: Collection; readonly id: string };

export function compareTracks(a: TrackRec, b: TrackRec): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

type Changes = { [C in Collection]: Map<string, RecordTypes[C] | null> };

/**
 * A ReadState with pending writes layered over a base. Planning a command writes here;
 * `writes` is then replayed into the Y.Doc in one transaction.
 */
export class Overlay implements ReadState {
  readonly base: ReadState;
  readonly writes: Write[] = [];
  private settingsPatch: Partial<SettingsRec> | null = null;
  private readonly changes: Changes = {
    tracks: new Map(),
    clips: new Map(),
    transitions: new Map(),
    markers: new Map(),
    assets: new Map(),
  };
  /** Ids of changed clips by the track they are on now, so a batch stays linear per track. */
  private readonly changedClipsByTrack = new Map<string, Set<string>>();
  private readonly countDelta: Record<Collection, number> = { tracks: 0, clips: 0, transitions: 0, markers: 0, assets: 0 };

  constructor(base: ReadState) {
    this.base = base;
  }

  get schemaVersion(): number | undefined {
    return this.base.schemaVersion;
  }

  settings(): SettingsRec {
    const s = this.base.settings();
    return this.settingsPatch === null ? s : { ...s, ...this.settingsPatch };
  }

  get<C extends Collection>(coll: C, id: string): RecordTypes[C] | undefined {
    const changed = (this.changes[coll] as Map<string, RecordTypes[C] | null>).get(id);
    if (changed !== undefined) return changed ?? undefined;
    return this.base.get(coll, id);
  }

  count(coll: Collection): number {
    return this.base.count(coll) + this.countDelta[coll];
  }

  trackList(): TrackRec[] {
    if (this.changes.tracks.size === 0) return this.base.trackList();
    const out: TrackRec[] = [];
    for (const t of this.base.trackList()) if (!this.changes.tracks.has(t.id)) out.push(t);
    for (const t of this.changes.tracks.values()) if (t !== null) out.push(t);
    return out.sort(compareTracks);
  }

  clipsOnTrack(trackId: string): ClipRec[] {
    const changed = this.changes.clips;
    const out: ClipRec[] = [];
    for (const c of this.base.clipsOnTrack(trackId)) if (!changed.has(c.id)) out.push(c);
    for (const id of this.changedClipsByTrack.get(trackId) ?? []) {
      const c = changed.get(id);
      if (c !== undefined && c !== null && c.trackId === trackId) out.push(c);
    }
    return out;
  }

  findOverlap(trackId: string, start: number, end: number, skip: (id: string) => boolean): ClipRec | undefined {
    const changed = this.changes.clips;
    const found = this.base.findOverlap(trackId, start, end, (id) => skip(id) || changed.has(id));
    if (found !== undefined) return found;
    for (const id of this.changedClipsByTrack.get(trackId) ?? []) {
      const c = changed.get(id);
      if (c === undefined || c === null || c.trackId !== trackId || skip(id)) continue;
      if (c.start < end && start < c.start + c.duration) return c;
    }
    return undefined;
  }

  transitionsOfClip(clipId: string): TransitionRec[] {
    const changed = this.changes.transitions;
    const out: TransitionRec[] = [];
    for (const t of this.base.transitionsOfClip(clipId)) if (!changed.has(t.id)) out.push(t);
    for (const t of changed.values()) if (t !== null && (t.fromClipId === clipId || t.toClipId === clipId)) out.push(t);
    return out;
  }

  // ------------------------------------------------------------ writing

  setSettings(patch: Partial<SettingsRec>): void {
    this.settingsPatch = { ...this.settingsPatch, ...patch };
    this.writes.push({ op: 'settings', patch });
  }

  private trackClip(rec: unknown): void {
    const clip = rec as ClipRec;
    let ids = this.changedClipsByTrack.get(clip.trackId);
    if (ids === undefined) {
      ids = new Set();
      this.changedClipsByTrack.set(clip.trackId, ids);
    }
    ids.add(clip.id);
  }

  put<C extends Collection>(coll: C, rec: RecordTypes[C]): void {
    if (this.get(coll, rec.id) === undefined) this.countDelta[coll]++;
    (this.changes[coll] as Map<string, RecordTypes[C] | null>).set(rec.id, rec);
    if (coll === 'clips') this.trackClip(rec);
    this.writes.push({ op: 'put', coll, rec } as Write);
  }

  patch<C extends Collection>(coll: C, id: string, patch: Partial<RecordTypes[C]>): RecordTypes[C] {
    const current = this.get(coll, id);
    if (current === undefined) throw new Error(`patch of missing ${coll} ${id}`);
    const next = { ...current, ...patch };
    (this.changes[coll] as Map<string, RecordTypes[C] | null>).set(id, next);
    if (coll === 'clips') this.trackClip(next);
    this.writes.push({ op: 'patch', coll, id, patch } as Write);
    return next;
  }

  delete(coll: Collection, id: string): void {
    if (this.get(coll, id) === undefined) return;
    this.countDelta[coll]--;
    this.changes[coll].set(id, null);
    this.writes.push({ op: 'delete', coll, id });
  }
}

