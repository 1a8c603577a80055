import { untrack } from 'svelte';
import { presenceColor } from '@cutline/shared/presence';
import type { Awareness, ProjectSession } from '../session/project-session.svelte.ts';
import type { ViewState } from '../session/view-state.svelte.ts';
import type { Transport } from '../preview/transport.svelte.ts';
import { publishPresence, readPresence, type PresenceStatus, type RemotePresence } from '../session/presence.ts';
import { groupPeople, localStatus, type Person } from './people.ts';

/** No input for this long makes me idle (Figma, Google Docs: about a minute). */
export const IDLE_AFTER_MS = 60_000;
/** My cursor goes out at most this often (the server allows 200 messages/s per socket). */
const CURSOR_EVERY_MS = 50;
/** y-protocols renews a local state after 15 s and drops a remote one after 30 s. */
const RENEW_AFTER_MS = 15_000;

/**
 * Everyone in the project and what they are doing, from the timeline's awareness
 * (never the document; docs/ARCHITECTURE.md, "The documents"): avatars, remote playheads, selections and
 * cursors; my idle/away status; follow mode, which keeps my playhead on someone else's
 * until I move it myself (a seek, a click on the ruler, Escape).
 */
export class PresenceRoom {
  /** Every remote awareness client (other people, and my own other tabs). */
  remote: RemotePresence[] = $state.raw([]);
  status: PresenceStatus = $state('active');
  /** The user id whose playhead mine follows. */
  following: string | null = $state(null);

  readonly people: Person[] = $derived.by(() =>
    groupPeople({
      remote: this.remote,
      me: { user: this.me, status: this.status, clientId: this.clientId },
      lastUpdated: (id) => this.awareness?.meta.get(id)?.lastUpdated ?? 0,
    }),
  );
  readonly others: Person[] = $derived(this.people.filter((p) => !p.me));
  readonly followed: Person | null = $derived(this.others.find((p) => p.user.id === this.following) ?? null);

  readonly me: Person['user'];
  private readonly session: ProjectSession;
  private readonly view: ViewState;
  private readonly transport: Transport;
  private readonly idleAfterMs: number;
  private awareness: Awareness | null = null;
  private clientId = $state(0);
  /** The playhead follow mode last set: any other value is my own move. */
  private followSetAt: number | null = null;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  private cursorSentAt = 0;
  private pendingCursor: { time: number; trackId?: string } | null | undefined;

  constructor({ session, view, transport, idleAfterMs = IDLE_AFTER_MS }: { session: ProjectSession; view: ViewState; transport: Transport; idleAfterMs?: number }) {
    this.session = session;
    this.view = view;
    this.transport = transport;
    this.idleAfterMs = idleAfterMs;
    this.me = { id: session.user.id, name: session.user.name, color: presenceColor(session.user.id) };
  }

