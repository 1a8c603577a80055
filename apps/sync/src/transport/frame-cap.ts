import type { Peer } from 'crossws';

/** The part of crossws' node peer and ws' receiver that holds the frame limit. */
type WsPeerInternals = { _internal?: { ws?: { _receiver?: { _maxPayload?: unknown } } } };

/**
 * Sets the largest frame this socket's ws receiver accepts from now on (SPEC.md SY27).
 * ws reads the limit when a frame header arrives and closes with 1009 right there, so a
 * frame over it is refused after a few bytes instead of being buffered whole. ws has no
 * public per-socket setting (maxPayload is per server), hence the receiver's own field,
 * behind crossws' peer. Returns false where there is no such receiver: uWebSockets.js
 * has one maxPayloadLength per route and buffers a frame up to it before the gate sees it.
 */
export function capIncomingFrames(peer: Peer, maxBytes: number): boolean {
  const receiver = (peer as unknown as WsPeerInternals)._internal?.ws?._receiver;
  if (!receiver || typeof receiver._maxPayload !== 'number') return false;
  receiver._maxPayload = maxBytes;
  return true;
}
