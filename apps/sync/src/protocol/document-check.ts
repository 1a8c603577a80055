import * as Y from 'yjs';
import { InvalidUpdateError, type DecodedUpdate } from './update-check.ts';

/**
 * How deep shared types may nest (SPEC.md SY32). The timeline puts its entities (clips,
 * tracks, assets, …) in maps under root maps, depth 1; comments go threads → thread →
 * replies → reply, depth 3. Yjs' own toJSON and every reader walk types recursively, so
 * a few thousand levels overflow every client's stack.
 */
export const MAX_NESTING_DEPTH = 32;

/**
 * Checks an update against the document it is about to be applied to (SPEC.md SY32,
 * SY33), before anything stores or applies it:
 * - everything it builds on is in the document or in the update itself: no clock gap
 *   for a client, no origin, right origin or parent the server does not have, no
 *   deletion of something it does not have. Yjs would keep such parts "pending" inside
 *   the document, and the log would carry them into every later load;
 *   (`dependencies: false` skips this: the comments guard answers those itself, SY6);
 * - no shared type nested deeper than `maxDepth` (where a parent is missing, the depth
 *   counts from there).
 * Costs what the update holds (plus, per new type, the depth of the type it goes into).
 */
export function checkAgainstDocument(
  doc: Y.Doc,
  { structs, ds }: DecodedUpdate,
  { maxDepth = MAX_NESTING_DEPTH, dependencies = true }: { maxDepth?: number; dependencies?: boolean } = {},
): void {
  const store = doc.store;
  // Per client, the clock up to which the document and this update together hold everything.
  const covered = new Map<number, number>();
  const items = new Map<number, Y.Item[]>();
  const fromUpdate = new Set<Y.Item>();
  for (const struct of structs) {
    const { client, clock } = struct.id;
    const end = covered.get(client) ?? Y.getState(store, client);
    if (dependencies && clock > end) throw new InvalidUpdateError('the update depends on changes the server does not have');
    // A Skip is a hole: what follows it must already be in the document.
    covered.set(client, struct instanceof Y.Skip ? end : Math.max(end, clock + struct.length));
    if (struct instanceof Y.Item) {
      const list = items.get(client);
      if (list) list.push(struct);
      else items.set(client, [struct]);
      fromUpdate.add(struct);
    }
  }
  const upTo = (client: number) => covered.get(client) ?? Y.getState(store, client);
  const known = (id: Y.ID | null): boolean => id === null || id.clock < upTo(id.client);
  for (const item of dependencies ? fromUpdate : []) {
    const parent = item.parent instanceof Y.ID ? item.parent : null;
    if (!known(item.origin) || !known(item.rightOrigin) || !known(parent)) {
      throw new InvalidUpdateError('the update depends on changes the server does not have');
    }
  }
  for (const [client, ranges] of dependencies ? ds.clients : []) {
    const end = upTo(client);
    for (const range of ranges) if (range.clock + range.len > end) throw new InvalidUpdateError('the update deletes changes the server does not have');
  }

  const find = (id: Y.ID): Y.Item | undefined => {
    const list = items.get(id.client);
    if (list) {
      let low = 0;
      let high = list.length - 1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        const candidate = list[mid] as Y.Item;
        if (id.clock < candidate.id.clock) high = mid - 1;
        else if (id.clock >= candidate.id.clock + candidate.length) low = mid + 1;
        else return candidate;
      }
    }
    try {
      const struct = Y.getItem(store, id);
      return struct instanceof Y.Item ? struct : undefined;
    } catch {
      return undefined;
    }
  };
  const depths = new Map<Y.Item, number>();
  /** Depth of the type `start` sits in (a root type is 0), iteratively: chains can be long. */
  const containerDepth = (start: Y.Item): number => {
    const chain: Array<[Y.Item, number]> = [];
    let item = start;
    let depth = 0;
    for (;;) {
      const memo = depths.get(item);
      if (memo !== undefined) {
        depth = memo;
        break;
      }
      if (!fromUpdate.has(item)) {
        depth = integratedDepth(item);
        break;
      }
      const parent = item.parent;
      if (typeof parent === 'string') break;
      // An item names its parent, or else a neighbour that shares it.
      const next = parent instanceof Y.ID ? find(parent) : find((item.origin ?? item.rightOrigin) as Y.ID);
      if (!next) break;
      chain.push([item, parent instanceof Y.ID ? 1 : 0]);
      if (chain.length > fromUpdate.size) throw new InvalidUpdateError('the update refers to itself in a loop');
      item = next;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const [link, step] = chain[i] as [Y.Item, number];
      depth += step;
      depths.set(link, depth);
    }
    return depth;
  };
  for (const item of fromUpdate) {
    if (!(item.content instanceof Y.ContentType)) continue;
    if (containerDepth(item) + 1 > maxDepth) throw new InvalidUpdateError(`shared types nest deeper than ${maxDepth} levels`);
  }
}

/** Depth of the type an item of the document sits in. */
function integratedDepth(item: Y.Item): number {
  let depth = 0;
  let type = item.parent instanceof Y.AbstractType ? item.parent : null;
  while (type?._item) {
    depth += 1;
    const parent: unknown = type._item.parent;
    type = parent instanceof Y.AbstractType ? parent : null;
  }
  return depth;
}