  /** Starts listening once the timeline's provider exists; returns the cleanup. */
  attach(awareness: Awareness): () => void {
    this.awareness = awareness;
    this.clientId = awareness.clientID;
    const cleanups: (() => void)[] = [];

    const read = () => {
      this.remote = readPresence(awareness.getStates(), awareness.clientID);
    };
    // Timers in a hidden tab are throttled to once a minute after a while, and so are
    // y-protocols' renewals; others would drop my state after 30 s. Anything arriving
    // from the others is a chance to renew it without a timer.
    const onUpdate = (_changes: unknown, origin: unknown) => {
      if (origin === 'local') return;
      const meta = awareness.meta.get(awareness.clientID);
      const state = awareness.getLocalState();
      if (state && meta && Date.now() - meta.lastUpdated >= RENEW_AFTER_MS) awareness.setLocalState(state);
    };
    awareness.on('change', read);
    awareness.on('update', onUpdate);
    cleanups.push(() => {
      awareness.off('change', read);
      awareness.off('update', onUpdate);
    });
    read();

    let lastInputAt = Date.now();
    const update = () => {
      const next = localStatus({ hidden: document.visibilityState === 'hidden', lastInputAt, now: Date.now(), idleAfterMs: this.idleAfterMs });
      if (next === this.status && awareness.getLocalState()?.status === next) return;
      this.status = next;
      publishPresence(awareness, { status: next });
    };
    const input = () => {
      lastInputAt = Date.now();
      if (this.status !== 'active') update();
    };
    const events = ['pointerdown', 'pointermove', 'keydown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, input, { passive: true, capture: true });
    document.addEventListener('visibilitychange', update);
    const idleCheck = setInterval(update, Math.min(5000, this.idleAfterMs / 4));
    cleanups.push(() => {
      for (const e of events) window.removeEventListener(e, input, { capture: true });
      document.removeEventListener('visibilitychange', update);
      clearInterval(idleCheck);
      clearTimeout(this.cursorTimer);
    });
    update();

    cleanups.push(
      $effect.root(() => {
        // Follow: my playhead takes theirs, and the timeline scrolls to keep it in view.
        $effect(() => {
          const target = this.followed;
          const t = target?.playhead;
          if (this.following && !target) {
            untrack(() => this.unfollow());
            return;
          }
          if (t === null || t === undefined) return;
          untrack(() => this.followTo(t));
        });
        // After a reconnect the provider re-sends my state at its old clock, which everyone
        // (the server included) still holds from before and ignores: a fresh clock makes
        // me visible again at once instead of at the next 15 s renewal.
        let wasLive = true;
        $effect(() => {
          const live = this.session.sync.state === 'saved';
          untrack(() => {
            const state = awareness.getLocalState();
            if (live && !wasLive && state) awareness.setLocalState({ ...state });
            wasLive = live;
          });
        });
        // Others see whom I follow (next to my avatar on their screens).
        $effect(() => {
          const following = this.following;
          untrack(() => publishPresence(awareness, { following }));
        });
        // Any other change of my playhead is mine: following stops.
        $effect(() => {
          const p = this.view.playhead;
          untrack(() => {
            if (this.following && this.followSetAt !== null && Math.abs(p - this.followSetAt) > 1e-6) this.unfollow();
          });
        });
      }),
    );

    return () => {
      for (const c of cleanups.splice(0)) c();
      this.awareness = null;
    };
  }

  private followTo(t: number): void {
    const view = this.view;
    this.followSetAt = t;
    view.playhead = t;
    this.transport.showPlayhead();
    const x = t * view.pxPerSecond - view.scrollLeft;
    if (x < 0 || x > view.viewportWidth - 20) view.scrollLeft = Math.max(0, t * view.pxPerSecond - view.viewportWidth * 0.3);
  }

  follow(userId: string): void {
    if (userId === this.me.id) return;
    if (this.transport.playing) this.transport.pause();
    this.followSetAt = null;
    this.following = userId;
  }

  unfollow(): void {
    this.following = null;
    this.followSetAt = null;
  }

  toggleFollow(userId: string): void {
    if (this.following === userId) this.unfollow();
    else this.follow(userId);
  }

  /** Remote people (not me) who have this clip selected. */
  /** Who `person` follows, as a name to show ("you" for me), or null. */
  followingLabel(person: Person): string | null {
    if (!person.following) return null;
    if (person.following === this.me.id) return 'you';
    return this.people.find((p) => p.user.id === person.following)?.user.name ?? null;
  }

  selectorsOf(clipId: string): Person[] {
    return this.others.filter((p) => p.selection.clipIds?.includes(clipId));
  }

  /** Remote people whose pointer is over this track (or over no track: `null`). */
  cursorsOn(trackId: string | null): Person[] {
    return this.others.filter((p) => p.cursor !== null && p.cursor.trackId === trackId);
  }

  /** My pointer over the timeline (seconds, track), or null when it leaves; throttled. */
  setCursor(cursor: { time: number; trackId?: string } | null): void {
    const awareness = this.awareness;
    if (!awareness || !this.session.ready) return;
    this.pendingCursor = cursor;
    const wait = CURSOR_EVERY_MS - (performance.now() - this.cursorSentAt);
    if (cursor === null || wait <= 0) {
      clearTimeout(this.cursorTimer);
      this.cursorTimer = undefined;
      this.flushCursor();
    } else if (this.cursorTimer === undefined) {
      this.cursorTimer = setTimeout(() => {
        this.cursorTimer = undefined;
        this.flushCursor();
      }, wait);
    }
  }

  private flushCursor(): void {
    if (!this.awareness || this.pendingCursor === undefined) return;
    this.cursorSentAt = performance.now();
    publishPresence(this.awareness, { cursor: this.pendingCursor });
    this.pendingCursor = undefined;
  }
}
