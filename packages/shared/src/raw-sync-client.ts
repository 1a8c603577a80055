/**
 * A protocol-level sync client for tests and benchmarks: raw Hocuspocus frames over a
 * plain WebSocket (what a hostile client, or a load generator that must not spend its CPU
 * on Yjs, sends). Node only.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';

/** Frame builders for the Hocuspocus wire format (what a hostile client can send). */
export const frames = {
  auth(documentName: string, token: string): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, documentName);
    encoding.writeVarUint(e, 2); // Auth
    encoding.writeVarUint(e, 0); // Token
    encoding.writeVarString(e, token);
    encoding.writeVarString(e, 'raw-test-client');
    return encoding.toUint8Array(e);
  },
  syncStep1(documentName: string, stateVector: Uint8Array): Uint8Array {
    return sync(documentName, 0, stateVector);
  },
  update(documentName: string, update: Uint8Array): Uint8Array {
    return sync(documentName, 2, update);
  },
  awareness(documentName: string, states: Array<{ clientId: number; clock: number; state: unknown }>): Uint8Array {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, states.length);
    for (const s of states) {
      encoding.writeVarUint(inner, s.clientId);
      encoding.writeVarUint(inner, s.clock);
      encoding.writeVarString(inner, JSON.stringify(s.state));
    }
    const e = encoding.createEncoder();
    encoding.writeVarString(e, documentName);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    return encoding.toUint8Array(e);
  },
  typed(documentName: string, type: number, body: Uint8Array = new Uint8Array()): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, documentName);
    encoding.writeVarUint(e, type);
    encoding.writeUint8Array(e, body);
    return encoding.toUint8Array(e);
  },
};

function sync(documentName: string, step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, documentName);
  encoding.writeVarUint(e, 0); // Sync
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export type Incoming = { documentName: string; type: number; body: decoding.Decoder; bytes: Uint8Array };

/** A bare WebSocket speaking the protocol by hand: for fuzzing, limits and spoofing. */
export class RawClient {
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters: Array<{ match: (m: Incoming) => boolean; resolve: (m: Incoming) => void }> = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data);
      let message: Incoming;
      try {
        const decoder = decoding.createDecoder(bytes);
        const documentName = decoding.readVarString(decoder);
        const type = decoding.readVarUint(decoder);
        message = { documentName, type, body: decoder, bytes };
      } catch {
        return;
      }
      for (const w of [...this.waiters]) {
        if (!w.match(message)) continue;
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(message);
      }
    });
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  static connect(url: string, { zeroMask = false }: { zeroMask?: boolean } = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      // ws skips masking for an all-zero mask: a flood of big frames costs the sender nothing.
      const ws = new WebSocket(url, { maxPayload: 256 * 1024 * 1024, ...(zeroMask ? { generateMask: (mask: Buffer) => mask.fill(0) } : {}) });
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: Uint8Array | string): Promise<void> {
    return new Promise((resolve) => {
      if (!this.open) return resolve();
      this.ws.send(frame, () => resolve());
    });
  }

  next(match: (m: Incoming) => boolean): Promise<Incoming> {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Authenticates one document; resolves with the scope, or throws the refusal. */
  async authenticate(documentName: string, token: string): Promise<string> {
    const answer = this.next((m) => m.documentName === documentName && m.type === 2);
    await this.send(frames.auth(documentName, token));
    const reply = await Promise.race([answer, this.closed.then(({ code, reason }) => Promise.reject(new Error(`closed ${code} ${reason}`)))]);
    const kind = decoding.readVarUint(reply.body);
    const text = decoding.readVarString(reply.body);
    if (kind !== 2) throw new Error(`refused: ${text}`);
    return text;
  }

  close(): void {
    this.ws.terminate();
  }
}
