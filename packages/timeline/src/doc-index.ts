// A cache of every record in a timeline doc, kept current from the transactions' change
// sets. Commands validate against it without walking 10,000 Y.Maps, and `snapshot()`
// builds from it. It is a pure function of the document state; the convergence tests
// check it against a fresh scan.

import * as Y from 'yjs';
import type { Collection, RecordTypes, Roots } from './doc.ts';
import type { Reader } from './doc.ts';
import { COLLECTIONS, READERS, entityFields, getRoots, getSchemaVersion, readClip, readSettings } from './doc.ts';
import type { ClipRec, SettingsRec, TrackRec, TransitionRec } from './model.ts';
import type { ReadState } from './state.ts';
import { compareTracks } from './state.ts';

type Records = { [C in Collection]: Map<string, RecordTypes[C]> };

export class DocIndex implements ReadState {
  readonly roots: Roots;
  /** Bumped whenever any record, the settings or the schema version changes. */
  version = 0;
  schemaVersion: number | undefined;
  private settingsRec: SettingsRec;
  private readonly records: Records = {
    tracks: new Map(),
    clips: new Map(),
    transitions: new Map(),
    markers: new Map(),
    assets: new Map(),
  };
  /** Records by the track / clip they belong to, so readers iterate without id lookups. */
  private readonly clipsByTrack = new Map<string, Map<string, ClipRec>>();
  private readonly transitionsByClip = new Map<string, Map<string, TransitionRec>>();
  private sortedTracks: TrackRec[] | null = null;
  private readonly rootOf = new Map<unknown, Collection | 'meta' | 'settings'>();

  constructor(doc: Y.Doc) {
    this.roots = getRoots(doc);
    this.rootOf.set(this.roots.meta, 'meta');
    this.rootOf.set(this.roots.settings, 'settings');
    for (const coll of COLLECTIONS) this.rootOf.set(this.roots[coll], coll);
    this.schemaVersion = getSchemaVersion(doc);
    this.settingsRec = readSettings(this.roots.settings.toJSON());
    // Nothing is indexed yet, so every record is simply added. Clips get their own loop
    // (a direct, inlinable readClip call): opening a 10,000-clip project is hot.
    const clips = this.records.clips;
    const clipsByTrack = this.clipsByTrack;
    this.roots.clips.forEach((value, id) => {
      const rec = value instanceof Y.Map ? readClip(id, entityFields(value)) : null;
      if (rec === null) return;
      clips.set(id, rec);
      addTo(clipsByTrack, rec.trackId, id, rec);
    });
    for (const coll of COLLECTIONS) {
      if (coll === 'clips') continue;
      const reader = READERS[coll] as Reader<Collection>;
      const records = this.records[coll] as Map<string, RecordTypes[Collection]>;
      this.roots[coll].forEach((value, id) => {
        const rec = value instanceof Y.Map ? reader(id, entityFields(value)) : null;
        if (rec === null) return;
        records.set(id, rec);
        if (coll === 'transitions') this.reindexTransition(id, undefined, rec as TransitionRec);
      });
    }
  }

  settings(): SettingsRec {
    return this.settingsRec;
  }

  get<C extends Collection>(coll: C, id: string): RecordTypes[C] | undefined {
    return (this.records[coll] as Map<string, RecordTypes[C]>).get(id);
  }

  all<C extends Collection>(coll: C): IterableIterator<RecordTypes[C]> {
    return (this.records[coll] as Map<string, RecordTypes[C]>).values();
  }

  count(coll: Collection): number {
    return this.records[coll].size;
  }

  trackList(): TrackRec[] {
    this.sortedTracks ??= [...this.records.tracks.values()].sort(compareTracks);
    return this.sortedTracks;
  }

  clipsOnTrack(trackId: string): ClipRec[] {
    const clips = this.clipsByTrack.get(trackId);
    return clips === undefined ? [] : [...clips.values()];
  }

