import * as Y from 'yjs';
import { documentName } from '@cutline/shared/auth';
import { documentVersion, loadDocument } from '@cutline/shared/docs';
import { snapshot, type TimelineSnapshot } from '@cutline/timeline';
import { serverContext } from './context.ts';

type Cached = { version: string; snapshot: TimelineSnapshot; state: Uint8Array; /** `{"timeline":…}` ready to send. */ body: string };

const cache = new Map<string, Cached>();
const MAX_CACHED = 200;

/**
 * The acknowledged state of a project's timeline, read from the update log (what sync has
 * told clients is saved). Reads are cached per stored version, so polling a timeline that
 * did not change costs one small query.
 */
export async function readTimeline(projectId: string): Promise<Cached> {
  const { sql } = serverContext();
  const name = documentName(projectId, 'timeline');
  const version = await documentVersion(sql, name);
  const hit = cache.get(name);
  if (hit && hit.version === version) return hit;
  const { doc } = await loadDocument(sql, name);
  try {
    const timeline = snapshot(doc);
    const value: Cached = { version, snapshot: timeline, state: Y.encodeStateAsUpdate(doc), body: JSON.stringify({ timeline }) };
    cache.delete(name);
    cache.set(name, value);
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value ?? '');
    return value;
  } finally {
    doc.destroy();
  }
}
