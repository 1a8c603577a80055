import * as Y from 'yjs';
import { documentName } from '@cutline/shared/auth';
import { documentVersion, loadDocument } from '@cutline/shared/docs';
import { snapshot, type TimelineSnapshot } from '@cutline/timeline';
import { serverContext } from './context.ts';

type Cached = { version: string; snapshot: TimelineSnapshot; state: Uint8Array };

const cache = new Map<string, Cached>();
const MAX_CACHED = 200;

/**
 * The acknowledged state of a project's timeline, read from the update log (what sync has
 * told clients is saved). Reads are cached per stored version, so polling a timeline that
 * did not change costs one small query.
 */
export async function readTimeline(projectId: string): Promise<{ snapshot: TimelineSnapshot; state: Uint8Array; version: string }> {
  const { sql } = serverContext();
  const name = documentName(projectId, 'timeline');
  const version = await documentVersion(sql, name);
  const hit = cache.get(name);
  if (hit && hit.version === version) return { ...hit, version };
  const { doc } = await loadDocument(sql, name);
  try {
    const value: Cached = { version, snapshot: snapshot(doc), state: Y.encodeStateAsUpdate(doc) };
    cache.delete(name);
    cache.set(name, value);
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value ?? '');
    return value;
  } finally {
    doc.destroy();
  }
}
