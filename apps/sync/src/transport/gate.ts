import type { Hooks, Message, Peer } from 'crossws';
import type { Hocuspocus } from '@hocuspocus/server';
import type { Logger } from '@cutline/shared/log';
import { CloseCode, type SocketHandle, type SyncContext } from '../context.ts';
import { IpLimiter, normalizeAddress } from '../limits/ip-limiter.ts';
import type { SyncLimits } from '../limits/limits.ts';
import { TokenBucket } from '../limits/rate-limiter.ts';
import type { RejectReason, SyncMetrics } from '../metrics/sync-metrics.ts';
import { checkAwarenessUpdate } from '../protocol/awareness-check.ts';
import { MalformedFrameError, parseClientFrame } from '../protocol/frame.ts';
import { rememberCheck } from '../protocol/checked-frames.ts';
import { checkStateVector, checkUpdate, InvalidUpdateError } from '../protocol/update-check.ts';
import { PeerSocket } from './peer-socket.ts';
import { Liveness, PING_FRAME } from '../presence/liveness.ts';

type ClientConnection = ReturnType<Hocuspocus['handleConnection']>;

/** One open WebSocket: its Hocuspocus ClientConnection and its limits. */
class SocketSession implements SocketHandle {
  readonly id: string;
  readonly remoteAddress: string;
  readonly socket: PeerSocket;
  readonly bucket: TokenBucket;
  client: ClientConnection | undefined;

  constructor({ peer, remoteAddress, limits, onBackpressure }: { peer: Peer; remoteAddress: string; limits: SyncLimits; onBackpressure: () => void }) {
    this.id = peer.id;
    this.remoteAddress = remoteAddress;
    this.socket = new PeerSocket({ peer, maxBufferedBytes: limits.maxBackpressureBytes, onBackpressure });
    this.bucket = new TokenBucket({ ratePerSecond: limits.messagesPerSecond, burst: limits.messageBurst });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  holdAck(address: string, gate: Promise<void>): void {
    this.socket.holdAck(address, gate);
  }

  dropAcks(address: string): void {
    this.socket.dropAcks(address);
  }
}

/**
 * The crossws hooks both transports share: every WebSocket passes through here before
 * Hocuspocus sees it (SPEC.md SY20–SY31).
 * - open: one more socket for this address (the upgrade was already checked against
 *   the per-address limit), then a Hocuspocus ClientConnection over a PeerSocket;
 * - message: rate limit, then parse and check the frame — a malformed frame, a bad
 *   update or an oversized awareness state closes this socket and nothing else;
 * - close: release everything.
 */
export class SocketGate {
  private readonly hocuspocus: Hocuspocus<SyncContext>;
  private readonly limits: SyncLimits;
  private readonly metrics: SyncMetrics;
  private readonly log: Logger;
  private readonly sessions = new Map<Peer, SocketSession>();
  private readonly ips: IpLimiter;
  /** uWS hands over message memory it reuses once the callback returns. */
  private readonly copyFrames: boolean;
  /** Pings quiet sockets and drops dead ones, so presence goes within seconds (SY54). */
  private readonly liveness: Liveness<Peer>;
  private draining = false;

