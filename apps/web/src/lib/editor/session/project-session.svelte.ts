import * as Y from 'yjs';
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import {
  applyCommand,
  applyCommands,
  createUserUndoManager,
  originFor,
  snapshot,
  TimelineError,
  type CommandResult,
  type CommandResults,
  type TimelineCommand,
  type TimelineSnapshot,
  type UserUndoManager,
} from '@cutline/timeline';
import type { Api } from '#lib/api/client.ts';
import { ApiError, errorMessage } from '#lib/api/errors.ts';
import type { Role, SyncTicket, User } from '#lib/api/types.ts';
import { syncIndicator, type DocSyncFacts, type SocketStatus, type SyncIndicator } from './sync-status.ts';
import { can, documentName } from '@cutline/shared/policy';
import { isRefusedWrite } from './sync-refusal.ts';

export type Awareness = NonNullable<HocuspocusProvider['awareness']>;


type DocLink = { provider: HocuspocusProvider; denied: string | null };

/** Why this person can no longer work in the project (the server dropped them, SY5). */
export type AccessLoss = 'removed' | 'signed-out';

/**
 * One open project: its two documents on ONE WebSocket (Hocuspocus v4 multiplexing: a
 * shared `HocuspocusProviderWebsocket`, each provider `attach()`ed), the per-user undo
 * manager, the live snapshot, and the truthful sync indicator. Every timeline edit goes
 * through `run`/`runBatch`: a Timeline command applied with this user's origin, so undo
 * is per user and the server can tell who did what.
 */
export class ProjectSession {
  readonly projectId: string;
  readonly user: User;
  /** This person's role; follows a change an owner makes while the project is open. */
  role: Role = $state('viewer');
  /** Set when the server dropped this person for good: the editor says so and stops reconnecting. */
  accessLost: AccessLoss | null = $state(null);
  readonly timelineDoc = new Y.Doc();
  readonly commentsDoc = new Y.Doc();
  readonly origin;

  /** The timeline as of the last transaction (memoised by the model per doc state). */
  snapshot: TimelineSnapshot = $state.raw(snapshot(this.timelineDoc));
  sync: SyncIndicator = $state.raw({ state: 'connecting', label: 'Connecting…', detail: 'Opening the project', pending: 0 });
  /** The first sync finished: the document is the server's, edits may start. */
  ready = $state(false);
  /** Why the project cannot be opened at all (no ticket, no access). */
  fatal: string | null = $state(null);
  canUndo = $state(false);
  canRedo = $state(false);
  /** The server's answer for this connection (a commenter's timeline is read-only). */
  scope: 'read-write' | 'readonly' | null = $state(null);

  private readonly api: Api;
  private socket: HocuspocusProviderWebsocket | null = null;
  private timeline: DocLink | null = null;
  private comments: DocLink | null = null;
  private undoManager: UserUndoManager;
  private ticket: SyncTicket | null = null;
  private online = typeof navigator === 'undefined' ? true : navigator.onLine;
  private socketStatus: SocketStatus = 'connecting';
  private everConnected = false;
  private readonly cleanups: (() => void)[] = [];
  private noticeListeners: ((message: string) => void)[] = [];
  private refusalListeners: ((message: string) => void)[] = [];
  private accessCheck: Promise<void> | null = null;

