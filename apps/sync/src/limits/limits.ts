import type { Config } from '@cutline/shared/config';

/** Every limit sync enforces (SPEC.md SY20–SY28), resolved once from the config. */
export type SyncLimits = {
  /** Largest WebSocket frame; the transport refuses (and closes on) anything bigger. */
  maxFrameBytes: number;
  /** Bytes queued towards one slow client before its socket is closed. */
  maxBackpressureBytes: number;
  /** Largest encoded document; an edit that would grow it past this is refused. */
  maxDocumentBytes: number;
  /** Sustained messages per second per WebSocket … */
  messagesPerSecond: number;
  /** … and the burst a token bucket allows on top. */
  messageBurst: number;
  maxDocumentsPerConnection: number;
  maxConnectionsPerIp: number;
  /** One awareness state after JSON encoding. */
  maxAwarenessStateBytes: number;
  /** Awareness client ids one connection may own in a document. */
  maxAwarenessClientsPerConnection: number;
  maxTokenLength: number;
  /** Body of the internal edit endpoint. */
  maxEditBodyBytes: number;
  /**
   * Before a WebSocket has authenticated any document (SY27): the bytes of frames it may
   * send (also the largest frame it may send then), all such sockets together, and how
   * long it may stay.
   */
  maxUnauthenticatedBytes: number;
  maxUnauthenticatedBytesTotal: number;
  authTimeoutMs: number;
  /** WebSockets one client address may have open before they authenticate. */
  maxUnauthenticatedSocketsPerIp: number;
};

/** Room for the pre-authentication frames of this many sockets at once, server-wide (SY27). */
const UNAUTHENTICATED_SOCKETS_AT_FULL_BUDGET = 256;
const MIN_UNAUTHENTICATED_BYTES_TOTAL = 32 * 1024 * 1024;

export function limitsFromConfig(config: Config): SyncLimits {
  return {
    maxFrameBytes: config.SYNC_MAX_FRAME_BYTES,
    // Room for two full frames: a client that cannot take even that is too slow to keep.
    maxBackpressureBytes: Math.max(2 * config.SYNC_MAX_FRAME_BYTES, 1024 * 1024),
    maxDocumentBytes: config.SYNC_MAX_DOCUMENT_BYTES,
    messagesPerSecond: config.SYNC_MAX_MESSAGES_PER_SECOND,
    messageBurst: config.SYNC_MAX_MESSAGES_PER_SECOND * 2,
    maxDocumentsPerConnection: config.SYNC_MAX_DOCUMENTS_PER_CONNECTION,
    maxConnectionsPerIp: config.SYNC_MAX_CONNECTIONS_PER_IP,
    maxAwarenessStateBytes: 16 * 1024,
    maxAwarenessClientsPerConnection: 4,
    maxTokenLength: 512,
    maxEditBodyBytes: 2 * 1024 * 1024,
    maxUnauthenticatedBytes: Math.min(config.SYNC_MAX_UNAUTHENTICATED_BYTES, config.SYNC_MAX_FRAME_BYTES),
    maxUnauthenticatedBytesTotal: Math.max(MIN_UNAUTHENTICATED_BYTES_TOTAL, UNAUTHENTICATED_SOCKETS_AT_FULL_BUDGET * config.SYNC_MAX_UNAUTHENTICATED_BYTES),
    authTimeoutMs: config.SYNC_AUTH_TIMEOUT_MS,
    maxUnauthenticatedSocketsPerIp: Math.min(config.SYNC_MAX_UNAUTHENTICATED_PER_IP, config.SYNC_MAX_CONNECTIONS_PER_IP),
  };
}
