// Schema migrations (TL2). Each step rewrites a document from one version to the next
// inside one transaction with origin {source:'migration'}. Steps are deterministic — no
// random ids, no clocks — so two peers migrating the same state concurrently write the
// same values and converge.

import * as Y from 'yjs';
import { SchemaVersionError } from './errors.ts';
import type { Roots } from './doc.ts';
import { getRoots, getSchemaVersion } from './doc.ts';
import { initialKeys } from './fractional-index.ts';
import { SCHEMA_VERSION } from './model.ts';
import { MIGRATION_ORIGIN } from './origin.ts';
import type { Rational } from './time.ts';
import { secondsToMicros } from './time.ts';

export interface Migration {
  readonly from: number;
  readonly to: number;
  readonly description: string;
  migrate(roots: Roots): void;
}

/** The v1 prototype stored fps as a float; map it back to the rational it meant. */
export function fpsFromFloat(fps: number): Rational {
  const ntsc = Math.round(fps * 1.001);
  if (Math.abs(fps - (ntsc * 1000) / 1001) < 0.005 && Math.abs(fps - ntsc) > 0.005) return { num: ntsc * 1000, den: 1001 };
  if (Number.isInteger(fps)) return { num: fps, den: 1 };
  return { num: Math.round(fps * 1000), den: 1000 };
}

function entries(map: Y.Map<unknown>): Array<[string, Y.Map<unknown>]> {
  const out: Array<[string, Y.Map<unknown>]> = [];
  map.forEach((v, k) => {
    if (v instanceof Y.Map) out.push([k, v]);
  });
  return out;
}

function secondsField(m: Y.Map<unknown>, key: string): void {
  const v = m.get(key);
  if (typeof v === 'number' && Number.isFinite(v)) m.set(key, secondsToMicros(v));
}

/**
 * v1 (the prototype layout): times in float seconds, fps as a float, tracks ordered by an
 * integer `index` field. v2: integer µs, rational fps, fractional `order` keys.
 */
const v1ToV2: Migration = {
  from: 1,
  to: 2,
  description: 'seconds → µs, float fps → rational, track index → fractional order keys',
  migrate(roots) {
    const fps = roots.settings.get('fps');
    if (typeof fps === 'number' && Number.isFinite(fps) && fps > 0) roots.settings.set('fps', fpsFromFloat(fps));
    const tracks = entries(roots.tracks).sort(([ida, a], [idb, b]) => {
      const ia = a.get('index');
      const ib = b.get('index');
      const na = typeof ia === 'number' ? ia : 0;
      const nb = typeof ib === 'number' ? ib : 0;
      return na - nb || (ida < idb ? -1 : ida > idb ? 1 : 0);
    });
    const keys = initialKeys(tracks.length);
    tracks.forEach(([, m], i) => {
      m.set('order', keys[i] ?? 'V');
      m.delete('index');
    });
    for (const [, m] of entries(roots.clips)) for (const key of ['start', 'duration', 'sourceIn', 'fadeIn', 'fadeOut']) secondsField(m, key);
    for (const [, m] of entries(roots.transitions)) secondsField(m, 'duration');
    for (const [, m] of entries(roots.markers)) secondsField(m, 'time');
    for (const [, m] of entries(roots.assets)) {
      secondsField(m, 'duration');
      const afps = m.get('fps');
      if (typeof afps === 'number' && Number.isFinite(afps) && afps > 0) m.set('fps', fpsFromFloat(afps));
    }
  },
};

export const MIGRATIONS: readonly Migration[] = [v1ToV2];

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/**
 * Bring `doc` to SCHEMA_VERSION. A document without a version is left alone (it is not
 * a timeline yet); one newer than this code throws SchemaVersionError.
 */
export function migrate(doc: Y.Doc, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  const from = getSchemaVersion(doc);
  if (from === undefined) return { from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] };
  if (from > SCHEMA_VERSION) throw new SchemaVersionError(from, `schema version ${from} is newer than this code (${SCHEMA_VERSION})`);
  // Find the whole chain first: a transaction cannot be rolled back half way.
  const steps: Migration[] = [];
  for (let version = from; version < SCHEMA_VERSION; ) {
    const step = migrations.find((m) => m.from === version);
    if (step === undefined || step.to <= version) throw new SchemaVersionError(version, `no migration from schema version ${version}`);
    steps.push(step);
    version = step.to;
  }
  const applied = steps.map((s) => `${s.from}→${s.to}`);
  if (steps.length > 0) {
    const roots = getRoots(doc);
    doc.transact(() => {
      for (const step of steps) step.migrate(roots);
      roots.meta.set('schemaVersion', SCHEMA_VERSION);
    }, MIGRATION_ORIGIN);
  }
  return { from, to: SCHEMA_VERSION, applied };
}
