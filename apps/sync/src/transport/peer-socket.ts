import type { Peer } from 'crossws';
import type { WebSocketLike } from '@hocuspocus/server';
import { documentSignal, syncStatusAddress } from '../protocol/outgoing.ts';

export type DocumentSignal = NonNullable<ReturnType<typeof documentSignal>>;

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * The WebSocket Hocuspocus writes to, over a crossws peer. Hocuspocus needs `send`,
 * `close` and `readyState`; crossws's uWS adapter exposes a `peer.websocket` without
 * `send`/`close`, so every transport goes through the peer's own methods instead.
 *
 * Durable acknowledgements (SPEC.md SY10): Hocuspocus sends SyncStatus the moment it has
 * applied an update. For a writable connection the document store registers, per message,
 * a gate that resolves once the update is stored; the SyncStatus frames for that address
 * wait for their gates, in order, and one whose gate rejects is never sent. Every other
 * frame (relayed updates, awareness) goes out at once.
 *
 * Backpressure (SY26): uWS is configured to close a socket whose send buffer passes
 * maxBackpressure (and reports it as a send result of 2); `ws` buffers without limit, so
 * after each send the buffered amount is checked here and a client that has fallen that
 * far behind is dropped. It reconnects and resyncs from state vectors.
 */
export class PeerSocket implements WebSocketLike {
  readyState: number = OPEN;
  private readonly peer: Peer;
  private readonly maxBufferedBytes: number;
  private readonly onBackpressure: () => void;
  private readonly onSignal: (signal: DocumentSignal) => void;
  private readonly gates = new Map<string, Array<Promise<void>>>();
  private readonly tails = new Map<string, Promise<void>>();

  constructor({
    peer,
    maxBufferedBytes,
    onBackpressure,
    onSignal = () => {},
  }: {
    peer: Peer;
    maxBufferedBytes: number;
    onBackpressure: () => void;
    /** Hears Hocuspocus authenticate or let go of a document on this socket (SY23, SY27). */
    onSignal?: (signal: DocumentSignal) => void;
  }) {
    this.peer = peer;
    this.maxBufferedBytes = maxBufferedBytes;
    this.onBackpressure = onBackpressure;
    this.onSignal = onSignal;
  }

  holdAck(address: string, gate: Promise<void>): void {
    // Observed here so a rejected gate is never an unhandled rejection.
    gate.catch(() => {});
    const queue = this.gates.get(address);
    if (queue) queue.push(gate);
    else this.gates.set(address, [gate]);
  }

  dropAcks(address: string): void {
    this.gates.delete(address);
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (this.readyState !== OPEN) return;
    const bytes = data instanceof Uint8Array ? data : toBytes(data);
    if (bytes instanceof Uint8Array) {
      const signal = documentSignal(bytes);
      if (signal) this.onSignal(signal);
    }
    if ((this.gates.size > 0 || this.tails.size > 0) && bytes instanceof Uint8Array) {
      const address = syncStatusAddress(bytes);
      if (address !== null && (this.gates.has(address) || this.tails.has(address))) {
        this.sendAfterGate(address, bytes);
        return;
      }
    }
    this.sendNow(bytes);
  }

  private sendAfterGate(address: string, frame: Uint8Array): void {
    const queue = this.gates.get(address);
    const gate = queue?.shift() ?? Promise.resolve();
    if (queue?.length === 0) this.gates.delete(address);
    const previous = this.tails.get(address) ?? Promise.resolve();
    const tail: Promise<void> = previous
      .then(() => gate)
      .then(
        () => this.sendNow(frame),
        () => {
          // Not stored: the acknowledgement is never sent (the document is being reset).
        },
      )
      .finally(() => {
        if (this.tails.get(address) === tail) this.tails.delete(address);
      });
    this.tails.set(address, tail);
  }

  private sendNow(bytes: Uint8Array | string): void {
    if (this.readyState !== OPEN) return;
    try {
      const result = this.peer.send(bytes);
      // uWS: 2 = dropped because the buffer is over maxBackpressure (it is closing the socket).
      if (result === 2 || this.peer.bufferedAmount > this.maxBufferedBytes) {
        this.readyState = CLOSING;
        this.onBackpressure();
        this.peer.terminate();
      }
    } catch {
      this.readyState = CLOSING;
      this.peer.terminate();
    }
  }

  close(code?: number, reason?: string): void {
    if (this.readyState !== OPEN) return;
    this.readyState = CLOSING;
    this.peer.close(code, reason);
  }

  /** Drops the connection without a closing handshake (nothing more is read from it). */
  terminate(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this.peer.terminate();
  }

  /** Called when the transport reports the socket closed. */
  closed(): void {
    this.readyState = CLOSED;
    this.gates.clear();
  }
}

function toBytes(data: string | ArrayBufferLike | Blob | ArrayBufferView): Uint8Array | string {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof Blob) throw new TypeError('Blob frames are not supported');
  return new Uint8Array(data);
}
