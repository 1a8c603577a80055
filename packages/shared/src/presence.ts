import { ID_PATTERN, MAX_TIME_US } from '@cutline/timeline';

/**
 * A person's presence colour: stable per user and the same everywhere — sync writes it
 * into every awareness state (apps/sync/SPEC.md SY50), and the editor paints its own avatar
 * with it before anyone else has seen it. Pure, so the browser bundle can import it.
 */
export const PRESENCE_PALETTE: readonly string[] = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#469990', '#9a6324', '#800000', '#808000', '#000075'];

export function presenceColor(userId: string): string {
  let hash = 2166136261;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return PRESENCE_PALETTE[(hash >>> 0) % PRESENCE_PALETTE.length] as string;
}

/**
 * Colours for the people present at once, all different while there are no more people
 * than colours: each keeps its own `presenceColor` unless someone earlier (by user id)
 * already has it, and then takes the next free colour of the palette. Every client sees
 * the same people and so paints them the same.
 */
export function distinctPresenceColors(userIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of [...new Set(userIds)].sort()) {
    const preferred = PRESENCE_PALETTE.indexOf(presenceColor(id));
    let color = presenceColor(id);
    for (let step = 0; step < PRESENCE_PALETTE.length; step++) {
      const candidate = PRESENCE_PALETTE[(preferred + step) % PRESENCE_PALETTE.length] as string;
      if (!taken.has(candidate)) {
        color = candidate;
        break;
      }
    }
    taken.add(color);
    out.set(id, color);
  }
  return out;
}


/**
 * The presence contract (apps/sync/SPEC.md SY50–SY53), one home for sync, which enforces
 * it, and the editor, which publishes and reads it. An awareness state that reaches other
 * clients has exactly this shape; `user` is written by the server from the authenticated
 * session, every other field is checked and dropped when it does not fit. Times are
 * integer-or-fractional microseconds on the timeline, like the model.
 */
export type PresenceUser = { id: string; name: string; color: string };

export type PresenceState = {
  user: PresenceUser;
  /** Playhead position, µs. */
  playhead?: number;
  /** What the user has selected, by entity kind. */
  selection?: { clipIds?: string[]; trackIds?: string[]; markerIds?: string[]; transitionIds?: string[] };
  /** The visible part of the timeline: [start, end) in µs, plus vertical scroll in px. */
  viewport?: { start: number; end: number; scrollY?: number };
  /** Pointer over the timeline, or null when it is elsewhere. */
  cursor?: { time: number; trackId?: string } | null;
  /** Active, idle (no input for a while) or away (the tab is hidden). */
  status?: PresenceStatus;
  /** The user id whose playhead this person's follows, or null. */
  following?: string | null;
};

export const PRESENCE_STATUSES = ['active', 'idle', 'away'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

export const PRESENCE_LIMITS = {
  idsPerSelectionKind: 200,
  maxScrollY: 10_000_000,
} as const;

const SELECTION_KINDS = ['clipIds', 'trackIds', 'markerIds', 'transitionIds'] as const;
const idRegex = new RegExp(ID_PATTERN);

export type SanitizeResult = { state: PresenceState; dropped: string[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TIME_US;
}

function idList(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length > PRESENCE_LIMITS.idsPerSelectionKind) return null;
  for (const id of value) if (typeof id !== 'string' || !idRegex.test(id)) return null;
  return [...(value as string[])];
}

function selection(value: unknown): PresenceState['selection'] | null {
  if (!isRecord(value)) return null;
  const out: NonNullable<PresenceState['selection']> = {};
  for (const key of Object.keys(value)) {
    if (!(SELECTION_KINDS as readonly string[]).includes(key)) return null;
  }
  for (const kind of SELECTION_KINDS) {
    if (value[kind] === undefined) continue;
    const ids = idList(value[kind]);
    if (ids === null) return null;
    out[kind] = ids;
  }
  return out;
}

function viewport(value: unknown): PresenceState['viewport'] | null {
  if (!isRecord(value)) return null;
  const { start, end, scrollY, ...rest } = value;
  if (Object.keys(rest).length > 0 || !isTime(start) || !isTime(end) || end <= start) return null;
  if (scrollY === undefined) return { start, end };
  if (typeof scrollY !== 'number' || !Number.isFinite(scrollY) || scrollY < 0 || scrollY > PRESENCE_LIMITS.maxScrollY) return null;
  return { start, end, scrollY };
}

function cursor(value: unknown): PresenceState['cursor'] | undefined {
  if (value === null) return null;
  if (!isRecord(value)) return undefined;
  const { time, trackId, ...rest } = value;
  if (Object.keys(rest).length > 0 || !isTime(time)) return undefined;
  if (trackId === undefined) return { time };
  if (typeof trackId !== 'string' || !idRegex.test(trackId)) return undefined;
  return { time, trackId };
}

/**
 * The state other clients will see for `raw`, sent by a connection authenticated as
 * `user`. Fields that fail their check are dropped and named in `dropped`; the identity
 * is always the session's, whatever the client claimed.
 */
export function sanitizePresence(raw: unknown, user: PresenceUser): SanitizeResult {
  const dropped: string[] = [];
  const state: PresenceState = { user: { ...user } };
  if (!isRecord(raw)) return { state, dropped: raw === undefined ? [] : ['state'] };
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'user':
        if (!isRecord(value) || value['id'] !== user.id || value['name'] !== user.name || value['color'] !== user.color) dropped.push('user');
        break;
      case 'playhead':
        if (isTime(value)) state.playhead = value;
        else dropped.push(key);
        break;
      case 'selection': {
        const s = selection(value);
        if (s) state.selection = s;
        else dropped.push(key);
        break;
      }
      case 'viewport': {
        const v = viewport(value);
        if (v) state.viewport = v;
        else dropped.push(key);
        break;
      }
      case 'cursor': {
        const c = cursor(value);
        if (c !== undefined) state.cursor = c;
        else dropped.push(key);
        break;
      }
      case 'status':
        if ((PRESENCE_STATUSES as readonly unknown[]).includes(value)) state.status = value as PresenceStatus;
        else dropped.push(key);
        break;
      case 'following':
        if (value === null || (typeof value === 'string' && idRegex.test(value))) state.following = value;
        else dropped.push(key);
        break;
      default:
        dropped.push(key);
    }
  }
  return { state, dropped };
}
