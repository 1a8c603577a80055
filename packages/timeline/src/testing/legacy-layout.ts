// Documents as code from before TL4a wrote them: each entity's `init` stored as a Yjs
// object value instead of JSON text. Tests use it to check that such documents still read
// (and edit) the same; the bench uses it as its in-run baseline. Pure (yjs only); not
// exported from index.ts.

import * as Y from 'yjs';
import { COLLECTIONS, INIT_KEY, initFields } from '../doc.ts';
import { CLIP_DEFAULTS, DEFAULT_TEXT_STYLE } from '../model.ts';

export interface LegacyLayoutOptions {
  /**
   * Also write every field that TL4 leaves out at its default (speed 1, opacity 1, fades 0,
   * the default text style, track flags false …) explicitly into `init`, as an older
   * writer may have.
   */
  explicitDefaults?: boolean;
}

const CLIP_EXPLICIT: Readonly<Record<string, unknown>> = {
  ...CLIP_DEFAULTS,
  'style.fontFamily': DEFAULT_TEXT_STYLE.fontFamily,
  'style.fontSize': DEFAULT_TEXT_STYLE.fontSize,
  'style.color': DEFAULT_TEXT_STYLE.color,
  'style.boxColor': null,
  'style.boxPadding': 0,
  'style.align': DEFAULT_TEXT_STYLE.align,
};
const TRACK_EXPLICIT: Readonly<Record<string, unknown>> = { muted: false, hidden: false, locked: false };

/**
 * A new document with the same state as `doc` (root maps, every entity, every edit key)
 * where `init` values are objects. The copy has no history (no deleted items), so it is, if
 * anything, cheaper to load than the original.
 */
export function toLegacyLayout(doc: Y.Doc, options: LegacyLayoutOptions = {}): Y.Doc {
  const out = new Y.Doc();
  out.transact(() => {
    for (const name of ['meta', 'settings'] as const) {
      const target = out.getMap(name);
      doc.getMap(name).forEach((value, key) => target.set(key, value));
    }
    for (const coll of COLLECTIONS) {
      const target = out.getMap(coll);
      const defaults = options.explicitDefaults === true ? (coll === 'clips' ? CLIP_EXPLICIT : coll === 'tracks' ? TRACK_EXPLICIT : {}) : {};
      doc.getMap(coll).forEach((value, id) => {
        if (!(value instanceof Y.Map)) return;
        const entries: Array<[string, unknown]> = [];
        value.forEach((fieldValue, key) => {
          entries.push([key, key === INIT_KEY ? { ...defaults, ...initFields(fieldValue) } : fieldValue]);
        });
        target.set(id, new Y.Map<unknown>(entries));
      });
    }
  });
  return out;
}
