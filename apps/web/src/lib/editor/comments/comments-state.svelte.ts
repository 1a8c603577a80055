import { applyCommentCommand, commentsSnapshot, type CommentCommand, type CommentCommandResults, type CommentThread } from '@cutline/timeline/comments';
import type { Api } from '#lib/api/client.ts';
import { errorMessage } from '#lib/api/errors.ts';
import type { Member } from '#lib/api/types.ts';
import { can } from '@cutline/shared/policy';
import { describeCommandError, type ProjectSession } from '../session/project-session.svelte.ts';
import { loadReadState, markThreadSeen, pruneReadState, readStateKey, saveReadState, unreadItems, type KeyValueStore, type ReadState } from './read-state.ts';

export type StatusFilter = 'all' | 'open' | 'resolved';
export type SideTab = 'inspector' | 'comments';

/** Members are re-read at most this often when an unknown id shows up (someone just joined). */
const MEMBERS_REFRESH_MS = 5_000;

/**
 * The comments of one open project, over `session.commentsDoc` through the model's
 * commands (`@cutline/timeline/comments`): threads with anchors resolved against the live
 * timeline (a pinned comment follows its clip), who is who (the member list), what I have
 * not read yet, and which thread is open. Writes are refused here for viewers; the sync
 * server refuses them too (SY2/SY3), so this is convenience, not the security boundary.
 */
export class CommentsState {
  readonly session: ProjectSession;
  private readonly api: Api;
  private readonly store: KeyValueStore | null;
  private readonly readKey: string;

  /** Bumped on every change of the comments document. */
  private docVersion = $state(0);
  /** Every thread, by anchor time; anchors follow the timeline as it changes. */
  readonly threads: readonly CommentThread[] = $derived.by(() => {
    void this.docVersion;
    return commentsSnapshot(this.session.commentsDoc, this.session.snapshot).threads;
  });

  members: readonly Member[] = $state.raw([]);
  /** Why the member list could not be read (names then fall back to "Unknown member"). */
  membersError: string | null = $state(null);
  private membersFetchedAt = 0;
  private membersInFlight: Promise<void> | null = null;
  /** Another read was asked for while one was in flight (it may predate a new member). */
  private membersWanted = false;
  private membersTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly askedAbout: string[] = [];

  private readState: ReadState = $state.raw({});

  /** The thread shown expanded in the panel. */
  activeThreadId: string | null = $state(null);
  /** Bumped when a thread should scroll into view and take focus (a ruler marker click). */
  revealTick = $state(0);
  tab: SideTab = $state('inspector');
  statusFilter: StatusFilter = $state('all');
  mineOnly = $state(false);

  readonly unreadByThread: Readonly<Record<string, number>> = $derived.by(() => {
    const me = this.session.user.id;
    return Object.fromEntries(this.threads.map((t) => [t.id, unreadItems(t, me, this.readState[t.id]).length]));
  });
  readonly totalUnread: number = $derived(Object.values(this.unreadByThread).reduce((a, b) => a + b, 0));

  readonly visibleThreads: readonly CommentThread[] = $derived(
    this.threads.filter((t) => (this.statusFilter === 'all' || (this.statusFilter === 'open') === !t.resolved) && (!this.mineOnly || this.isMine(t))),
  );

  private readonly cleanups: (() => void)[] = [];

  constructor({ session, api, store }: { session: ProjectSession; api: Api; store?: KeyValueStore | null }) {
    this.session = session;
    this.api = api;
    this.store = store !== undefined ? store : typeof localStorage === 'undefined' ? null : localStorage;
    this.readKey = readStateKey({ userId: session.user.id, projectId: session.projectId });
    this.readState = loadReadState(this.store, this.readKey);
    const onChange = () => {
      this.docVersion += 1;
    };
    session.commentsDoc.on('afterTransaction', onChange);
    this.cleanups.push(() => session.commentsDoc.off('afterTransaction', onChange));
    // Someone new wrote or was mentioned (they joined after the list was read): read it
    // again, whether or not the panel is showing (the ruler's markers name authors too).
    this.cleanups.push(
      $effect.root(() => {
        $effect(() => {
          // Each unknown id asks once: a removed member's old comments must not poll.
          const fresh = this.unknownIds().filter((id) => !this.askedAbout.includes(id));
          if (fresh.length === 0) return;
          this.askedAbout.push(...fresh);
          void this.refreshMembers({ force: true });
        });
      }),
    );
    if (typeof window !== 'undefined') {
      // Another tab of mine read something: its marks count here too.
      const onStorage = (event: StorageEvent) => {
        if (event.key === this.readKey) this.readState = loadReadState(this.store, this.readKey);
      };
      window.addEventListener('storage', onStorage);
      this.cleanups.push(() => window.removeEventListener('storage', onStorage));
    }
  }

