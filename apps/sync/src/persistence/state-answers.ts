import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MessageKind } from '../protocol/frame.ts';

const SyncStep = { Step1: 0, Step2: 1 } as const;

/** Answers kept per document version: the full state and a few recent partial ones. */
const MAX_CACHED_ANSWERS = 4;

/** The two frames a SyncStep1 is answered with, and what producing them cost. */
export type StateAnswer = {
  /** The server's own SyncStep1, then the SyncStep2 (Hocuspocus' order). */
  frames: [Uint8Array, Uint8Array];
  bytes: number;
  /** Time spent encoding (0 when the answer came from the cache). */
  encodeMs: number;
  cached: boolean;
};

/**
 * Per document version: encoded updates by reduced state vector, and the SyncStep2
 * frames built from them by address (`name` or `name\0sessionId`), so a session-aware
 * client costs a copy, not an encode.
 */
type DocCache = { updates: Map<string, Uint8Array>; frames: Map<string, Uint8Array>; snapshot: Y.Snapshot | null };

/**
 * The read path (SPEC.md SY29): what a document answers to a SyncStep1, cached per
 * document version. Encoding "everything after this state vector" walks the whole
 * document (the delete set alone is built from every struct), so answering the same
 * question again for an unchanged document must not encode again. A state vector is
 * first reduced to what it says about this document — clocks clamped to the document's,
 * clients it does not know dropped — so every empty or foreign vector shares the one
 * full-state answer. Any transaction (including one that only parks pending structs,
 * which the answer also carries) starts a new version.
 */
export class StateAnswers {
  private readonly caches = new WeakMap<Y.Doc, DocCache>();

  answer({ document, address, stateVector }: { document: Y.Doc; address: string; stateVector: Uint8Array }): StateAnswer {
    const cache = this.cacheOf(document);
    const own = Y.encodeStateVector(document);
    const step1 = frame(address, SyncStep.Step1, own);
    const vectorKey = normalizedKey(stateVector, own);
    const frameKey = `${address}\n${vectorKey}`;
    const hit = cache.frames.get(frameKey);
    if (hit) return { frames: [step1, hit], bytes: step1.length + hit.length, encodeMs: 0, cached: true };
    let update = cache.updates.get(vectorKey);
    const cached = update !== undefined;
    let encodeMs = 0;
    if (!update) {
      const started = performance.now();
      update = Y.encodeStateAsUpdate(document, stateVector);
      encodeMs = performance.now() - started;
      remember(cache.updates, vectorKey, update);
    }
    // Encoding is synchronous: nothing can have changed the document since `own`.
    const step2 = frame(address, SyncStep.Step2, update);
    remember(cache.frames, frameKey, step2);
    return { frames: [step1, step2], bytes: step1.length + step2.length, encodeMs, cached };
  }

  /**
   * The document's snapshot (state vector and delete set), for "does this update hold
   * anything new?" — built from every struct, so cached per version like the answers.
   */
  snapshot(document: Y.Doc): Y.Snapshot {
    const cache = this.cacheOf(document);
    cache.snapshot ??= Y.snapshot(document);
    return cache.snapshot;
  }

  private cacheOf(document: Y.Doc): DocCache {
    let cache = this.caches.get(document);
    if (!cache) {
      const created: DocCache = { updates: new Map(), frames: new Map(), snapshot: null };
      document.on('afterTransaction', () => {
        created.snapshot = null;
        if (created.updates.size > 0) created.updates = new Map();
        if (created.frames.size > 0) created.frames = new Map();
      });
      this.caches.set(document, created);
      cache = created;
    }
    return cache;
  }
}

/** Keeps the most recent MAX_CACHED_ANSWERS entries. */
function remember(map: Map<string, Uint8Array>, key: string, value: Uint8Array): void {
  if (map.size >= MAX_CACHED_ANSWERS) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

/**
 * A state vector as a key, reduced to what changes the answer: Yjs sends a client's
 * structs from the given clock on, so clocks past the document's, clocks of clients the
 * document has never seen, and zeros all answer like an absent entry.
 */
function normalizedKey(stateVector: Uint8Array, own: Uint8Array): string {
  const mine = Y.decodeStateVector(own);
  const theirs = Y.decodeStateVector(stateVector);
  const parts: string[] = [];
  for (const [client, clock] of theirs) {
    const known = mine.get(client);
    if (known === undefined || clock <= 0) continue;
    parts.push(`${client}:${Math.min(clock, known)}`);
  }
  return parts.sort().join(',');
}

/** A SyncStatus frame, as Hocuspocus writes it (OutgoingMessage.writeSyncStatus). */
export function syncStatusFrame(address: string, saved: boolean): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  encoding.writeVarUint(e, MessageKind.SyncStatus);
  encoding.writeVarUint(e, saved ? 1 : 0);
  return encoding.toUint8Array(e);
}

function frame(address: string, step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  encoding.writeVarUint(e, MessageKind.Sync);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/**
 * Turns a client sync frame that has been answered into a QueryAwareness frame, in
 * place. Hocuspocus offers no hook that answers a message instead of it: its
 * MessageReceiver reads the type from these very bytes after beforeHandleMessage
 * returns, and would encode the answer again. QueryAwareness from a connection with no
 * reply callback is a no-op there (node_modules/@hocuspocus/server/src/MessageReceiver.ts).
 */
export function neutralizeAnswered(frame: Uint8Array): void {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarString(decoder);
  frame[decoder.pos] = MessageKind.QueryAwareness;
}
