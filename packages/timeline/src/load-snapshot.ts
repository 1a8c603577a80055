// `loadSnapshot(json)`: a fresh Y.Doc whose snapshot equals the given one (TL10).

import type * as Y from 'yjs';
import { InvalidCommandError, InvalidSnapshotError } from './errors.ts';
import type { Collection, RecordTypes } from './doc.ts';
import { createEntityMap, createTimelineDoc, encodeFields, getRoots } from './doc.ts';
import { initialKeys } from './fractional-index.ts';
import type { TimelineOrigin } from './origin.ts';
import { MIGRATION_ORIGIN } from './origin.ts';
import { validateSnapshot } from './snapshot-schema.ts';
import { clipRecFromSnapshot } from './snapshot.ts';
import { secondsToMicros } from './time.ts';

export interface LoadSnapshotOptions {
  origin?: TimelineOrigin;
  gc?: boolean;
}

const us = secondsToMicros;

function unique(ids: readonly { id: string }[], path: string): void {
  const seen = new Set<string>();
  ids.forEach((x, i) => {
    if (seen.has(x.id)) throw new InvalidSnapshotError(`${path}[${i}].id`, `duplicate id ${JSON.stringify(x.id)}`);
    seen.add(x.id);
  });
}

export function loadSnapshot(json: unknown, options: LoadSnapshotOptions = {}): Y.Doc {
  const snap = validateSnapshot(json);
  unique(snap.tracks, 'tracks');
  unique(snap.clips, 'clips');
  unique(snap.transitions, 'transitions');
  unique(snap.markers, 'markers');
  unique(snap.assets, 'assets');
  const origin = options.origin ?? MIGRATION_ORIGIN;
  let doc: Y.Doc;
  try {
    doc = createTimelineDoc({ settings: snap.settings, origin, ...(options.gc === undefined ? {} : { gc: options.gc }) });
  } catch (e) {
    // Checks JSON Schema cannot express (the fps ratio) come from the settings validator.
    if (e instanceof InvalidCommandError) throw new InvalidSnapshotError(e.path, e.message);
    throw e;
  }
  const roots = getRoots(doc);
  const put = <C extends Collection>(coll: C, rec: RecordTypes[C]): void => {
    roots[coll].set(rec.id, createEntityMap(encodeFields(coll, rec)));
  };
  doc.transact(() => {
    const keys = initialKeys(snap.tracks.length);
    snap.tracks.forEach((t, i) => put('tracks', { ...t, order: keys[i] ?? '' }));
    for (const c of snap.clips) put('clips', clipRecFromSnapshot(c));
    for (const t of snap.transitions) put('transitions', { ...t, duration: us(t.duration) });
    for (const m of snap.markers) put('markers', { ...m, time: us(m.time) });
    for (const a of snap.assets) put('assets', { ...a, duration: a.duration === null ? null : us(a.duration) });
  }, origin);
  return doc;
}
