import { applyCommands, createTimelineDoc, originFor, snapshot, type TimelineSnapshot } from '@cutline/timeline';
import type { EditRequest, TimelineEditor } from '../../src/ingest/index.ts';

/**
 * A real TimelineEditor in process: one timeline Y.Doc per document name, commands applied
 * with the timeline package's own applyCommands, exactly what the sync server does with a
 * server-side edit. `failNext` makes the next calls fail like an unreachable sync server.
 */
export function createInProcessTimelineEditor(): TimelineEditor & {
  snapshot(documentName: string): TimelineSnapshot;
  requests: EditRequest[];
  failNext(count: number, error?: () => Error): void;
} {
  const docs = new Map<string, ReturnType<typeof createTimelineDoc>>();
  const requests: EditRequest[] = [];
  let failures = 0;
  const unreachable = () => new Error('connect ECONNREFUSED 127.0.0.1:1234');
  let makeError = unreachable;
  const docFor = (name: string) => {
    let doc = docs.get(name);
    if (!doc) {
      doc = createTimelineDoc();
      docs.set(name, doc);
    }
    return doc;
  };
  return {
    requests,
    async apply(request) {
      requests.push(request);
      if (failures > 0) {
        failures -= 1;
        throw makeError();
      }
      const results = applyCommands(docFor(request.documentName), request.commands, originFor(request.origin.source, request.origin.userId));
      return { results };
    },
    snapshot: (name) => snapshot(docFor(name)),
    failNext(count, error) {
      failures = count;
      makeError = error ?? unreachable;
    },
  };
}