  findOverlap(trackId: string, start: number, end: number, skip: (id: string) => boolean): ClipRec | undefined {
    const clips = this.clipsByTrack.get(trackId);
    if (clips === undefined) return undefined;
    for (const c of clips.values()) {
      if (c.start < end && start < c.start + c.duration && !skip(c.id)) return c;
    }
    return undefined;
  }

  transitionsOfClip(clipId: string): TransitionRec[] {
    const transitions = this.transitionsByClip.get(clipId);
    return transitions === undefined ? [] : [...transitions.values()];
  }

  /** Apply one transaction's change set (called from `beforeObserverCalls`). */
  applyTransaction(tr: Y.Transaction): void {
    let changed = false;
    tr.changed.forEach((keys, type) => {
      const root = this.rootOf.get(type);
      if (root === 'meta') {
        this.schemaVersion = getSchemaVersion(tr.doc);
      } else if (root === 'settings') {
        this.settingsRec = readSettings(this.roots.settings.toJSON());
      } else if (root !== undefined) {
        for (const key of keys) if (key !== null) this.refresh(root, key);
      } else {
        // A field of an existing entity changed: its map's key in the root is the id.
        const item = type._item;
        const coll = item === null ? undefined : this.rootOf.get(item.parent);
        if (item === null || item.parentSub === null || coll === undefined || coll === 'meta' || coll === 'settings') return;
        this.refresh(coll, item.parentSub);
      }
      changed = true;
    });
    if (changed) this.version++;
  }

  private refresh(coll: Collection, id: string, value: unknown = this.roots[coll].get(id)): void {
    const rec = value instanceof Y.Map ? READERS[coll](id, entityFields(value)) : null;
    const old = this.records[coll].get(id);
    if (coll === 'tracks') this.sortedTracks = null;
    if (coll === 'clips') this.reindexClip(id, old as ClipRec | undefined, rec as ClipRec | null);
    if (coll === 'transitions') this.reindexTransition(id, old as TransitionRec | undefined, rec as TransitionRec | null);
    if (rec === null) this.records[coll].delete(id);
    else (this.records[coll] as Map<string, RecordTypes[Collection]>).set(id, rec);
  }

  private reindexClip(id: string, old: ClipRec | undefined, rec: ClipRec | null): void {
    if (old !== undefined && old.trackId !== rec?.trackId) removeFrom(this.clipsByTrack, old.trackId, id);
    if (rec !== null) addTo(this.clipsByTrack, rec.trackId, id, rec);
  }

  private reindexTransition(id: string, old: TransitionRec | undefined, rec: TransitionRec | null): void {
    if (old !== undefined) {
      removeFrom(this.transitionsByClip, old.fromClipId, id);
      removeFrom(this.transitionsByClip, old.toClipId, id);
    }
    if (rec !== null) {
      addTo(this.transitionsByClip, rec.fromClipId, id, rec);
      addTo(this.transitionsByClip, rec.toClipId, id, rec);
    }
  }
}

function addTo<R>(index: Map<string, Map<string, R>>, key: string, id: string, rec: R): void {
  let group = index.get(key);
  if (group === undefined) {
    group = new Map();
    index.set(key, group);
  }
  group.set(id, rec);
}

function removeFrom<R>(index: Map<string, Map<string, R>>, key: string, id: string): void {
  const group = index.get(key);
  if (group === undefined) return;
  group.delete(id);
  if (group.size === 0) index.delete(key);
}

const indexes = new WeakMap<Y.Doc, DocIndex>();

/**
 * The live index of `doc`, created on first use. Inside a transaction the index lags
 * behind the writes made so far, so callers get a one-off fresh scan instead.
 */
export function docIndex(doc: Y.Doc): DocIndex {
  if (doc._transaction !== null) return new DocIndex(doc);
  let index = indexes.get(doc);
  if (index === undefined) {
    const created = new DocIndex(doc);
    doc.on('beforeObserverCalls', (tr: Y.Transaction) => created.applyTransaction(tr));
    indexes.set(doc, created);
    index = created;
  }
  return index;
}