  constructor({
    hocuspocus,
    limits,
    metrics,
    log,
    copyFrames,
    liveness = {},
  }: {
    hocuspocus: Hocuspocus<SyncContext>;
    limits: SyncLimits;
    metrics: SyncMetrics;
    log: Logger;
    copyFrames: boolean;
    liveness?: { pingEveryMs?: number; deadAfterMs?: number };
  }) {
    this.hocuspocus = hocuspocus;
    this.limits = limits;
    this.metrics = metrics;
    this.log = log;
    this.copyFrames = copyFrames;
    this.ips = new IpLimiter(limits.maxConnectionsPerIp);
    this.liveness = new Liveness({ ...liveness, onDead: () => this.log.debug('dropping a websocket that stopped answering pings') });
    this.liveness.start();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Asked at upgrade time, before the handshake completes (SY24). */
  admits(address: string | undefined): boolean {
    if (this.draining) {
      this.metrics.refusedConnections.inc({ reason: 'draining' });
      return false;
    }
    if (this.ips.count(normalizeAddress(address)) >= this.limits.maxConnectionsPerIp) {
      this.metrics.refusedConnections.inc({ reason: 'too_many_connections_from_address' });
      return false;
    }
    return true;
  }

  readonly hooks: Partial<Hooks> = {
    open: (peer) => {
      try {
        this.open(peer);
      } catch (error) {
        this.log.error({ err: error }, 'websocket open failed');
        peer.close(CloseCode.Unavailable, 'internal-error');
      }
    },
    message: (peer, message) => {
      try {
        this.message(peer, message);
      } catch (error) {
        this.log.error({ err: error }, 'websocket message handling failed');
        this.sessions.get(peer)?.close(CloseCode.Unavailable, 'internal-error');
      }
    },
    close: (peer, details) => {
      try {
        this.closed(peer, details);
      } catch (error) {
        this.log.error({ err: error }, 'websocket close handling failed');
      }
    },
    error: (peer, error) => {
      this.log.debug({ peer: peer.id, err: error }, 'websocket error');
    },
  };

  private open(peer: Peer): void {
    const remoteAddress = normalizeAddress(peer.remoteAddress);
    if (this.draining || !this.ips.acquire(remoteAddress)) {
      // A burst of handshakes can pass the upgrade check together; the open decides.
      this.metrics.refusedConnections.inc({ reason: this.draining ? 'draining' : 'too_many_connections_from_address' });
      peer.close(CloseCode.PolicyViolation, this.draining ? 'shutting-down' : 'too-many-connections');
      return;
    }
    const session = new SocketSession({
      peer,
      remoteAddress,
      limits: this.limits,
      onBackpressure: () => this.metrics.rejected('backpressure'),
    });
    this.sessions.set(peer, session);
    this.liveness.track(peer, { ping: () => session.socket.send(PING_FRAME), terminate: () => peer.terminate() });
    const context: SyncContext = { socket: session };
    session.client = this.hocuspocus.handleConnection(session.socket, peer.request, context);
  }

  private message(peer: Peer, message: Message): void {
    const session = this.sessions.get(peer);
    if (!session?.client || session.socket.readyState !== 1) return;
    this.liveness.seen(peer);
    if (this.draining) {
      // Not applied, so not acknowledged: the client sends it again after reconnecting.
      this.metrics.rejected('draining');
      return;
    }
    if (!session.bucket.take()) return this.refuse(session, 'rate_limited', CloseCode.RateLimited, 'rate-limited');
    const view = message.uint8Array();
    if (view.length > this.limits.maxFrameBytes) return this.refuse(session, 'frame_too_large', CloseCode.MessageTooBig, 'frame-too-large');
    const data = this.copyFrames ? view.slice() : view;
    let frame;
    try {
      frame = parseClientFrame(data, { maxTokenLength: this.limits.maxTokenLength });
      if (frame.kind === 'sync') {
        if (frame.step === 'step1') checkStateVector(frame.stateVector);
        else rememberCheck(data, { frame, update: checkUpdate(frame.update) });
      } else if (frame.kind === 'awareness') {
        checkAwarenessUpdate(frame.update, { maxStates: 16, maxStateBytes: this.limits.maxAwarenessStateBytes });
      }
    } catch (error) {
      if (error instanceof InvalidUpdateError) return this.refuse(session, 'invalid_update', CloseCode.InvalidData, 'invalid-update');
      if (error instanceof MalformedFrameError) return this.refuse(session, 'malformed_frame', CloseCode.InvalidData, 'malformed-frame');
      throw error;
    }
    if (frame.kind === 'pong') {
      // Hocuspocus' own idle timeout counts only the frames it sees; an answered Ping is
      // proof of life too (a hidden tab's timers, and so its awareness renewals, are throttled).
      session.client.lastMessageReceivedAt = Date.now();
      return this.liveness.seen(peer, { pong: true });
    }
    session.client.handleMessage(data);
  }

  private refuse(session: SocketSession, reason: RejectReason, code: number, clientReason: string): void {
    this.metrics.rejected(reason);
    this.log.debug({ socket: session.id, reason }, 'closing a websocket');
    session.close(code, clientReason);
  }

  private closed(peer: Peer, details: { code?: number; reason?: string }): void {
    const session = this.sessions.get(peer);
    if (!session) return;
    this.sessions.delete(peer);
    this.liveness.forget(peer);
    this.ips.release(session.remoteAddress);
    session.socket.closed();
    session.client?.handleClose({ code: details.code ?? 1006, reason: details.reason ?? '' });
  }

  /** Graceful shutdown, step 1: refuse new sockets and stop reading frames. */
  drain(): void {
    this.draining = true;
    this.liveness.stop();
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Graceful shutdown, last step: close every socket (clients reconnect elsewhere). */
  closeAll(code: number, reason: string): void {
    for (const session of this.sessions.values()) session.close(code, reason);
  }
}
