import type { Hooks, Message, Peer } from 'crossws';
import type { Hocuspocus } from '@hocuspocus/server';
import type { Logger } from '@cutline/shared/log';
import { CloseCode, type SocketHandle, type SyncContext } from '../context.ts';
import { IpLimiter, normalizeAddress } from '../limits/ip-limiter.ts';
import type { SyncLimits } from '../limits/limits.ts';
import { TokenBucket } from '../limits/rate-limiter.ts';
import { UnauthenticatedBudget, type UnauthenticatedAccount } from '../limits/unauthenticated-budget.ts';
import type { RejectReason, SyncMetrics } from '../metrics/sync-metrics.ts';
import { checkAwarenessUpdate } from '../protocol/awareness-check.ts';
import { MalformedFrameError, parseClientFrame } from '../protocol/frame.ts';
import { rememberCheck } from '../protocol/checked-frames.ts';
import { checkStateVector, checkUpdate, InvalidUpdateError } from '../protocol/update-check.ts';
import { permissionDeniedFrame } from '../protocol/outgoing.ts';
import { capIncomingFrames } from './frame-cap.ts';
import { PeerSocket, type DocumentSignal } from './peer-socket.ts';
import { Liveness, PING_FRAME } from '../presence/liveness.ts';

type ClientConnection = ReturnType<Hocuspocus['handleConnection']>;

/** One open WebSocket: its Hocuspocus ClientConnection and its limits. */
class SocketSession implements SocketHandle {
  readonly id: string;
  readonly remoteAddress: string;
  readonly socket: PeerSocket;
  readonly bucket: TokenBucket;
  client: ClientConnection | undefined;
  /** Set once Hocuspocus has authenticated any document on this socket; never unset. */
  authenticated = false;
  /** Holds one of its address' slots for sockets still waiting for an Auth answer (SY27). */
  holdsUnauthenticatedSlot = false;
  /** Bytes sent before that, still counted against the pre-authentication budgets (SY27). */
  readonly unauthenticated: UnauthenticatedAccount = { bytes: 0 };
  /** Closes the socket if it has not authenticated by then (SY27). */
  deadline: NodeJS.Timeout | undefined;
  /**
   * The addresses Hocuspocus holds for this socket, authenticating, loading or open
   * (SY23): added when the gate passes their first frame on, removed when Hocuspocus
   * refuses or closes them.
   */
  readonly documents = new Set<string>();