  constructor({ projectId, user, role, api }: { projectId: string; user: User; role: Role; api: Api }) {
    this.projectId = projectId;
    this.user = user;
    this.role = role;
    this.api = api;
    this.origin = originFor('user', user.id);
    this.undoManager = createUserUndoManager({ doc: this.timelineDoc, userId: user.id });
    const onTransaction = () => {
      this.snapshot = snapshot(this.timelineDoc);
    };
    this.timelineDoc.on('afterTransaction', onTransaction);
    this.cleanups.push(() => this.timelineDoc.off('afterTransaction', onTransaction));
    const stack = () => {
      this.canUndo = this.undoManager.canUndo();
      this.canRedo = this.undoManager.canRedo();
    };
    for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) {
      this.undoManager.manager.on(event, stack);
      this.cleanups.push(() => this.undoManager.manager.off(event, stack));
    }
  }

  /** May this user change the timeline right now? */
  get editable(): boolean {
    return can(this.role, 'timeline.write') && this.scope !== 'readonly' && this.ready;
  }

  get awareness(): Awareness | null {
    return this.timeline?.provider.awareness ?? null;
  }

  /** Tickets are short-lived; one is reused until shortly before it expires. */
  private async token(): Promise<string> {
    const fresh = this.ticket && Date.parse(this.ticket.expiresAt) - Date.now() > 15_000;
    if (!fresh) this.ticket = await this.api.syncTicket(this.projectId);
    return (this.ticket as SyncTicket).token;
  }

  async connect(): Promise<void> {
    try {
      this.ticket = await this.api.syncTicket(this.projectId);
    } catch (error) {
      this.fatal = `Cannot open the live timeline: ${errorMessage(error)}`;
      this.refresh();
      return;
    }
    const socket = new HocuspocusProviderWebsocket({ url: this.ticket.url, autoConnect: true });
    this.socket = socket;
    const onStatus = ({ status }: { status: WebSocketStatus }) => {
      this.socketStatus = status === WebSocketStatus.Connected ? 'connected' : status === WebSocketStatus.Connecting ? 'connecting' : 'disconnected';
      this.refresh();
    };
    socket.on('status', onStatus);
    // A changed role closes the socket (SY5 `permission-changed`); the reconnect brings the new scope.
    const onSocketClose = ({ event }: { event: { reason?: string } }) => {
      if (event?.reason === 'permission-changed' || event?.reason === 'permission-revoked') void this.recheckAccess();
    };
    socket.on('close', onSocketClose);
    this.timeline = this.link(documentName(this.projectId, 'timeline'), this.timelineDoc, true);
    this.comments = this.link(documentName(this.projectId, 'comments'), this.commentsDoc, false);

    const online = () => {
      this.online = true;
      // The browser says the network is back: retry now instead of after the backoff.
      if (socket.status !== WebSocketStatus.Connected) void socket.connect();
      this.refresh();
    };
    const offline = () => {
      this.online = false;
      this.refresh();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    this.cleanups.push(() => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      socket.off('status', onStatus);
      socket.off('close', onSocketClose);
    });
  }

  private link(name: string, document: Y.Doc, withAwareness: boolean): DocLink {
    const provider = new HocuspocusProvider({
      websocketProvider: this.socket as HocuspocusProviderWebsocket,
      name,
      document,
      token: () => this.token(),
      // Presence lives on the timeline document only (one avatar per person, not two).
      ...(withAwareness ? {} : { awareness: null }),
    });
    const entry: DocLink = { provider, denied: null };
    provider.on('authenticated', ({ scope }: { scope: 'read-write' | 'readonly' }) => {
      entry.denied = null;
      if (withAwareness) this.scope = scope;
      this.refresh();
    });
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
      entry.denied = reason;
      this.refresh();
    });
    provider.on('close', ({ event }: { event: { code: number; reason: string } }) => {
      if (event.reason === 'permission-revoked') {
        entry.denied = event.reason;
        void this.recheckAccess();
      }
      this.refresh();
    });
    // The server refused a write (a read-only connection, SY3): never applied, never stored.
    provider.on('message', ({ event }: { event: MessageEvent }) => {
      if (event.data instanceof ArrayBuffer && isRefusedWrite(new Uint8Array(event.data))) {
        // Timeline: a read-only connection. Comments: viewers, or a change to someone
        // else's comment (apps/sync SY6) — the editor's own controls never send one.
        const what = withAwareness ? 'you cannot edit this timeline' : can(this.role, 'comments.write') ? "only a comment's author may change it" : 'you cannot comment in this project';
        this.refusedWrite(`The server refused your change: ${what}.`);
      }
    });
    provider.on('synced', () => {
      if (withAwareness && !this.ready) this.ready = true;
      this.refresh();
    });
    provider.on('unsyncedChanges', () => this.refresh());
    provider.attach();
    return entry;
  }

  /**
   * The server dropped a connection because this person's access changed (SY5): ask the
   * API what is left. No access → say so and stop reconnecting; another role → take it
   * (the provider's reconnect brings the matching scope).
   */
  private recheckAccess(): Promise<void> {
    this.accessCheck ??= (async () => {
      try {
        const { role } = await this.api.getProject(this.projectId);
        if (role !== this.role) {
          this.role = role;
          this.notify(`Your role in this project changed: you are now ${role === 'editor' ? 'an' : 'a'} ${role}.`);
        }
      } catch (error) {
        if (error instanceof ApiError && [401, 403, 404].includes(error.status)) {
          this.accessLost = error.status === 401 ? 'signed-out' : 'removed';
          this.socket?.disconnect();
        }
      } finally {
        this.accessCheck = null;
        this.refresh();
      }
    })();
    return this.accessCheck;
  }

  private refresh(): void {
    if (this.socketStatus === 'connected') this.everConnected = true;
    if (this.accessLost) {
      const detail = this.accessLost === 'removed' ? 'You were removed from this project.' : 'Your session has ended; log in again.';
      this.sync = { state: 'denied', label: 'No access', detail, pending: 0 };
      return;
    }
    const docs: DocSyncFacts[] = [this.timeline, this.comments]
      .filter((l): l is DocLink => l !== null)
      .map((l) => ({ synced: l.provider.isSynced, unsynced: l.provider.unsyncedChanges, authenticated: l.provider.isAuthenticated, denied: l.denied }));
    if (this.fatal) {
      this.sync = { state: 'denied', label: 'Not connected', detail: this.fatal, pending: 0 };
      return;
    }
    this.sync = syncIndicator({ online: this.online, socket: this.socketStatus, everConnected: this.everConnected, docs });
  }

  /** Messages for the person (a refused edit); the editor shows them in a live region. */
  onNotice(listener: (message: string) => void): () => void {
    this.noticeListeners = [...this.noticeListeners, listener];
    return () => {
      this.noticeListeners = this.noticeListeners.filter((l) => l !== listener);
    };
  }

  notify(message: string): void {
    for (const l of this.noticeListeners) l(message);
  }

  /**
   * A refused write stays in this copy of the document and everything built on it would
   * be refused too: whoever listens starts over from the saved documents (the editor
   * remounts); without a listener, the person is told to reload.
   */
  onRefusedWrite(listener: (message: string) => void): () => void {
    this.refusalListeners = [...this.refusalListeners, listener];
    return () => {
      this.refusalListeners = this.refusalListeners.filter((l) => l !== listener);
    };
  }

  private refusedWrite(message: string): void {
    if (this.refusalListeners.length === 0) return this.notify(`${message} Reload to see the saved version.`);
    for (const l of this.refusalListeners) l(message);
  }

  private refuse(): boolean {
    if (this.editable) return false;
    this.notify(this.ready ? 'You can view this timeline but not edit it.' : 'The timeline is still loading.');
    return true;
  }

  /** Applies one command as this user; a refusal is shown, not thrown. */
  run<C extends TimelineCommand>(command: C): CommandResults[C['type']] | null {
    if (this.refuse()) return null;
    try {
      // applyCommand's result is the union; the command's own type narrows it.
      return applyCommand(this.timelineDoc, command, this.origin) as CommandResults[C['type']];
    } catch (error) {
      this.notify(describeCommandError(error));
      return null;
    }
  }

  /** Applies commands atomically as ONE transaction (one undo step); `$N.field` refs allowed. */
  runBatch(commands: TimelineCommand[]): CommandResult[] | null {
    if (this.refuse() || commands.length === 0) return null;
    try {
      return applyCommands(this.timelineDoc, commands, this.origin);
    } catch (error) {
      this.notify(describeCommandError(error));
      return null;
    }
  }

  undo(): void {
    if (!this.editable) return;
    if (!this.undoManager.undo()) this.notify('Nothing of yours to undo');
  }

  redo(): void {
    if (!this.editable) return;
    if (!this.undoManager.redo()) this.notify('Nothing to redo');
  }

  /** Everything until `endGesture` is one undo step (a slider drag, a handle drag). */
  beginGesture(): void {
    this.undoManager.beginGesture();
  }

  endGesture(): void {
    this.undoManager.endGesture();
  }

  destroy(): void {
    for (const c of this.cleanups.splice(0)) c();
    this.timeline?.provider.destroy();
    this.comments?.provider.destroy();
    this.socket?.destroy();
    this.undoManager.destroy();
    this.timelineDoc.destroy();
    this.commentsDoc.destroy();
  }
}

/** A timeline refusal in words a person understands (codes from SPEC TL40). */
export function describeCommandError(error: unknown): string {
  if (error instanceof TimelineError) {
    switch (error.code) {
      case 'conflict':
        return /overlap/i.test(error.message) ? 'Clips on a track cannot overlap.' : capitalise(error.message);
      case 'track_locked':
        return 'That track is locked; unlock it to edit.';
      case 'limit_exceeded':
        return capitalise(error.message);
      case 'unknown_id':
        return 'Someone else changed that just now; try again.';
      case 'schema_version':
        return 'This project was saved by a newer Cutline; reload the page.';
      default:
        return capitalise(error.message);
    }
  }
  return errorMessage(error);
}

const capitalise = (s: string) => (s ? s[0]?.toUpperCase() + s.slice(1) : s);
