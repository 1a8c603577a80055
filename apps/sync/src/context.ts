import type { DocumentKind, Principal, Role } from '@cutline/shared/auth';
import type { UpdateOrigin } from './persistence/update-log.ts';
import type { PresenceUser } from '@cutline/shared/presence';

/** The transport-level WebSocket a document connection runs on. */
export type SocketHandle = {
  readonly id: string;
  /** The peer address of the TCP socket (never a header). */
  readonly remoteAddress: string;
  /** Closes the whole WebSocket (every document on it). */
  close(code: number, reason: string): void;
  /**
   * The next SyncStatus this socket sends for `address` waits for `gate`, and is dropped
   * if it rejects (SPEC.md SY10). Acknowledgements keep their order per address.
   */
  holdAck(address: string, gate: Promise<void>): void;
  /** Forgets the acknowledgements held for a document connection that closed. */
  dropAcks(address: string): void;
};

/** What a document connection knows once `onAuthenticate` has passed (SPEC.md SY1–SY4). */
export type AuthState = {
  principal: Principal;
  projectId: string;
  kind: DocumentKind;
  role: Role;
  access: 'read' | 'write';
  presence: PresenceUser;
};

/**
 * Hocuspocus context of every hook. WebSocket connections carry `socket` (set when the
 * socket opens) and `auth` (set by onAuthenticate); server-side edits on a
 * DirectConnection carry the typed `origin` their updates are stored with.
 */
export type SyncContext = {
  socket?: SocketHandle;
  auth?: AuthState;
  origin?: UpdateOrigin;
};

/**
 * An error a Hocuspocus hook throws to refuse something: `reason` reaches the client
 * (permission-denied message or close frame), `code` is the close code.
 */
export class RefusedError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message = reason) {
    super(message);
    this.name = 'RefusedError';
    this.code = code;
    this.reason = reason;
  }
}

/** Close codes sync uses (4000–4999 are the application's). */
export const CloseCode = {
  GoingAway: 1001,
  InvalidData: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  TryAgainLater: 1013,
  Unauthorized: 4401,
  Forbidden: 4403,
  AuthenticationTimeout: 4408,
  DocumentTooLarge: 4413,
  TooManyDocuments: 4429,
  RateLimited: 4430,
  /** SyncStep1 answers past the connection's read budget (SY29). */
  ReadLimited: 4431,
  Unavailable: 4503,
} as const;