  constructor({
    peer,
    remoteAddress,
    limits,
    onBackpressure,
    onSignal,
  }: {
    peer: Peer;
    remoteAddress: string;
    limits: SyncLimits;
    onBackpressure: () => void;
    onSignal: (signal: DocumentSignal) => void;
  }) {
    this.id = peer.id;
    this.remoteAddress = remoteAddress;
    this.socket = new PeerSocket({ peer, maxBufferedBytes: limits.maxBackpressureBytes, onBackpressure, onSignal });
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
  /** What sockets that have not authenticated yet may make the server hold (SY27). */
  private readonly unauthenticated: UnauthenticatedBudget;
  /**
   * Sockets still waiting for their first Auth answer, per address (SY27).
   * uWebSockets.js buffers a frame up to the frame limit before the gate can refuse it,
   * so this is what bounds the memory one address can tie up with such sockets there.
   */
  private readonly unauthenticatedIps: IpLimiter;
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
    this.unauthenticatedIps = new IpLimiter(limits.maxUnauthenticatedSocketsPerIp);
    this.unauthenticated = new UnauthenticatedBudget({ perSocket: limits.maxUnauthenticatedBytes, overall: limits.maxUnauthenticatedBytesTotal });
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
    const client = normalizeAddress(address);
    if (this.ips.count(client) >= this.limits.maxConnectionsPerIp) {
      this.metrics.refusedConnections.inc({ reason: 'too_many_connections_from_address' });
      return false;
    }
    if (this.unauthenticatedIps.count(client) >= this.limits.maxUnauthenticatedSocketsPerIp) {
      this.metrics.refusedConnections.inc({ reason: 'too_many_unauthenticated_from_address' });
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
      // ws refuses a frame over the socket's cap (SY20, SY27) at its header, as an error.
      if (/max payload size exceeded/i.test(error.message)) {
        this.metrics.rejected('frame_too_large');
        // Its closing handshake would read (and drop) the rest of the frame first.
        const session = this.sessions.get(peer);
        if (session && !session.authenticated) session.socket.terminate();
      }
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
    if (!this.unauthenticatedIps.acquire(remoteAddress)) {
      this.ips.release(remoteAddress);
      this.metrics.refusedConnections.inc({ reason: 'too_many_unauthenticated_from_address' });
      peer.terminate();
      return;
    }
    const session: SocketSession = new SocketSession({
      peer,
      remoteAddress,
      limits: this.limits,
      onBackpressure: () => this.metrics.rejected('backpressure'),
      onSignal: (signal) => this.signalled(peer, session, signal),
    });
    session.holdsUnauthenticatedSlot = true;
    this.sessions.set(peer, session);
    // Until it authenticates, a socket may only send small frames (ws refuses bigger ones
    // at their header) and may only stay a few seconds.
    capIncomingFrames(peer, this.limits.maxUnauthenticatedBytes);
    session.deadline = setTimeout(() => {
      if (!session.authenticated) this.refuse(session, 'auth_timeout', CloseCode.AuthenticationTimeout, 'authentication-timeout');
    }, this.limits.authTimeoutMs);
    session.deadline.unref();
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
    if (!session.authenticated) {
      // Checked before anything is copied or parsed: Hocuspocus would queue this frame
      // until the socket authenticates.
      // Past its budget, the socket is dropped without a closing handshake, which would
      // keep reading whatever else it sends.
      const answer = this.unauthenticated.take(session.unauthenticated, view.length);
      if (answer === 'over_socket_budget') {
        this.metrics.rejected('frame_too_large');
        return session.socket.terminate();
      }
      if (answer === 'over_server_budget') return this.refuse(session, 'unauthenticated_budget', CloseCode.TryAgainLater, 'try-again-later');
    }
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
    if (!session.documents.has(frame.address)) {
      // Nothing to close: Hocuspocus would only start holding state for the address.
      if (frame.kind === 'close') return;
      if (session.documents.size >= this.limits.maxDocumentsPerConnection) return this.refuseDocument(session, frame);
      session.documents.add(frame.address);
    }
    session.client.handleMessage(data);
  }

  /**
   * One document too many (SY23): that document is refused, the socket and its other
   * documents carry on. Hocuspocus never sees the frame, so it holds nothing for it; only
   * the Auth frame is answered (a provider sends it first, then sync and awareness).
   */
  private refuseDocument(session: SocketSession, frame: { kind: string; address: string }): void {
    if (frame.kind !== 'auth') return;
    this.metrics.refusedConnections.inc({ reason: 'too_many_documents' });
    session.socket.send(permissionDeniedFrame(frame.address, 'too-many-documents'));
  }

  /** What Hocuspocus answered for one of the socket's documents (PeerSocket reads it off the wire). */
  private signalled(peer: Peer, session: SocketSession, { address, signal }: DocumentSignal): void {
    if (signal !== 'authenticated') session.documents.delete(address);
    // Any answer ends the wait the per-address slot is about: a client whose access is
    // gone (and who keeps retrying) must not crowd out its neighbours.
    if (signal !== 'closed') this.releaseSlot(session);
    if (signal !== 'authenticated' || session.authenticated) return;
    session.authenticated = true;
    clearTimeout(session.deadline);
    this.releaseUnauthenticated(session);
    capIncomingFrames(peer, this.limits.maxFrameBytes);
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
    clearTimeout(session.deadline);
    this.releaseUnauthenticated(session);
    this.liveness.forget(peer);
    this.ips.release(session.remoteAddress);
    session.socket.closed();
    session.client?.handleClose({ code: details.code ?? 1006, reason: details.reason ?? '' });
  }

  private releaseUnauthenticated(session: SocketSession): void {
    this.unauthenticated.release(session.unauthenticated);
    this.releaseSlot(session);
  }

  private releaseSlot(session: SocketSession): void {
    if (!session.holdsUnauthenticatedSlot) return;
    session.holdsUnauthenticatedSlot = false;
    this.unauthenticatedIps.release(session.remoteAddress);
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