  /** Viewers read comments only (the policy's `comments.write`). */
  get canComment(): boolean {
    return can(this.session.role, 'comments.write');
  }

  get me(): string {
    return this.session.user.id;
  }

  /** Started by me, replied to by me, or mentioning me. */
  isMine(thread: CommentThread): boolean {
    const me = this.me;
    return thread.authorId === me || thread.mentions.includes(me) || thread.replies.some((r) => r.authorId === me || r.mentions.includes(me));
  }

  thread(threadId: string): CommentThread | undefined {
    return this.threads.find((t) => t.id === threadId);
  }

  /** A member's name, or null when they are not (or no longer) a member we know. */
  nameOf = (userId: string): string | null => {
    if (userId === this.me) return this.session.user.name;
    return this.members.find((m) => m.userId === userId)?.name ?? null;
  };

  displayName(userId: string): string {
    return this.nameOf(userId) ?? 'Unknown member';
  }

  /**
   * Reads the member list (GET /projects/:id/members: every role may, `members.read`).
   * Called whenever an unknown author appears or someone starts typing an @mention, so
   * without `force` reads are at least a few seconds apart (a later one is scheduled).
   */
  refreshMembers({ force = false }: { force?: boolean } = {}): Promise<void> {
    if (this.membersInFlight) {
      this.membersWanted = true;
      return this.membersInFlight;
    }
    const wait = force ? 0 : MEMBERS_REFRESH_MS - (Date.now() - this.membersFetchedAt);
    if (wait > 0) {
      this.membersTimer ??= setTimeout(() => {
        this.membersTimer = null;
        void this.refreshMembers({ force: true });
      }, wait);
      return Promise.resolve();
    }
    this.membersFetchedAt = Date.now();
    this.membersInFlight = this.api
      .listMembers(this.session.projectId)
      .then((members) => {
        this.members = members;
        this.membersError = null;
      })
      .catch((error: unknown) => {
        this.membersError = errorMessage(error);
      })
      .finally(() => {
        this.membersInFlight = null;
        if (this.membersWanted) {
          this.membersWanted = false;
          void this.refreshMembers();
        }
      });
    return this.membersInFlight;
  }

  /** Authors and mentioned people the member list doesn't know (yet). */
  unknownIds(): string[] {
    const out: string[] = [];
    const check = (id: string) => {
      if (this.nameOf(id) === null && !out.includes(id)) out.push(id);
    };
    for (const t of this.threads) {
      check(t.authorId);
      t.mentions.forEach(check);
      for (const r of t.replies) {
        check(r.authorId);
        r.mentions.forEach(check);
      }
    }
    return out;
  }

  unread(threadId: string): number {
    return this.unreadByThread[threadId] ?? 0;
  }

  markRead(threadId: string): void {
    const thread = this.thread(threadId);
    if (!thread || this.unread(threadId) === 0) return;
    // Fresh from storage first: another tab may have marked other threads meanwhile.
    const current = loadReadState(this.store, this.readKey);
    const next = markThreadSeen(pruneReadState({ ...current, ...this.readState }, this.threads.map((t) => t.id)), thread);
    this.readState = next;
    saveReadState(this.store, this.readKey, next);
  }

  /** Opens (expands) a thread; `reveal` also shows the Comments tab and scrolls to it. */
  open(threadId: string, { reveal = false }: { reveal?: boolean } = {}): void {
    this.activeThreadId = threadId;
    if (reveal) {
      this.tab = 'comments';
      // A filter that hides the thread would make the click look broken.
      const thread = this.thread(threadId);
      if (thread && !this.visibleThreads.includes(thread)) {
        this.statusFilter = 'all';
        this.mineOnly = false;
      }
      this.revealTick += 1;
    }
  }

  toggle(threadId: string): void {
    this.activeThreadId = this.activeThreadId === threadId ? null : threadId;
  }

  /** Applies one comment command as me; a refusal is shown (the notice line), not thrown. */
  run<C extends CommentCommand>(command: C): CommentCommandResults[C['type']] | null {
    if (!this.canComment) {
      this.session.notify("Viewers can't comment.");
      return null;
    }
    try {
      return applyCommentCommand(this.session.commentsDoc, command, this.session.origin, { timeline: this.session.snapshot }) as CommentCommandResults[C['type']];
    } catch (error) {
      this.session.notify(describeCommandError(error));
      return null;
    }
  }

  destroy(): void {
    if (this.membersTimer !== null) clearTimeout(this.membersTimer);
    for (const c of this.cleanups.splice(0)) c();
  }
}
